//! The portfolio's risk list: each project's flags as of a day (overdue claims, indicators behind their
//! targets, drawdown lagging behind time), the totals, and the projects with a flag in the chosen order.

use super::part::ProjectPart;
use super::{add, drawdown, indicators, money, Shared};
use crate::domain::{DateRange, Money};
use crate::dto::portfolio::{PortfolioTotals, RiskRow, RiskSort};
use crate::dto::Flag;
use crate::services::{budget, ServiceError};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

/// What a project's part gives on one day.
#[derive(Debug)]
pub(crate) struct Dated {
    /// The drawdown flag first, then overdue claims, then indicators.
    pub flags: Vec<Flag>,
    /// The largest projected financial correction of its indicators.
    pub correction: Money,
    pub elapsed_percent: Decimal,
    pub drawdown_percent: Option<Decimal>,
    /// Planned and drawn (haléře) cumulated at the day.
    pub at_today: (i64, i64),
}

/// The figures of project `p` as of `today`.
pub(super) fn dated(
    p: &ProjectPart,
    shared: &Shared,
    today: NaiveDate,
) -> Result<Dated, ServiceError> {
    let mut flags: Vec<Flag> = p
        .unpaid_claims
        .iter()
        .filter_map(|c| budget::overdue_claim_flag(c, today, shared.claim_limit))
        .collect();
    let (indicator_flags, correction) = indicators::flags(p, shared, today);
    flags.extend(indicator_flags);
    let range = DateRange::new(p.raw.start_date, p.raw.end_date)
        .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
    let elapsed_percent = range.elapsed_share(today) * Decimal::ONE_HUNDRED;
    let drawdown_percent = (!p.from_lines.is_zero())
        .then(|| p.drawn.as_decimal() * Decimal::ONE_HUNDRED / p.from_lines.as_decimal());
    if let Some(flag) = drawdown_percent.and_then(|d| {
        budget::drawdown_lag_flag(d, elapsed_percent, shared.max_lag, today >= range.start())
    }) {
        flags.insert(0, flag);
    }
    let at_today = match p.curve.at(today) {
        Some(v) => v,
        None => drawdown::value_at(p, today)?,
    };
    Ok(Dated {
        flags,
        correction,
        elapsed_percent,
        drawdown_percent,
        at_today,
    })
}

/// The totals of `parts` (but municipalities) and the projects with a flag, sorted by `risk_sort`.
pub(super) fn per_project(
    parts: &[(Arc<ProjectPart>, Arc<Dated>)],
    risk_sort: RiskSort,
) -> Result<(PortfolioTotals, Vec<RiskRow>), ServiceError> {
    let mut totals = PortfolioTotals {
        projects: parts.len() as u64,
        ..PortfolioTotals::default()
    };
    let mut risks = Vec::new();
    for (p, d) in parts {
        totals.eligible = add(totals.eligible, p.eligible)?;
        totals.drawn = add(totals.drawn, p.drawn)?;
        totals.paid = add(totals.paid, money(p.paid)?)?;
        totals.participants += p.participants;
        totals.reviews_open += p.reviews_open;
        if !d.flags.is_empty() {
            risks.push(RiskRow {
                project_id: p.raw.id,
                registration_number: p.raw.registration_number.clone(),
                acronym: p.raw.acronym.clone(),
                name: p.raw.name.clone(),
                eligible: p.eligible,
                drawdown_percent: d.drawdown_percent,
                elapsed_percent: d.elapsed_percent,
                correction: d.correction,
                flags: d.flags.clone(),
            });
        }
    }
    totals.at_risk = risks.len() as u64;
    risk_sort.sort(&mut risks);
    Ok((totals, risks))
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
