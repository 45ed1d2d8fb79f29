//! Writing a project: create and update from the form (each one transaction, audited, with its target
//! groups and municipalities), and archive or restore.

use super::beneficiary::upsert_beneficiary;
use super::checks::{check_against_db, duplicate_message};
use super::command::{insert_project, Beneficiary, InsertedProject, NewProject, ProjectChange};
use super::detail::input_of;
use super::periods::reschedule;
use super::status_of;
use crate::domain::roles::Viewer;
use crate::dto::{ProjectInput, SaveOutcome};
use crate::forms::{field, validate_project, ValidProject};
use crate::services::{audit, budget, db, ServiceError};
use chrono::Utc;
use entity::{project, project_municipality, project_target_group};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set, TransactionTrait};

async fn replace_links(
    txn: &DatabaseTransaction,
    id: i32,
    v: &ValidProject,
) -> Result<(), ServiceError> {
    project_target_group::Entity::delete_many()
        .filter(project_target_group::Column::ProjectId.eq(id))
        .exec(txn)
        .await?;
    project_municipality::Entity::delete_many()
        .filter(project_municipality::Column::ProjectId.eq(id))
        .exec(txn)
        .await?;
    if !v.target_groups.is_empty() {
        project_target_group::Entity::insert_many(v.target_groups.iter().map(|c| {
            project_target_group::ActiveModel {
                project_id: Set(id),
                target_group_code: Set(c.clone()),
            }
        }))
        .exec(txn)
        .await?;
    }
    if !v.municipalities.is_empty() {
        project_municipality::Entity::insert_many(v.municipalities.iter().filter_map(|m| {
            Some(project_municipality::ActiveModel {
                import_id: Set(None),
                project_id: Set(id),
                municipality_code: Set(i32::try_from(m.value()).ok()?),
            })
        }))
        .exec(txn)
        .await?;
    }
    Ok(())
}

fn outcome(result: Result<i32, ServiceError>) -> Result<SaveOutcome, ServiceError> {
    match result {
        Ok(id) => Ok(SaveOutcome::Saved { id }),
        Err(ServiceError::Validation(f)) => Ok(SaveOutcome::Invalid(f)),
        Err(e) => Err(e),
    }
}

/// Creates a project from the form on behalf of the command line or seed data (see [`create_as`]).
///
/// # Errors
/// As [`create_as`].
pub async fn create(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    create_as(db, None, input).await
}

/// Creates a project from the form, in one transaction. `by` is the signed-in user (`None`: the command
/// line or seed data); it decides whether a different name for a known IČO renames the organisation.
///
/// # Errors
/// Database errors; every problem with the input is an `Ok(SaveOutcome::Invalid)`.
#[tracing::instrument(skip(db, by, input), fields(registration_number = %input.registration_number))]
pub async fn create_as(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    by: Option<&Viewer>,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    let v = match validate_project(input) {
        Ok(v) => v,
        Err(f) => return Ok(SaveOutcome::Invalid(f)),
    };
    let txn = db::begin_write(db).await?;
    let result = async {
        let programme_id = check_against_db(&txn, &v, None).await?;
        let beneficiary_id = upsert_beneficiary(&txn, &v, by, None).await?;
        let rn = &v.registration_number;
        let new = NewProject {
            registration_number: rn,
            name: &v.name,
            acronym: v.acronym.as_deref(),
            beneficiary: Beneficiary {
                id: beneficiary_id,
                name: &v.beneficiary_name,
                ico: v.beneficiary_ico.as_str(),
            },
            programme_id,
            status: v.status,
            dates: v.dates,
            description: &v.description,
            total_eligible: v.total_eligible,
            intervention_code: v.intervention_code.as_ref(),
            import_id: None,
        };
        // The project gets its monitoring periods by its programme's rule; they follow from its dates, so
        // the project's audit entry stands for them.
        let InsertedProject {
            project: inserted, ..
        } = insert_project(&txn, &new, Utc::now()).await.map_err(|e| {
            ServiceError::unique_to_field(
                e,
                field::REGISTRATION_NUMBER,
                duplicate_message(rn.as_str()),
            )
        })?;
        replace_links(&txn, inserted.id, &v).await?;
        if let Some(model) = v.cost_model {
            budget::start_finance(&txn, inserted.id, &rn.call_id(), model).await?;
        }
        let after = audit::row::<project::Entity>(&txn, inserted.id).await?;
        audit::log(
            &txn,
            "create",
            "project",
            inserted.id,
            Some(inserted.id),
            None,
            after,
        )
        .await?;
        Ok(inserted.id)
    }
    .await;
    finish(txn, result).await
}

