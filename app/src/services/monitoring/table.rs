//! The indicator table of a project: targets, achieved values per period, values computed from
//! participant records, fulfilment and the financial-correction bands.

use super::codebook::def_dto;
use super::from_milli;
use super::values::indicator_flag;
use crate::domain::participants::{
    self, ExitSituation, Gender, LabourStatus, ParticipantInput, ParticipantRecord,
};
use crate::domain::{fulfilment, CorrectionBands, DateRange, Money};
use crate::dto::{ComputedRow, IndicatorRow, IndicatorTable, PeriodDto};
use crate::services::ServiceError;
use chrono::NaiveDate;
use entity::{
    indicator, indicator_value, monitoring_period, participant, project, project_indicator,
};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::BTreeMap;

/// A stored participant row as a domain record (rows that no longer pass the rules are left out).
fn participant_record(p: &participant::Model) -> Option<ParticipantRecord> {
    ParticipantRecord::new(ParticipantInput {
        pseudonym: p.pseudonym.clone(),
        entry: p.entry_date,
        exit: p.exit_date,
        gender: Gender::parse(&p.gender).ok()?,
        age_at_entry: u8::try_from(p.age_at_entry).ok()?,
        status: LabourStatus::parse(&p.labour_status).ok()?,
        isced: p.isced.and_then(|i| u8::try_from(i).ok()),
        disability: p.disability,
        exit_situations: ExitSituation::parse_list(&p.exit_situations).ok()?,
    })
    .ok()
}

/// The indicator table of a project: typed-in values and computed ones per period, cumulative
/// fulfilment and the correction flag of each indicator (its pace measured to `today`).
///
/// # Errors
/// `NotFound`; database errors.
#[tracing::instrument(skip(db))]
pub async fn indicator_table(
    db: &impl ConnectionTrait,
    project_id: i32,
    today: NaiveDate,
) -> Result<IndicatorTable, ServiceError> {
    let p = project::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let periods = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let pis = project_indicator::Entity::find()
        .filter(project_indicator::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    let defs: BTreeMap<i32, indicator::Model> = indicator::Entity::find()
        .filter(indicator::Column::Id.is_in(pis.iter().map(|x| x.indicator_id).collect::<Vec<_>>()))
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    let values = indicator_value::Entity::find()
        .filter(
            indicator_value::Column::ProjectIndicatorId
                .is_in(pis.iter().map(|x| x.id).collect::<Vec<_>>()),
        )
        .all(db)
        .await?;
    let participants = participant::Entity::find()
        .filter(participant::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    let records: Vec<ParticipantRecord> =
        participants.iter().filter_map(participant_record).collect();
    let computed_all: Vec<Vec<participants::ComputedIndicator>> = periods
        .iter()
        .map(|per| {
            DateRange::new(per.start_date, per.end_date)
                .map(|r| participants::compute(&records, &r))
                .unwrap_or_default()
        })
        .collect();
    let computed_by_period: Vec<BTreeMap<String, Decimal>> = computed_all
        .iter()
        .map(|list| {
            list.iter()
                .map(|c| (c.code.to_string(), Decimal::from(c.total)))
                .collect()
        })
        .collect();
    let computed_rows: Vec<ComputedRow> = participants::PARTICIPANT_INDICATORS
        .iter()
        .map(|def| ComputedRow {
            code: def.code.to_string(),
            name: def.name_cs.to_string(),
            per_period: computed_all
                .iter()
                .map(|list| {
                    list.iter()
                        .find(|c| c.code == def.code)
                        .map_or([0; 4], |c| [c.total, c.male, c.female, c.other])
                })
                .collect(),
        })
        .collect();
    let available = indicator::Entity::find()
        .order_by_asc(indicator::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .filter(|d| !pis.iter().any(|pi| pi.indicator_id == d.id))
        .map(def_dto)
        .collect();
    let bands = correction_bands(db).await?;
    let grant = p
        .total_eligible_halere
        .map(Money::from_halere)
        .transpose()
        .ok()
        .flatten();
    let mut rows = Vec::new();
    for pi in &pis {
        let Some(d) = defs.get(&pi.indicator_id) else {
            continue;
        };
        let vals: Vec<Option<(Decimal, i32)>> = periods
            .iter()
            .map(|per| {
                values
                    .iter()
                    .find(|v| v.project_indicator_id == pi.id && v.period_id == per.id)
                    .map(|v| (from_milli(v.achieved_milli), v.version))
            })
            .collect();
        let computed: Vec<Option<Decimal>> = if d.computed {
            computed_by_period
                .iter()
                .map(|m| m.get(&d.code).copied())
                .collect()
        } else {
            vec![None; periods.len()]
        };
        let cumulative: Decimal = vals.iter().flatten().map(|(v, _)| *v).sum();
        let target = from_milli(pi.target_milli);
        let ful = fulfilment(cumulative, target);
        let flag = match (ful, grant) {
            (Some(f), Some(g)) => {
                indicator_flag(&d.code, f, g, &bands, p.start_date, pi.target_date, today)
            }
            _ => None,
        };
        rows.push(IndicatorRow {
            project_indicator_id: pi.id,
            code: d.code.clone(),
            name: d.name_cs.clone(),
            unit: d.unit.clone(),
            kind: d.kind.clone(),
            baseline: from_milli(pi.baseline_milli),
            target,
            target_date: pi.target_date,
            values: vals,
            computed,
            cumulative,
            fulfilment: ful,
            flag,
        });
    }
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(IndicatorTable {
        periods: periods
            .iter()
            .map(|p| PeriodDto {
                id: p.id,
                number: p.number,
                start_date: p.start_date,
                end_date: p.end_date,
            })
            .collect(),
        rows,
        participants: u32::try_from(participants.len()).unwrap_or(u32::MAX),
        participants_illustrative: participants.iter().any(|p| p.illustrative),
        computed_rows,
        available,
        today,
    })
}

/// The financial-correction bands (setting `correction_bands`, JSON), or the unverified defaults.
///
/// # Errors
/// Database errors.
pub async fn correction_bands(db: &impl ConnectionTrait) -> Result<CorrectionBands, ServiceError> {
    Ok(
        entity::setting::Entity::find_by_id("correction_bands".to_string())
            .one(db)
            .await?
            .and_then(|s| serde_json::from_str(&s.value).ok())
            .unwrap_or_else(CorrectionBands::unverified_default),
    )
}
