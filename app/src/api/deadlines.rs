//! Server functions of the deadlines: `/terminy`, the project page's next deadline, the dashboard's
//! count (all computed for the request's today, never kept), and one's own calendar feeds and digest
//! choice on `/ucet`.

use crate::dto::deadlines::{
    AccountDeadlines, DeadlineCounts, DeadlinePage, DeadlineQuery, DeadlineRow,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::{allow, db, today, viewer};

/// `/terminy`: the deadlines of the projects the viewer may read, filtered.
#[server(input = Json)]
pub async fn get_deadlines(query: DeadlineQuery) -> Result<DeadlinePage, AppError> {
    let v = viewer()?;
    let visible = (!v.sees_all()).then(|| v.projects.clone());
    Ok(crate::services::deadlines::page(&db()?, &query, visible.as_deref(), today()).await?)
}

/// Overdue and coming deadlines of the projects the viewer may read (the dashboard's card).
#[server(input = Json)]
pub async fn get_deadline_counts() -> Result<DeadlineCounts, AppError> {
    let v = viewer()?;
    let visible = (!v.sees_all()).then(|| v.projects.clone());
    Ok(crate::services::deadlines::counts_for(&db()?, visible.as_deref(), today()).await?)
}

/// A project's next deadline that is not done.
#[server(input = Json)]
pub async fn get_next_deadline(project_id: i32) -> Result<Option<DeadlineRow>, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::deadlines::next_of_project(&db()?, project_id, today()).await?)
}

/// One's own calendar feeds and digest choice.
#[server(input = Json)]
pub async fn get_account_deadlines() -> Result<AccountDeadlines, AppError> {
    let v = viewer()?;
    Ok(crate::services::deadlines::feeds::account(&db()?, v.id).await?)
}

/// Creates a calendar feed of one's own; returns its address path (`/kalendar/<secret>.ics`), shown once.
#[server(input = Json)]
pub async fn create_calendar_feed() -> Result<String, AppError> {
    let v = viewer()?;
    let secret = crate::services::deadlines::feeds::create(&db()?, v.id).await?;
    Ok(format!("/kalendar/{secret}.ics"))
}

/// Revokes a calendar feed of one's own.
#[server(input = Json)]
pub async fn revoke_calendar_feed(id: i32) -> Result<(), AppError> {
    let v = viewer()?;
    Ok(crate::services::deadlines::feeds::revoke(&db()?, v.id, id).await?)
}

/// Turns one's daily deadline digest by e-mail on or off.
#[server(input = Json)]
pub async fn set_deadline_digest(on: bool) -> Result<(), AppError> {
    let v = viewer()?;
    Ok(crate::services::deadlines::feeds::set_digest(&db()?, v.id, on).await?)
}
