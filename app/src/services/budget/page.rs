//! The budget page of a project: its lines with drawdown against the elapsed part of their year, totals by
//! chapter, the cost model's eligible sum and co-financing split, the drawdown chart (planned against drawn
//! at each monitoring period's end) and the flags (overdrawn line or total, drawdown lagging behind time).

use super::{
    breakdown, finance_of, max_lag_points, model_of, money, pct, planned_by_kind, sum, CHAPTERS,
};
use crate::domain::{format_percent, split_cofinancing, DateRange, FundingShares, LineKind, Money};
use crate::dto::{BudgetLineDto, BudgetView, ChapterTotals, DrawdownPoint, Flag};
use crate::services::{cost_rules, ServiceError};
use chrono::{Datelike, NaiveDate};
use entity::{budget_line, expenditure, monitoring_period, project};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;
use std::str::FromStr;

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
    let call_rules = cost_rules::rules_of_project(db, project_id).await?;
    let unit_costs = cost_rules::unit_costs_of_project(db, project_id).await?;
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
        registered_total: p.total_eligible_halere.map(money).transpose()?,
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
        claimed: claimed_total(db, project_id).await?,
        today,
    })
}

/// What the project has claimed in payment claims submitted, approved or paid (drafts and returned claims
/// are not claimed yet).
async fn claimed_total(db: &impl ConnectionTrait, project_id: i32) -> Result<Money, ServiceError> {
    let claims = entity::payment_claim::Entity::find()
        .filter(entity::payment_claim::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    sum(claims.iter().filter_map(|c| {
        crate::domain::ClaimStatus::from_code(&c.status)
            .is_ok_and(|s| s.awaits_payment() || s == crate::domain::ClaimStatus::Paid)
            .then_some(c.claimed_halere)
    }))
}

/// The project's total eligible expenditure: its budget lines summed by its cost model.
pub(crate) async fn total_eligible(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Money, ServiceError> {
    let fin = finance_of(db, project_id).await?;
    let lines = budget_line::Entity::find()
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    Ok(breakdown(
        model_of(&fin)?,
        pct(&fin.indirect_rate)?,
        lines.iter().map(|l| {
            (
                LineKind::of(&l.chapter, l.unit_cost_id.is_some()),
                l.amount_halere,
            )
        }),
    )?
    .eligible)
}

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
