//! The demo's participants: pseudonymised, invented records of people entering and leaving the project
//! over its elapsed periods, from which the indicators the demo types in are computed.

use super::{Lcg, Profile};
use crate::domain::participants::{
    ExitSituation, Gender, LabourStatus, ParticipantInput, ParticipantRecord,
};
use crate::services::ServiceError;
use chrono::NaiveDate;
use entity::{participant, project};
use sea_orm::{ConnectionTrait, EntityTrait, Set};

/// A generated participant row as a domain record, for computing the indicators the demo types in.
fn as_record(m: &participant::ActiveModel) -> Option<ParticipantRecord> {
    let v = |x: &sea_orm::ActiveValue<String>| match x {
        sea_orm::ActiveValue::Set(s) | sea_orm::ActiveValue::Unchanged(s) => Some(s.clone()),
        sea_orm::ActiveValue::NotSet => None,
    };
    let (Set(entry), Set(exit), Set(age), Set(isced), Set(disability)) = (
        m.entry_date.clone(),
        m.exit_date.clone(),
        m.age_at_entry.clone(),
        m.isced.clone(),
        m.disability.clone(),
    ) else {
        return None;
    };
    ParticipantRecord::new(ParticipantInput {
        pseudonym: v(&m.pseudonym)?,
        entry,
        exit,
        gender: Gender::parse(&v(&m.gender)?).ok()?,
        age_at_entry: u8::try_from(age).ok()?,
        status: LabourStatus::parse(&v(&m.labour_status)?).ok()?,
        isced: isced.and_then(|i| u8::try_from(i).ok()),
        disability,
        exit_situations: ExitSituation::parse_list(&v(&m.exit_situations)?).ok()?,
    })
    .ok()
}

/// Adds the project's participants; their domain records.
pub(super) async fn seed_participants(
    db: &impl ConnectionTrait,
    p: &project::Model,
    rng: &mut Lcg,
    prof: &Profile,
    days_total: i128,
    today: NaiveDate,
) -> Result<Vec<ParticipantRecord>, ServiceError> {
    // Participants (pseudonymised, invented) entering over the elapsed periods.
    let mut records = Vec::new();
    let elapsed_days =
        u64::try_from((today.min(p.end_date) - p.start_date).num_days().max(0)).unwrap_or(0);
    let count = if today < p.start_date {
        0
    } else {
        prof.participants * u64::try_from(prof.indicator_pace).unwrap_or(100) / 100 * elapsed_days
            / u64::try_from(days_total).unwrap_or(1).max(1)
    };
    for n in 0..count {
        let entry = p.start_date
            + chrono::Duration::days(i64::try_from(rng.next(elapsed_days.max(1))).unwrap_or(0));
        let stay = 60 + rng.next(240);
        let exit = entry + chrono::Duration::days(i64::try_from(stay).unwrap_or(0));
        let exit = (exit <= today && exit <= p.end_date).then_some(exit);
        let status = [
            "unemployed",
            "unemployed",
            "long_term_unemployed",
            "inactive",
            "employed",
        ][usize::try_from(rng.next(5)).unwrap_or(0)];
        let situation = match rng.next(4) {
            0 => "in_employment",
            1 => "job_searching",
            2 => "gained_qualification,in_employment",
            _ => "in_education",
        };
        let m = participant::ActiveModel {
            project_id: Set(p.id),
            pseudonym: Set(format!(
                "{}-{:04}",
                p.acronym.as_deref().unwrap_or("P"),
                n + 1
            )),
            entry_date: Set(entry),
            exit_date: Set(exit),
            gender: Set(if rng.next(2) == 0 {
                "M".into()
            } else {
                "F".into()
            }),
            age_at_entry: Set(i16::try_from(
                prof.age_from + rng.next(prof.age_to - prof.age_from + 1),
            )
            .unwrap_or(30)),
            labour_status: Set(status.into()),
            isced: Set(Some(i16::try_from(1 + rng.next(7)).unwrap_or(3))),
            disability: Set(rng.next(10) == 0),
            exit_situations: Set(if exit.is_some() {
                situation.into()
            } else {
                String::new()
            }),
            illustrative: Set(true),
            ..Default::default()
        };
        records.push(m);
    }
    let domain_records: Vec<ParticipantRecord> = records.iter().filter_map(as_record).collect();
    for chunk in records.chunks(200) {
        participant::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(domain_records)
}
