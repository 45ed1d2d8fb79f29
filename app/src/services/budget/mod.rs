//! Budgets and money flow: budget lines by chapter and year, the flat rate of indirect costs, the
//! co-financing split, expenditures (refused when they would overdraw their line), drawdown against
//! elapsed time, payment claims (ŽoP) and advances. Sums are done in Rust over integer haléře.
//!
//! This module holds what the use cases share (stored money and percentages, a project's financing and
//! cost model, the one place where money is summed by line kind, the planned drawdown over time); each
//! use case lives in its own file: `page` the budget page, `lines` budget lines, `finance` the cost model
//! and co-financing, `expenditures` expenditures, `claims` payment claims and advances.

mod advances;
mod claim_documents;
mod claims;
mod expenditure_edits;
mod expenditures;
mod finance;
mod ledger;
mod lines;
mod new_line;
mod overdue;
mod page;

pub use advances::add_advance;
pub(crate) use claim_documents::recompute as recompute_claim;
pub use claim_documents::{
    add_documents, claim_detail, claim_export, open_claim, remove_documents,
};
pub use claims::{add_claim, claims, decide_claim};
pub use expenditure_edits::{correct_expenditure, update_expenditure};
pub use expenditures::{add_expenditure, NewExpenditure};
pub use finance::{save_finance, start_finance};
pub use ledger::{export_table as ledger_table, ledger, ledger_export, EXPORT_HEADERS};
pub use lines::save_line;
pub use new_line::NewBudgetLine;
pub(crate) use overdue::overdue_claim_flag;
pub use overdue::{claim_overdue_days, DEFAULT_CLAIM_OVERDUE_DAYS};
pub(crate) use page::drawdown_lag_flag;
pub use page::view;

use super::ServiceError;
use crate::domain::{CostBase, CostBreakdown, CostModel, DateRange, LineKind, Money, Percentage};
use crate::dto::EditOutcome;
use chrono::NaiveDate;
use entity::{project, project_finance};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseTransaction, EntityTrait};
use std::collections::BTreeMap;
use std::str::FromStr;

pub use crate::dto::{CHAPTERS, OVERDRAW_RULE};

/// How far drawdown may lag behind elapsed time before a project is flagged, in percentage points.
/// An unverified default [U]; stored as setting `drawdown_max_lag_points`.
pub const DEFAULT_MAX_LAG_POINTS: i64 = 25;

fn money(halere: i64) -> Result<Money, ServiceError> {
    Money::from_halere(halere)
        .map_err(|e| ServiceError::Unexpected(format!("stored amount {halere}: {e}")))
}

fn sum(values: impl IntoIterator<Item = i64>) -> Result<Money, ServiceError> {
    let total: i128 = values.into_iter().map(i128::from).sum();
    let total =
        i64::try_from(total).map_err(|_| ServiceError::Unexpected("sum out of range".into()))?;
    money(total)
}

fn pct(text: &str) -> Result<Percentage, ServiceError> {
    Percentage::parse(text)
        .map_err(|e| ServiceError::Unexpected(format!("stored percentage {text}: {e}")))
}

/// The financing parameters of a project (defaults when none were entered: no indirect costs, 100 % EU).
async fn finance_of(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<project_finance::Model, ServiceError> {
    Ok(project_finance::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .unwrap_or(project_finance::Model {
            project_id,
            cost_model: CostModel::default().code().into(),
            indirect_rate: "0".into(),
            eu_share: "100".into(),
            state_share: "0".into(),
            own_share: "0".into(),
            version: 0,
        }))
}

/// The stored cost model of a project's financing.
pub(crate) fn model_of(fin: &project_finance::Model) -> Result<CostModel, ServiceError> {
    CostModel::from_code(&fin.cost_model)
        .map_err(|e| ServiceError::Unexpected(format!("stored cost model: {e}")))
}

/// Sums `amounts` by the kind of the line each belongs to, and applies the project's cost model: the one
/// place where a project's money is summed.
pub(crate) fn breakdown(
    model: CostModel,
    rate: Percentage,
    amounts: impl IntoIterator<Item = (LineKind, i64)>,
) -> Result<CostBreakdown, ServiceError> {
    let bad = |e: crate::domain::DomainError| ServiceError::Unexpected(e.to_string());
    let mut base = CostBase::default();
    for (kind, halere) in amounts {
        base.add(kind, money(halere)?).map_err(bad)?;
    }
    model.eligible(rate, &base).map_err(bad)
}

pub(crate) async fn max_lag_points(db: &impl ConnectionTrait) -> Result<Decimal, ServiceError> {
    Ok(
        entity::setting::Entity::find_by_id("drawdown_max_lag_points".to_string())
            .one(db)
            .await?
            .and_then(|s| Decimal::from_str(s.value.trim()).ok())
            .unwrap_or(Decimal::from(DEFAULT_MAX_LAG_POINTS)),
    )
}

/// Planned cumulative amount at `date`: each year's budget spread evenly over that year.
pub(crate) fn planned_at(per_year: &BTreeMap<i32, i64>, date: NaiveDate) -> i64 {
    let mut total: i128 = 0;
    for (year, amount) in per_year {
        let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(*year, 1, 1),
            NaiveDate::from_ymd_opt(*year, 12, 31),
        ) else {
            continue;
        };
        if date >= end {
            total += i128::from(*amount);
        } else if date >= start {
            let days = i128::from((date - start).num_days() + 1);
            let len = i128::from((end - start).num_days() + 1);
            total += i128::from(*amount) * days / len;
        }
    }
    i64::try_from(total).unwrap_or(i64::MAX)
}

/// Planned cumulative amounts at `date` per line kind (each kind's yearly budget spread over its year),
/// never beyond the kind's whole budget.
pub(crate) fn planned_by_kind(
    per_year_by_kind: &BTreeMap<(LineKind, i32), i64>,
    date: NaiveDate,
) -> Vec<(LineKind, i64)> {
    [
        LineKind::Personnel,
        LineKind::OtherDirect,
        LineKind::Simplified,
    ]
    .into_iter()
    .map(|k| {
        let per_year: BTreeMap<i32, i64> = per_year_by_kind
            .iter()
            .filter(|((kind, _), _)| *kind == k)
            .map(|((_, y), a)| (*y, *a))
            .collect();
        let whole: i64 = per_year.values().sum();
        (k, std::cmp::min(planned_at(&per_year, date), whole))
    })
    .collect()
}

async fn project_range(
    txn: &DatabaseTransaction,
    project_id: i32,
) -> Result<DateRange, ServiceError> {
    let p = project::Entity::find_by_id(project_id)
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    DateRange::new(p.start_date, p.end_date).map_err(|e| ServiceError::Unexpected(e.to_string()))
}

fn edit_outcome(r: Result<(), ServiceError>) -> Result<EditOutcome, ServiceError> {
    match r {
        Ok(()) => Ok(EditOutcome::Saved),
        Err(ServiceError::Validation(f)) => Ok(EditOutcome::Invalid(f)),
        Err(ServiceError::Conflict(m)) => Ok(EditOutcome::Conflict(m)),
        Err(e) => Err(e),
    }
}

async fn finish(
    txn: DatabaseTransaction,
    r: Result<(), ServiceError>,
) -> Result<EditOutcome, ServiceError> {
    if r.is_ok() {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    edit_outcome(r)
}
