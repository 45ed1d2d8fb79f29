//! Invented monitoring data for the demo projects (labelled illustrative): monitoring periods,
//! financing parameters, budget lines, expenditures, payment claims, indicators with targets and
//! achieved values, and pseudonymised participant records. Deterministic (a fixed pseudo-random
//! sequence per project), relative to `today`, and only for projects that have no periods yet.
//!
//! The data are made in a fixed order from one generator per project, so the same calls always give the
//! same data: monitoring periods here, then `finance` (cost model, budget lines, expenditures, payment
//! claims), `participants`, `indicators`, and `reviews` (the ministry's review of the reports).

mod finance;
mod indicators;
mod participants;
mod reviews;

use super::ServiceError;
use chrono::{Months, NaiveDate};
use entity::{indicator, monitoring_period, project};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

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
        let has_periods = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(p.id))
            .count(db)
            .await?
            > 0;
        if has_periods || !p.amounts_illustrative {
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
    // Six-month monitoring periods over the whole project.
    let mut periods = Vec::new();
    let mut start = p.start_date;
    let mut number = 1;
    while start <= p.end_date {
        let end = start
            .checked_add_months(Months::new(6))
            .and_then(|d| d.pred_opt())
            .unwrap_or(p.end_date)
            .min(p.end_date);
        let m = monitoring_period::ActiveModel {
            project_id: Set(p.id),
            number: Set(number),
            start_date: Set(start),
            end_date: Set(end),
            ..Default::default()
        }
        .insert(db)
        .await?;
        periods.push(m);
        number += 1;
        start = match end.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    let days_total = i128::from((p.end_date - p.start_date).num_days() + 1);
    let (model, rate, lines) = finance::budget(db, p, days_total).await?;
    let drawn_by_period =
        finance::expenditures(db, p, &mut rng, &prof, &periods, &lines, model, rate, today).await?;
    finance::claims(db, p, &prof, &drawn_by_period, today).await?;
    let domain_records =
        participants::seed_participants(db, p, &mut rng, &prof, days_total, today).await?;
    indicators::seed_indicators(db, p, &prof, defs, &periods, &domain_records, today).await
}
