//! The demo's indicators: targets from the participant plan, and achieved values per finished period
//! computed from the participant records (with one deliberate disagreement to show on the indicator page).

use super::Profile;
use crate::domain::participants::{self, ParticipantRecord};
use crate::domain::DateRange;
use crate::services::ServiceError;
use chrono::NaiveDate;
use entity::{indicator, indicator_value, monitoring_period, project, project_indicator};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

fn id_of(code: &str, defs: &[indicator::Model]) -> Option<i32> {
    defs.iter().find(|d| d.code == code).map(|d| d.id)
}

/// Adds the project's indicators with their targets and achieved values.
pub(super) async fn seed_indicators(
    db: &impl ConnectionTrait,
    p: &project::Model,
    prof: &Profile,
    defs: &[indicator::Model],
    periods: &[monitoring_period::Model],
    domain_records: &[ParticipantRecord],
    today: NaiveDate,
) -> Result<(), ServiceError> {
    // Indicators: EECO01 and EECR04 for all; EECO08 for VNP. Targets from the participant plan.
    let mut wanted = vec![
        ("EECO01", i64::try_from(prof.participants).unwrap_or(0)),
        ("EECR04", i64::try_from(prof.participants / 3).unwrap_or(0)),
    ];
    if p.acronym.as_deref() == Some("VNP") {
        wanted.push(("EECO08", i64::try_from(prof.participants).unwrap_or(0)));
    }
    for (code, target) in wanted {
        let Some(indicator_id) = id_of(code, defs) else {
            continue;
        };
        let pi = project_indicator::ActiveModel {
            project_id: Set(p.id),
            indicator_id: Set(indicator_id),
            baseline_milli: Set(0),
            target_milli: Set(target * 1000),
            target_date: Set(p.end_date),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
        let per_period = target * 1000 / i64::try_from(periods.len().max(1)).unwrap_or(1);
        for (k, per) in periods
            .iter()
            .filter(|per| per.end_date < today)
            .enumerate()
        {
            // Typed-in values follow the participant records, except one period where the team typed
            // a different figure: the indicator page shows such disagreements.
            let computed = DateRange::new(per.start_date, per.end_date)
                .ok()
                .and_then(|r| {
                    participants::compute(domain_records, &r)
                        .into_iter()
                        .find(|c| c.code == code)
                })
                .map(|c| i64::from(c.total) * 1000);
            let achieved = match computed {
                Some(c) if k == 1 => c + 1000,
                Some(c) => c,
                None => per_period * prof.indicator_pace / 100 / 1000 * 1000,
            };
            indicator_value::ActiveModel {
                project_indicator_id: Set(pi.id),
                period_id: Set(per.id),
                achieved_milli: Set(achieved),
                note: Set("Ilustrativní hodnota (ukázková data)".into()),
                version: Set(1),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
