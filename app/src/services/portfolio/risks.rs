//! The portfolio's risk list: each project's eligible budget and drawdown under its cost model, the
//! drawdown-lag flag joined to its other flags, the totals, and the open period reviews.

use super::{add, ids, money, Acc, ProjectRaw};
use crate::domain::{DateRange, Money, Percentage};
use crate::dto::portfolio::{PortfolioTotals, RiskRow, RiskSort};
use crate::services::budget::breakdown;
use crate::services::{budget, ServiceError};
use chrono::NaiveDate;
use entity::{monitoring_period, period_review};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::BTreeMap;

/// Per project: eligible, drawn, drawdown flag, added to `totals`; the projects with a flag, sorted by
/// `risk_sort`, and each project's eligible budget.
pub(super) fn per_project(
    rows: &[ProjectRaw],
    acc: &mut BTreeMap<i32, Acc>,
    totals: &mut PortfolioTotals,
    max_lag: Decimal,
    risk_sort: RiskSort,
    today: NaiveDate,
) -> Result<(Vec<RiskRow>, BTreeMap<i32, Money>), ServiceError> {
    let mut risks = Vec::new();
    let mut eligible_of: BTreeMap<i32, Money> = BTreeMap::new();
    for p in rows {
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
    Ok((risks, eligible_of))
}

/// How many reviews of the selected projects' monitoring periods are still open.
pub(super) async fn reviews_open(
    db: &impl ConnectionTrait,
    cond: &Condition,
) -> Result<u64, ServiceError> {
    Ok(period_review::Entity::find()
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
                        Expr::col(monitoring_period::Column::ProjectId).in_subquery(ids(cond)),
                    )
                    .to_owned(),
            ),
        )
        .count(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dto::Flag;

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
