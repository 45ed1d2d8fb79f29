//! Server functions of the review of reports beyond one period's status: the reviewers' queue and the
//! project team's resubmission of a returned report.

use crate::dto::review::{ResubmitInput, ReviewQueuePage, ReviewQueueQuery};
use crate::dto::EditOutcome;
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::{allow, db, today, viewer};

/// The review queue over the projects the viewer may read: reviewers and admins see every report,
/// a project's team only theirs (to follow the state; only reviewers act on it).
#[server(input = Json)]
pub async fn get_review_queue(query: ReviewQueueQuery) -> Result<ReviewQueuePage, AppError> {
    let v = viewer()?;
    let visible = (!v.sees_all()).then(|| v.projects.clone());
    Ok(crate::services::review::queue::queue(
        &db()?,
        &query,
        visible.as_deref(),
        today(),
        v.can_review(),
    )
    .await?)
}

/// The project's team resubmits a returned report with an answer to the reviewer.
#[server(input = Json)]
pub async fn resubmit_report(
    project_id: i32,
    period_id: i32,
    input: ResubmitInput,
) -> Result<EditOutcome, AppError> {
    let v = viewer()?;
    allow(v.can_answer_review(project_id))?;
    let r = crate::services::review::resubmit(&db()?, &v, project_id, period_id, &input).await;
    Ok(match r {
        Ok(()) => EditOutcome::Saved,
        Err(crate::services::ServiceError::Validation(f)) => EditOutcome::Invalid(f),
        Err(crate::services::ServiceError::Conflict(m)) => EditOutcome::Conflict(m),
        Err(e) => return Err(e.into()),
    })
}
