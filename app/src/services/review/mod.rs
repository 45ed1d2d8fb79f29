//! The ministry's review of a monitoring period: a reviewer opens it (v kontrole), returns the report for
//! correction (vráceno k opravě) with a comment, and accepts it (schváleno); the project's team reads the
//! comments and answers, and resubmits a returned report ([`resubmit`]). Every step is one transaction
//! with its audit entry. The reviewers' queue is [`queue`]; what a report contains, [`contents`].

pub mod contents;
pub mod queue;
mod resubmit;
pub use resubmit::resubmit;

use super::{audit, ServiceError};
use crate::domain::roles::Viewer;
use crate::domain::{ReviewActor, ReviewStatus};
use crate::dto::portfolio::{PeriodReviewSummary, PeriodReviewView, ReviewCommentDto, ReviewInput};
use chrono::Utc;
use entity::{monitoring_period, period_review, project, review_comment};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use std::collections::BTreeMap;

/// The review status of a period from its stored review's status (`None`: no review yet); the workflow
/// is [`ReviewStatus`].
pub(crate) fn status_of(code: Option<&str>) -> Result<ReviewStatus, ServiceError> {
    ReviewStatus::from_stored(code)
        .map_err(|e| ServiceError::Unexpected(format!("stored review status: {e}")))
}

/// The name a comment is signed with: the user's name, or their e-mail when they have none.
fn author_name(viewer: &Viewer) -> String {
    if viewer.name.is_empty() {
        viewer.email.clone()
    } else {
        viewer.name.clone()
    }
}

async fn period_of(
    db: &impl ConnectionTrait,
    project_id: i32,
    period_id: i32,
) -> Result<(project::Model, monitoring_period::Model), ServiceError> {
    let period = monitoring_period::Entity::find_by_id(period_id)
        .one(db)
        .await?
        .filter(|p| p.project_id == project_id)
        .ok_or(ServiceError::NotFound)?;
    let p = project::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    Ok((p, period))
}

