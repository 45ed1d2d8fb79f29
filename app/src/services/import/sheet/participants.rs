//! Rows of participants (*Účastníci*): pseudonym, entry and exit, gender, age, labour status,
//! ISCED, disability, exit situations; no personal data.

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;

use super::row::RowCtx;
use super::Lookups;
use crate::domain::age::{exact_age, on_band_edge, MAX_AGE_AT_ENTRY};
use crate::domain::sheet_values::age_in_entry_year;
use crate::domain::{
    fold_for_search, ExitSituation, Gender, LabourStatus, ParticipantInput, ParticipantRecord,
};
use crate::services::import::kinds::Field;

/// A participant record.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantRow {
    pub reg_no: String,
    pub record: ParticipantRecord,
}

fn yes_no(text: &str) -> Option<bool> {
    match fold_for_search(text).as_str() {
        "ano" | "a" | "yes" | "y" | "1" | "true" | "pravda" => Some(true),
        "ne" | "n" | "no" | "0" | "false" | "nepravda" => Some(false),
        _ => None,
    }
}

pub(super) fn participant_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<ParticipantRow> {
    let project = ctx.known_project(lookups);
    let pseudonym = ctx.text(Field::ParticipantId, Some("ID účastníka"));
    let entry = ctx.date(Field::EntryDate, Some("datum vstupu"));
    let exit = ctx.date(Field::ExitDate, None);
    if let (Some(en), Some(ex)) = (entry, exit) {
        if ex < en {
            ctx.err_value(
                Field::ExitDate,
                "exit_before_entry",
                serde_json::Value::from(ex.to_string()),
                "výstup je před vstupem",
            );
        }
    }
    let gender = ctx
        .text(Field::Gender, Some("pohlaví"))
        .and_then(|g| match Gender::parse(&g) {
            Ok(g) => {
                ctx.value(Field::Gender, g.label());
                Some(g)
            }
            Err(_) => {
                ctx.err(
                    Field::Gender,
                    "invalid_gender",
                    "pohlaví musí být M, Ž nebo X",
                );
                None
            }
        });
    let age = age_at_entry(ctx, entry);
    let status = ctx
        .text(Field::LabourStatus, Some("postavení na trhu práce"))
        .and_then(|s| match LabourStatus::parse(&s) {
            Ok(s) => Some(s),
            Err(_) => {
                ctx.err(
                    Field::LabourStatus,
                    "invalid_labour_status",
                    "neznámé postavení na trhu práce; čekalo se zaměstnaný, OSVČ, nezaměstnaný, \
                     dlouhodobě nezaměstnaný nebo neaktivní",
                );
                None
            }
        });
    let isced = match ctx.get(Field::Isced).clone() {
        c if c.is_blank() => None,
        _ => {
            let level = ctx.count(Field::Isced, None);
            match level.and_then(|l| l.to_u8()) {
                Some(l) if l <= 8 => Some(l),
                Some(_) => {
                    ctx.err(Field::Isced, "invalid_isced", "ISCED musí být 0–8");
                    None
                }
                None => None,
            }
        }
    };
    let disability = match ctx.text(Field::Disability, None) {
        None => false,
        Some(t) => yes_no(&t).unwrap_or_else(|| {
            ctx.err(Field::Disability, "invalid_yes_no", "čekalo se ano nebo ne");
            false
        }),
    };
    let exit_situations = match ctx.text(Field::ExitSituation, None) {
        None => Vec::new(),
        Some(t) => ExitSituation::parse_list(&t).unwrap_or_else(|_| {
            ctx.err(
                Field::ExitSituation,
                "invalid_exit_situation",
                "neznámá situace při výstupu; čekalo se hledá zaměstnání, vzdělávání, \
                 získal kvalifikaci nebo zaměstnán",
            );
            Vec::new()
        }),
    };
    let (reg_no, info) = project?;
    if let Some(en) = entry {
        if !ctx.within_project(Field::EntryDate, en, &info) {
            return None;
        }
    }
    if let Some(ex) = exit {
        if !ctx.within_project(Field::ExitDate, ex, &info) {
            return None;
        }
    }
    if !ctx.errors.is_empty() {
        return None;
    }
    let record = ParticipantRecord::new(ParticipantInput {
        pseudonym: pseudonym?,
        entry: entry?,
        exit,
        gender: gender?,
        age_at_entry: age?,
        status: status?,
        isced,
        disability,
        exit_situations,
    });
    match record {
        Ok(record) => Some(ParticipantRow { reg_no, record }),
        Err(e) => {
            let field = match e {
                crate::domain::DomainError::PseudonymLooksLikeBirthNumber
                | crate::domain::DomainError::PseudonymEmpty => Field::ParticipantId,
                crate::domain::DomainError::ExitSituationWithoutExit => Field::ExitSituation,
                _ => Field::ParticipantId,
            };
            let code = if field == Field::ParticipantId {
                "personal_data"
            } else {
                "invalid_exit_situation"
            };
            ctx.err_value(field, code, serde_json::Value::Null, e.to_string());
            None
        }
    }
}

