//! The indicator codebook (*číselník indikátorů*): the ESF+ common indicators the tracker ships, and the
//! admin's changes to them.

use crate::domain::{FieldErrors, IndicatorUnit};
use crate::dto::{EditOutcome, IndicatorDefDto, IndicatorDefInput};
use crate::services::ServiceError;
use entity::indicator;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

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

pub(super) fn def_dto(d: indicator::Model) -> IndicatorDefDto {
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
    let txn = crate::services::db::begin_write(db).await?;
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
        Some(id) => crate::services::audit::row::<indicator::Entity>(&txn, id).await?,
        None => None,
    };
    let saved = am.save(&txn).await?;
    let saved_id = match saved.id {
        sea_orm::ActiveValue::Set(v) | sea_orm::ActiveValue::Unchanged(v) => v,
        sea_orm::ActiveValue::NotSet => 0,
    };
    let after = crate::services::audit::row::<indicator::Entity>(&txn, saved_id).await?;
    let action = if before.is_some() { "update" } else { "create" };
    crate::services::audit::log(&txn, action, "indicator", saved_id, None, before, after).await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}
