//! The demo's money: each project's cost model and co-financing, budget lines per year (amounts, or
//! units of the call's unit costs), expenditures in past periods at the project's pace, and one payment
//! claim (ŽoP, žádost o platbu) per finished period.

use super::{Lcg, Profile};
use crate::domain::{CostModel, LineKind, Money, Percentage};
use crate::services::{budget, cost_rules, ServiceError};
use chrono::{Datelike, NaiveDate};
use entity::{
    budget_line, expenditure, monitoring_period, payment_claim, project, project_finance,
};
use rust_decimal::Decimal;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

/// The demo's cost model per project, so that each model is seen at work: NOE the 40 % model, a project of
/// call 03_25_106 the flat rate on personnel costs, the project of call 03_24_065 (which has unit costs)
/// the simplified model, the others (VNP among them) real costs with a 20 % flat rate of indirect costs.
fn demo_cost_model(p: &project::Model) -> (CostModel, &'static str) {
    match (p.acronym.as_deref(), p.call_id.as_str()) {
        (Some("NOE"), _) => (CostModel::Flat40Personnel, "40"),
        (_, "03_24_065") => (CostModel::Simplified, "0"),
        _ if p.registration_number.ends_with("/0006125") => {
            (CostModel::FlatIndirectPersonnel, "15")
        }
        _ => (CostModel::FlatIndirectDirect, "20"),
    }
}

/// The project's financing and budget lines (with the unit cost's rate of a simplified line).
pub(super) async fn budget(
    db: &impl ConnectionTrait,
    p: &project::Model,
    days_total: i128,
) -> Result<
    (
        CostModel,
        Percentage,
        Vec<(budget_line::Model, Option<Money>)>,
    ),
    ServiceError,
> {
    // A state body (Úřad práce ČR) has no own resources; the others co-finance 5 % (illustrative split).
    let state_body = entity::organisation::Entity::find_by_id(p.beneficiary_id)
        .one(db)
        .await?
        .is_some_and(|o| o.ico == "72496991");
    let (model, rate) = demo_cost_model(p);
    project_finance::ActiveModel {
        project_id: Set(p.id),
        cost_model: Set(model.code().into()),
        indirect_rate: Set(rate.into()),
        eu_share: Set("85".into()),
        state_share: Set(if state_body { "15".into() } else { "10".into() }),
        own_share: Set(if state_body { "0".into() } else { "5".into() }),
        version: Set(1),
    }
    .insert(db)
    .await?;
    let rate =
        Percentage::parse(rate).map_err(|e| ServiceError::Unexpected(format!("demo rate: {e}")))?;
    let unit_costs = cost_rules::unit_costs_of_project(db, p.id).await?;
    // Budget: the registered total is the eligible total; the direct part follows from the cost model.
    let total = i128::from(p.total_eligible_halere.unwrap_or(1_000_000_000));
    let direct = match model {
        CostModel::FlatIndirectDirect => total * 100 / 120,
        // 15 % on personnel, which is 70 % of the direct costs: eligible = 1,105 × direct.
        CostModel::FlatIndirectPersonnel => total * 1000 / 1105,
        CostModel::Flat40Personnel => total * 100 / 140,
        CostModel::Simplified => total,
    };
    let shares: Vec<(&str, &str, &str, i128)> = match model {
        CostModel::Flat40Personnel => vec![
            (
                "1.1.1.1",
                "Mzdy odborných pracovníků (HPP)",
                "personnel",
                70,
            ),
            ("1.1.2.1", "Dohody o pracovní činnosti", "personnel", 20),
            ("1.1.3.1", "Dohody o provedení práce", "personnel", 10),
        ],
        CostModel::Simplified => unit_costs
            .iter()
            .zip([50, 30, 20])
            .map(|(u, share)| (u.code.as_str(), u.name.as_str(), "services", share))
            .collect(),
        _ => vec![
            (
                "1.1.1.1",
                "Mzdy odborných pracovníků (HPP)",
                "personnel",
                55,
            ),
            ("1.1.2.1", "Dohody o pracovní činnosti", "personnel", 15),
            ("1.2.1", "Cestovní náhrady", "travel", 5),
            ("1.3.1", "Vybavení pracovišť", "equipment", 5),
            ("1.4.1", "Rekvalifikační a vzdělávací kurzy", "services", 20),
        ],
    };
    let mut lines = Vec::new();
    for year in p.start_date.year()..=p.end_date.year() {
        let (Some(ys), Some(ye)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            continue;
        };
        let days = i128::from((ye.min(p.end_date) - ys.max(p.start_date)).num_days() + 1);
        let year_direct = direct * days / days_total;
        for (code, name, chapter, share) in &shares {
            let unit = unit_costs
                .iter()
                .find(|u| u.code == *code && model == CostModel::Simplified);
            let mut amount = i64::try_from(year_direct * share / 100 / 100 * 100).unwrap_or(0);
            let mut units = None;
            if let Some(u) = unit {
                // Whole units of the call's rate: units × rate, rounded once.
                let n = i128::from(amount) / i128::from(u.rate.to_halere().max(1));
                let n = Decimal::from(i64::try_from(n).unwrap_or(0).max(1));
                amount = crate::domain::unit_amount(n, u.rate)
                    .map_err(|e| ServiceError::Unexpected(e.to_string()))?
                    .to_halere();
                units = Some(n);
            }
            let l = budget_line::ActiveModel {
                project_id: Set(p.id),
                code: Set((*code).into()),
                name: Set((*name).into()),
                chapter: Set((*chapter).into()),
                year: Set(year),
                amount_halere: Set(amount),
                unit_cost_id: Set(unit.map(|u| u.id)),
                units: Set(units.map(|n| n.to_string())),
                version: Set(1),
                ..Default::default()
            }
            .insert(db)
            .await?;
            lines.push((l, unit.map(|u| u.rate)));
        }
    }
    Ok((model, rate, lines))
}

