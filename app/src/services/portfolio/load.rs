//! The projects' parts, read by a fixed number of grouped queries for a whole scope of projects at once
//! (never one query per project): their rows, financing, budget lines by kind and year, expenditure by
//! month and kind, claims, participants, places, indicators and open reviews.

use super::part::{IndicatorPart, ProjectPart};
use super::{ids, sum_bigint, ProjectRaw};
use crate::domain::{LineKind, Percentage};
use crate::services::{budget, monitoring, ServiceError};
use chrono::NaiveDate;
use entity::{
    budget_line, district, expenditure, monitoring_period, municipality, participant,
    payment_claim, period_review, project, project_finance, project_indicator,
    project_municipality,
};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{BTreeMap, HashMap};

/// Which projects to read.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scope<'a> {
    /// Those a filter condition on `project` selects.
    Selected(&'a Condition),
    /// These ids (a few hundred at most: they are bound as parameters).
    Ids(&'a [i32]),
}

impl Scope<'_> {
    /// `col IN (<the scope's project ids>)`.
    fn has(self, col: impl sea_orm::sea_query::IntoColumnRef) -> Expr {
        match self {
            Scope::Selected(cond) => Expr::col(col).in_subquery(ids(cond)),
            Scope::Ids(list) => Expr::col(col).is_in(list.iter().copied()),
        }
    }
}

/// `YYYY-MM` as `YYYYMM`.
fn month_key(s: &str) -> Option<i32> {
    let (y, m) = s.split_once('-')?;
    let (y, m): (i32, i32) = (y.parse().ok()?, m.get(..2)?.parse().ok()?);
    Some(y * 100 + m)
}

/// The parts of the projects in `scope`, by id.
pub(super) async fn parts(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
) -> Result<BTreeMap<i32, ProjectPart>, ServiceError> {
    let rows: Vec<ProjectRaw> = project::Entity::find()
        .filter(scope.has((project::Entity, project::Column::Id)))
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
    let mut acc: BTreeMap<i32, ProjectPart> = rows
        .into_iter()
        .map(|r| (r.id, ProjectPart::new(r)))
        .collect();
    money(db, scope, &mut acc).await?;
    claims_and_people(db, scope, &mut acc).await?;
    places(db, scope, &mut acc).await?;
    indicators(db, scope, &mut acc).await?;
    for part in acc.values_mut() {
        part.finish()?;
    }
    Ok(acc)
}

/// Financing, budget lines and expenditure.
async fn money(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
    acc: &mut BTreeMap<i32, ProjectPart>,
) -> Result<(), ServiceError> {
    for f in project_finance::Entity::find()
        .filter(scope.has(project_finance::Column::ProjectId))
        .all(db)
        .await?
    {
        if let Some(a) = acc.get_mut(&f.project_id) {
            a.rate = Percentage::parse(&f.indirect_rate).unwrap_or_else(|_| Percentage::zero());
            a.model = budget::model_of(&f)?;
        }
    }
    // Every line (the kind of a line decides how its project's cost model counts it).
    let lines: Vec<(i32, i32, i32, String, Option<i32>, i64)> = budget_line::Entity::find()
        .select_only()
        .column(budget_line::Column::Id)
        .column(budget_line::Column::ProjectId)
        .column(budget_line::Column::Year)
        .column(budget_line::Column::Chapter)
        .column(budget_line::Column::UnitCostId)
        .column(budget_line::Column::AmountHalere)
        .filter(scope.has(budget_line::Column::ProjectId))
        .into_tuple()
        .all(db)
        .await?;
    let mut line_kind: HashMap<i32, (i32, LineKind)> = HashMap::with_capacity(lines.len());
    for (id, p, year, chapter, unit_cost, amount) in lines {
        let kind = LineKind::of(&chapter, unit_cost.is_some());
        line_kind.insert(id, (p, kind));
        if let Some(a) = acc.get_mut(&p) {
            *a.per_year.entry((kind, year)).or_default() += amount;
        }
    }
    // The month of an expenditure, portable: dates are ISO text on SQLite and cast to ISO text on
    // PostgreSQL.
    let month = Func::cust(Alias::new("SUBSTR"))
        .arg(Func::cast_as(
            Expr::col((expenditure::Entity, expenditure::Column::PaidOn)),
            Alias::new("TEXT"),
        ))
        .arg(1)
        .arg(7);
    let spent: Vec<(i32, Option<String>, i64)> = expenditure::Entity::find()
        .select_only()
        .column(expenditure::Column::BudgetLineId)
        .column_as(Expr::expr(month), "month")
        .column_as(sum_bigint(expenditure::Column::AmountHalere), "amount")
        .filter(scope.has(expenditure::Column::ProjectId))
        .group_by(expenditure::Column::BudgetLineId)
        // By the output column: the expression itself would bind its arguments twice, which PostgreSQL
        // does not recognise as the same expression.
        .group_by(Expr::col(Alias::new("month")))
        .into_tuple()
        .all(db)
        .await?;
    for (line, m, amount) in spent {
        let Some((p, kind)) = line_kind.get(&line) else {
            continue;
        };
        if let Some(a) = acc.get_mut(p) {
            a.spent
                .push((m.as_deref().and_then(month_key), *kind, amount));
        }
    }
    Ok(())
}

