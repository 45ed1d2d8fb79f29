//! The portfolio dashboard: figures over every project a filter selects, computed by a fixed number of
//! grouped queries (never one query per project) and the same rules as the project pages.
//!
//! A project's *eligible budget* is its budget lines summed under its cost model (with the model's
//! flat-rate part), as on its budget page; a project without budget lines yet counts with the total
//! registered for it (Seznam operací). *Drawn* is expenditure summed the same way; *paid* is what paid
//! payment claims brought. The budget *by region* splits each project's budget among the kraje in proportion to its
//! participating municipalities there (largest remainder, so the parts add up to the haléř).

use super::budget::{breakdown, planned_by_kind};
use super::{budget, monitoring, projects, ServiceError};
use crate::domain::{fulfilment, CostModel, DateRange, LineKind, Money, Percentage};
use crate::dto::portfolio::{
    Dashboard, IndicatorFigure, PortfolioPoint, PortfolioTotals, RegionFigure, RiskRow, RiskSort,
};
use crate::dto::{Flag, ProjectListQuery};
use chrono::{Datelike, NaiveDate};
use entity::{
    budget_line, district, expenditure, indicator, indicator_value, monitoring_period,
    municipality, participant, payment_claim, period_review, project, project_finance,
    project_indicator, project_municipality, region,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// `SUM(col)` as a BIGINT on both backends (PostgreSQL sums BIGINT as NUMERIC).
fn sum_bigint(col: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
    Func::cast_as(Func::sum(Expr::col(col)), Alias::new("BIGINT")).into()
}

fn money(halere: i64) -> Result<Money, ServiceError> {
    Money::from_halere(halere).map_err(|e| ServiceError::Unexpected(e.to_string()))
}

fn add(a: Money, b: Money) -> Result<Money, ServiceError> {
    a.checked_add(b)
        .map_err(|e| ServiceError::Unexpected(e.to_string()))
}

#[derive(Debug, FromQueryResult)]
struct ProjectRaw {
    id: i32,
    registration_number: String,
    acronym: Option<String>,
    name: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    total_eligible_halere: Option<i64>,
}

/// What the dashboard knows about one project once the grouped queries are in.
#[derive(Debug, Default)]
struct Acc {
    /// Budget (direct costs) per line kind and year.
    per_year: BTreeMap<(LineKind, i32), i64>,
    /// Expenditure (direct costs) per month `YYYY-MM` (`None` for undated expenditure) and line kind.
    drawn_by_month: BTreeMap<Option<String>, BTreeMap<LineKind, i64>>,
    model: CostModel,
    paid: i64,
    participants: u64,
    /// Participating municipalities per kraj code.
    municipalities_by_region: BTreeMap<i32, u64>,
    rate: Option<Percentage>,
    flags: Vec<Flag>,
    correction: Money,
}

/// The ids of the projects `cond` selects, as a subquery.
fn ids(cond: &Condition) -> SelectStatement {
    Query::select()
        .column((project::Entity, project::Column::Id))
        .from(project::Entity)
        .cond_where(cond.clone())
        .to_owned()
}

/// The dashboard for the projects `q`'s filters select among `visible` (all when `None`), as of `today`.
///
/// # Errors
/// Database errors; stored data out of range (`Unexpected`).
#[tracing::instrument(skip(db))]
pub async fn dashboard(
    db: &impl ConnectionTrait,
    q: &ProjectListQuery,
    visible: Option<&[i32]>,
    risk_sort: RiskSort,
    today: NaiveDate,
) -> Result<Dashboard, ServiceError> {
    let query = q.filters_only();
    let cond = projects::filter_condition(&query, visible);
    let rows: Vec<ProjectRaw> = project::Entity::find()
        .filter(cond.clone())
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::RegistrationNumber,
            project::Column::Acronym,
            project::Column::Name,
            project::Column::StartDate,
            project::Column::EndDate,
            project::Column::TotalEligibleHalere,
        ])
        .order_by_asc(project::Column::Id)
        .into_model::<ProjectRaw>()
        .all(db)
        .await?;
    let mut acc: BTreeMap<i32, Acc> = rows.iter().map(|p| (p.id, Acc::default())).collect();

    for f in project_finance::Entity::find()
        .filter(project_finance::Column::ProjectId.in_subquery(ids(&cond)))
        .all(db)
        .await?
    {
        if let Some(a) = acc.get_mut(&f.project_id) {
            a.rate = Percentage::parse(&f.indirect_rate).ok();
            a.model = budget::model_of(&f)?;
        }
    }
    // Every line (the kind of a line decides how its project's cost model counts it).
    let lines: Vec<(i32, i32, i32, String, Option<i32>, i64)> = budget_line::Entity::find()
        .select_only()
        .column(budget_line::Column::Id)
        .column(budget_line::Column::ProjectId)
        .column(budget_line::Column::Year)
        .column(budget_line::Column::Chapter)
        .column(budget_line::Column::UnitCostId)
        .column(budget_line::Column::AmountHalere)
        .filter(budget_line::Column::ProjectId.in_subquery(ids(&cond)))
        .into_tuple()
        .all(db)
        .await?;
    let mut line_kind: HashMap<i32, (i32, LineKind)> = HashMap::with_capacity(lines.len());
    for (id, p, year, chapter, unit_cost, amount) in lines {
        let kind = LineKind::of(&chapter, unit_cost.is_some());
        line_kind.insert(id, (p, kind));
        if let Some(a) = acc.get_mut(&p) {
            *a.per_year.entry((kind, year)).or_default() += amount;
        }
    }
    // The month of an expenditure, portable: dates are ISO text on SQLite and cast to ISO text on
    // PostgreSQL.
    let month = Func::cust(Alias::new("SUBSTR"))
        .arg(Func::cast_as(
            Expr::col((expenditure::Entity, expenditure::Column::PaidOn)),
            Alias::new("TEXT"),
        ))
        .arg(1)
        .arg(7);
    let spent: Vec<(i32, Option<String>, i64)> = expenditure::Entity::find()
        .select_only()
        .column(expenditure::Column::BudgetLineId)
        .column_as(Expr::expr(month.clone()), "month")
        .column_as(sum_bigint(expenditure::Column::AmountHalere), "amount")
        .filter(expenditure::Column::ProjectId.in_subquery(ids(&cond)))
        .group_by(expenditure::Column::BudgetLineId)
        // By the output column: the expression itself would bind its arguments twice, which PostgreSQL
        // does not recognise as the same expression.
        .group_by(Expr::col(Alias::new("month")))
        .into_tuple()
        .all(db)
        .await?;
    for (line, m, amount) in spent {
        let Some((p, kind)) = line_kind.get(&line) else {
            continue;
        };
        if let Some(a) = acc.get_mut(p) {
            *a.drawn_by_month
                .entry(m)
                .or_default()
                .entry(*kind)
                .or_default() += amount;
        }
    }
    for c in payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.in_subquery(ids(&cond)))
        .all(db)
        .await?
    {
        let Some(a) = acc.get_mut(&c.project_id) else {
            continue;
        };
        if c.paid_on.is_some() {
            a.paid += c.approved_halere.unwrap_or(c.claimed_halere);
        }
        a.flags.extend(budget::overdue_claim_flag(&c, today));
    }
    let people: Vec<(i32, i64)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::ProjectId)
        .column_as(
            Expr::expr(Func::cast_as(
                Func::count(Expr::col(participant::Column::Id)),
                Alias::new("BIGINT"),
            )),
            "n",
        )
        .filter(participant::Column::ProjectId.in_subquery(ids(&cond)))
        .group_by(participant::Column::ProjectId)
        .into_tuple()
        .all(db)
        .await?;
    for (p, n) in people {
        if let Some(a) = acc.get_mut(&p) {
            a.participants = u64::try_from(n).unwrap_or(0);
        }
    }
    #[derive(Debug, FromQueryResult)]
    struct Place {
        project_id: i32,
        municipality_code: i32,
        region_code: i32,
    }
    let places_q = Query::select()
        .column((
            project_municipality::Entity,
            project_municipality::Column::ProjectId,
        ))
        .column((
            project_municipality::Entity,
            project_municipality::Column::MunicipalityCode,
        ))
        .column((district::Entity, district::Column::RegionCode))
        .from(project_municipality::Entity)
        .inner_join(
            municipality::Entity,
            Expr::col((municipality::Entity, municipality::Column::Code)).equals((
                project_municipality::Entity,
                project_municipality::Column::MunicipalityCode,
            )),
        )
        .inner_join(
            district::Entity,
            Expr::col((district::Entity, district::Column::Code))
                .equals((municipality::Entity, municipality::Column::DistrictCode)),
        )
        .and_where(
            Expr::col((
                project_municipality::Entity,
                project_municipality::Column::ProjectId,
            ))
            .in_subquery(ids(&cond)),
        )
        .to_owned();
    let places = Place::find_by_statement(db.get_database_backend().build(&places_q))
        .all(db)
        .await?;
    let mut municipalities_by_region: BTreeMap<i32, BTreeSet<i32>> = BTreeMap::new();
    let mut all_municipalities: BTreeSet<i32> = BTreeSet::new();
    for Place {
        project_id: p,
        municipality_code: m,
        region_code: r,
    } in places
    {
        if let Some(a) = acc.get_mut(&p) {
            *a.municipalities_by_region.entry(r).or_default() += 1;
        }
        municipalities_by_region.entry(r).or_default().insert(m);
        all_municipalities.insert(m);
    }

    // Indicators: each project indicator's target, then the cumulative achieved values; names and units
    // from the (small) codebook rather than repeated on every row.
    let pi_ids = || {
        Query::select()
            .column(project_indicator::Column::Id)
            .from(project_indicator::Entity)
            .and_where(Expr::col(project_indicator::Column::ProjectId).in_subquery(ids(&cond)))
            .to_owned()
    };
    let inds: Vec<(i32, i32, i32, i64, NaiveDate)> = project_indicator::Entity::find()
        .select_only()
        .columns([
            project_indicator::Column::Id,
            project_indicator::Column::ProjectId,
            project_indicator::Column::IndicatorId,
            project_indicator::Column::TargetMilli,
            project_indicator::Column::TargetDate,
        ])
        .filter(project_indicator::Column::ProjectId.in_subquery(ids(&cond)))
        .into_tuple()
        .all(db)
        .await?;
    let achieved: HashMap<i32, i64> = indicator_value::Entity::find()
        .select_only()
        .column(indicator_value::Column::ProjectIndicatorId)
        .column_as(
            sum_bigint(indicator_value::Column::AchievedMilli),
            "achieved",
        )
        .filter(indicator_value::Column::ProjectIndicatorId.in_subquery(pi_ids()))
        .group_by(indicator_value::Column::ProjectIndicatorId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let defs: HashMap<i32, indicator::Model> = indicator::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let bands = monitoring::correction_bands(db).await?;
    let starts: HashMap<i32, &ProjectRaw> = rows.iter().map(|p| (p.id, p)).collect();
    let mut by_indicator: BTreeMap<i32, (u64, Decimal, Decimal)> = BTreeMap::new();
    for &(pi_id, project_id, indicator_id, target_milli, target_date) in &inds {
        let target = monitoring::from_milli(target_milli);
        let done = monitoring::from_milli(achieved.get(&pi_id).copied().unwrap_or(0));
        let fig = by_indicator.entry(indicator_id).or_default();
        fig.0 += 1;
        fig.1 += target;
        fig.2 += done;
        let (Some(p), Some(a), Some(def)) = (
            starts.get(&project_id),
            acc.get_mut(&project_id),
            defs.get(&indicator_id),
        ) else {
            continue;
        };
        let grant = p
            .total_eligible_halere
            .map(Money::from_halere)
            .transpose()
            .ok()
            .flatten();
        // At or above the target there is nothing to correct.
        let short = fulfilment(done, target).filter(|f| *f < Decimal::ONE_HUNDRED);
        if let (Some(f), Some(g)) = (short, grant) {
            if let Some(flag) = monitoring::indicator_flag(
                &def.code,
                f,
                g,
                &bands,
                p.start_date,
                target_date,
                today,
            ) {
                // Corrections for several indicators are not added up (that could exceed the grant): the
                // project's projected correction is the largest one [U: the OPZ+ rule is unverified].
                let c =
                    bands.projected_correction(g, projected(f, p.start_date, target_date, today));
                a.correction = std::cmp::max(a.correction, c);
                a.flags.push(flag);
            }
        }
    }
    let mut by_code: BTreeMap<String, IndicatorFigure> = BTreeMap::new();
    for (indicator_id, (projects, target, achieved)) in by_indicator {
        let Some(def) = defs.get(&indicator_id) else {
            continue;
        };
        by_code.insert(
            def.code.clone(),
            IndicatorFigure {
                code: def.code.clone(),
                name: def.name_cs.clone(),
                unit: def.unit.clone(),
                projects,
                target,
                achieved,
                fulfilment: None,
            },
        );
    }
    let indicators: Vec<IndicatorFigure> = by_code
        .into_values()
        .map(|mut f| {
            f.fulfilment = fulfilment(f.achieved, f.target);
            f
        })
        .collect();

    // Per project: eligible, drawn, drawdown flag; then the totals.
    let max_lag = budget::max_lag_points(db).await?;
    let mut totals = PortfolioTotals {
        projects: rows.len() as u64,
        municipalities: all_municipalities.len() as u64,
        ..PortfolioTotals::default()
    };
    let mut risks = Vec::new();
    let mut eligible_of: BTreeMap<i32, Money> = BTreeMap::new();
    for p in &rows {
        let Some(a) = acc.get_mut(&p.id) else {
            continue;
        };
        let rate = a.rate.unwrap_or_else(Percentage::zero);
        let from_lines =
            breakdown(a.model, rate, a.per_year.iter().map(|((k, _), v)| (*k, *v)))?.eligible;
        let eligible = if a.per_year.is_empty() {
            money(p.total_eligible_halere.unwrap_or(0))?
        } else {
            from_lines
        };
        let drawn = breakdown(
            a.model,
            rate,
            a.drawn_by_month
                .values()
                .flat_map(|by_kind| by_kind.iter().map(|(k, v)| (*k, *v))),
        )?
        .eligible;
        let range = DateRange::new(p.start_date, p.end_date)
            .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
        let elapsed_percent = range.elapsed_share(today) * Decimal::ONE_HUNDRED;
        let drawdown_percent = (!from_lines.is_zero())
            .then(|| drawn.as_decimal() * Decimal::ONE_HUNDRED / from_lines.as_decimal());
        if let Some(flag) = drawdown_percent.and_then(|d| {
            budget::drawdown_lag_flag(d, elapsed_percent, max_lag, today >= range.start())
        }) {
            a.flags.insert(0, flag);
        }
        totals.eligible = add(totals.eligible, eligible)?;
        totals.drawn = add(totals.drawn, drawn)?;
        totals.paid = add(totals.paid, money(a.paid)?)?;
        totals.participants += a.participants;
        eligible_of.insert(p.id, eligible);
        if !a.flags.is_empty() {
            risks.push(RiskRow {
                project_id: p.id,
                registration_number: p.registration_number.clone(),
                acronym: p.acronym.clone(),
                name: p.name.clone(),
                eligible,
                drawdown_percent,
                elapsed_percent,
                correction: a.correction,
                flags: std::mem::take(&mut a.flags),
            });
        }
    }
    totals.at_risk = risks.len() as u64;
    risk_sort.sort(&mut risks);
    totals.reviews_open = period_review::Entity::find()
        .filter(
            period_review::Column::Status.is_in(
                crate::domain::ReviewStatus::all()
                    .iter()
                    .filter(|s| s.is_open())
                    .map(|s| s.code()),
            ),
        )
        .filter(
            period_review::Column::PeriodId.in_subquery(
                Query::select()
                    .column(monitoring_period::Column::Id)
                    .from(monitoring_period::Entity)
                    .and_where(
                        Expr::col(monitoring_period::Column::ProjectId).in_subquery(ids(&cond)),
                    )
                    .to_owned(),
            ),
        )
        .count(db)
        .await?;

    // Regions: each project's budget split by its municipalities per kraj.
    let mut budget_by_region: BTreeMap<i32, i64> = BTreeMap::new();
    let mut projects_by_region: BTreeMap<i32, u64> = BTreeMap::new();
    let mut unplaced_budget = Money::zero();
    let mut unplaced_projects = 0;
    for p in &rows {
        let (Some(a), Some(e)) = (acc.get(&p.id), eligible_of.get(&p.id)) else {
            continue;
        };
        if a.municipalities_by_region.is_empty() {
            unplaced_budget = add(unplaced_budget, *e)?;
            unplaced_projects += 1;
            continue;
        }
        for (r, part) in split_by_weight(e.to_halere(), &a.municipalities_by_region) {
            *budget_by_region.entry(r).or_default() += part;
            *projects_by_region.entry(r).or_default() += 1;
        }
    }
    let mut regions = Vec::new();
    for r in region::Entity::find()
        .order_by_asc(region::Column::Nuts3)
        .all(db)
        .await?
    {
        regions.push(RegionFigure {
            code: r.code,
            name: r.name,
            nuts3: r.nuts3,
            projects: projects_by_region.get(&r.code).copied().unwrap_or(0),
            municipalities: municipalities_by_region
                .get(&r.code)
                .map_or(0, |s| s.len() as u64),
            budget: money(budget_by_region.get(&r.code).copied().unwrap_or(0))?,
        });
    }

    let series = series(&rows, &acc, today)?;
    Ok(Dashboard {
        query,
        totals,
        series,
        indicators,
        regions,
        unplaced_budget,
        unplaced_projects,
        risks,
        today,
    })
}

