//! Achieved values typed in per period, and the flag of an indicator that lags behind its target.

use super::{from_milli, parse_quantity, unit_of};
use crate::domain::{CorrectionBands, DateRange, FieldErrors, Money};
use crate::dto::{EditOutcome, Flag};
use crate::services::ServiceError;
use entity::{indicator, indicator_value, monitoring_period, project_indicator};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// Records the value achieved for an indicator in a period (new, or replacing the one at `version`).
///
/// # Errors
/// `NotFound` when the indicator or period is not the project's; database errors.
pub async fn set_achieved(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    project_indicator_id: i32,
    period_id: i32,
    version: Option<i32>,
    value: &str,
) -> Result<EditOutcome, ServiceError> {
    let milli = match parse_quantity(value) {
        Ok(m) => m,
        Err(msg) => {
            let mut e = FieldErrors::new();
            e.add("value", msg);
            return Ok(EditOutcome::Invalid(e));
        }
    };
    let txn = crate::services::db::begin_write(db).await?;
    // Both children must be this project's before anything else is read about them.
    let pi = project_indicator::Entity::find_by_id(project_indicator_id)
        .filter(project_indicator::Column::ProjectId.eq(project_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    monitoring_period::Entity::find_by_id(period_id)
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let def = indicator::Entity::find_by_id(pi.indicator_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if let Err(err) = unit_of(&def)?.validate_value(from_milli(milli)) {
        txn.rollback().await?;
        let mut e = FieldErrors::new();
        e.add("value", err.to_string());
        return Ok(EditOutcome::Invalid(e));
    }
    let existing = indicator_value::Entity::find()
        .filter(indicator_value::Column::ProjectIndicatorId.eq(pi.id))
        .filter(indicator_value::Column::PeriodId.eq(period_id))
        .one(&txn)
        .await?;
    let outcome = match (existing, version) {
        (None, _) => {
            let created = indicator_value::ActiveModel {
                project_indicator_id: Set(pi.id),
                period_id: Set(period_id),
                achieved_milli: Set(milli),
                note: Set(String::new()),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            crate::services::audit::created(
                &txn,
                "indicator_value",
                created.id,
                Some(project_id),
                &created,
            )
            .await?;
            EditOutcome::Saved
        }
        (Some(v), Some(expected)) if v.version == expected => {
            let before = Some(crate::services::audit::snapshot(&v));
            let res = indicator_value::Entity::update_many()
                .col_expr(indicator_value::Column::AchievedMilli, Expr::value(milli))
                .col_expr(indicator_value::Column::Version, Expr::value(expected + 1))
                // A value typed in by hand no longer belongs to the import that brought it, so that
                // import can no longer be reverted over it.
                .col_expr(
                    indicator_value::Column::ImportId,
                    Expr::value(Option::<i32>::None),
                )
                .filter(indicator_value::Column::Id.eq(v.id))
                .filter(indicator_value::Column::Version.eq(expected))
                .exec(&txn)
                .await?;
            let after = crate::services::audit::row::<indicator_value::Entity>(&txn, v.id).await?;
            if res.rows_affected == 1 {
                crate::services::audit::log(
                    &txn,
                    "update",
                    "indicator_value",
                    v.id,
                    Some(project_id),
                    before,
                    after,
                )
                .await?;
            }
            if res.rows_affected == 1 {
                EditOutcome::Saved
            } else {
                EditOutcome::Conflict(
                    "Hodnotu mezitím uložil někdo jiný. Načtěte stránku znovu.".into(),
                )
            }
        }
        (Some(v), _) => EditOutcome::Conflict(format!(
            "Hodnotu mezitím uložil někdo jiný ({}). Načtěte stránku znovu.",
            from_milli(v.achieved_milli)
        )),
    };
    if outcome == EditOutcome::Saved {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(outcome)
}

/// The flag of an indicator whose fulfilment would trigger a financial correction: after the target
/// date by the fulfilment reached; before it by the fulfilment projected at the pace so far
/// (fulfilment ÷ share of the time from project start to target date that has elapsed).
#[must_use]
pub fn indicator_flag(
    code: &str,
    fulfilment_percent: Decimal,
    grant: Money,
    bands: &CorrectionBands,
    start: chrono::NaiveDate,
    target_date: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Option<Flag> {
    use crate::domain::{format_czech_date, format_percent};
    let (expected, projected) = if today >= target_date {
        (fulfilment_percent, None)
    } else {
        let elapsed = DateRange::new(start, target_date)
            .ok()?
            .elapsed_share(today);
        if elapsed.is_zero() {
            return None;
        }
        let p = (fulfilment_percent / elapsed).round_dp(1);
        (p, Some(p))
    };
    let correction = bands.projected_correction(grant, expected);
    if correction.is_zero() {
        return None;
    }
    let rate = format_percent(bands.correction_percent_for(expected));
    let message = match projected {
        None => format!(
            "{code} je k cílovému datu {} splněn na {}: podle pásem korekcí hrozí korekce {correction} ({rate} z {grant}).",
            format_czech_date(target_date),
            format_percent(fulfilment_percent)
        ),
        Some(p) => format!(
            "{code} je zatím splněn na {}; při dosavadním tempu bude k {} splněn na {}, což by znamenalo korekci {correction} ({rate} z {grant}).",
            format_percent(fulfilment_percent),
            format_czech_date(target_date),
            format_percent(p)
        ),
    };
    Some(Flag {
        kind: "indicator_short".into(),
        message,
    })
}
