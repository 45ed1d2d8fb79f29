//! Indicators: the codebook (ESF+ common indicators), a project's indicators with targets, monitoring
//! periods, achieved values per period (typed in) and values computed from participant records.

use super::ServiceError;
use crate::domain::participants::{
    self, ExitSituation, Gender, LabourStatus, ParticipantInput, ParticipantRecord,
};
use crate::domain::{fulfilment, CorrectionBands, DateRange, FieldErrors, IndicatorUnit, Money};
use crate::dto::{
    ComputedRow, EditOutcome, Flag, IndicatorDefDto, IndicatorDefInput, IndicatorRow,
    IndicatorTable, PeriodDto, ProjectIndicatorInput,
};
use chrono::NaiveDate;
use entity::{
    indicator, indicator_value, monitoring_period, participant, project, project_indicator,
};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};
use std::collections::BTreeMap;

/// One indicator of the codebook: code, Czech and English name, unit, kind, definition, whether its
/// code is verified, whether it is computed from participant records.
pub struct IndicatorDef {
    pub code: &'static str,
    pub name_cs: &'static str,
    pub name_en: &'static str,
    pub unit: &'static str,
    pub kind: &'static str,
    pub definition: &'static str,
    pub verified: bool,
    pub computed: bool,
}

#[allow(clippy::too_many_arguments)] // a table row constructor: one argument per column
const fn def(
    code: &'static str,
    name_cs: &'static str,
    name_en: &'static str,
    unit: &'static str,
    kind: &'static str,
    definition: &'static str,
    verified: bool,
    computed: bool,
) -> IndicatorDef {
    IndicatorDef {
        code,
        name_cs,
        name_en,
        unit,
        kind,
        definition,
        verified,
        computed,
    }
}