/// The fulfilment a correction is computed from: reached after the target date, projected at the pace
/// so far before it (the rule of [`monitoring::indicator_flag`]).
fn projected(
    fulfilment: Decimal,
    start: NaiveDate,
    target_date: NaiveDate,
    today: NaiveDate,
) -> Decimal {
    if today >= target_date {
        return fulfilment;
    }
    match DateRange::new(start, target_date) {
        Ok(r) if !r.elapsed_share(today).is_zero() => {
            (fulfilment / r.elapsed_share(today)).round_dp(1)
        }
        _ => fulfilment,
    }
}

/// Splits `amount` haléřů among keys in proportion to their weights, largest remainder first, so that
/// the parts add up exactly to `amount`.
#[must_use]
pub fn split_by_weight(amount: i64, weights: &BTreeMap<i32, u64>) -> Vec<(i32, i64)> {
    let total: u128 = weights.values().map(|w| u128::from(*w)).sum();
    if total == 0 {
        return Vec::new();
    }
    let negative = amount < 0;
    let abs = u128::from(amount.unsigned_abs());
    let mut parts: Vec<(i32, u128, u128)> = weights
        .iter()
        .map(|(k, w)| {
            let exact = abs * u128::from(*w);
            (*k, exact / total, exact % total)
        })
        .collect();
    let mut left = abs - parts.iter().map(|(_, q, _)| q).sum::<u128>();
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by(|a, b| parts[*b].2.cmp(&parts[*a].2).then(a.cmp(b)));
    for i in order {
        if left == 0 {
            break;
        }
        parts[i].1 += 1;
        left -= 1;
    }
    parts
        .into_iter()
        .map(|(k, q, _)| {
            let v = i64::try_from(q).unwrap_or(i64::MAX);
            (k, if negative { -v } else { v })
        })
        .collect()
}

