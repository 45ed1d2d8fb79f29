//! A project's monitoring periods (*monitorovací období*) and its indicators with baseline and target.

use super::{from_milli, parse_quantity, unit_of};
use crate::domain::{DateRange, FieldErrors};
use crate::dto::{EditOutcome, ProjectIndicatorInput};
use crate::services::ServiceError;
use entity::{indicator, monitoring_period, project, project_indicator};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// Adds a monitoring period after the last one (numbered like the implementation reports), within the
/// project's dates and not overlapping another.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_period(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    start: &str,
    end: &str,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let s = e.check("period_start", crate::domain::parse_czech_date(start));
    let en = e.check("period_end", crate::domain::parse_czech_date(end));
    let range = match (s, en) {
        (Some(s), Some(en)) => e.check("period_end", DateRange::new(s, en)),
        _ => None,
    };
    let Some(range) = range else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = crate::services::db::begin_write(db).await?;
    let p = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let existing = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .all(&txn)
        .await?;
    if range.start() < p.start_date || range.end() > p.end_date {
        e.add("period_end", "Období musí ležet v době realizace projektu.");
    } else if let Some(o) = existing
        .iter()
        .find(|o| o.start_date <= range.end() && range.start() <= o.end_date)
    {
        e.add(
            "period_start",
            format!("Období se překrývá s obdobím ZoR {}.", o.number),
        );
    }
    if !e.is_empty() {
        txn.rollback().await?;
        return Ok(EditOutcome::Invalid(e));
    }
    let created = monitoring_period::ActiveModel {
        project_id: Set(project_id),
        number: Set(existing.iter().map(|o| o.number).max().unwrap_or(0) + 1),
        start_date: Set(range.start()),
        end_date: Set(range.end()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::services::audit::created(
        &txn,
        "monitoring_period",
        created.id,
        Some(project_id),
        &created,
    )
    .await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}

/// Adds an indicator from the codebook to a project, with baseline, target and target date.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_project_indicator(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    input: &ProjectIndicatorInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let baseline = if input.baseline.trim().is_empty() {
        Ok(0)
    } else {
        parse_quantity(&input.baseline)
    };
    let baseline = baseline.map_err(|m| e.add("baseline", m)).ok();
    let target = parse_quantity(&input.target)
        .map_err(|m| e.add("target", m))
        .ok();
    let date = e.check(
        "target_date",
        crate::domain::parse_czech_date(&input.target_date),
    );
    let (Some(baseline), Some(target), Some(date)) = (baseline, target, date) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = crate::services::db::begin_write(db).await?;
    let p = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let def = indicator::Entity::find_by_id(input.indicator_id)
        .one(&txn)
        .await?;
    let taken = project_indicator::Entity::find()
        .filter(project_indicator::Column::ProjectId.eq(project_id))
        .filter(project_indicator::Column::IndicatorId.eq(input.indicator_id))
        .one(&txn)
        .await?
        .is_some();
    match &def {
        None => e.add("indicator_id", "Vyberte indikátor z číselníku."),
        Some(_) if taken => e.add("indicator_id", "Projekt už tento indikátor má."),
        Some(d) => {
            let unit = unit_of(d)?;
            e.check("baseline", unit.validate_value(from_milli(baseline)));
            e.check("target", unit.validate_value(from_milli(target)));
        }
    }
    if target == 0 {
        e.add("target", "Cílová hodnota musí být větší než nula.");
    }
    if date < p.start_date || date > p.end_date {
        e.add(
            "target_date",
            "Cílové datum musí ležet v době realizace projektu.",
        );
    }
    if !e.is_empty() {
        txn.rollback().await?;
        return Ok(EditOutcome::Invalid(e));
    }
    let created = project_indicator::ActiveModel {
        project_id: Set(project_id),
        indicator_id: Set(input.indicator_id),
        baseline_milli: Set(baseline),
        target_milli: Set(target),
        target_date: Set(date),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::services::audit::created(
        &txn,
        "project_indicator",
        created.id,
        Some(project_id),
        &created,
    )
    .await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}
