//! The portfolio's money per project: budget lines by kind and year and expenditure by month (summed under
//! each project's cost model later, as on its budget page), what paid payment claims (ŽoP) brought, and
//! the portfolio's drawdown over time at quarter ends.

use super::{ids, money, sum_bigint, Acc, ProjectRaw};
use crate::domain::{LineKind, Percentage};
use crate::dto::portfolio::PortfolioPoint;
use crate::services::budget::{breakdown, planned_by_kind};
use crate::services::{budget, ServiceError};
use chrono::{Datelike, NaiveDate};
use entity::{budget_line, expenditure, payment_claim, project_finance};
use sea_orm::sea_query::{Alias, Expr, Func};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};

/// Each project's financing (cost model, flat rate), budget per line kind and year, and expenditure per
/// month and line kind.
pub(super) async fn load_budgets(
    db: &impl ConnectionTrait,
    cond: &Condition,
    acc: &mut BTreeMap<i32, Acc>,
) -> Result<(), ServiceError> {
    for f in project_finance::Entity::find()
        .filter(project_finance::Column::ProjectId.in_subquery(ids(cond)))
        .all(db)
        .await?
    {
        if let Some(a) = acc.get_mut(&f.project_id) {
            a.rate = Percentage::parse(&f.indirect_rate).ok();
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
        .filter(budget_line::Column::ProjectId.in_subquery(ids(cond)))
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
        .column_as(Expr::expr(month.clone()), "month")
        .column_as(sum_bigint(expenditure::Column::AmountHalere), "amount")
        .filter(expenditure::Column::ProjectId.in_subquery(ids(cond)))
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
            *a.drawn_by_month
                .entry(m)
                .or_default()
                .entry(*kind)
                .or_default() += amount;
        }
    }
    Ok(())
}

/// What each project's paid claims brought, and the flags of its overdue claims.
pub(super) async fn load_claims(
    db: &impl ConnectionTrait,
    cond: &Condition,
    acc: &mut BTreeMap<i32, Acc>,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    let limit = budget::claim_overdue_days(db).await?;
    for c in payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.in_subquery(ids(cond)))
        .all(db)
        .await?
    {
        let Some(a) = acc.get_mut(&c.project_id) else {
            continue;
        };
        if c.paid_on.is_some() {
            a.paid += c.approved_halere.unwrap_or(c.claimed_halere);
        }
        a.flags.extend(budget::overdue_claim_flag(&c, today, limit));
    }
    Ok(())
}

/// Last day of each quarter from the earliest project start to the latest end (at most 60 points),
/// with today among them.
fn quarter_ends(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut y = from.year();
    let mut q = (from.month() - 1) / 3;
    loop {
        let end_month = q * 3 + 3;
        let next = if end_month == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, end_month + 1, 1)
        };
        let Some(end) = next.and_then(|n| n.pred_opt()) else {
            break;
        };
        out.push(end);
        if end >= to || out.len() >= 60 {
            break;
        }
        q += 1;
        if q == 4 {
            q = 0;
            y += 1;
        }
    }
    if today > from && today < to {
        out.push(today);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The portfolio's cumulative planned and drawn expenditure (with indirect costs) at quarter ends.
pub(super) fn series(
    rows: &[ProjectRaw],
    acc: &BTreeMap<i32, Acc>,
    today: NaiveDate,
) -> Result<Vec<PortfolioPoint>, ServiceError> {
    let (Some(from), Some(to)) = (
        rows.iter().map(|p| p.start_date).min(),
        rows.iter().map(|p| p.end_date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let dates = quarter_ends(from, to, today);
    let mut planned = vec![0i64; dates.len()];
    let mut drawn = vec![0i64; dates.len()];
    let month_ends: Vec<String> = dates
        .iter()
        .map(|d| format!("{:04}-{:02}", d.year(), d.month()))
        .collect();
    for p in rows {
        let Some(a) = acc.get(&p.id) else { continue };
        let rate = a.rate.unwrap_or_else(Percentage::zero);
        // Months are in order (undated first), dates too: one pass over both.
        let mut months = a.drawn_by_month.iter().peekable();
        let mut spent: BTreeMap<LineKind, i64> = BTreeMap::new();
        for (i, d) in dates.iter().enumerate() {
            planned[i] += breakdown(a.model, rate, planned_by_kind(&a.per_year, *d))?
                .eligible
                .to_halere();
            while let Some((m, by_kind)) = months.peek() {
                if m.as_ref().is_some_and(|m| *m > month_ends[i]) {
                    break;
                }
                for (k, v) in *by_kind {
                    *spent.entry(*k).or_default() += v;
                }
                months.next();
            }
            drawn[i] += breakdown(a.model, rate, spent.iter().map(|(k, v)| (*k, *v)))?
                .eligible
                .to_halere();
        }
    }
    dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(PortfolioPoint {
                date: *d,
                planned: money(planned[i])?,
                drawn: if *d <= today {
                    Some(money(drawn[i])?)
                } else {
                    None
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_ends_cover_the_range_with_today() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let q = quarter_ends(d(2024, 2, 15), d(2024, 12, 31), d(2024, 5, 10));
        assert_eq!(
            q,
            vec![
                d(2024, 3, 31),
                d(2024, 5, 10),
                d(2024, 6, 30),
                d(2024, 9, 30),
                d(2024, 12, 31)
            ]
        );
    }
}
