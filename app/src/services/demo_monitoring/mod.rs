//! Invented monitoring data for the demo projects (labelled illustrative): monitoring periods,
//! financing parameters, budget lines, expenditures, payment claims, indicators with targets and
//! achieved values, and pseudonymised participant records. Deterministic (a fixed pseudo-random
//! sequence per project), relative to `today`, and only for projects that have no budget yet.
//!
//! The data are made in a fixed order from one generator per project, so the same calls always give the
//! same data: the monitoring periods the project got when it was created (by its programme's reporting
//! rule, [`crate::services::projects::periods`]; generated here by the same rule only for a project
//! without any), then `finance` (cost model, budget lines, expenditures, payment claims),
//! `participants`, `indicators`, and `reviews` (the ministry's review of the reports).

mod finance;
mod indicators;
mod participants;
mod reviews;

use super::projects::periods;
use super::ServiceError;
use crate::domain::DateRange;
use chrono::NaiveDate;
use entity::{budget_line, indicator, project};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

/// A small deterministic generator (LCG): the same demo data on every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// How a demo project behaves: drawdown pace (percent of plan) and indicator pace (percent of target pace).
struct Profile {
    drawdown_pace: i64,
    indicator_pace: i64,
    participants: u64,
    age_from: u64,
    age_to: u64,
    overdue_claim: bool,
}

fn profile(p: &project::Model) -> Profile {
    match p.acronym.as_deref() {
        Some("NOE") => Profile {
            drawdown_pace: 95,
            indicator_pace: 100,
            participants: 240,
            age_from: 30,
            age_to: 54,
            overdue_claim: false,
        },
        Some("VNP") => Profile {
            drawdown_pace: 45,
            indicator_pace: 55,
            participants: 160,
            age_from: 55,
            age_to: 68,
            overdue_claim: true,
        },
        _ => Profile {
            drawdown_pace: 85,
            indicator_pace: 90,
            participants: 40,
            age_from: 18,
            age_to: 64,
            overdue_claim: false,
        },
    }
}

/// Adds the monitoring data to every demo project that has none.
///
/// # Errors
/// Database errors.
pub async fn seed(db: &impl ConnectionTrait, today: NaiveDate) -> Result<u64, ServiceError> {
    let defs = indicator::Entity::find().all(db).await?;
    let mut seeded = 0;
    for (i, p) in project::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .enumerate()
    {
        let has_data = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.eq(p.id))
            .count(db)
            .await?
            > 0;
        if has_data || !p.amounts_illustrative {
            continue;
        }
        seed_project(db, &p, &defs, today, 1000 + i as u64).await?;
        reviews::seed_reviews(db, &p, today).await?;
        seeded += 1;
    }
    Ok(seeded)
}

async fn seed_project(
    db: &impl ConnectionTrait,
    p: &project::Model,
    defs: &[indicator::Model],
    today: NaiveDate,
    seed: u64,
) -> Result<(), ServiceError> {
    let mut rng = Lcg(seed);
    let prof = profile(p);
    // The project's periods (ZoR 1, 2, …): made with the project by its programme's rule.
    let dates = DateRange::new(p.start_date, p.end_date)
        .map_err(|e| ServiceError::Unexpected(format!("demo project {}: {e}", p.id)))?;
    periods::generate(db, p.id, p.programme_id, dates, None).await?;
    let periods = periods::periods_of(db, p.id).await?;
    let days_total = i128::from((p.end_date - p.start_date).num_days() + 1);
    let (model, rate, lines) = finance::budget(db, p, days_total).await?;
    let drawn_by_period =
        finance::expenditures(db, p, &mut rng, &prof, &periods, &lines, model, rate, today).await?;
    finance::claims(db, p, &prof, &drawn_by_period, today).await?;
    let domain_records =
        participants::seed_participants(db, p, &mut rng, &prof, days_total, today).await?;
    indicators::seed_indicators(db, p, &prof, defs, &periods, &domain_records, today).await
}