/// Commits on success, rolls back otherwise, and turns field errors into `SaveOutcome::Invalid`.
async fn finish(
    txn: DatabaseTransaction,
    result: Result<i32, ServiceError>,
) -> Result<SaveOutcome, ServiceError> {
    if result.is_ok() {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    outcome(result)
}

/// Updates a project from the form on behalf of the command line or seed data (see [`update_as`]).
///
/// # Errors
/// As [`update_as`].
pub async fn update(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    id: i32,
    expected_version: i32,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    update_as(db, None, id, expected_version, input).await
}

/// Updates a project from the form if nobody saved it since `expected_version`, in one transaction.
/// `by` is the signed-in user (`None`: the command line or seed data); it decides whether a different
/// name for a known IČO renames the organisation.
///
/// # Errors
/// `NotFound`, `Conflict` for an archived project, database errors. Input problems are
/// `Ok(SaveOutcome::Invalid)`, a concurrent change is `Ok(SaveOutcome::Conflict)`.
#[tracing::instrument(skip(db, by, input))]
pub async fn update_as(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    by: Option<&Viewer>,
    id: i32,
    expected_version: i32,
    input: &ProjectInput,
) -> Result<SaveOutcome, ServiceError> {
    let v = match validate_project(input) {
        Ok(v) => v,
        Err(f) => return Ok(SaveOutcome::Invalid(f)),
    };
    let txn = db::begin_write(db).await?;
    let stored = project::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if stored.archived_at.is_some() {
        txn.rollback().await?;
        return Err(ServiceError::Conflict(
            "Archivovaný projekt nelze upravovat; nejdřív jej obnovte.".into(),
        ));
    }
    if stored.version != expected_version {
        let (stored_input, stored_version) = input_of(&txn, id).await?;
        txn.rollback().await?;
        return Ok(SaveOutcome::Conflict {
            stored: stored_input,
            stored_version,
        });
    }
    // The project's links (target groups, municipalities) before the change, for the audit trail.
    let (links_before, _) = input_of(&txn, id).await?;
    let result = async {
        let old_status = status_of(&stored.status)?;
        if let Err(e) = old_status.transition(v.status) {
            return Err(ServiceError::field(field::STATUS, e.to_string()));
        }
        let programme_id = check_against_db(&txn, &v, Some(id)).await?;
        let beneficiary_id = upsert_beneficiary(&txn, &v, by, Some(id)).await?;
        let rn = &v.registration_number;
        if (v.dates.start(), v.dates.end()) != (stored.start_date, stored.end_date) {
            reschedule_periods(&txn, id, programme_id, &stored, v.dates).await?;
        }
        // The form sets every field, and detaches the row from the import that last wrote it.
        let change = ProjectChange {
            registration_number: Some((rn.clone(), programme_id)),
            name: Some(v.name.clone()),
            acronym: Some(v.acronym.clone()),
            beneficiary_id: Some(beneficiary_id),
            status: Some(v.status),
            dates: Some(v.dates),
            description: Some(v.description.clone()),
            total_eligible: Some(v.total_eligible),
            intervention_code: Some(v.intervention_code.clone()),
            import_id: Some(None),
        };
        let beneficiary = Beneficiary {
            id: beneficiary_id,
            name: &v.beneficiary_name,
            ico: v.beneficiary_ico.as_str(),
        };
        let res = project::Entity::update_many()
            .set(change.row(&stored, beneficiary, Utc::now()))
            .filter(project::Column::Id.eq(id))
            .filter(project::Column::Version.eq(expected_version))
            .exec(&txn)
            .await
            .map_err(|e| {
                ServiceError::unique_to_field(
                    e,
                    field::REGISTRATION_NUMBER,
                    duplicate_message(rn.as_str()),
                )
            })?;
        if res.rows_affected != 1 {
            // Someone saved between our version check and the update: say so; the next save shows both.
            return Err(ServiceError::Conflict(
                "Projekt právě uložil někdo jiný. Uložte znovu: zobrazí se porovnání obou verzí."
                    .into(),
            ));
        }
        replace_links(&txn, id, &v).await?;
        let (links_after, _) = input_of(&txn, id).await?;
        let mut before = audit::snapshot(&stored);
        let mut after = audit::row::<project::Entity>(&txn, id)
            .await?
            .unwrap_or_default();
        for (snap, links) in [(&mut before, &links_before), (&mut after, &links_after)] {
            let mut groups = links.target_groups.clone();
            groups.sort();
            let mut places: Vec<String> = links
                .municipalities
                .iter()
                .map(|m| format!("{} {}", m.code, m.name))
                .collect();
            places.sort();
            snap.insert("target_groups".into(), serde_json::json!(groups.join(", ")));
            snap.insert(
                "municipalities".into(),
                serde_json::json!(places.join(", ")),
            );
        }
        audit::log(
            &txn,
            "update",
            "project",
            id,
            Some(id),
            Some(before),
            Some(after),
        )
        .await?;
        Ok(id)
    }
    .await;
    finish(txn, result).await
}

/// Lays the project's monitoring periods out again for its new dates (audited); refused at the date that
/// changed when a period holding data would move.
async fn reschedule_periods(
    txn: &DatabaseTransaction,
    id: i32,
    programme_id: i32,
    stored: &project::Model,
    dates: crate::domain::DateRange,
) -> Result<(), ServiceError> {
    let done = match reschedule(txn, id, programme_id, dates, None).await? {
        Ok(done) => done,
        Err(refused) => {
            let at = if dates.start() == stored.start_date {
                field::END_DATE
            } else {
                field::START_DATE
            };
            return Err(ServiceError::field(at, refused.message()));
        }
    };
    for p in &done.added {
        audit::created(txn, "monitoring_period", p.id, Some(id), p).await?;
    }
    for (before, after) in &done.moved {
        audit::changed(
            txn,
            "update",
            "monitoring_period",
            before.id,
            Some(id),
            Some(before),
            Some(after),
        )
        .await?;
    }
    for p in &done.removed {
        audit::changed(
            txn,
            "delete",
            "monitoring_period",
            p.id,
            Some(id),
            Some(p),
            None,
        )
        .await?;
    }
    Ok(())
}

/// Archives (`archive = true`) or restores a project, if nobody changed it since `expected_version`.
/// Projects are never deleted: their data stay for the audit.
///
/// # Errors
/// `NotFound`; `Conflict` when the project changed meanwhile.
#[tracing::instrument(skip(db))]
pub async fn set_archived(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    id: i32,
    expected_version: i32,
    archive: bool,
) -> Result<(), ServiceError> {
    let txn = db::begin_write(db).await?;
    let before = project::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let now = Utc::now();
    let res = project::Entity::update_many()
        .col_expr(
            project::Column::ArchivedAt,
            Expr::value(archive.then_some(now)),
        )
        .col_expr(project::Column::Version, Expr::value(expected_version + 1))
        .col_expr(project::Column::UpdatedAt, Expr::value(now))
        .filter(project::Column::Id.eq(id))
        .filter(project::Column::Version.eq(expected_version))
        .exec(&txn)
        .await?;
    if res.rows_affected != 1 {
        txn.rollback().await?;
        return Err(ServiceError::Conflict(
            "Projekt mezitím změnil někdo jiný. Načtěte stránku znovu a akci zopakujte.".into(),
        ));
    }
    let after = audit::row::<project::Entity>(&txn, id).await?;
    let action = if archive { "archive" } else { "restore" };
    audit::log(
        &txn,
        action,
        "project",
        id,
        Some(id),
        Some(audit::snapshot(&before)),
        after,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