/// The review page of a period for `viewer` (who may read the project; checked by the caller).
///
/// # Errors
/// `NotFound` when the period is not the project's; database errors.
pub async fn view(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    project_id: i32,
    period_id: i32,
) -> Result<PeriodReviewView, ServiceError> {
    let (p, period) = period_of(db, project_id, period_id).await?;
    let review = period_review::Entity::find()
        .filter(period_review::Column::PeriodId.eq(period_id))
        .one(db)
        .await?;
    let comments = review_comment::Entity::find()
        .filter(review_comment::Column::PeriodId.eq(period_id))
        .order_by_asc(review_comment::Column::At)
        .order_by_asc(review_comment::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| {
            Ok(ReviewCommentDto {
                status_label: c
                    .status_set
                    .as_deref()
                    .map(|s| status_of(Some(s)).map(|s| s.label().to_string()))
                    .transpose()?,
                author: c.author_name,
                at: c.at,
                body: c.body,
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let status = review.as_ref().map(|r| r.status.clone());
    let current = status_of(status.as_deref())?;
    let next = if viewer.can_review() {
        current
            .allowed_next()
            .iter()
            .map(|s| (s.code().to_string(), s.label().to_string()))
            .collect()
    } else {
        Vec::new()
    };
    Ok(PeriodReviewView {
        project_id,
        registration_number: p.registration_number,
        project_name: p.name,
        period_id,
        period_number: period.number,
        start_date: period.start_date,
        end_date: period.end_date,
        status_label: current.label().into(),
        status,
        version: review.as_ref().map_or(0, |r| r.version),
        comments,
        next_statuses: next,
        can_comment: viewer.can_review() || viewer.can_edit_project(project_id),
        can_resubmit: viewer.can_answer_review(project_id)
            && current.can_transition_by(ReviewActor::ProjectTeam, ReviewStatus::Resubmitted),
        contents: contents::of_period(db, project_id, &period).await?,
    })
}

/// The review status of each of a project's periods.
///
/// # Errors
/// Database errors.
pub async fn summaries(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<PeriodReviewSummary>, ServiceError> {
    let periods = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let ids: Vec<i32> = periods.iter().map(|p| p.id).collect();
    let reviews: BTreeMap<i32, String> = period_review::Entity::find()
        .filter(period_review::Column::PeriodId.is_in(ids.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.period_id, r.status))
        .collect();
    let mut counts: BTreeMap<i32, u64> = BTreeMap::new();
    for c in review_comment::Entity::find()
        .filter(review_comment::Column::PeriodId.is_in(ids))
        .all(db)
        .await?
    {
        *counts.entry(c.period_id).or_default() += 1;
    }
    periods
        .into_iter()
        .map(|p| {
            let status = reviews.get(&p.id).cloned();
            Ok(PeriodReviewSummary {
                period_id: p.id,
                number: p.number,
                start_date: p.start_date,
                end_date: p.end_date,
                status_label: status_of(status.as_deref())?.label().into(),
                status,
                comments: counts.get(&p.id).copied().unwrap_or(0),
            })
        })
        .collect()
}

/// Adds a comment and/or sets a new status on a period's review, in one transaction with its audit
/// entries. Reviewers may set a status and comment; whoever may edit the project may answer with a
/// comment. Returning a report needs a comment saying what to correct.
///
/// # Errors
/// `Validation` with field errors (`comment`, `status`); `Conflict` when someone else changed the
/// review meanwhile; `NotFound`; database errors. The caller checks that the viewer may read the project.
pub async fn submit(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    viewer: &Viewer,
    project_id: i32,
    period_id: i32,
    input: &ReviewInput,
) -> Result<(), ServiceError> {
    let comment = input.comment.trim().to_string();
    let status = input.status.trim().to_string();
    let mut errors = crate::domain::FieldErrors::new();
    if comment.chars().count() > 10_000 {
        errors.add("comment", "Komentář je delší než 10 000 znaků; zkraťte ho.");
    }
    if status.is_empty() && comment.is_empty() {
        errors.add(
            "comment",
            "Napište komentář, nebo zvolte nový stav kontroly.",
        );
    }
    if status == ReviewStatus::Returned.code() && comment.is_empty() {
        errors.add(
            "comment",
            "Při vrácení k opravě napište, co má příjemce opravit.",
        );
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    let txn = db.begin().await?;
    let r = submit_in(
        &txn,
        viewer,
        project_id,
        period_id,
        &comment,
        &status,
        input.version,
    )
    .await;
    if r.is_ok() {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    r
}

async fn submit_in(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    project_id: i32,
    period_id: i32,
    comment: &str,
    status: &str,
    version: i32,
) -> Result<(), ServiceError> {
    let (_, period) = period_of(txn, project_id, period_id).await?;
    let review = period_review::Entity::find()
        .filter(period_review::Column::PeriodId.eq(period_id))
        .one(txn)
        .await?;
    let now = Utc::now();
    if !status.is_empty() {
        let current = status_of(review.as_ref().map(|r| r.status.as_str()))?;
        let moved = ReviewStatus::from_code(status).and_then(|next| current.transition(next));
        if let Err(e) = moved {
            return Err(ServiceError::field("status", e.to_string()));
        }
        if review.as_ref().map_or(0, |r| r.version) != version {
            return Err(ServiceError::Conflict(
                "Stav kontroly mezitím změnil někdo jiný. Načtěte stránku znovu a zkontrolujte komentáře."
                    .into(),
            ));
        }
        match review {
            None => {
                let created = period_review::ActiveModel {
                    period_id: Set(period_id),
                    status: Set(status.to_string()),
                    reviewer_id: Set(Some(viewer.id)),
                    updated_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                audit::created(txn, "period_review", created.id, Some(project_id), &created)
                    .await?;
            }
            Some(before) => {
                move_review(txn, before, status, Some(viewer.id), project_id).await?;
            }
        }
    }
    if !comment.is_empty() {
        let status_set = (!status.is_empty()).then_some(status);
        add_comment(txn, viewer, project_id, period.id, comment, status_set).await?;
    }
    Ok(())
}

/// Moves an existing review to `status` (by `reviewer` when a reviewer moves it), at a new version, in
/// the audit trail.
pub(super) async fn move_review(
    txn: &DatabaseTransaction,
    before: period_review::Model,
    status: &str,
    reviewer: Option<i32>,
    project_id: i32,
) -> Result<(), ServiceError> {
    let mut am: period_review::ActiveModel = before.clone().into();
    am.status = Set(status.to_string());
    if let Some(id) = reviewer {
        am.reviewer_id = Set(Some(id));
    }
    am.updated_at = Set(Utc::now());
    am.version = Set(before.version + 1);
    let after = am.update(txn).await?;
    audit::changed(
        txn,
        "update",
        "period_review",
        after.id,
        Some(project_id),
        Some(&before),
        Some(&after),
    )
    .await?;
    Ok(())
}

/// Adds a comment to a period's review thread (with the status it set, if any), in the audit trail.
pub(super) async fn add_comment(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    project_id: i32,
    period_id: i32,
    body: &str,
    status_set: Option<&str>,
) -> Result<(), ServiceError> {
    let c = review_comment::ActiveModel {
        period_id: Set(period_id),
        author_id: Set(Some(viewer.id)),
        author_name: Set(author_name(viewer)),
        at: Set(Utc::now()),
        body: Set(body.to_string()),
        status_set: Set(status_set.map(str::to_string)),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::created(txn, "review_comment", c.id, Some(project_id), &c).await?;
    Ok(())
}