/// The ESF+ common indicators (Regulation (EU) 2021/1057, Annex I) and the national code seen in use.
/// Names are from the regulation; only EECO01, EECR01, EECR04 and 6 00 00 were seen in real use, so the
/// other codes are marked unverified and an admin may correct them.
pub const CODEBOOK: &[IndicatorDef] = &[
    def("EECO01", "Celkový počet účastníků", "Total number of participants", "persons", "output", "Všichni účastníci, kteří do projektu vstoupili v daném období.", true, true),
    def("EECO02", "Nezaměstnaní, včetně dlouhodobě nezaměstnaných", "Unemployed, including long-term unemployed", "persons", "output", "Účastníci nezaměstnaní při vstupu (včetně dlouhodobě).", false, true),
    def("EECO03", "Dlouhodobě nezaměstnaní", "Long-term unemployed", "persons", "output", "Účastníci dlouhodobě nezaměstnaní při vstupu.", false, true),
    def("EECO04", "Neaktivní osoby", "Inactive", "persons", "output", "Účastníci ekonomicky neaktivní při vstupu.", false, true),
    def("EECO05", "Zaměstnaní, včetně OSVČ", "Employed, including self-employed", "persons", "output", "Účastníci zaměstnaní nebo OSVČ při vstupu.", false, true),
    def("EECO06", "Děti mladší 18 let", "Children below 18 years of age", "persons", "output", "Věk při vstupu nejvýše 17 let.", false, true),
    def("EECO07", "Mladí lidé ve věku 18–29 let", "Young people between 18 and 29 years of age", "persons", "output", "Věk při vstupu 18 až 29 let.", false, true),
    def("EECO08", "Účastníci ve věku 55 let a více", "Participants of 55 years of age and above", "persons", "output", "Věk při vstupu 55 let a více.", false, true),
    def("EECO09", "S nižším sekundárním vzděláním nebo nižším (ISCED 0–2)", "With lower secondary education or less (ISCED 0-2)", "persons", "output", "Nejvyšší dosažené vzdělání ISCED 0–2 při vstupu.", false, true),
    def("EECO10", "S vyšším sekundárním (ISCED 3) nebo postsekundárním vzděláním (ISCED 4)", "With upper secondary (ISCED 3) or post-secondary education (ISCED 4)", "persons", "output", "Nejvyšší dosažené vzdělání ISCED 3–4 při vstupu.", false, true),
    def("EECO11", "S terciárním vzděláním (ISCED 5–8)", "With tertiary education (ISCED 5 to 8)", "persons", "output", "Nejvyšší dosažené vzdělání ISCED 5–8 při vstupu.", false, true),
    def("EECO12", "Účastníci se zdravotním postižením", "Participants with disabilities", "persons", "output", "Zdravotní postižení při vstupu.", false, false),
    def("EECO13", "Státní příslušníci třetích zemí", "Third-country nationals", "persons", "output", "", false, false),
    def("EECO14", "Účastníci cizího původu", "Participants with a foreign background", "persons", "output", "", false, false),
    def("EECO15", "Menšiny (včetně marginalizovaných komunit, jako jsou Romové)", "Minorities (including marginalised communities such as the Roma)", "persons", "output", "", false, false),
    def("EECO16", "Osoby bez domova nebo vyloučené z přístupu k bydlení", "Homeless or affected by housing exclusion", "persons", "output", "", false, false),
    def("EECO17", "Účastníci z venkovských oblastí", "Participants from rural areas", "persons", "output", "", false, false),
    def("EECO18", "Počet podpořených orgánů veřejné správy nebo veřejných služeb", "Number of supported public administrations or public services at national, regional or local level", "entities", "output", "", false, false),
    def("EECO19", "Počet podpořených mikropodniků, malých a středních podniků", "Number of micro, small and medium-sized enterprises supported", "entities", "output", "", false, false),
    def("EECR01", "Účastníci, kteří po ukončení účasti hledají zaměstnání", "Participants engaged in job searching upon leaving", "persons", "result", "Účastníci, kteří v období projekt opustili a hledají zaměstnání.", true, true),
    def("EECR02", "Účastníci, kteří jsou po ukončení účasti ve vzdělávání nebo odborné přípravě", "Participants in education or training upon leaving", "persons", "result", "Účastníci, kteří v období projekt opustili a vzdělávají se.", false, true),
    def("EECR03", "Účastníci, kteří po ukončení účasti získali kvalifikaci", "Participants gaining a qualification upon leaving", "persons", "result", "Účastníci, kteří v období projekt opustili a získali kvalifikaci.", false, true),
    def("EECR04", "Účastníci, kteří jsou po ukončení účasti v zaměstnání, včetně OSVČ", "Participants in employment, including self-employment, upon leaving", "persons", "result", "Účastníci, kteří v období projekt opustili a jsou zaměstnaní nebo OSVČ.", true, true),
    def("EECR05", "Účastníci v zaměstnání, včetně OSVČ, šest měsíců po ukončení účasti", "Participants in employment, including self-employment, six months after leaving", "persons", "result", "Dlouhodobý výsledek; kód neověřen.", false, false),
    def("EECR06", "Účastníci s lepším postavením na trhu práce šest měsíců po ukončení účasti", "Participants with an improved labour market situation six months after leaving", "persons", "result", "Dlouhodobý výsledek; kód neověřen.", false, false),
    def("60000", "Celkový počet účastníků (OPZ 2014–2020)", "Total number of participants (OPZ 2014-2020)", "persons", "output", "Národní indikátor 6 00 00.", true, false),
];

