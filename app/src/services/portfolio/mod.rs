//! The portfolio dashboard: figures over every project a filter selects, computed by a fixed number of
//! grouped queries (never one query per project) and the same rules as the project pages.
//!
//! A project's *eligible budget* is its budget lines summed under its cost model (with the model's
//! flat-rate part), as on its budget page; a project without budget lines yet counts with the total
//! registered for it (Seznam operací). *Drawn* is expenditure summed the same way; *paid* is what paid
//! payment claims brought. The budget *by region* splits each project's budget among the kraje in proportion to its
//! participating municipalities there (largest remainder, so the parts add up to the haléř).

//!
//! Each figure has its own file: `drawdown` (budgets, expenditure and paid claims per project and the
//! drawdown over time), `indicators`, `risks` (eligible and drawn per project, the flags and the risk list)
//! and `regions` (kraje, the regions of the Czech Republic).

mod drawdown;
mod indicators;
mod regions;
mod risks;

pub use regions::split_by_weight;

use super::{budget, projects, ServiceError};
use crate::domain::{CostModel, LineKind, Money, Percentage};
use crate::dto::portfolio::{Dashboard, PortfolioTotals, RiskSort};
use crate::dto::{Flag, ProjectListQuery};
use chrono::NaiveDate;
use entity::{participant, project};
use sea_orm::sea_query::{Alias, Expr, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect,
};
use std::collections::BTreeMap;

/// `SUM(col)` as a BIGINT on both backends (PostgreSQL sums BIGINT as NUMERIC).
fn sum_bigint(col: impl sea_orm::sea_query::IntoColumnRef) -> sea_orm::sea_query::SimpleExpr {
    Func::cast_as(Func::sum(Expr::col(col)), Alias::new("BIGINT")).into()
}

fn money(halere: i64) -> Result<Money, ServiceError> {
    Money::from_halere(halere).map_err(|e| ServiceError::Unexpected(e.to_string()))
}

fn add(a: Money, b: Money) -> Result<Money, ServiceError> {
    a.checked_add(b)
        .map_err(|e| ServiceError::Unexpected(e.to_string()))
}

#[derive(Debug, FromQueryResult)]
struct ProjectRaw {
    id: i32,
    registration_number: String,
    acronym: Option<String>,
    name: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    total_eligible_halere: Option<i64>,
}

/// What the dashboard knows about one project once the grouped queries are in.
#[derive(Debug, Default)]
struct Acc {
    /// Budget (direct costs) per line kind and year.
    per_year: BTreeMap<(LineKind, i32), i64>,
    /// Expenditure (direct costs) per month `YYYY-MM` (`None` for undated expenditure) and line kind.
    drawn_by_month: BTreeMap<Option<String>, BTreeMap<LineKind, i64>>,
    model: CostModel,
    paid: i64,
    participants: u64,
    /// Participating municipalities per kraj code.
    municipalities_by_region: BTreeMap<i32, u64>,
    rate: Option<Percentage>,
    flags: Vec<Flag>,
    correction: Money,
}

/// The ids of the projects `cond` selects, as a subquery.
fn ids(cond: &Condition) -> SelectStatement {
    Query::select()
        .column((project::Entity, project::Column::Id))
        .from(project::Entity)
        .cond_where(cond.clone())
        .to_owned()
}

/// The dashboard for the projects `q`'s filters select among `visible` (all when `None`), as of `today`.
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
    let rows: Vec<ProjectRaw> = project::Entity::find()
        .filter(cond.clone())
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::RegistrationNumber,
            project::Column::Acronym,
            project::Column::Name,
            project::Column::StartDate,
            project::Column::EndDate,
            project::Column::TotalEligibleHalere,
        ])
        .order_by_asc(project::Column::Id)
        .into_model::<ProjectRaw>()
        .all(db)
        .await?;
    let mut acc: BTreeMap<i32, Acc> = rows.iter().map(|p| (p.id, Acc::default())).collect();

    drawdown::load_budgets(db, &cond, &mut acc).await?;
    drawdown::load_claims(db, &cond, &mut acc, today).await?;
    let people: Vec<(i32, i64)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::ProjectId)
        .column_as(
            Expr::expr(Func::cast_as(
                Func::count(Expr::col(participant::Column::Id)),
                Alias::new("BIGINT"),
            )),
            "n",
        )
        .filter(participant::Column::ProjectId.in_subquery(ids(&cond)))
        .group_by(participant::Column::ProjectId)
        .into_tuple()
        .all(db)
        .await?;
    for (p, n) in people {
        if let Some(a) = acc.get_mut(&p) {
            a.participants = u64::try_from(n).unwrap_or(0);
        }
    }
    let (municipalities_by_region, all_municipalities) =
        regions::load_places(db, &cond, &mut acc).await?;
    let indicators = indicators::figures(db, &cond, &rows, &mut acc, today).await?;

    // Per project: eligible, drawn, drawdown flag; then the totals.
    let max_lag = budget::max_lag_points(db).await?;
    let mut totals = PortfolioTotals {
        projects: rows.len() as u64,
        municipalities: all_municipalities.len() as u64,
        ..PortfolioTotals::default()
    };
    let (risks, eligible_of) =
        risks::per_project(&rows, &mut acc, &mut totals, max_lag, risk_sort, today)?;
    totals.reviews_open = risks::reviews_open(db, &cond).await?;

    let (regions, unplaced_budget, unplaced_projects) =
        regions::figures(db, &rows, &acc, &eligible_of, &municipalities_by_region).await?;

    let series = drawdown::series(&rows, &acc, today)?;
    Ok(Dashboard {
        query,
        totals,
        series,
        indicators,
        regions,
        unplaced_budget,
        unplaced_projects,
        risks,
        today,
    })
}
