//! The portfolio's indicators: each indicator's targets and achieved values summed over the projects, and
//! the flag and projected financial correction of a project that falls short of a target.

use super::{ids, sum_bigint, Acc, ProjectRaw};
use crate::domain::{fulfilment, DateRange, Money};
use crate::dto::portfolio::IndicatorFigure;
use crate::services::{monitoring, ServiceError};
use chrono::NaiveDate;
use entity::{indicator, indicator_value, project_indicator};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// The indicator figures of the projects `cond` selects; flags and corrections go to each project's `acc`.
pub(super) async fn figures(
    db: &impl ConnectionTrait,
    cond: &Condition,
    rows: &[ProjectRaw],
    acc: &mut BTreeMap<i32, Acc>,
    today: NaiveDate,
) -> Result<Vec<IndicatorFigure>, ServiceError> {
    // Indicators: each project indicator's target, then the cumulative achieved values; names and units
    // from the (small) codebook rather than repeated on every row.
    let pi_ids = || {
        Query::select()
            .column(project_indicator::Column::Id)
            .from(project_indicator::Entity)
            .and_where(Expr::col(project_indicator::Column::ProjectId).in_subquery(ids(cond)))
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
        .filter(project_indicator::Column::ProjectId.in_subquery(ids(cond)))
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
    Ok(indicators)
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