/// Payment claims, participants and open reviews.
async fn claims_and_people(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
    acc: &mut BTreeMap<i32, ProjectPart>,
) -> Result<(), ServiceError> {
    for c in payment_claim::Entity::find()
        .filter(scope.has(payment_claim::Column::ProjectId))
        .order_by_asc(payment_claim::Column::Id)
        .all(db)
        .await?
    {
        let Some(a) = acc.get_mut(&c.project_id) else {
            continue;
        };
        if c.paid_on.is_some() {
            a.paid += c.approved_halere.unwrap_or(c.claimed_halere);
        } else if c.submitted_on.is_some() {
            a.unpaid_claims.push(c);
        }
    }
    let count = |e: Expr| -> Expr { Func::cast_as(Func::count(e), Alias::new("BIGINT")).into() };
    let people: Vec<(i32, i64)> = participant::Entity::find()
        .select_only()
        .column(participant::Column::ProjectId)
        .column_as(count(Expr::col(participant::Column::Id)), "n")
        .filter(scope.has(participant::Column::ProjectId))
        .group_by(participant::Column::ProjectId)
        .into_tuple()
        .all(db)
        .await?;
    for (p, n) in people {
        if let Some(a) = acc.get_mut(&p) {
            a.participants = u64::try_from(n).unwrap_or(0);
        }
    }
    let open: Vec<&str> = crate::domain::ReviewStatus::all()
        .iter()
        .filter(|s| s.is_open())
        .map(|s| s.code())
        .collect();
    let reviews_q = Query::select()
        .column((
            monitoring_period::Entity,
            monitoring_period::Column::ProjectId,
        ))
        .expr_as(
            count(Expr::col((
                period_review::Entity,
                period_review::Column::Id,
            ))),
            Alias::new("n"),
        )
        .from(period_review::Entity)
        .inner_join(
            monitoring_period::Entity,
            Expr::col((monitoring_period::Entity, monitoring_period::Column::Id))
                .equals((period_review::Entity, period_review::Column::PeriodId)),
        )
        .and_where(Expr::col((period_review::Entity, period_review::Column::Status)).is_in(open))
        .and_where(scope.has((
            monitoring_period::Entity,
            monitoring_period::Column::ProjectId,
        )))
        .group_by_col((
            monitoring_period::Entity,
            monitoring_period::Column::ProjectId,
        ))
        .to_owned();
    for row in db.query_all(&reviews_q).await? {
        let (p, n): (i32, i64) = (row.try_get_by_index(0)?, row.try_get_by_index(1)?);
        if let Some(a) = acc.get_mut(&p) {
            a.reviews_open = u64::try_from(n).unwrap_or(0);
        }
    }
    Ok(())
}

/// Participating municipalities with their kraj.
async fn places(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
    acc: &mut BTreeMap<i32, ProjectPart>,
) -> Result<(), ServiceError> {
    let pm = |c| (project_municipality::Entity, c);
    let places_q = Query::select()
        .column(pm(project_municipality::Column::ProjectId))
        .column(pm(project_municipality::Column::MunicipalityCode))
        .column((district::Entity, district::Column::RegionCode))
        .from(project_municipality::Entity)
        .inner_join(
            municipality::Entity,
            Expr::col((municipality::Entity, municipality::Column::Code))
                .equals(pm(project_municipality::Column::MunicipalityCode)),
        )
        .inner_join(
            district::Entity,
            Expr::col((district::Entity, district::Column::Code))
                .equals((municipality::Entity, municipality::Column::DistrictCode)),
        )
        .and_where(scope.has(pm(project_municipality::Column::ProjectId)))
        .to_owned();
    for row in db.query_all(&places_q).await? {
        let (p, m, r): (i32, i32, i32) = (
            row.try_get_by_index(0)?,
            row.try_get_by_index(1)?,
            row.try_get_by_index(2)?,
        );
        if let Some(a) = acc.get_mut(&p) {
            a.places.push((m, r));
            *a.municipalities_by_region.entry(r).or_default() += 1;
        }
    }
    Ok(())
}

/// Each project indicator's target and cumulative achieved value.
async fn indicators(
    db: &impl ConnectionTrait,
    scope: Scope<'_>,
    acc: &mut BTreeMap<i32, ProjectPart>,
) -> Result<(), ServiceError> {
    let inds: Vec<(i32, i32, i32, i64, NaiveDate)> = project_indicator::Entity::find()
        .select_only()
        .columns([
            project_indicator::Column::Id,
            project_indicator::Column::ProjectId,
            project_indicator::Column::IndicatorId,
            project_indicator::Column::TargetMilli,
            project_indicator::Column::TargetDate,
        ])
        .filter(scope.has(project_indicator::Column::ProjectId))
        .order_by_asc(project_indicator::Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let pi_ids = Query::select()
        .column(project_indicator::Column::Id)
        .from(project_indicator::Entity)
        .and_where(scope.has(project_indicator::Column::ProjectId))
        .to_owned();
    let achieved: HashMap<i32, i64> = entity::indicator_value::Entity::find()
        .select_only()
        .column(entity::indicator_value::Column::ProjectIndicatorId)
        .column_as(
            sum_bigint(entity::indicator_value::Column::AchievedMilli),
            "achieved",
        )
        .filter(entity::indicator_value::Column::ProjectIndicatorId.in_subquery(pi_ids))
        .group_by(entity::indicator_value::Column::ProjectIndicatorId)
        .into_tuple::<(i32, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    for (pi_id, project_id, indicator_id, target_milli, target_date) in inds {
        if let Some(a) = acc.get_mut(&project_id) {
            a.indicators.push(IndicatorPart {
                indicator_id,
                target: monitoring::from_milli(target_milli),
                done: monitoring::from_milli(achieved.get(&pi_id).copied().unwrap_or(0)),
                target_date,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_keys_order_like_the_months() {
        assert_eq!(month_key("2026-03"), Some(202_603));
        assert!(month_key("2025-12") < month_key("2026-01"));
        assert_eq!(month_key("x"), None);
    }
}
