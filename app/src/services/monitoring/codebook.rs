//! The indicator codebook (*číselník indikátorů*): the ESF+ common indicators the tracker ships, and the
//! admin's changes to them.

use crate::domain::indicator_names as names;
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
    name: names::IndicatorName,
    unit: &'static str,
    kind: &'static str,
    definition: &'static str,
    verified: bool,
    computed: bool,
) -> IndicatorDef {
    IndicatorDef {
        code: name.code,
        name_cs: name.cs,
        name_en: name.en,
        unit,
        kind,
        definition,
        verified,
        computed,
    }
}

/// The ESF+ common indicators (Regulation (EU) 2021/1057, Annex I) and the national code seen in use.
/// Names are from [`names`] (the regulation's Czech text); only EECO01, EECR01, EECR04 and 6 00 00 were seen in real use, so the
/// other codes are marked unverified and an admin may correct them.
pub const CODEBOOK: &[IndicatorDef] = &[
    def(
        names::EECO01,
        "persons",
        "output",
        "Všichni účastníci, kteří do projektu vstoupili v daném období.",
        true,
        true,
    ),
    def(
        names::EECO02,
        "persons",
        "output",
        "Účastníci nezaměstnaní při vstupu (včetně dlouhodobě).",
        false,
        true,
    ),
    def(
        names::EECO03,
        "persons",
        "output",
        "Účastníci dlouhodobě nezaměstnaní při vstupu.",
        false,
        true,
    ),
    def(
        names::EECO04,
        "persons",
        "output",
        "Účastníci ekonomicky neaktivní při vstupu.",
        false,
        true,
    ),
    def(
        names::EECO05,
        "persons",
        "output",
        "Účastníci zaměstnaní nebo OSVČ při vstupu.",
        false,
        true,
    ),
    def(
        names::EECO06,
        "persons",
        "output",
        "Věk při vstupu nejvýše 17 let.",
        false,
        true,
    ),
    def(
        names::EECO07,
        "persons",
        "output",
        "Věk při vstupu 18 až 29 let.",
        false,
        true,
    ),
    def(
        names::EECO08,
        "persons",
        "output",
        "Věk při vstupu 55 let a více.",
        false,
        true,
    ),
    def(
        names::EECO09,
        "persons",
        "output",
        "Nejvyšší dosažené vzdělání ISCED 0–2 při vstupu.",
        false,
        true,
    ),
    def(
        names::EECO10,
        "persons",
        "output",
        "Nejvyšší dosažené vzdělání ISCED 3–4 při vstupu.",
        false,
        true,
    ),
    def(
        names::EECO11,
        "persons",
        "output",
        "Nejvyšší dosažené vzdělání ISCED 5–8 při vstupu.",
        false,
        true,
    ),
    def(
        names::EECO12,
        "persons",
        "output",
        "Zdravotní postižení při vstupu.",
        false,
        true,
    ),
    def(names::EECO13, "persons", "output", "", false, false),
    def(names::EECO14, "persons", "output", "", false, false),
    def(names::EECO15, "persons", "output", "", false, false),
    def(names::EECO16, "persons", "output", "", false, false),
    def(names::EECO17, "persons", "output", "", false, false),
    def(names::EECO18, "entities", "output", "", false, false),
    def(names::EECO19, "entities", "output", "", false, false),
    def(
        names::EECR01,
        "persons",
        "result",
        "Účastníci, kteří v období projekt opustili a hledají zaměstnání.",
        true,
        true,
    ),
    def(
        names::EECR02,
        "persons",
        "result",
        "Účastníci, kteří v období projekt opustili a vzdělávají se.",
        false,
        true,
    ),
    def(
        names::EECR03,
        "persons",
        "result",
        "Účastníci, kteří v období projekt opustili a získali kvalifikaci.",
        false,
        true,
    ),
    def(
        names::EECR04,
        "persons",
        "result",
        "Účastníci, kteří v období projekt opustili a jsou zaměstnaní nebo OSVČ.",
        true,
        true,
    ),
    def(
        names::EECR05,
        "persons",
        "result",
        "Dlouhodobý výsledek; kód neověřen.",
        false,
        false,
    ),
    def(
        names::EECR06,
        "persons",
        "result",
        "Dlouhodobý výsledek; kód neověřen.",
        false,
        false,
    ),
    def(
        names::NCI_60000,
        "persons",
        "output",
        "Národní indikátor 6 00 00.",
        true,
        false,
    ),
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
