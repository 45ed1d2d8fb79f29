//! Budgets and money flow: budget lines by chapter and year, the flat rate of indirect costs, the
//! co-financing split, expenditures (refused when they would overdraw their line), drawdown against
//! elapsed time, payment claims (ŽoP) and advances. Sums are done in Rust over integer haléře.

use super::ServiceError;
use crate::domain::{
    format_czech_date, format_percent, parse_czech_date, split_cofinancing, CostBase,
    CostBreakdown, CostModel, DateRange, FieldErrors, FundingShares, LineKind, Money, Percentage,
};
use crate::dto::{
    BudgetLineDto, BudgetLineInput, BudgetView, ChapterTotals, ClaimDto, ClaimsView, DrawdownPoint,
    EditOutcome, ExpenditureInput, FinanceInput, Flag,
};
use chrono::{Datelike, NaiveDate};
use entity::{
    advance, budget_line, expenditure, monitoring_period, payment_claim, project, project_finance,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use std::collections::BTreeMap;
use std::str::FromStr;

pub use crate::dto::{CHAPTERS, OVERDRAW_RULE};

/// How far drawdown may lag behind elapsed time before a project is flagged, in percentage points.
/// An unverified default [U]; stored as setting `drawdown_max_lag_points`.
pub const DEFAULT_MAX_LAG_POINTS: i64 = 25;

fn money(halere: i64) -> Result<Money, ServiceError> {
    Money::from_halere(halere)
        .map_err(|e| ServiceError::Unexpected(format!("stored amount {halere}: {e}")))
}

fn sum(values: impl IntoIterator<Item = i64>) -> Result<Money, ServiceError> {
    let total: i128 = values.into_iter().map(i128::from).sum();
    let total =
        i64::try_from(total).map_err(|_| ServiceError::Unexpected("sum out of range".into()))?;
    money(total)
}

fn pct(text: &str) -> Result<Percentage, ServiceError> {
    Percentage::parse(text)
        .map_err(|e| ServiceError::Unexpected(format!("stored percentage {text}: {e}")))
}

/// The financing parameters of a project (defaults when none were entered: no indirect costs, 100 % EU).
async fn finance_of(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<project_finance::Model, ServiceError> {
    Ok(project_finance::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .unwrap_or(project_finance::Model {
            project_id,
            cost_model: CostModel::default().code().into(),
            indirect_rate: "0".into(),
            eu_share: "100".into(),
            state_share: "0".into(),
            own_share: "0".into(),
            version: 0,
        }))
}

/// The stored cost model of a project's financing.
pub(crate) fn model_of(fin: &project_finance::Model) -> Result<CostModel, ServiceError> {
    CostModel::from_code(&fin.cost_model)
        .map_err(|e| ServiceError::Unexpected(format!("stored cost model: {e}")))
}

/// Sums `amounts` by the kind of the line each belongs to, and applies the project's cost model: the one
/// place where a project's money is summed.
pub(crate) fn breakdown(
    model: CostModel,
    rate: Percentage,
    amounts: impl IntoIterator<Item = (LineKind, i64)>,
) -> Result<CostBreakdown, ServiceError> {
    let bad = |e: crate::domain::DomainError| ServiceError::Unexpected(e.to_string());
    let mut base = CostBase::default();
    for (kind, halere) in amounts {
        base.add(kind, money(halere)?).map_err(bad)?;
    }
    model.eligible(rate, &base).map_err(bad)
}

pub(crate) async fn max_lag_points(db: &impl ConnectionTrait) -> Result<Decimal, ServiceError> {
    Ok(
        entity::setting::Entity::find_by_id("drawdown_max_lag_points".to_string())
            .one(db)
            .await?
            .and_then(|s| Decimal::from_str(s.value.trim()).ok())
            .unwrap_or(Decimal::from(DEFAULT_MAX_LAG_POINTS)),
    )
}

/// Planned cumulative amount at `date`: each year's budget spread evenly over that year.
pub(crate) fn planned_at(per_year: &BTreeMap<i32, i64>, date: NaiveDate) -> i64 {
    let mut total: i128 = 0;
    for (year, amount) in per_year {
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(*year, 1, 1),
            NaiveDate::from_ymd_opt(*year, 12, 31),
        ) else {
            continue;
        };
        if date >= end {
            total += i128::from(*amount);
        } else if date >= start {
            let days = i128::from((date - start).num_days() + 1);
            let len = i128::from((end - start).num_days() + 1);
            total += i128::from(*amount) * days / len;
        }
    }
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// The budget page of a project as of `today`.
///
/// # Errors
/// `NotFound` for an unknown project; database errors.
#[tracing::instrument(skip(db))]
pub async fn view(
    db: &impl ConnectionTrait,
    project_id: i32,
    today: NaiveDate,
) -> Result<BudgetView, ServiceError> {
    let p = project::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let range = DateRange::new(p.start_date, p.end_date)
        .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
    let fin = finance_of(db, project_id).await?;
    let model = model_of(&fin)?;
    let rate = pct(&fin.indirect_rate)?;
    let shares = FundingShares::new(
        pct(&fin.eu_share)?,
        pct(&fin.state_share)?,
        pct(&fin.own_share)?,
    )
    .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
    let call_rules = super::cost_rules::rules_of_project(db, project_id).await?;
    let unit_costs = super::cost_rules::unit_costs_of_project(db, project_id).await?;
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .order_by_asc(budget_line::Column::Code)
        .order_by_asc(budget_line::Column::Year)
        .all(db)
        .await?;
    let expenditures = expenditure::Entity::find()
        .filter(expenditure::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    let kind_of: BTreeMap<i32, LineKind> = lines
        .iter()
        .map(|l| (l.id, LineKind::of(&l.chapter, l.unit_cost_id.is_some())))
        .collect();
    let kind = |line_id: i32| {
        kind_of
            .get(&line_id)
            .copied()
            .unwrap_or(LineKind::OtherDirect)
    };
    let mut drawn_by_line: BTreeMap<i32, i64> = BTreeMap::new();
    let mut units_by_line: BTreeMap<i32, Decimal> = BTreeMap::new();
    for e in &expenditures {
        *drawn_by_line.entry(e.budget_line_id).or_default() += e.amount_halere;
        if let Some(u) = e.units.as_deref().and_then(|u| Decimal::from_str(u).ok()) {
            *units_by_line.entry(e.budget_line_id).or_default() += u;
        }
    }
    let years: Vec<i32> = {
        let mut y: Vec<i32> = (range.start().year()..=range.end().year()).collect();
        y.extend(lines.iter().map(|l| l.year));
        y.sort_unstable();
        y.dedup();
        y
    };
    let mut line_dtos = Vec::with_capacity(lines.len());
    let mut flags = Vec::new();
    let max_lag = max_lag_points(db).await?;
    for l in &lines {
        let drawn = money(drawn_by_line.get(&l.id).copied().unwrap_or(0))?;
        let amount = money(l.amount_halere)?;
        if drawn > amount {
            flags.push(Flag {
                kind: "line_overdrawn".into(),
                message: format!(
                    "Položka {} {} ({}) je přečerpána: rozpočet {}, čerpáno {}.",
                    l.code, l.name, l.year, amount, drawn
                ),
            });
        }
        // The line's year, within the realisation: how much of it has passed.
        let year_range = NaiveDate::from_ymd_opt(l.year, 1, 1)
            .zip(NaiveDate::from_ymd_opt(l.year, 12, 31))
            .and_then(|(a, b)| {
                DateRange::new(
                    std::cmp::max(a, range.start()),
                    std::cmp::min(b, range.end()),
                )
                .ok()
            });
        let elapsed_percent = year_range.map(|r| r.elapsed_share(today) * Decimal::ONE_HUNDRED);
        let drawdown_percent =
            crate::domain::drawdown_share(drawn, amount).map(|d| d * Decimal::ONE_HUNDRED);
        let lagging = match (elapsed_percent, drawdown_percent) {
            (Some(e), Some(d)) => e - d > max_lag,
            _ => false,
        };
        let line_kind = kind(l.id);
        line_dtos.push(BudgetLineDto {
            id: l.id,
            code: l.code.clone(),
            name: l.name.clone(),
            chapter: l.chapter.clone(),
            year: l.year,
            amount,
            drawn,
            version: l.version,
            elapsed_percent,
            drawdown_percent,
            lagging,
            kind: line_kind,
            unit_cost: l
                .unit_cost_id
                .and_then(|id| unit_costs.iter().find(|u| u.id == id).cloned()),
            units: l.units.as_deref().and_then(|u| Decimal::from_str(u).ok()),
            units_drawn: l
                .unit_cost_id
                .map(|_| units_by_line.get(&l.id).copied().unwrap_or_default()),
            not_counted: !model.allows(line_kind),
        });
    }
    let mut chapters = Vec::new();
    for (code, label) in CHAPTERS {
        let in_chapter: Vec<&budget_line::Model> =
            lines.iter().filter(|l| l.chapter == code).collect();
        let per_year = years
            .iter()
            .map(|y| {
                sum(in_chapter
                    .iter()
                    .filter(|l| l.year == *y)
                    .map(|l| l.amount_halere))
            })
            .collect::<Result<Vec<_>, _>>()?;
        chapters.push(ChapterTotals {
            chapter: code.into(),
            label: label.into(),
            per_year,
            total: sum(in_chapter.iter().map(|l| l.amount_halere))?,
            drawn: sum(in_chapter
                .iter()
                .map(|l| drawn_by_line.get(&l.id).copied().unwrap_or(0)))?,
        });
    }
    let direct_total = sum(lines.iter().map(|l| l.amount_halere))?;
    let budgeted = breakdown(
        model,
        rate,
        lines.iter().map(|l| (kind(l.id), l.amount_halere)),
    )?;
    let total_eligible = budgeted.eligible;
    let split = split_cofinancing(total_eligible, &shares);
    let drawn_breakdown = breakdown(
        model,
        rate,
        expenditures
            .iter()
            .map(|e| (kind(e.budget_line_id), e.amount_halere)),
    )?;
    let drawn = drawn_breakdown.eligible;
    let remaining = total_eligible
        .checked_sub(drawn)
        .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
    let hundred = Decimal::ONE_HUNDRED;
    let drawdown_percent = (!total_eligible.is_zero())
        .then(|| drawn.as_decimal() * hundred / total_eligible.as_decimal());
    let elapsed_percent = range.elapsed_share(today) * hundred;
    if !budgeted.not_counted.is_zero() {
        flags.push(Flag {
            kind: "lines_outside_model".into(),
            message: format!(
                "Položky za {} model „{}“ nezapočítává. {}",
                budgeted.not_counted,
                model.label(),
                model.lines_rule()
            ),
        });
    }
    if drawn > total_eligible {
        flags.push(Flag {
            kind: "total_overdrawn".into(),
            message: format!(
                "Celkové čerpání {drawn} převyšuje celkové způsobilé výdaje {total_eligible}."
            ),
        });
    }
    if let Some(d) = drawdown_percent {
        flags.extend(drawdown_lag_flag(
            d,
            elapsed_percent,
            max_lag,
            today >= range.start(),
        ));
    }
    // Drawdown chart: at the end of each monitoring period, and today.
    let periods = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let mut per_year_by_kind: BTreeMap<(LineKind, i32), i64> = BTreeMap::new();
    for l in &lines {
        *per_year_by_kind.entry((kind(l.id), l.year)).or_default() += l.amount_halere;
    }
    let mut dates: Vec<NaiveDate> = std::iter::once(range.start())
        .chain(periods.iter().map(|p| p.end_date))
        .chain(std::iter::once(today.clamp(range.start(), range.end())))
        .chain(std::iter::once(range.end()))
        .collect();
    dates.sort_unstable();
    dates.dedup();
    let mut series = Vec::new();
    for d in dates {
        let planned = breakdown(model, rate, planned_by_kind(&per_year_by_kind, d))?.eligible;
        let drawn_d = if d > today {
            Money::zero()
        } else {
            breakdown(
                model,
                rate,
                expenditures
                    .iter()
                    .filter(|e| e.paid_on.is_none_or(|p| p <= d))
                    .map(|e| (kind(e.budget_line_id), e.amount_halere)),
            )?
            .eligible
        };
        series.push(DrawdownPoint {
            date: d,
            planned,
            drawn: drawn_d,
        });
    }
    Ok(BudgetView {
        years,
        lines: line_dtos,
        chapters,
        cost_model: model,
        budgeted,
        drawn_breakdown,
        direct_total,
        indirect_rate: rate.value(),
        total_eligible,
        call_rules,
        unit_costs,
        has_expenditure: !expenditures.is_empty(),
        eu_share: shares.eu().value(),
        state_share: shares.state().value(),
        own_share: shares.own().value(),
        eu: split.eu,
        state: split.state,
        own: split.own,
        finance_version: fin.version,
        drawn,
        remaining,
        drawdown_percent,
        elapsed_percent,
        series,
        flags,
        amounts_illustrative: p.amounts_illustrative,
        today,
    })
}

/// Planned cumulative amounts at `date` per line kind (each kind's yearly budget spread over its year),
/// never beyond the kind's whole budget.
pub(crate) fn planned_by_kind(
    per_year_by_kind: &BTreeMap<(LineKind, i32), i64>,
    date: NaiveDate,
) -> Vec<(LineKind, i64)> {
    [
        LineKind::Personnel,
        LineKind::OtherDirect,
        LineKind::Simplified,
    ]
    .into_iter()
    .map(|k| {
        let per_year: BTreeMap<i32, i64> = per_year_by_kind
            .iter()
            .filter(|((kind, _), _)| *kind == k)
            .map(|((_, y), a)| (*y, *a))
            .collect();
        let whole: i64 = per_year.values().sum();
        (k, std::cmp::min(planned_at(&per_year, date), whole))
    })
    .collect()
}

/// A checked budget line: code, name, chapter, year, amount and (for a simplified line) its units.
struct ValidLine {
    code: String,
    name: String,
    chapter: String,
    year: i32,
    amount: Money,
    units: Option<Decimal>,
}

/// Checks a budget line form. A line with a unit cost (`unit`) is budgeted as units × rate; any other as
/// an amount.
fn validate_line(
    input: &BudgetLineInput,
    range: &DateRange,
    unit: Option<&crate::dto::UnitCostDto>,
) -> Result<ValidLine, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = input.code.trim().to_string();
    let code_ok = !code.is_empty()
        && code.split('.').all(|part| {
            !part.is_empty() && part.len() <= 3 && part.chars().all(|c| c.is_ascii_digit())
        });
    if !code_ok {
        e.add(
            "code",
            "Kód položky má tvar čísel oddělených tečkou, např. 1.1.1.2.",
        );
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        e.add("name", "Vyplňte název položky.");
    }
    if !CHAPTERS.iter().any(|(c, _)| *c == input.chapter) {
        e.add("chapter", "Vyberte kapitolu rozpočtu.");
    }
    let year = match input.year.trim().parse::<i32>() {
        Ok(y) if (range.start().year()..=range.end().year()).contains(&y) => Some(y),
        _ => {
            e.add(
                "year",
                format!(
                    "Rok musí ležet v době realizace ({}–{}).",
                    range.start().year(),
                    range.end().year()
                ),
            );
            None
        }
    };
    let (amount, units) = if let Some(u) = unit {
        let units = e.check("units", crate::domain::parse_units(&input.units, false));
        let amount = units.and_then(|n| e.check("units", crate::domain::unit_amount(n, u.rate)));
        (amount, units)
    } else {
        let amount = match e.check("amount", Money::parse(&input.amount)) {
            Some(m) if m.is_negative() => {
                e.add("amount", "Rozpočet položky nesmí být záporný.");
                None
            }
            other => other,
        };
        (amount, None)
    };
    match (year, amount) {
        (Some(year), Some(amount)) if e.is_empty() => Ok(ValidLine {
            code,
            name,
            chapter: input.chapter.clone(),
            year,
            amount,
            units,
        }),
        _ => Err(e),
    }
}

/// The unit cost a line form names (`unit_cost_id`), which must be one of the project's call; `None` for
/// a line without one.
async fn unit_cost_of_input(
    txn: &DatabaseTransaction,
    project_id: i32,
    unit_cost_id: &str,
) -> Result<Option<crate::dto::UnitCostDto>, ServiceError> {
    if unit_cost_id.trim().is_empty() {
        return Ok(None);
    }
    let refused = || {
        ServiceError::field(
            "unit_cost_id",
            "Vyberte jednotkový náklad nebo jednorázovou částku výzvy tohoto projektu.",
        )
    };
    let id: i32 = unit_cost_id.trim().parse().map_err(|_| refused())?;
    super::cost_rules::unit_costs_of_project(txn, project_id)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .map(Some)
        .ok_or_else(refused)
}

/// Refuses a line the project's cost model does not take.
async fn check_line_kind(
    txn: &DatabaseTransaction,
    project_id: i32,
    kind: LineKind,
) -> Result<(), ServiceError> {
    let model = model_of(&finance_of(txn, project_id).await?)?;
    if model.allows(kind) {
        Ok(())
    } else {
        let field = if kind == LineKind::Simplified || model == CostModel::Simplified {
            "unit_cost_id"
        } else {
            "chapter"
        };
        Err(ServiceError::field(field, model.lines_rule()))
    }
}

async fn project_range(
    txn: &DatabaseTransaction,
    project_id: i32,
) -> Result<DateRange, ServiceError> {
    let p = project::Entity::find_by_id(project_id)
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    DateRange::new(p.start_date, p.end_date).map_err(|e| ServiceError::Unexpected(e.to_string()))
}

/// A budget line of the project, or `NotFound` (also for another project's line).
async fn project_line(
    txn: &DatabaseTransaction,
    project_id: i32,
    line_id: i32,
) -> Result<budget_line::Model, ServiceError> {
    budget_line::Entity::find_by_id(line_id)
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)
}

fn edit_outcome(r: Result<(), ServiceError>) -> Result<EditOutcome, ServiceError> {
    match r {
        Ok(()) => Ok(EditOutcome::Saved),
        Err(ServiceError::Validation(f)) => Ok(EditOutcome::Invalid(f)),
        Err(ServiceError::Conflict(m)) => Ok(EditOutcome::Conflict(m)),
        Err(e) => Err(e),
    }
}

async fn finish(
    txn: DatabaseTransaction,
    r: Result<(), ServiceError>,
) -> Result<EditOutcome, ServiceError> {
    if r.is_ok() {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    edit_outcome(r)
}

/// Adds a budget line (`line_id` `None`) or changes one that is still at `version`, in one transaction.
///
/// # Errors
/// `NotFound`; database errors. Input problems are `EditOutcome::Invalid`, a concurrent change
/// `EditOutcome::Conflict`.
pub async fn save_line(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    line_id: Option<(i32, i32)>,
    input: &BudgetLineInput,
) -> Result<EditOutcome, ServiceError> {
    let txn = super::db::begin_write(db).await?;
    let r = async {
        let range = project_range(&txn, project_id).await?;
        // A changed line must be this project's before anything else is read about it.
        if let Some((id, _)) = line_id {
            project_line(&txn, project_id, id).await?;
        }
        let unit = unit_cost_of_input(&txn, project_id, &input.unit_cost_id).await?;
        let ValidLine { code, name, chapter, year, amount, units } =
            validate_line(input, &range, unit.as_ref()).map_err(ServiceError::Validation)?;
        check_line_kind(&txn, project_id, LineKind::of(&chapter, unit.is_some())).await?;
        let unit_cost_id = unit.as_ref().map(|u| u.id);
        let units = units.map(|u| u.to_string());
        let dup = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .filter(budget_line::Column::Code.eq(code.as_str()))
            .filter(budget_line::Column::Year.eq(year));
        let dup = match line_id {
            Some((id, _)) => dup.filter(budget_line::Column::Id.ne(id)),
            None => dup,
        };
        if dup.count(&txn).await? > 0 {
            return Err(ServiceError::field("code", format!("Položka {code} pro rok {year} už v rozpočtu je.")));
        }
        match line_id {
            None => {
                let created = budget_line::ActiveModel {
                    project_id: Set(project_id),
                    code: Set(code),
                    name: Set(name),
                    chapter: Set(chapter),
                    year: Set(year),
                    amount_halere: Set(amount.to_halere()),
                    unit_cost_id: Set(unit_cost_id),
                    units: Set(units),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                super::audit::created(&txn, "budget_line", created.id, Some(project_id), &created).await?;
            }
            Some((id, version)) => {
                let drawn = sum(expenditure::Entity::find()
                    .filter(expenditure::Column::ProjectId.eq(project_id))
                    .filter(expenditure::Column::BudgetLineId.eq(id))
                    .all(&txn)
                    .await?
                    .into_iter()
                    .map(|e| e.amount_halere))?;
                if amount < drawn {
                    return Err(ServiceError::field(
                        "amount",
                        format!("Na položce je už vyčerpáno {drawn}; rozpočet nemůže být nižší."),
                    ));
                }
                let before = super::audit::row::<budget_line::Entity>(&txn, id).await?;
                let res = budget_line::Entity::update_many()
                    .col_expr(budget_line::Column::Code, Expr::value(code))
                    .col_expr(budget_line::Column::Name, Expr::value(name))
                    .col_expr(budget_line::Column::Chapter, Expr::value(chapter))
                    .col_expr(budget_line::Column::Year, Expr::value(year))
                    .col_expr(budget_line::Column::AmountHalere, Expr::value(amount.to_halere()))
                    .col_expr(budget_line::Column::UnitCostId, Expr::value(unit_cost_id))
                    .col_expr(budget_line::Column::Units, Expr::value(units))
                    .col_expr(budget_line::Column::Version, Expr::value(version + 1))
                    .filter(budget_line::Column::Id.eq(id))
                    .filter(budget_line::Column::ProjectId.eq(project_id))
                    .filter(budget_line::Column::Version.eq(version))
                    .exec(&txn)
                    .await?;
                if res.rows_affected != 1 {
                    return Err(ServiceError::Conflict(
                        "Položku mezitím změnil někdo jiný. Načtěte stránku znovu a změnu zopakujte.".into(),
                    ));
                }
                let after = super::audit::row::<budget_line::Entity>(&txn, id).await?;
                super::audit::log(&txn, "update", "budget_line", id, Some(project_id), before, after).await?;
            }
        }
        Ok(())
    }
    .await;
    finish(txn, r).await
}

/// Sets the cost model, its flat rate and the co-financing shares (they must add up to 100 %). The call
/// decides which models and rates are allowed; the model can change only while nothing is drawn. An empty
/// rate is the call's default for the model (40 % for model c, none otherwise).
///
/// # Errors
/// `NotFound`; database errors.
pub async fn save_finance(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    version: i32,
    input: &FinanceInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let model = if input.cost_model.trim().is_empty() {
        Some(None)
    } else {
        e.check("cost_model", CostModel::from_code(&input.cost_model))
            .map(Some)
    };
    let rate = if input.indirect_rate.trim().is_empty() {
        Some(None)
    } else {
        e.check("indirect_rate", Percentage::parse(&input.indirect_rate))
            .map(Some)
    };
    let eu = e.check("eu_share", Percentage::parse(&input.eu_share));
    let state = e.check("state_share", Percentage::parse(&input.state_share));
    let own = e.check("own_share", Percentage::parse(&input.own_share));
    let (Some(model), Some(rate), Some(eu), Some(state), Some(own)) = (model, rate, eu, state, own)
    else {
        return Ok(EditOutcome::Invalid(e));
    };
    let shares = match FundingShares::new(eu, state, own) {
        Ok(s) => s,
        Err(err) => {
            e.add("own_share", err.to_string());
            return Ok(EditOutcome::Invalid(e));
        }
    };
    let txn = super::db::begin_write(db).await?;
    let r = async {
        project_range(&txn, project_id).await?;
        let current = finance_of(&txn, project_id).await?;
        let conflict = || {
            ServiceError::Conflict(
                "Parametry financování mezitím změnil někdo jiný. Načtěte stránku znovu.".into(),
            )
        };
        if current.version != version {
            return Err(conflict());
        }
        let current_model = model_of(&current)?;
        let model = model.unwrap_or(current_model);
        let rules = super::cost_rules::rules_of_project(&txn, project_id).await?;
        let rate = rate.unwrap_or_else(|| rules.default_rate(model));
        if model != current_model {
            let drawn = expenditure::Entity::find()
                .filter(expenditure::Column::ProjectId.eq(project_id))
                .count(&txn)
                .await?;
            if drawn > 0 {
                return Err(ServiceError::field(
                    "cost_model",
                    "Model vykazování nákladů lze změnit jen dokud projekt nic nečerpal; projekt už má zaúčtované výdaje.",
                ));
            }
        }
        if let Err(err) = rules.check(model, rate) {
            let field = match err {
                crate::domain::DomainError::CostModelNotAllowed { .. } => "cost_model",
                _ => "indirect_rate",
            };
            return Err(ServiceError::field(field, err.to_string()));
        }
        let before = super::audit::row::<project_finance::Entity>(&txn, project_id).await?;
        if version == 0 {
            project_finance::ActiveModel {
                project_id: Set(project_id),
                cost_model: Set(model.code().into()),
                indirect_rate: Set(rate.value().to_string()),
                eu_share: Set(shares.eu().value().to_string()),
                state_share: Set(shares.state().value().to_string()),
                own_share: Set(shares.own().value().to_string()),
                version: Set(1),
            }
            .insert(&txn)
            .await
            .map_err(|e| match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => conflict(),
                _ => ServiceError::Db(e),
            })?;
        } else {
            let res = project_finance::Entity::update_many()
                .col_expr(project_finance::Column::CostModel, Expr::value(model.code()))
                .col_expr(
                    project_finance::Column::IndirectRate,
                    Expr::value(rate.value().to_string()),
                )
                .col_expr(
                    project_finance::Column::EuShare,
                    Expr::value(shares.eu().value().to_string()),
                )
                .col_expr(
                    project_finance::Column::StateShare,
                    Expr::value(shares.state().value().to_string()),
                )
                .col_expr(
                    project_finance::Column::OwnShare,
                    Expr::value(shares.own().value().to_string()),
                )
                .col_expr(project_finance::Column::Version, Expr::value(version + 1))
                .filter(project_finance::Column::ProjectId.eq(project_id))
                .filter(project_finance::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if res.rows_affected != 1 {
                return Err(conflict());
            }
        }
        let after = super::audit::row::<project_finance::Entity>(&txn, project_id).await?;
        let action = if before.is_some() { "update" } else { "create" };
        super::audit::log(
            &txn,
            action,
            "project_finance",
            project_id,
            Some(project_id),
            before,
            after,
        )
        .await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}

/// The financing of a project created with a cost model: the model and the call's default rate for it
/// (audited). Refused at the form's `cost_model` field when the call does not allow the model.
///
/// # Errors
/// `Validation`; database errors.
pub async fn start_finance(
    txn: &DatabaseTransaction,
    project_id: i32,
    call_code: &str,
    model: CostModel,
) -> Result<(), ServiceError> {
    let rules = super::cost_rules::rules_of_call_code(txn, call_code).await?;
    let rate = rules.default_rate(model);
    rules
        .check(model, rate)
        .map_err(|e| ServiceError::field(crate::forms::field::COST_MODEL, e.to_string()))?;
    let created = project_finance::ActiveModel {
        project_id: Set(project_id),
        cost_model: Set(model.code().into()),
        indirect_rate: Set(rate.value().to_string()),
        eu_share: Set("100".into()),
        state_share: Set("0".into()),
        own_share: Set("0".into()),
        version: Set(1),
    }
    .insert(txn)
    .await?;
    super::audit::created(
        txn,
        "project_finance",
        project_id,
        Some(project_id),
        &created,
    )
    .await?;
    Ok(())
}

/// Records an expenditure on a budget line. One that would overdraw the line is refused (see
/// [`OVERDRAW_RULE`]); a document number may be used once per line.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_expenditure(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    input: &ExpenditureInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let doc = input.document_number.trim().to_string();
    // Units drawn on a simplified line: the amount follows from the line's unit cost (in the transaction).
    let units = if input.units.trim().is_empty() {
        None
    } else {
        e.check(
            "units",
            crate::domain::parse_units(&input.units, !doc.is_empty()),
        )
    };
    let amount = if units.is_some() {
        Some(Money::zero())
    } else if input.units.trim().is_empty() {
        e.check("amount", Money::parse(&input.amount))
    } else {
        None
    };
    let paid_on = if input.paid_on.trim().is_empty() {
        None
    } else {
        e.check("paid_on", parse_czech_date(&input.paid_on))
    };
    if let Some(a) = amount.filter(|_| units.is_none()) {
        if a.is_negative() && doc.is_empty() {
            e.add(
                "amount",
                "Záporná částka (opravný doklad) musí mít číslo dokladu.",
            );
        }
        if a.is_zero() {
            e.add("amount", "Částka výdaje nesmí být nulová.");
        }
    }
    let Some(amount) = amount.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let r = async {
        let range = project_range(&txn, project_id).await?;
        if let Some(d) = paid_on {
            if !range.contains(d) {
                return Err(ServiceError::field(
                    "paid_on",
                    format!("Datum úhrady {} leží mimo dobu realizace ({range}).", format_czech_date(d)),
                ));
            }
        }
        let line = budget_line::Entity::find_by_id(input.budget_line_id)
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::field("budget_line_id", "Vyberte položku rozpočtu tohoto projektu."))?;
        let model = model_of(&finance_of(&txn, project_id).await?)?;
        let kind = LineKind::of(&line.chapter, line.unit_cost_id.is_some());
        if let Err(refusal) = model.check_drawing(kind, units.is_some()) {
            let field = match refusal {
                crate::domain::DrawingRefusal::OutsideModel(_) => "budget_line_id",
                _ => "units",
            };
            return Err(ServiceError::field(field, refusal.message()));
        }
        let amount = match (line.unit_cost_id, units) {
            (Some(uc), Some(n)) => {
                let rate = entity::unit_cost::Entity::find_by_id(uc)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| ServiceError::Unexpected(format!("unit cost {uc} missing")))?
                    .rate_halere;
                crate::domain::unit_amount(n, money(rate)?).map_err(|err| ServiceError::field("units", err.to_string()))?
            }
            _ => amount,
        };
        // Lock the line (PostgreSQL row lock; SQLite holds the write lock already), so two expenditures
        // entered at once cannot both pass the overdraw check.
        budget_line::Entity::update_many()
            .col_expr(budget_line::Column::Version, Expr::col(budget_line::Column::Version).add(1))
            .filter(budget_line::Column::Id.eq(line.id))
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .exec(&txn)
            .await?;
        let on_line = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .filter(expenditure::Column::BudgetLineId.eq(line.id))
            .all(&txn)
            .await?;
        if !doc.is_empty() && on_line.iter().any(|x| x.document_number.as_deref() == Some(doc.as_str())) {
            return Err(ServiceError::field("document_number", format!("Doklad {doc} už je na této položce zaúčtován.")));
        }
        let drawn = sum(on_line.iter().map(|x| x.amount_halere))?;
        let budget = money(line.amount_halere)?;
        if i128::from(drawn.to_halere()) + i128::from(amount.to_halere()) < 0 {
            return Err(ServiceError::field(
                "amount",
                format!("Opravný doklad {amount} by snížil čerpání položky pod nulu (vyčerpáno {drawn})."),
            ));
        }
        if crate::domain::would_overdraw(budget, drawn, amount) {
            let left = budget.checked_sub(drawn).map_err(|err| ServiceError::Unexpected(err.to_string()))?;
            return Err(ServiceError::field(
                "amount",
                format!(
                    "Výdaj {amount} by přečerpal položku {} {} (rozpočet {budget}, vyčerpáno {drawn}, zbývá {left}).",
                    line.code, line.name
                ),
            ));
        }
        let period_id = match paid_on {
            Some(d) => monitoring_period::Entity::find()
                .filter(monitoring_period::Column::ProjectId.eq(project_id))
                .filter(monitoring_period::Column::StartDate.lte(d))
                .filter(monitoring_period::Column::EndDate.gte(d))
                .one(&txn)
                .await?
                .map(|p| p.id),
            None => None,
        };
        let created = expenditure::ActiveModel {
            project_id: Set(project_id),
            budget_line_id: Set(line.id),
            period_id: Set(period_id),
            document_number: Set((!doc.is_empty()).then_some(doc.clone())),
            amount_halere: Set(amount.to_halere()),
            units: Set(units.map(|u| u.to_string())),
            paid_on: Set(paid_on),
            description: Set(input.description.trim().to_string()),
            supplier: Set(String::new()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        super::audit::created(&txn, "expenditure", created.id, Some(project_id), &created).await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}

/// The status of a stored claim (the workflow is [`crate::domain::ClaimStatus`]).
fn claim_status(c: &payment_claim::Model) -> Result<crate::domain::ClaimStatus, ServiceError> {
    crate::domain::ClaimStatus::from_code(&c.status)
        .map_err(|e| ServiceError::Unexpected(format!("claim {}: {e}", c.id)))
}

/// Days after submission after which an unpaid claim is flagged as overdue. Unverified default [U].
pub const CLAIM_OVERDUE_DAYS: i64 = 60;

/// The flag of a project whose drawdown (percent of its budget) lags behind the elapsed share of its time
/// by more than `max_lag` percentage points; none before the project starts. The rule of the budget page
/// and of the portfolio's risk list.
pub(crate) fn drawdown_lag_flag(
    drawdown_percent: Decimal,
    elapsed_percent: Decimal,
    max_lag: Decimal,
    started: bool,
) -> Option<Flag> {
    let lag = elapsed_percent - drawdown_percent;
    (lag > max_lag && started).then(|| Flag {
        kind: "drawdown_lag".into(),
        message: format!(
            "Čerpání {} zaostává za uplynulým časem projektu {} o {} p. b. (povoleno nejvýše {} p. b.).",
            format_percent(drawdown_percent),
            format_percent(elapsed_percent),
            crate::domain::format_decimal(lag.round_dp(1)),
            crate::domain::format_decimal(max_lag.round_dp(1)),
        ),
    })
}

/// The flag of a submitted or approved claim still unpaid [`CLAIM_OVERDUE_DAYS`] after submission.
pub(crate) fn overdue_claim_flag(c: &payment_claim::Model, today: NaiveDate) -> Option<Flag> {
    let submitted = c.submitted_on?;
    let days = (today - submitted).num_days();
    let overdue = c.paid_on.is_none()
        && claim_status(c).is_ok_and(crate::domain::ClaimStatus::awaits_payment)
        && days > CLAIM_OVERDUE_DAYS;
    overdue.then(|| Flag {
        kind: "claim_overdue".into(),
        message: format!(
            "ŽoP č. {} podaná {} není proplacena ani po {days} dnech (lhůta {CLAIM_OVERDUE_DAYS} dní).",
            c.number,
            format_czech_date(submitted),
        ),
    })
}

/// Payment claims and advances of a project.
///
/// # Errors
/// Database errors.
pub async fn claims(
    db: &impl ConnectionTrait,
    project_id: i32,
    today: NaiveDate,
) -> Result<ClaimsView, ServiceError> {
    let period_rows = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let periods: BTreeMap<i32, i32> = period_rows.iter().map(|p| (p.id, p.number)).collect();
    let rows = payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.eq(project_id))
        .order_by_asc(payment_claim::Column::Number)
        .all(db)
        .await?;
    let advances = advance::Entity::find()
        .filter(advance::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    let mut claims = Vec::new();
    for c in &rows {
        let flag = overdue_claim_flag(c, today);
        claims.push(ClaimDto {
            id: c.id,
            number: c.number,
            period_number: c.period_id.and_then(|p| periods.get(&p).copied()),
            claimed: money(c.claimed_halere)?,
            approved: c.approved_halere.map(money).transpose()?,
            submitted_on: c.submitted_on,
            paid_on: c.paid_on,
            status: c.status.clone(),
            status_label: claim_status(c)?.label().into(),
            version: c.version,
            flag,
        });
    }
    Ok(ClaimsView {
        claimed_total: sum(rows.iter().map(|c| c.claimed_halere))?,
        approved_total: sum(rows.iter().filter_map(|c| c.approved_halere))?,
        paid_total: sum(rows
            .iter()
            .filter(|c| c.paid_on.is_some())
            .map(|c| c.approved_halere.unwrap_or(c.claimed_halere)))?,
        advances_total: sum(advances.iter().map(|a| a.amount_halere))?,
        claims,
        periods: period_rows
            .into_iter()
            .map(|p| crate::dto::PeriodDto {
                id: p.id,
                number: p.number,
                start_date: p.start_date,
                end_date: p.end_date,
            })
            .collect(),
    })
}

/// Records a new payment claim (ŽoP), numbered after the last one, as submitted (or a draft without a
/// date). Claims are compared with nothing here: the amount is what the beneficiary claims.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_claim(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    input: &crate::dto::ClaimInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let claimed = match e.check("claimed", Money::parse(&input.claimed)) {
        Some(m) if m.is_negative() || m.is_zero() => {
            e.add("claimed", "Nárokovaná částka musí být kladná.");
            None
        }
        other => other,
    };
    let submitted = if input.submitted_on.trim().is_empty() {
        None
    } else {
        e.check("submitted_on", parse_czech_date(&input.submitted_on))
    };
    let Some(claimed) = claimed.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let r = async {
        project_range(&txn, project_id).await?;
        if let Some(pid) = input.period_id {
            monitoring_period::Entity::find_by_id(pid)
                .filter(monitoring_period::Column::ProjectId.eq(project_id))
                .one(&txn)
                .await?
                .ok_or_else(|| {
                    ServiceError::field("period_id", "Vyberte období tohoto projektu.")
                })?;
        }
        let existing = payment_claim::Entity::find()
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .all(&txn)
            .await?;
        let last = existing.iter().map(|c| c.number).max().unwrap_or(0);
        // Claims may not exceed the total eligible expenditure of the budget (when there is one).
        let total = view(&txn, project_id, chrono::Utc::now().date_naive()).await?.total_eligible;
        let mut counted = Vec::new();
        for c in &existing {
            if claim_status(c)?.counts_as_claimed() {
                counted.push(c.claimed_halere);
            }
        }
        let claimed_before = sum(counted)?;
        let after = claimed_before.checked_add(claimed).map_err(|err| ServiceError::field("claimed", err.to_string()))?;
        if !total.is_zero() && after > total {
            return Err(ServiceError::field(
                "claimed",
                format!(
                    "Žádost by přesáhla celkové způsobilé výdaje {total}: dosud nárokováno {claimed_before}, zbývá {}.",
                    total.checked_sub(claimed_before).unwrap_or_default()
                ),
            ));
        }
        let created = payment_claim::ActiveModel {
            project_id: Set(project_id),
            number: Set(last + 1),
            period_id: Set(input.period_id),
            claimed_halere: Set(claimed.to_halere()),
            approved_halere: Set(None),
            submitted_on: Set(submitted),
            paid_on: Set(None),
            status: Set(if submitted.is_some() {
                crate::domain::ClaimStatus::Submitted
            } else {
                crate::domain::ClaimStatus::Draft
            }
            .code()
            .into()),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        super::audit::created(&txn, "payment_claim", created.id, Some(project_id), &created).await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}

/// Records the managing authority's decision on a claim: approved (with the approved amount, at most the
/// claimed one), paid (on a date), or returned for correction.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn decide_claim(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    claim_id: i32,
    version: i32,
    status: &str,
    approved: &str,
    paid_on: &str,
) -> Result<EditOutcome, ServiceError> {
    use crate::domain::ClaimStatus;
    let mut e = FieldErrors::new();
    let next = ClaimStatus::from_code(status)
        .ok()
        .filter(|s| *s != ClaimStatus::Draft);
    if next.is_none() {
        e.add(
            "status",
            "Vyberte: podána, schválena, proplacena, nebo vrácena k opravě.",
        );
    }
    let approved = if approved.trim().is_empty() {
        None
    } else {
        e.check("approved", Money::parse(approved))
    };
    let date = if paid_on.trim().is_empty() {
        None
    } else {
        e.check("paid_on", parse_czech_date(paid_on))
    };
    if matches!(next, Some(ClaimStatus::Paid | ClaimStatus::Submitted))
        && date.is_none()
        && e.get("paid_on").is_none()
    {
        e.add(
            "paid_on",
            if next == Some(ClaimStatus::Paid) {
                "Zadejte datum proplacení."
            } else {
                "Zadejte datum podání."
            },
        );
    }
    let Some(next) = next.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let r = async {
        let c = payment_claim::Entity::find_by_id(claim_id)
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .one(&txn)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if let Err(err) = claim_status(&c)?.transition(next) {
            return Err(ServiceError::field("status", err.to_string()));
        }
        // Approving without an amount approves the whole claim.
        let approved = match next {
            ClaimStatus::Approved => Some(approved.map_or(c.claimed_halere, Money::to_halere)),
            ClaimStatus::Paid => c.approved_halere.or(Some(c.claimed_halere)),
            _ => None,
        };
        if approved.is_some_and(|a| a > c.claimed_halere || a < 0) {
            return Err(ServiceError::field(
                "approved",
                "Schválená částka nesmí být záporná ani vyšší než nárokovaná.",
            ));
        }
        let paid = (next == ClaimStatus::Paid).then_some(date).flatten();
        let submitted = if next == ClaimStatus::Submitted {
            date
        } else {
            c.submitted_on
        };
        let before = super::audit::row::<payment_claim::Entity>(&txn, claim_id).await?;
        let res = payment_claim::Entity::update_many()
            .col_expr(payment_claim::Column::Status, Expr::value(next.code()))
            .col_expr(payment_claim::Column::ApprovedHalere, Expr::value(approved))
            .col_expr(payment_claim::Column::PaidOn, Expr::value(paid))
            .col_expr(payment_claim::Column::SubmittedOn, Expr::value(submitted))
            .col_expr(payment_claim::Column::Version, Expr::value(version + 1))
            .filter(payment_claim::Column::Id.eq(claim_id))
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .filter(payment_claim::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(ServiceError::Conflict(
                "Žádost mezitím změnil někdo jiný. Načtěte stránku znovu.".into(),
            ));
        }
        let after = super::audit::row::<payment_claim::Entity>(&txn, claim_id).await?;
        super::audit::log(
            &txn,
            "update",
            "payment_claim",
            claim_id,
            Some(project_id),
            before,
            after,
        )
        .await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}

/// Records an advance payment (záloha) received by the beneficiary.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_advance(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    paid_on: &str,
    amount: &str,
    note: &str,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let date = e.check("advance_paid_on", parse_czech_date(paid_on));
    let amount = match e.check("advance_amount", Money::parse(amount)) {
        Some(m) if m.is_negative() || m.is_zero() => {
            e.add("advance_amount", "Záloha musí být kladná.");
            None
        }
        other => other,
    };
    let (Some(date), Some(amount)) = (date, amount) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    project_range(&txn, project_id).await?;
    let created = advance::ActiveModel {
        project_id: Set(project_id),
        paid_on: Set(date),
        amount_halere: Set(amount.to_halere()),
        note: Set(note.trim().to_string()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::audit::created(&txn, "advance", created.id, Some(project_id), &created).await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}
