//! The reviewers' queue (`/kontroly`): reports whose review waits, oldest first by when they came into
//! their status, with how many days they have waited on the app's "today". One query per table; the
//! page is cut on the server.

use super::{status_of, ServiceError};
use crate::domain::{fold_for_search, ReviewStatus};
use crate::dto::review::{
    days_waiting, ReviewQueuePage, ReviewQueueQuery, ReviewQueueRow, ALL_OPEN,
    REVIEW_QUEUE_PER_PAGE,
};
use chrono::NaiveDate;
use entity::{monitoring_period, period_review, programme, project};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// The codes of the statuses that `keep`.
fn codes(keep: fn(ReviewStatus) -> bool) -> Vec<&'static str> {
    ReviewStatus::all()
        .iter()
        .filter(|s| keep(**s))
        .map(|s| s.code())
        .collect()
}

/// One page of the queue over the projects in `visible` (`None`: every project), for `today`.
/// Without a status filter it lists the reports waiting for a reviewer (under review or resubmitted);
/// [`ALL_OPEN`] adds those returned to their teams.
///
/// # Errors
/// Database errors; a stored status the domain does not know (`Unexpected`).
#[tracing::instrument(skip(db, visible))]
pub async fn queue(
    db: &impl ConnectionTrait,
    query: &ReviewQueueQuery,
    visible: Option<&[i32]>,
    today: NaiveDate,
    may_review: bool,
) -> Result<ReviewQueuePage, ServiceError> {
    let statuses: Vec<&str> = match query.status.as_deref() {
        Some(ALL_OPEN) => codes(ReviewStatus::is_open),
        Some(code) => vec![code],
        None => codes(ReviewStatus::awaits_reviewer),
    };
    let reviews = period_review::Entity::find()
        .filter(period_review::Column::Status.is_in(statuses))
        .order_by_asc(period_review::Column::UpdatedAt)
        .order_by_asc(period_review::Column::Id)
        .all(db)
        .await?;
    let periods: BTreeMap<i32, monitoring_period::Model> = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::Id.is_in(reviews.iter().map(|r| r.period_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    // Archived projects are out of the portfolio (as on the dashboard whose card links here).
    let mut projects = project::Entity::find()
        .filter(project::Column::Id.is_in(periods.values().map(|p| p.project_id)))
        .filter(project::Column::ArchivedAt.is_null());
    if let Some(ids) = visible {
        projects = projects.filter(project::Column::Id.is_in(ids.iter().copied()));
    }
    if let Some(p) = query.programme_id {
        projects = projects.filter(project::Column::ProgrammeId.eq(p));
    }
    let text = fold_for_search(query.text.trim());
    if !text.is_empty() {
        projects = projects.filter(project::Column::SearchFolded.contains(text.as_str()));
    }
    let projects: BTreeMap<i32, project::Model> = projects
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let matching: Vec<(
        &period_review::Model,
        &monitoring_period::Model,
        &project::Model,
    )> = reviews
        .iter()
        .filter_map(|r| {
            let period = periods.get(&r.period_id)?;
            Some((r, period, projects.get(&period.project_id)?))
        })
        .collect();
    let per_page = REVIEW_QUEUE_PER_PAGE;
    let total = matching.len() as u64;
    let pages = u32::try_from(total.div_ceil(u64::from(per_page)).max(1)).unwrap_or(u32::MAX);
    let page = query.page.clamp(1, pages);
    let skip = usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX);
    let rows = matching
        .into_iter()
        .skip(skip)
        .take(per_page as usize)
        .map(|(r, period, p)| {
            let since = r.updated_at.date_naive();
            Ok(ReviewQueueRow {
                project_id: p.id,
                acronym: p.acronym.clone(),
                project_name: p.name.clone(),
                registration_number: p.registration_number.clone(),
                period_id: period.id,
                period_number: period.number,
                start_date: period.start_date,
                end_date: period.end_date,
                status: r.status.clone(),
                status_label: status_of(Some(&r.status))?.label().into(),
                since,
                days_waiting: days_waiting(since, today),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let programmes = programme::Entity::find()
        .order_by_asc(programme::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.short_name))
        .collect();
    Ok(ReviewQueuePage {
        query: ReviewQueueQuery {
            page,
            ..query.clone()
        },
        rows,
        total,
        page,
        per_page,
        programmes,
        may_review,
    })
}