/// Last day of each quarter from the earliest project start to the latest end (at most 60 points),
/// with today among them.
fn quarter_ends(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut y = from.year();
    let mut q = (from.month() - 1) / 3;
    loop {
        let end_month = q * 3 + 3;
        let next = if end_month == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, end_month + 1, 1)
        };
        let Some(end) = next.and_then(|n| n.pred_opt()) else {
            break;
        };
        out.push(end);
        if end >= to || out.len() >= 60 {
            break;
        }
        q += 1;
        if q == 4 {
            q = 0;
            y += 1;
        }
    }
    if today > from && today < to {
        out.push(today);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The portfolio's cumulative planned and drawn expenditure (with indirect costs) at quarter ends.
fn series(
    rows: &[ProjectRaw],
    acc: &BTreeMap<i32, Acc>,
    today: NaiveDate,
) -> Result<Vec<PortfolioPoint>, ServiceError> {
    let (Some(from), Some(to)) = (
        rows.iter().map(|p| p.start_date).min(),
        rows.iter().map(|p| p.end_date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let dates = quarter_ends(from, to, today);
    let mut planned = vec![0i64; dates.len()];
    let mut drawn = vec![0i64; dates.len()];
    let month_ends: Vec<String> = dates
        .iter()
        .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
        .collect();
    for p in rows {
        let Some(a) = acc.get(&p.id) else { continue };
        let rate = a.rate.unwrap_or_else(Percentage::zero);
        // Months are in order (undated first), dates too: one pass over both.
        let mut months = a.drawn_by_month.iter().peekable();
        let mut spent: BTreeMap<LineKind, i64> = BTreeMap::new();
        for (i, d) in dates.iter().enumerate() {
            planned[i] += breakdown(a.model, rate, planned_by_kind(&a.per_year, *d))?
                .eligible
                .to_halere();
            while let Some((m, by_kind)) = months.peek() {
                if m.as_ref().is_some_and(|m| *m > month_ends[i]) {
                    break;
                }
                for (k, v) in *by_kind {
                    *spent.entry(*k).or_default() += v;
                }
                months.next();
            }
            drawn[i] += breakdown(a.model, rate, spent.iter().map(|(k, v)| (*k, *v)))?
                .eligible
                .to_halere();
        }
    }
    dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(PortfolioPoint {
                date: *d,
                planned: money(planned[i])?,
                drawn: if *d <= today {
                    Some(money(drawn[i])?)
                } else {
                    None
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_by_weight_adds_up_to_the_halir() {
        let w: BTreeMap<i32, u64> = [(1, 1), (2, 1), (3, 1)].into_iter().collect();
        // 100 haléřů in three: 33,34 — 34 goes to the first of equal remainders.
        assert_eq!(split_by_weight(100, &w), vec![(1, 34), (2, 33), (3, 33)]);
        let w: BTreeMap<i32, u64> = [(19, 3), (27, 1)].into_iter().collect();
        assert_eq!(
            split_by_weight(1_000_001, &w),
            vec![(19, 750_001), (27, 250_000)]
        );
        let total: i64 = split_by_weight(99_999_999_999_999, &w)
            .iter()
            .map(|(_, v)| v)
            .sum();
        assert_eq!(total, 99_999_999_999_999);
        assert!(split_by_weight(5, &BTreeMap::new()).is_empty());
    }

    #[test]
    fn quarter_ends_cover_the_range_with_today() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let q = quarter_ends(d(2024, 2, 15), d(2024, 12, 31), d(2024, 5, 10));
        assert_eq!(
            q,
            vec![
                d(2024, 3, 31),
                d(2024, 5, 10),
                d(2024, 6, 30),
                d(2024, 9, 30),
                d(2024, 12, 31)
            ]
        );
    }

    #[test]
    fn risk_sort_orders_by_lag_correction_or_flags() {
        let row = |reg: &str, drawn: i64, corr: i64, flags: usize| RiskRow {
            project_id: 1,
            registration_number: reg.into(),
            acronym: None,
            name: String::new(),
            eligible: Money::zero(),
            drawdown_percent: Some(Decimal::from(drawn)),
            elapsed_percent: Decimal::from(80),
            correction: Money::from_halere(corr).unwrap(),
            flags: vec![
                Flag {
                    kind: "x".into(),
                    message: String::new()
                };
                flags
            ],
        };
        let mut rows = vec![row("A", 70, 0, 1), row("B", 10, 5, 2), row("C", 50, 900, 3)];
        RiskSort::Lag.sort(&mut rows);
        assert_eq!(
            rows.iter()
                .map(|r| r.registration_number.as_str())
                .collect::<String>(),
            "BCA"
        );
        RiskSort::Correction.sort(&mut rows);
        assert_eq!(
            rows.iter()
                .map(|r| r.registration_number.as_str())
                .collect::<String>(),
            "CBA"
        );
        RiskSort::Flags.sort(&mut rows);
        assert_eq!(
            rows.iter()
                .map(|r| r.registration_number.as_str())
                .collect::<String>(),
            "CBA"
        );
        RiskSort::Registration.sort(&mut rows);
        assert_eq!(
            rows.iter()
                .map(|r| r.registration_number.as_str())
                .collect::<String>(),
            "ABC"
        );
    }
}