/// Expenditures in the periods begun by `today`; what each period's drawings come to under the cost model.
#[allow(clippy::too_many_arguments)]
pub(super) async fn expenditures(
    db: &impl ConnectionTrait,
    p: &project::Model,
    rng: &mut Lcg,
    prof: &Profile,
    periods: &[monitoring_period::Model],
    lines: &[(budget_line::Model, Option<Money>)],
    model: CostModel,
    rate: Percentage,
    today: NaiveDate,
) -> Result<Vec<(monitoring_period::Model, i64)>, ServiceError> {
    // Expenditures in past periods: each line drawn at the project's pace, in a few documents.
    let mut doc = 1;
    let mut drawn_by_period = Vec::new();
    for per in periods.iter().filter(|per| per.start_date <= today) {
        let upto = per.end_date.min(today);
        let mut drawn = Vec::new();
        for (l, unit_rate) in lines
            .iter()
            .filter(|(l, _)| l.year == per.start_date.year() || l.year == upto.year())
        {
            let (Some(ys), Some(ye)) = (
                NaiveDate::from_ymd_opt(l.year, 1, 1),
                NaiveDate::from_ymd_opt(l.year, 12, 31),
            ) else {
                continue;
            };
            let from = per.start_date.max(ys).max(p.start_date);
            let to = upto.min(ye);
            if to < from {
                continue;
            }
            let year_days = i128::from((ye.min(p.end_date) - ys.max(p.start_date)).num_days() + 1);
            let share_days = i128::from((to - from).num_days() + 1);
            let planned = i128::from(l.amount_halere) * share_days / year_days.max(1);
            let mut target =
                i64::try_from(planned * i128::from(prof.drawdown_pace) / 100).unwrap_or(0);
            let pieces = 1 + rng.next(3);
            for k in 0..pieces {
                let mut amount = if k + 1 == pieces {
                    target
                } else {
                    target / 2 + i64::try_from(rng.next(1000)).unwrap_or(0) * 7 + 13
                };
                // A unit-cost line is drawn in whole units.
                let units = unit_rate.map(|r| Decimal::from(amount / r.to_halere().max(1)));
                if let (Some(n), Some(r)) = (units, unit_rate) {
                    amount = crate::domain::unit_amount(n, *r)
                        .map_err(|e| ServiceError::Unexpected(e.to_string()))?
                        .to_halere();
                }
                if amount <= 0 {
                    continue;
                }
                target -= amount;
                let span = u64::try_from((to - from).num_days().max(0)).unwrap_or(0) + 1;
                let paid_on =
                    from + chrono::Duration::days(i64::try_from(rng.next(span)).unwrap_or(0));
                expenditure::ActiveModel {
                    project_id: Set(p.id),
                    budget_line_id: Set(l.id),
                    period_id: Set(Some(per.id)),
                    document_number: Set(Some(format!("FV-{}-{doc:05}", paid_on.year()))),
                    amount_halere: Set(amount),
                    units: Set(units.map(|n| n.to_string())),
                    paid_on: Set(Some(paid_on)),
                    description: Set("Ilustrativní výdaj (ukázková data)".into()),
                    supplier: Set(String::new()),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                doc += 1;
                drawn.push((LineKind::of(&l.chapter, l.unit_cost_id.is_some()), amount));
            }
        }
        // What the period's drawings come to under the project's cost model (with its flat-rate part).
        let claimable = budget::breakdown(model, rate, drawn)?.eligible.to_halere();
        drawn_by_period.push((per.clone(), claimable));
    }
    Ok(drawn_by_period)
}

/// The payment claims of the finished periods.
pub(super) async fn claims(
    db: &impl ConnectionTrait,
    p: &project::Model,
    prof: &Profile,
    drawn_by_period: &[(monitoring_period::Model, i64)],
    today: NaiveDate,
) -> Result<(), ServiceError> {
    // Payment claims: one per finished period, for what its drawings come to under the cost model.
    let finished: Vec<_> = drawn_by_period
        .iter()
        .filter(|(per, _)| per.end_date < today)
        .collect();
    for (k, (per, drawn)) in finished.iter().enumerate() {
        let claimed = *drawn;
        let submitted = per.end_date + chrono::Duration::days(30);
        let last = k + 1 == finished.len();
        let (status, approved, paid) = if last && prof.overdue_claim {
            ("submitted", None, None)
        } else if submitted > today {
            ("draft", None, None)
        } else {
            (
                "paid",
                Some(claimed - claimed / 50),
                Some(submitted + chrono::Duration::days(45)).filter(|d| *d <= today),
            )
        };
        let submitted_on = if last && prof.overdue_claim {
            today - chrono::Duration::days(95)
        } else {
            submitted
        };
        let claim = payment_claim::ActiveModel {
            project_id: Set(p.id),
            number: Set(i32::try_from(k + 1).unwrap_or(0)),
            period_id: Set(Some(per.id)),
            claimed_halere: Set(claimed),
            approved_halere: Set(approved),
            submitted_on: Set((status != "draft").then_some(submitted_on)),
            paid_on: Set(if status == "paid" { paid } else { None }),
            status: Set(if status == "paid" && paid.is_none() {
                "approved".into()
            } else {
                status.into()
            }),
            version: Set(1),
            // Built from documents: the period's expenditures are its list (soupiska dokladů).
            with_documents: Set(true),
            ..Default::default()
        }
        .insert(db)
        .await?;
        expenditure::Entity::update_many()
            .col_expr(
                expenditure::Column::ClaimId,
                sea_orm::sea_query::Expr::value(claim.id),
            )
            .filter(expenditure::Column::ProjectId.eq(p.id))
            .filter(expenditure::Column::PeriodId.eq(per.id))
            .exec(db)
            .await?;
    }
    Ok(())
}
