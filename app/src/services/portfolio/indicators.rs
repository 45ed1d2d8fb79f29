//! The portfolio's indicators: each indicator's targets and achieved values summed over the projects, and
//! the flag and projected financial correction of a project that falls short of a target.

use super::part::ProjectPart;
use super::Shared;
use crate::domain::{fulfilment, DateRange, Money};
use crate::dto::portfolio::IndicatorFigure;
use crate::dto::Flag;
use crate::services::monitoring;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The flags of project `p`'s indicators behind their targets as of `today`, and its projected correction.
pub(super) fn flags(p: &ProjectPart, shared: &Shared, today: NaiveDate) -> (Vec<Flag>, Money) {
    let mut flags = Vec::new();
    let mut correction = Money::zero();
    let grant = p
        .raw
        .total_eligible_halere
        .map(Money::from_halere)
        .transpose()
        .ok()
        .flatten();
    let Some(grant) = grant else {
        return (flags, correction);
    };
    for ind in &p.indicators {
        let Some(def) = shared.indicators.get(&ind.indicator_id) else {
            continue;
        };
        // At or above the target there is nothing to correct.
        let Some(f) = fulfilment(ind.done, ind.target).filter(|f| *f < Decimal::ONE_HUNDRED) else {
            continue;
        };
        let start = p.raw.start_date;
        if let Some(flag) = monitoring::indicator_flag(
            &def.code,
            f,
            grant,
            &shared.bands,
            start,
            ind.target_date,
            today,
        ) {
            // Corrections for several indicators are not added up (that could exceed the grant): the
            // project's projected correction is the largest one [U: the OPZ+ rule is unverified].
            let c = shared
                .bands
                .projected_correction(grant, projected(f, start, ind.target_date, today));
            correction = std::cmp::max(correction, c);
            flags.push(flag);
        }
    }
    (flags, correction)
}

/// Each indicator's figure over `parts`, by code.
pub(super) fn figures<T>(parts: &[(Arc<ProjectPart>, T)], shared: &Shared) -> Vec<IndicatorFigure> {
    let mut by_indicator: BTreeMap<i32, (u64, Decimal, Decimal)> = BTreeMap::new();
    for (p, _) in parts {
        for ind in &p.indicators {
            let fig = by_indicator.entry(ind.indicator_id).or_default();
            fig.0 += 1;
            fig.1 += ind.target;
            fig.2 += ind.done;
        }
    }
    let mut by_code: BTreeMap<String, IndicatorFigure> = BTreeMap::new();
    for (indicator_id, (projects, target, achieved)) in by_indicator {
        let Some(def) = shared.indicators.get(&indicator_id) else {
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
                fulfilment: fulfilment(achieved, target),
            },
        );
    }
    by_code.into_values().collect()
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
