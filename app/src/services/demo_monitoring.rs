//! Invented monitoring data for the demo projects (labelled illustrative): monitoring periods,
//! financing parameters, budget lines, expenditures, payment claims, indicators with targets and
//! achieved values, and pseudonymised participant records. Deterministic (a fixed pseudo-random
//! sequence per project), relative to `today`, and only for projects that have no periods yet.

use super::ServiceError;
use crate::domain::participants::{
    self, ExitSituation, Gender, LabourStatus, ParticipantInput, ParticipantRecord,
};
use crate::domain::{CostModel, DateRange, LineKind};
use chrono::{Datelike, Months, NaiveDate};
use entity::{
    budget_line, expenditure, indicator, indicator_value, monitoring_period, participant,
    payment_claim, project, project_finance, project_indicator,
};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

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

fn id_of(code: &str, defs: &[indicator::Model]) -> Option<i32> {
    defs.iter().find(|d| d.code == code).map(|d| d.id)
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
        seed_reviews(db, &p, today).await?;
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
    let rate = crate::domain::Percentage::parse(rate)
        .map_err(|e| ServiceError::Unexpected(format!("demo rate: {e}")))?;
    let unit_costs = super::cost_rules::unit_costs_of_project(db, p.id).await?;
    // Budget: the registered total is the eligible total; the direct part follows from the cost model.
    let total = i128::from(p.total_eligible_halere.unwrap_or(1_000_000_000));
    let direct = match model {
        CostModel::FlatIndirectDirect => total * 100 / 120,
        // 15 % on personnel, which is 70 % of the direct costs: eligible = 1,105 × direct.
        CostModel::FlatIndirectPersonnel => total * 1000 / 1105,
        CostModel::Flat40Personnel => total * 100 / 140,
        CostModel::Simplified => total,
    };
    let days_total = i128::from((p.end_date - p.start_date).num_days() + 1);
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
        let claimable = super::budget::breakdown(model, rate, drawn)?
            .eligible
            .to_halere();
        drawn_by_period.push((per.clone(), claimable));
    }
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
            today - chrono::Duration::days(75)
        } else {
            submitted
        };
        payment_claim::ActiveModel {
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
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
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
                    participants::compute(&domain_records, &r)
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

/// The ministry's review of the demo reports, so that a reviewer sees the workflow on first start: the
/// reports before the last are accepted; the last finished one is under review (VNP, which is behind,
/// with the reviewer's question) or returned for correction (NOE, a missing document).
async fn seed_reviews(
    db: &impl ConnectionTrait,
    p: &project::Model,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    use entity::{period_review, review_comment};
    use sea_orm::{ActiveModelTrait, QueryOrder, Set};
    let finished: Vec<monitoring_period::Model> = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(p.id))
        .filter(monitoring_period::Column::EndDate.lt(today))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let Some((last, earlier)) = finished.split_last() else {
        return Ok(());
    };
    let at = |d: NaiveDate| {
        d.and_hms_opt(10, 0, 0)
            .map_or_else(chrono::Utc::now, |t| t.and_utc())
    };
    let reviewer = "Kontrolor MPSV (ukázková data)";
    for period in earlier {
        period_review::ActiveModel {
            period_id: Set(period.id),
            status: Set("accepted".into()),
            reviewer_id: Set(None),
            updated_at: Set(at(period.end_date + chrono::Duration::days(40))),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let (status, comment) = match p.acronym.as_deref() {
        Some("VNP") => (
            "under_review",
            "Zpráva je v kontrole. Čerpání i plnění EECO01 zaostávají za plánem; připravte prosím \
             zdůvodnění a harmonogram dohnání.",
        ),
        Some("NOE") => (
            "returned",
            "Chybí prezenční listiny ke vzdělávacím aktivitám. Doložte je prosím a zprávu opravte.",
        ),
        _ => return Ok(()),
    };
    let when = at(std::cmp::min(
        last.end_date + chrono::Duration::days(20),
        today,
    ));
    period_review::ActiveModel {
        period_id: Set(last.id),
        status: Set(status.into()),
        reviewer_id: Set(None),
        updated_at: Set(when),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    review_comment::ActiveModel {
        period_id: Set(last.id),
        author_id: Set(None),
        author_name: Set(reviewer.into()),
        at: Set(when),
        body: Set(comment.into()),
        status_set: Set(Some(status.into())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