/// The age at entry, from the first of these a row gives: the date of birth (exact to the day), the year
/// of birth (the age reached in the year of entry, with a warning when it sits on an edge of an age
/// band), the age at entry. The date of birth itself is never kept (data minimisation): not in the
/// record, not in the preview's values, not in an error's value.
fn age_at_entry(ctx: &mut RowCtx<'_>, entry: Option<NaiveDate>) -> Option<u8> {
    let given = |ctx: &RowCtx<'_>, f: Field| ctx.has_column(f) && !ctx.get(f).is_blank();
    if given(ctx, Field::BirthDate) {
        let birth = ctx.date_value(Field::BirthDate, None)?;
        let age = exact_age(birth, entry?)
            .and_then(|a| u8::try_from(a).ok())
            .filter(|a| *a <= MAX_AGE_AT_ENTRY);
        if age.is_none() {
            ctx.err_value(
                Field::BirthDate,
                "invalid_birth_date",
                serde_json::Value::Null,
                "datum narození musí být před datem vstupu a věk při vstupu nejvýše 120 let",
            );
        }
        return age;
    }
    if given(ctx, Field::BirthYear)
        || (ctx.has_column(Field::BirthYear) && !ctx.has_column(Field::AgeAtEntry))
    {
        let birth = ctx.count(Field::BirthYear, Some("rok narození"))?;
        let year = birth.to_i32().unwrap_or(0);
        let en = entry?;
        let age = age_in_entry_year(year, en);
        if !(1900..=en.year_ce_i32()).contains(&year) || !(0..=120).contains(&age) {
            ctx.err(
                Field::BirthYear,
                "invalid_birth_year",
                "rok narození musí být čtyřmístný rok před datem vstupu",
            );
            return None;
        }
        let age = u8::try_from(age).ok()?;
        if on_band_edge(age) {
            ctx.warn(
                Field::BirthYear,
                "age_band_edge",
                serde_json::Value::from(year),
                format!(
                    "věk {age} let je spočten jen z roku narození (rok vstupu − rok narození) a leží na \
                     hranici věkových skupin EECO06 (do 17 let), EECO07 (18–29 let) a EECO08 (55 let a \
                     více); skutečný věk při vstupu může být o rok nižší. Pro přesný výpočet uveďte \
                     sloupec „Datum narození“"
                ),
            );
        }
        return Some(age);
    }
    if ctx.has_column(Field::AgeAtEntry) {
        let a = ctx.count(Field::AgeAtEntry, Some("věk při vstupu"))?;
        let age = a.to_u8().filter(|a| *a <= MAX_AGE_AT_ENTRY);
        if age.is_none() {
            ctx.err(
                Field::AgeAtEntry,
                "invalid_birth_year",
                "věk musí být 0–120 let",
            );
        }
        return age;
    }
    let field = if ctx.has_column(Field::BirthDate) {
        Field::BirthDate
    } else {
        Field::BirthYear
    };
    ctx.missing(field, "datum narození, rok narození nebo věk při vstupu");
    None
}

/// Year helper without pulling `Datelike` into every caller.
trait YearCe {
    fn year_ce_i32(&self) -> i32;
}

impl YearCe for NaiveDate {
    fn year_ce_i32(&self) -> i32 {
        chrono::Datelike::year(self)
    }
}
