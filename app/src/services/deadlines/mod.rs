//! Deadlines (*termíny*) of the projects a user may read (`/terminy`, the project page, the dashboard's
//! count, the calendar feed and the e-mail digest): computed on every call from the data and the rules
//! in the settings, for the `today` passed in, so nothing here is ever kept between requests. One query
//! per table; the rules are in [`crate::domain::deadlines`].

pub mod digest;
pub mod feeds;
pub mod ics;

use super::ServiceError;
use crate::domain::deadlines::{
    payment_deadline, period_deadlines, project_deadlines, ClaimFacts, Deadline, PeriodFacts,
};
use crate::domain::{ClaimStatus, DeadlineKind, DeadlineRules, DeadlineState, ProjectStatus};
use crate::dto::deadlines::{DeadlineCounts, DeadlinePage, DeadlineQuery, DeadlineRow};
use chrono::NaiveDate;
use entity::{monitoring_period, payment_claim, period_review, project};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// What a deadline is called on its own: „ZoR 2“, „ŽoP k ZoR 2“, „Proplacení ŽoP č. 3“.
fn title(d: &Deadline) -> String {
    let period = d.period.map(|(_, n)| n).unwrap_or_default();
    let claim = d.claim.map(|(_, n)| n).unwrap_or_default();
    match d.kind {
        DeadlineKind::Report => format!("ZoR {period}"),
        DeadlineKind::Claim if d.claim.is_some() => format!("ŽoP č. {claim} k ZoR {period}"),
        DeadlineKind::Claim => format!("ŽoP k ZoR {period}"),
        DeadlineKind::Review => format!("Kontrola ZoR {period}"),
        DeadlineKind::ProjectEnd => "Konec projektu".into(),
        DeadlineKind::FinalReport => "Závěrečná zpráva o realizaci".into(),
        DeadlineKind::Payment => format!("Proplacení ŽoP č. {claim}"),
    }
}

/// Where to act on a deadline.
fn href(project_id: i32, d: &Deadline) -> String {
    let base = format!("/projekty/{project_id}");
    match (d.kind, d.period, d.claim) {
        (DeadlineKind::Claim | DeadlineKind::Payment, _, Some((id, _))) => {
            format!("{base}/zadosti/{id}")
        }
        (DeadlineKind::Claim, _, None) => format!("{base}/zadosti"),
        (DeadlineKind::ProjectEnd, _, _) => base,
        (_, Some((id, _)), _) => format!("{base}/obdobi/{id}"),
        _ => base,
    }
}

fn uid(project_id: i32, d: &Deadline) -> String {
    let part = match d.kind {
        DeadlineKind::Payment => d.claim.map(|(id, _)| id),
        DeadlineKind::ProjectEnd | DeadlineKind::FinalReport => None,
        _ => d.period.map(|(id, _)| id),
    };
    format!(
        "{}-{project_id}-{}@evidence-esf",
        d.kind.code(),
        part.unwrap_or_default()
    )
}

