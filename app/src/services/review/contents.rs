//! What a period's report (ZoR) contains, as the review page shows it: each project indicator's value in
//! the period, cumulative up to it, target and fulfilment; the expenditures paid within the period's
//! dates; the payment claims (ŽoP) of the period. One query per table.

use super::ServiceError;
use crate::domain::indicators::fulfilment;
use crate::domain::{ClaimStatus, Money};
use crate::dto::review::{PeriodClaimRow, PeriodContents, PeriodIndicatorRow};
use crate::services::monitoring::from_milli;
use entity::{
    expenditure, indicator, indicator_value, monitoring_period, payment_claim, project_indicator,
};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, BTreeSet};

fn money(halere: i64) -> Result<Money, ServiceError> {
    Money::from_halere(halere).map_err(|e| ServiceError::Unexpected(e.to_string()))
}

/// The contents of `period`'s report (a period of `project_id`, checked by the caller).
///
/// # Errors
/// Database errors; a stored claim status or amount out of range (`Unexpected`).
pub async fn of_period(
    db: &impl ConnectionTrait,
    project_id: i32,
    period: &monitoring_period::Model,
) -> Result<PeriodContents, ServiceError> {
    Ok(PeriodContents {
        indicators: indicators(db, project_id, period).await?,
        claims: claims(db, project_id, period.id).await?,
        ..expenditures(db, project_id, period).await?
    })
}

async fn indicators(
    db: &impl ConnectionTrait,
    project_id: i32,
    period: &monitoring_period::Model,
) -> Result<Vec<PeriodIndicatorRow>, ServiceError> {
    let up_to: BTreeSet<i32> = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .filter(monitoring_period::Column::Number.lte(period.number))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.id)
        .collect();
    let pis = project_indicator::Entity::find()
        .filter(project_indicator::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    let defs: BTreeMap<i32, indicator::Model> = indicator::Entity::find()
        .filter(indicator::Column::Id.is_in(pis.iter().map(|pi| pi.indicator_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let values = indicator_value::Entity::find()
        .filter(indicator_value::Column::ProjectIndicatorId.is_in(pis.iter().map(|pi| pi.id)))
        .filter(indicator_value::Column::PeriodId.is_in(up_to))
        .all(db)
        .await?;
    let mut rows: Vec<PeriodIndicatorRow> = pis
        .iter()
        .filter_map(|pi| {
            let d = defs.get(&pi.indicator_id)?;
            let mine = values.iter().filter(|v| v.project_indicator_id == pi.id);
            let cumulative: Decimal = mine.clone().map(|v| from_milli(v.achieved_milli)).sum();
            let in_period = mine
                .filter(|v| v.period_id == period.id)
                .map(|v| from_milli(v.achieved_milli))
                .next();
            let target = from_milli(pi.target_milli);
            Some(PeriodIndicatorRow {
                code: d.code.clone(),
                name: d.name_cs.clone(),
                unit: d.unit.clone(),
                in_period,
                cumulative,
                target,
                fulfilment: fulfilment(cumulative, target),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(rows)
}

async fn expenditures(
    db: &impl ConnectionTrait,
    project_id: i32,
    period: &monitoring_period::Model,
) -> Result<PeriodContents, ServiceError> {
    let paid = expenditure::Entity::find()
        .filter(expenditure::Column::ProjectId.eq(project_id))
        .filter(expenditure::Column::PaidOn.between(period.start_date, period.end_date))
        .all(db)
        .await?;
    Ok(PeriodContents {
        expenditure_count: paid.len() as u64,
        expenditure_sum: money(paid.iter().map(|e| e.amount_halere).sum())?,
        ..PeriodContents::default()
    })
}

async fn claims(
    db: &impl ConnectionTrait,
    project_id: i32,
    period_id: i32,
) -> Result<Vec<PeriodClaimRow>, ServiceError> {
    payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.eq(project_id))
        .filter(payment_claim::Column::PeriodId.eq(period_id))
        .order_by_asc(payment_claim::Column::Number)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            let status = ClaimStatus::from_code(&c.status)
                .map_err(|e| ServiceError::Unexpected(format!("claim {}: {e}", c.id)))?;
            Ok(PeriodClaimRow {
                id: c.id,
                number: c.number,
                status_label: status.label().into(),
                claimed: money(c.claimed_halere)?,
                submitted_on: c.submitted_on,
            })
        })
        .collect()
}
