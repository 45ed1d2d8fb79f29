//! The project team's answer to a returned report: the report is submitted for review again
//! (*znovu předloženo*) with the team's answer as a comment of the thread. The move itself is the
//! domain's rule ([`ReviewStatus::allowed_next_by`] with [`ReviewActor::ProjectTeam`]).

use super::{period_of, status_of, ServiceError};
use crate::domain::roles::Viewer;
use crate::domain::{FieldErrors, ReviewActor, ReviewStatus};
use crate::dto::review::ResubmitInput;
use entity::period_review;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait};

/// The longest answer, in characters.
const MAX_ANSWER: usize = 10_000;

/// Resubmits `period_id`'s returned report with the team's answer, at the review's `version`, in one
/// transaction with its audit entries.
///
/// # Errors
/// `Forbidden` unless `viewer` is the project's team ([`Viewer::can_answer_review`]); `Validation` on
/// `answer` (empty or too long) or on `status` (the report is not returned); `Conflict` when the review
/// changed since `version`; `NotFound`; database errors.
#[tracing::instrument(skip(db, viewer, input), fields(user = viewer.id))]
pub async fn resubmit(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    viewer: &Viewer,
    project_id: i32,
    period_id: i32,
    input: &ResubmitInput,
) -> Result<(), ServiceError> {
    if !viewer.can_answer_review(project_id) {
        return Err(ServiceError::Forbidden);
    }
    let answer = input.answer.trim();
    let mut errors = FieldErrors::new();
    if answer.is_empty() {
        errors.add(
            "answer",
            "Napište odpověď kontrolorovi: co jste ve zprávě opravili nebo doplnili.",
        );
    } else if answer.chars().count() > MAX_ANSWER {
        errors.add("answer", "Odpověď je delší než 10 000 znaků; zkraťte ji.");
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    let txn = db.begin().await?;
    let r = resubmit_in(&txn, viewer, project_id, period_id, answer, input.version).await;
    if r.is_ok() {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    r
}

async fn resubmit_in(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    project_id: i32,
    period_id: i32,
    answer: &str,
    version: i32,
) -> Result<(), ServiceError> {
    period_of(txn, project_id, period_id).await?;
    let review = period_review::Entity::find()
        .filter(period_review::Column::PeriodId.eq(period_id))
        .one(txn)
        .await?;
    if review.as_ref().map_or(0, |r| r.version) != version {
        return Err(ServiceError::Conflict(
            "Stav kontroly mezitím změnil někdo jiný. Načtěte stránku znovu a zkontrolujte komentáře."
                .into(),
        ));
    }
    let current = status_of(review.as_ref().map(|r| r.status.as_str()))?;
    let next = current
        .transition_by(ReviewActor::ProjectTeam, ReviewStatus::Resubmitted)
        .map_err(|e| ServiceError::field("status", e.to_string()))?;
    // A returned report always has its review row (only a reviewer's move creates it).
    let before =
        review.ok_or_else(|| ServiceError::field("status", "Zpráva není vrácena k opravě."))?;
    super::move_review(txn, before, next.code(), None, project_id).await?;
    super::add_comment(
        txn,
        viewer,
        project_id,
        period_id,
        answer,
        Some(next.code()),
    )
    .await
}