/// Every deadline of the readable, not archived projects (`visible`: their ids; `None`: every
/// project), sorted by date, with its state on `today`.
///
/// # Errors
/// Database errors; a stored status the domain does not know (`Unexpected`).
#[tracing::instrument(skip(db, visible))]
pub async fn all(
    db: &impl ConnectionTrait,
    visible: Option<&[i32]>,
    today: NaiveDate,
) -> Result<(Vec<DeadlineRow>, DeadlineRules), ServiceError> {
    let rules = super::settings::deadline_rules(db).await?;
    let mut projects = project::Entity::find().filter(project::Column::ArchivedAt.is_null());
    if let Some(ids) = visible {
        projects = projects.filter(project::Column::Id.is_in(ids.iter().copied()));
    }
    let projects = projects
        .order_by_asc(project::Column::RegistrationNumber)
        .all(db)
        .await?;
    let ids: Vec<i32> = projects.iter().map(|p| p.id).collect();
    let periods = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.is_in(ids.clone()))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let claims = payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.is_in(ids))
        .order_by_asc(payment_claim::Column::Number)
        .all(db)
        .await?;
    let reviews: BTreeMap<i32, period_review::Model> = period_review::Entity::find()
        .filter(period_review::Column::PeriodId.is_in(periods.iter().map(|p| p.id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.period_id, r))
        .collect();
    let mut claim_facts: BTreeMap<i32, Vec<ClaimFacts>> = BTreeMap::new();
    let mut submitted_of_period: BTreeMap<i32, (i32, i32, NaiveDate)> = BTreeMap::new();
    for c in &claims {
        let status = ClaimStatus::from_code(&c.status)
            .map_err(|e| ServiceError::Unexpected(e.to_string()))?;
        if let (Some(period), Some(on)) = (c.period_id, c.submitted_on) {
            if !matches!(status, ClaimStatus::Draft | ClaimStatus::Returned) {
                submitted_of_period
                    .entry(period)
                    .or_insert((c.id, c.number, on));
            }
        }
        claim_facts
            .entry(c.project_id)
            .or_default()
            .push(ClaimFacts {
                claim_id: c.id,
                number: c.number,
                status,
                submitted_on: c.submitted_on,
                paid_on: c.paid_on,
            });
    }
    let mut period_facts: BTreeMap<i32, Vec<PeriodFacts>> = BTreeMap::new();
    for p in &periods {
        let review = match reviews.get(&p.id) {
            Some(r) => Some((
                super::review::status_of(Some(&r.status))?,
                r.updated_at.date_naive(),
            )),
            None => None,
        };
        period_facts
            .entry(p.project_id)
            .or_default()
            .push(PeriodFacts {
                period_id: p.id,
                number: p.number,
                end: p.end_date,
                submitted_claim: submitted_of_period.get(&p.id).copied(),
                review,
            });
    }
    let mut rows = Vec::new();
    for p in &projects {
        let status = ProjectStatus::from_code(&p.status).ok();
        let ps = period_facts.remove(&p.id).unwrap_or_default();
        let mut ds: Vec<Deadline> = ps
            .iter()
            .flat_map(|f| period_deadlines(f, &rules))
            .collect();
        ds.extend(
            claim_facts
                .remove(&p.id)
                .unwrap_or_default()
                .iter()
                .filter_map(|c| payment_deadline(c, &rules)),
        );
        ds.extend(project_deadlines(
            p.end_date,
            status == Some(ProjectStatus::Ukonceny),
            status == Some(ProjectStatus::Uzavreny),
            ps.last(),
            &rules,
        ));
        rows.extend(ds.into_iter().map(|d| DeadlineRow {
            project_id: p.id,
            acronym: p.acronym.clone(),
            registration_number: p.registration_number.clone(),
            project_name: p.name.clone(),
            kind: d.kind,
            title: title(&d),
            due: d.due,
            state: rules.state(d.due, d.done, today),
            href: href(p.id, &d),
            uid: uid(p.id, &d),
        }));
    }
    rows.sort_by(|a, b| {
        (a.due, &a.registration_number, a.kind).cmp(&(b.due, &b.registration_number, b.kind))
    });
    Ok((rows, rules))
}

fn counts(rows: &[DeadlineRow]) -> DeadlineCounts {
    let n = |s: DeadlineState| rows.iter().filter(|r| r.state == s).count() as u64;
    DeadlineCounts {
        overdue: n(DeadlineState::Overdue),
        soon: n(DeadlineState::Soon),
    }
}

/// `/terminy`: the deadlines of `query` over the readable projects, on `today`.
///
/// # Errors
/// As [`all`].
pub async fn page(
    db: &impl ConnectionTrait,
    query: &DeadlineQuery,
    visible: Option<&[i32]>,
    today: NaiveDate,
) -> Result<DeadlinePage, ServiceError> {
    let (rows, rules) = all(db, visible, today).await?;
    let mut projects: Vec<(i32, String)> = Vec::new();
    for r in &rows {
        if !projects.iter().any(|(id, _)| *id == r.project_id) {
            projects.push((r.project_id, r.project_label()));
        }
    }
    projects.sort_by(|a, b| a.1.cmp(&b.1));
    let counts = counts(&rows);
    let rows = rows
        .into_iter()
        .filter(|r| query.project_id.is_none_or(|p| p == r.project_id))
        .filter(|r| query.kind.is_none_or(|k| k == r.kind))
        .filter(|r| query.keeps(r.state))
        .collect();
    Ok(DeadlinePage {
        query: query.clone(),
        rows,
        counts,
        projects,
        today,
        horizon_days: rules.horizon_days,
    })
}

/// How many deadlines of the readable projects are overdue and coming, on `today` (the dashboard).
///
/// # Errors
/// As [`all`].
pub async fn counts_for(
    db: &impl ConnectionTrait,
    visible: Option<&[i32]>,
    today: NaiveDate,
) -> Result<DeadlineCounts, ServiceError> {
    Ok(counts(&all(db, visible, today).await?.0))
}

/// A project's next deadline that is not done (the earliest; an overdue one first), on `today`.
///
/// # Errors
/// As [`all`].
pub async fn next_of_project(
    db: &impl ConnectionTrait,
    project_id: i32,
    today: NaiveDate,
) -> Result<Option<DeadlineRow>, ServiceError> {
    Ok(all(db, Some(&[project_id]), today)
        .await?
        .0
        .into_iter()
        .find(|r| r.state != DeadlineState::Done))
}