/// Loads the indicator codebook; existing codes are left as an admin may have corrected them.
///
/// # Errors
/// Database errors.
pub async fn seed_codebook(db: &impl ConnectionTrait) -> Result<u64, ServiceError> {
    let mut added = 0;
    for d in CODEBOOK {
        added += indicator::Entity::insert(indicator::ActiveModel {
            code: Set(d.code.into()),
            name_cs: Set(d.name_cs.into()),
            name_en: Set(d.name_en.into()),
            unit: Set(d.unit.into()),
            kind: Set(d.kind.into()),
            definition: Set(d.definition.into()),
            code_verified: Set(d.verified),
            computed: Set(d.computed),
            ..Default::default()
        })
        .on_conflict(
            OnConflict::column(indicator::Column::Code)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(added)
}

fn def_dto(d: indicator::Model) -> IndicatorDefDto {
    IndicatorDefDto {
        id: d.id,
        code: d.code,
        name_cs: d.name_cs,
        name_en: d.name_en,
        unit: d.unit,
        kind: d.kind,
        code_verified: d.code_verified,
        computed: d.computed,
    }
}

/// The whole indicator codebook.
///
/// # Errors
/// Database errors.
pub async fn codebook(db: &impl ConnectionTrait) -> Result<Vec<IndicatorDefDto>, ServiceError> {
    Ok(indicator::Entity::find()
        .order_by_asc(indicator::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(def_dto)
        .collect())
}

/// Adds an indicator to the codebook (`id` None) or corrects one (its code too: codes of the longer-term
/// results are unverified). A corrected code is marked verified.
///
/// # Errors
/// Database errors; input problems are `EditOutcome::Invalid`.
pub async fn save_indicator_def(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    id: Option<i32>,
    input: &IndicatorDefInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let code = e.check("code", crate::domain::IndicatorCode::parse(&input.code));
    if input.name_cs.trim().is_empty() {
        e.add("name_cs", "Vyplňte český název indikátoru.");
    }
    if IndicatorUnit::from_code(&input.unit).is_err() {
        e.add("unit", "Vyberte měrnou jednotku.");
    }
    if !["output", "result"].contains(&input.kind.as_str()) {
        e.add("kind", "Vyberte druh indikátoru (výstup nebo výsledek).");
    }
    let Some(code) = code.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let mut dup = indicator::Entity::find().filter(indicator::Column::Code.eq(code.as_str()));
    if let Some(id) = id {
        dup = dup.filter(indicator::Column::Id.ne(id));
    }
    if dup.one(&txn).await?.is_some() {
        txn.rollback().await?;
        let mut e = FieldErrors::new();
        e.add(
            "code",
            format!("Indikátor {} už v číselníku je.", code.display()),
        );
        return Ok(EditOutcome::Invalid(e));
    }
    let mut am = match id {
        Some(id) => {
            let m = indicator::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(ServiceError::NotFound)?;
            let am: indicator::ActiveModel = m.into();
            am
        }
        None => indicator::ActiveModel {
            definition: Set(String::new()),
            computed: Set(false),
            ..Default::default()
        },
    };
    am.code = Set(code.as_str().to_string());
    am.name_cs = Set(input.name_cs.trim().to_string());
    am.name_en = Set(input.name_en.trim().to_string());
    am.unit = Set(input.unit.clone());
    am.kind = Set(input.kind.clone());
    am.code_verified = Set(true);
    let before = match id {
        Some(id) => super::audit::row::<indicator::Entity>(&txn, id).await?,
        None => None,
    };
    let saved = am.save(&txn).await?;
    let saved_id = match saved.id {
        sea_orm::ActiveValue::Set(v) | sea_orm::ActiveValue::Unchanged(v) => v,
        sea_orm::ActiveValue::NotSet => 0,
    };
    let after = super::audit::row::<indicator::Entity>(&txn, saved_id).await?;
    let action = if before.is_some() { "update" } else { "create" };
    super::audit::log(&txn, action, "indicator", saved_id, None, before, after).await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}

/// Adds a monitoring period after the last one (numbered like the implementation reports), within the
/// project's dates and not overlapping another.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_period(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    start: &str,
    end: &str,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let s = e.check("period_start", crate::domain::parse_czech_date(start));
    let en = e.check("period_end", crate::domain::parse_czech_date(end));
    let range = match (s, en) {
        (Some(s), Some(en)) => e.check("period_end", DateRange::new(s, en)),
        _ => None,
    };
    let Some(range) = range else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let p = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let existing = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .all(&txn)
        .await?;
    if range.start() < p.start_date || range.end() > p.end_date {
        e.add("period_end", "Období musí ležet v době realizace projektu.");
    } else if let Some(o) = existing
        .iter()
        .find(|o| o.start_date <= range.end() && range.start() <= o.end_date)
    {
        e.add(
            "period_start",
            format!("Období se překrývá s obdobím ZoR {}.", o.number),
        );
    }
    if !e.is_empty() {
        txn.rollback().await?;
        return Ok(EditOutcome::Invalid(e));
    }
    let created = monitoring_period::ActiveModel {
        project_id: Set(project_id),
        number: Set(existing.iter().map(|o| o.number).max().unwrap_or(0) + 1),
        start_date: Set(range.start()),
        end_date: Set(range.end()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::audit::created(
        &txn,
        "monitoring_period",
        created.id,
        Some(project_id),
        &created,
    )
    .await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}

/// Adds an indicator from the codebook to a project, with baseline, target and target date.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_project_indicator(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    input: &ProjectIndicatorInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let baseline = if input.baseline.trim().is_empty() {
        Ok(0)
    } else {
        parse_quantity(&input.baseline)
    };
    let baseline = baseline.map_err(|m| e.add("baseline", m)).ok();
    let target = parse_quantity(&input.target)
        .map_err(|m| e.add("target", m))
        .ok();
    let date = e.check(
        "target_date",
        crate::domain::parse_czech_date(&input.target_date),
    );
    let (Some(baseline), Some(target), Some(date)) = (baseline, target, date) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let p = project::Entity::find_by_id(project_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let def = indicator::Entity::find_by_id(input.indicator_id)
        .one(&txn)
        .await?;
    let taken = project_indicator::Entity::find()
        .filter(project_indicator::Column::ProjectId.eq(project_id))
        .filter(project_indicator::Column::IndicatorId.eq(input.indicator_id))
        .one(&txn)
        .await?
        .is_some();
    match &def {
        None => e.add("indicator_id", "Vyberte indikátor z číselníku."),
        Some(_) if taken => e.add("indicator_id", "Projekt už tento indikátor má."),
        Some(d) => {
            let unit = unit_of(d)?;
            e.check("baseline", unit.validate_value(from_milli(baseline)));
            e.check("target", unit.validate_value(from_milli(target)));
        }
    }
    if target == 0 {
        e.add("target", "Cílová hodnota musí být větší než nula.");
    }
    if date < p.start_date || date > p.end_date {
        e.add(
            "target_date",
            "Cílové datum musí ležet v době realizace projektu.",
        );
    }
    if !e.is_empty() {
        txn.rollback().await?;
        return Ok(EditOutcome::Invalid(e));
    }
    let created = project_indicator::ActiveModel {
        project_id: Set(project_id),
        indicator_id: Set(input.indicator_id),
        baseline_milli: Set(baseline),
        target_milli: Set(target),
        target_date: Set(date),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    super::audit::created(
        &txn,
        "project_indicator",
        created.id,
        Some(project_id),
        &created,
    )
    .await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}

/// The unit of a stored indicator of the codebook.
fn unit_of(def: &indicator::Model) -> Result<IndicatorUnit, ServiceError> {
    IndicatorUnit::from_code(&def.unit)
        .map_err(|e| ServiceError::Unexpected(format!("indicator {}: {e}", def.id)))
}

/// Converts stored thousandths into a quantity.
#[must_use]
pub fn from_milli(milli: i64) -> Decimal {
    Decimal::new(milli, 3).normalize()
}

/// Parses a quantity as typed ("12", "12,5", "1 234"), at most 3 decimal places, not negative.
///
/// # Errors
/// A Czech message saying what is expected.
pub fn parse_quantity(text: &str) -> Result<i64, String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    let value: Decimal = cleaned
        .parse()
        .map_err(|_| format!("„{}“ není číslo; zadejte např. 12 nebo 12,5.", text.trim()))?;
    if value.is_sign_negative() {
        return Err("Hodnota indikátoru nesmí být záporná.".into());
    }
    if value.scale() > 3 {
        return Err("Zadejte nejvýše 3 desetinná místa.".into());
    }
    value
        .checked_mul(Decimal::from(1000))
        .and_then(|v| v.trunc().to_string().parse::<i64>().ok())
        .ok_or_else(|| "Hodnota je příliš velká.".into())
}

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

/// Records the value achieved for an indicator in a period (new, or replacing the one at `version`).
///
/// # Errors
/// `NotFound` when the indicator or period is not the project's; database errors.
pub async fn set_achieved(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    project_indicator_id: i32,
    period_id: i32,
    version: Option<i32>,
    value: &str,
) -> Result<EditOutcome, ServiceError> {
    let milli = match parse_quantity(value) {
        Ok(m) => m,
        Err(msg) => {
            let mut e = FieldErrors::new();
            e.add("value", msg);
            return Ok(EditOutcome::Invalid(e));
        }
    };
    let txn = super::db::begin_write(db).await?;
    // Both children must be this project's before anything else is read about them.
    let pi = project_indicator::Entity::find_by_id(project_indicator_id)
        .filter(project_indicator::Column::ProjectId.eq(project_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    monitoring_period::Entity::find_by_id(period_id)
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let def = indicator::Entity::find_by_id(pi.indicator_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if let Err(err) = unit_of(&def)?.validate_value(from_milli(milli)) {
        txn.rollback().await?;
        let mut e = FieldErrors::new();
        e.add("value", err.to_string());
        return Ok(EditOutcome::Invalid(e));
    }
    let existing = indicator_value::Entity::find()
        .filter(indicator_value::Column::ProjectIndicatorId.eq(pi.id))
        .filter(indicator_value::Column::PeriodId.eq(period_id))
        .one(&txn)
        .await?;
    let outcome = match (existing, version) {
        (None, _) => {
            let created = indicator_value::ActiveModel {
                project_indicator_id: Set(pi.id),
                period_id: Set(period_id),
                achieved_milli: Set(milli),
                note: Set(String::new()),
                version: Set(1),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            super::audit::created(
                &txn,
                "indicator_value",
                created.id,
                Some(project_id),
                &created,
            )
            .await?;
            EditOutcome::Saved
        }
        (Some(v), Some(expected)) if v.version == expected => {
            let before = Some(super::audit::snapshot(&v));
            let res = indicator_value::Entity::update_many()
                .col_expr(indicator_value::Column::AchievedMilli, Expr::value(milli))
                .col_expr(indicator_value::Column::Version, Expr::value(expected + 1))
                // A value typed in by hand no longer belongs to the import that brought it, so that
                // import can no longer be reverted over it.
                .col_expr(
                    indicator_value::Column::ImportId,
                    Expr::value(Option::<i32>::None),
                )
                .filter(indicator_value::Column::Id.eq(v.id))
                .filter(indicator_value::Column::Version.eq(expected))
                .exec(&txn)
                .await?;
            let after = super::audit::row::<indicator_value::Entity>(&txn, v.id).await?;
            if res.rows_affected == 1 {
                super::audit::log(
                    &txn,
                    "update",
                    "indicator_value",
                    v.id,
                    Some(project_id),
                    before,
                    after,
                )
                .await?;
            }
            if res.rows_affected == 1 {
                EditOutcome::Saved
            } else {
                EditOutcome::Conflict(
                    "Hodnotu mezitím uložil někdo jiný. Načtěte stránku znovu.".into(),
                )
            }
        }
        (Some(v), _) => EditOutcome::Conflict(format!(
            "Hodnotu mezitím uložil někdo jiný ({}). Načtěte stránku znovu.",
            from_milli(v.achieved_milli)
        )),
    };
    if outcome == EditOutcome::Saved {
        txn.commit().await?;
    } else {
        txn.rollback().await?;
    }
    Ok(outcome)
}

/// The flag of an indicator whose fulfilment would trigger a financial correction: after the target
/// date by the fulfilment reached; before it by the fulfilment projected at the pace so far
/// (fulfilment ÷ share of the time from project start to target date that has elapsed).
#[must_use]
pub fn indicator_flag(
    code: &str,
    fulfilment_percent: Decimal,
    grant: Money,
    bands: &CorrectionBands,
    start: chrono::NaiveDate,
    target_date: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Option<Flag> {
    use crate::domain::{format_czech_date, format_percent};
    let (expected, projected) = if today >= target_date {
        (fulfilment_percent, None)
    } else {
        let elapsed = DateRange::new(start, target_date)
            .ok()?
            .elapsed_share(today);
        if elapsed.is_zero() {
            return None;
        }
        let p = (fulfilment_percent / elapsed).round_dp(1);
        (p, Some(p))
    };
    let correction = bands.projected_correction(grant, expected);
    if correction.is_zero() {
        return None;
    }
    let rate = format_percent(bands.correction_percent_for(expected));
    let message = match projected {
        None => format!(
            "{code} je k cílovému datu {} splněn na {}: podle pásem korekcí hrozí korekce {correction} ({rate} z {grant}).",
            format_czech_date(target_date),
            format_percent(fulfilment_percent)
        ),
        Some(p) => format!(
            "{code} je zatím splněn na {}; při dosavadním tempu bude k {} splněn na {}, což by znamenalo korekci {correction} ({rate} z {grant}).",
            format_percent(fulfilment_percent),
            format_czech_date(target_date),
            format_percent(p)
        ),
    };
    Some(Flag {
        kind: "indicator_short".into(),
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn quantities_parse_to_thousandths() {
        assert_eq!(parse_quantity("12"), Ok(12_000));
        assert_eq!(parse_quantity("12,5"), Ok(12_500));
        assert_eq!(parse_quantity("1 234,125"), Ok(1_234_125));
        assert!(parse_quantity("-1").unwrap_err().contains("záporná"));
        assert!(parse_quantity("1,2345")
            .unwrap_err()
            .contains("3 desetinná"));
        assert!(parse_quantity("abc").unwrap_err().contains("není číslo"));
        assert!(parse_quantity("100000000000000000000000000")
            .unwrap_err()
            .contains("příliš velká"));
        assert_eq!(from_milli(12_500).to_string(), "12.5");
    }

    #[test]
    fn indicator_on_pace_is_not_flagged_but_one_behind_is() {
        let bands = CorrectionBands::unverified_default();
        let grant = Money::parse("1 000 000,00").unwrap();
        // Half the time (1 Jan 2024 – 31 Dec 2025, today 1 Jan 2025: 367/731 days elapsed) and half the target:
        // projected 50 / (367/731) = 99.6 % → no correction.
        assert_eq!(
            indicator_flag(
                "EECO01",
                Decimal::from(50),
                grant,
                &bands,
                d(2024, 1, 1),
                d(2025, 12, 31),
                d(2025, 1, 1)
            ),
            None
        );
        // A quarter of the target at half the time: projected 25 / 0.502 = 49.8 % → the lowest default band.
        let flag = indicator_flag(
            "EECO01",
            Decimal::from(25),
            grant,
            &bands,
            d(2024, 1, 1),
            d(2025, 12, 31),
            d(2025, 1, 1),
        )
        .unwrap();
        let expected = bands.projected_correction(grant, Decimal::new(498, 1));
        assert!(!expected.is_zero());
        assert!(
            flag.message.contains(&expected.to_string()),
            "{}",
            flag.message
        );
        assert!(flag.message.contains("49,8"), "{}", flag.message);
    }

    #[test]
    fn after_the_target_date_the_reached_fulfilment_counts() {
        let bands = CorrectionBands::unverified_default();
        let grant = Money::parse("2 000 000,00").unwrap();
        let f = Decimal::from(60);
        let flag = indicator_flag(
            "EECR04",
            f,
            grant,
            &bands,
            d(2023, 1, 1),
            d(2024, 12, 31),
            d(2025, 3, 1),
        )
        .unwrap();
        assert!(flag
            .message
            .contains(&bands.projected_correction(grant, f).to_string()));
        assert!(indicator_flag(
            "EECR04",
            Decimal::from(100),
            grant,
            &bands,
            d(2023, 1, 1),
            d(2024, 12, 31),
            d(2025, 3, 1)
        )
        .is_none());
    }
}
