//! The portfolio dashboard: figures over every project a filter selects, computed by a fixed number of
//! grouped queries (never one query per project) and the same rules as the project pages.
//!
//! A project's *eligible budget* is its budget lines summed under its cost model (with the model's
//! flat-rate part), as on its budget page; a project without budget lines yet counts with the total
//! registered for it (Seznam operací). *Drawn* is expenditure summed the same way; *paid* is what paid
//! payment claims brought. The budget *by region* splits each project's budget among the kraje in proportion to its
//! participating municipalities there (largest remainder, so the parts add up to the haléř).
//!
//! # How the figures are computed, and kept
//! The dashboard is built from one *part* per project (`part`, read by `load`): what the grouped queries return about
//! it, independent of the day. Its day-dependent figures (flags, correction, drawdown today) are derived
//! from the part and kept with it for the day (`risks::Dated`); the portfolio's figures are sums over
//! the selected parts (`drawdown`, `indicators`, `regions`, `risks`).
//!
//! [`dashboard`] reads every selected project's part afresh. [`DashboardCache`] (one per server
//! process, in the application state) keeps the parts and the last few dashboards, and learns of
//! changes through the database, so that several server processes on one database stay right:
//! triggers (migration `m20261205_000001_dashboard_revisions`) raise a project's
//! `project_revision.revision` with every committed write to a table the dashboard reads about it, and
//! `dashboard_revision` with every write to the codebooks and settings it reads.
//! - Nothing changed since the last view of the same filters, visible projects, order and day (the
//!   sum of all project revisions and the shared revision are the same): the kept dashboard, after one
//!   small query.
//! - Otherwise: one query for the selected ids with their revisions, the grouped queries only for the
//!   projects whose revision differs from their kept part's (by id when there are few of them, by the
//!   filter otherwise), and the sums over all parts in memory. A change of the codebooks or settings
//!   drops every part.
//!
//! Revisions are read before the rows they label, so a kept part is never older than its revision:
//! a change that commits during a view is seen by the next view.
//!
//! Each figure has its own file: `part` (one project's part) and `load` (its grouped queries), `drawdown`
//! (planned and drawn over time), `indicators`, `risks` (flags per day, totals and the risk list),
//! `regions` (kraje, the regions of the Czech Republic) and `cache`.

mod cache;
mod drawdown;
mod indicators;
mod load;
mod part;
mod regions;
mod risks;

pub use cache::{CacheStats, DashboardCache};
pub use regions::split_by_weight;

use super::{budget, monitoring, projects, ServiceError};
use crate::domain::{CorrectionBands, Money};
use crate::dto::portfolio::{Dashboard, RiskSort};
use crate::dto::ProjectListQuery;
use chrono::NaiveDate;
use entity::{indicator, project, region};
use part::ProjectPart;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Alias, Expr, Func, Query, SelectStatement};
use sea_orm::{Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryOrder};
use std::collections::HashMap;
use std::sync::Arc;

/// `SUM(col)` as a BIGINT on both backends (PostgreSQL sums BIGINT as NUMERIC).
fn sum_bigint(col: impl sea_orm::sea_query::IntoColumnRef) -> Expr {
    Func::cast_as(Func::sum(Expr::col(col)), Alias::new("BIGINT")).into()
}

fn money(halere: i64) -> Result<Money, ServiceError> {
    Money::from_halere(halere).map_err(|e| ServiceError::Unexpected(e.to_string()))
}

fn add(a: Money, b: Money) -> Result<Money, ServiceError> {
    a.checked_add(b)
        .map_err(|e| ServiceError::Unexpected(e.to_string()))
}

#[derive(Debug, Clone, FromQueryResult)]
struct ProjectRaw {
    id: i32,
    registration_number: String,
    acronym: Option<String>,
    name: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    total_eligible_halere: Option<i64>,
}

/// The ids of the projects `cond` selects, as a subquery.
fn ids(cond: &Condition) -> SelectStatement {
    Query::select()
        .column((project::Entity, project::Column::Id))
        .from(project::Entity)
        .cond_where(cond.clone())
        .to_owned()
}

/// What the dashboard reads for all projects: settings and codebooks.
#[derive(Debug)]
struct Shared {
    max_lag: Decimal,
    claim_limit: i64,
    bands: CorrectionBands,
    indicators: HashMap<i32, indicator::Model>,
    /// In NUTS 3 order.
    regions: Vec<region::Model>,
}

impl Shared {
    async fn load(db: &impl ConnectionTrait) -> Result<Self, ServiceError> {
        Ok(Self {
            max_lag: budget::max_lag_points(db).await?,
            claim_limit: budget::claim_overdue_days(db).await?,
            bands: monitoring::correction_bands(db).await?,
            indicators: indicator::Entity::find()
                .all(db)
                .await?
                .into_iter()
                .map(|d| (d.id, d))
                .collect(),
            regions: region::Entity::find()
                .order_by_asc(region::Column::Nuts3)
                .all(db)
                .await?,
        })
    }
}

/// The dashboard for the projects `q`'s filters select among `visible` (all when `None`), as of `today`,
/// computed afresh (see [`DashboardCache::dashboard`] for the kept one).
///
/// # Errors
/// Database errors; stored data out of range (`Unexpected`).
#[tracing::instrument(skip(db))]
pub async fn dashboard(
    db: &impl ConnectionTrait,
    q: &ProjectListQuery,
    visible: Option<&[i32]>,
    risk_sort: RiskSort,
    today: NaiveDate,
) -> Result<Dashboard, ServiceError> {
    let query = q.filters_only();
    let cond = projects::filter_condition(&query, visible);
    let parts: Vec<Arc<ProjectPart>> = load::parts(db, load::Scope::Selected(&cond))
        .await?
        .into_values()
        .map(Arc::new)
        .collect();
    let shared = Shared::load(db).await?;
    assemble(query, &parts, &shared, risk_sort, today)
}

/// The dashboard of `parts` (in id order).
fn assemble(
    query: ProjectListQuery,
    parts: &[Arc<ProjectPart>],
    shared: &Shared,
    risk_sort: RiskSort,
    today: NaiveDate,
) -> Result<Dashboard, ServiceError> {
    let parts = parts
        .iter()
        .map(|p| Ok((Arc::clone(p), p.dated(shared, today)?)))
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let (mut totals, risks) = risks::per_project(&parts, risk_sort)?;
    let by_region = regions::figures(&parts, shared)?;
    totals.municipalities = by_region.municipalities;
    Ok(Dashboard {
        query,
        totals,
        series: drawdown::series(&parts, today)?,
        indicators: indicators::figures(&parts, shared),
        regions: by_region.regions,
        unplaced_budget: by_region.unplaced_budget,
        unplaced_projects: by_region.unplaced_projects,
        risks,
        today,
    })
}
