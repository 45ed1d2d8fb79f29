//! Rows of the official list of operations (*Seznam operací*): one row per project × public
//! procurement, rows of other programmes skipped, the project's amounts taken once.

use std::collections::HashSet;

use rust_decimal::Decimal;

use super::row::RowCtx;
use super::totals::money_fields;
use crate::services::import::kinds::{Field, SheetKind};

/// A row of the *Seznam operací* (the project part; procurement amounts are only summed).
#[derive(Debug, Clone, PartialEq)]
pub struct SeznamRow {
    pub reg_no: String,
    pub name: Option<String>,
    pub ico: String,
    /// Eligible expenditure in the legal act (*právní akt*).
    pub la_total: Option<Decimal>,
    /// The first row of this project in the sheet (later rows repeat its amounts).
    pub first_of_project: bool,
}

pub(super) enum SeznamProgramme {
    Ours,
    Other,
    Missing,
}

pub(super) fn seznam_programme(ctx: &mut RowCtx<'_>) -> SeznamProgramme {
    match ctx.text(Field::Programme, Some("číslo programu")) {
        None => SeznamProgramme::Missing,
        Some(t) => {
            let digits = t.strip_suffix(".0").unwrap_or(&t).trim();
            let code = format!("{digits:0>2}");
            if code == "03" {
                SeznamProgramme::Ours
            } else {
                SeznamProgramme::Other
            }
        }
    }
}

pub(super) fn seznam_row(ctx: &mut RowCtx<'_>, seen: &HashSet<String>) -> Option<SeznamRow> {
    let reg_no = ctx.reg_no();
    let ico = ctx.ico(Field::Ico, Some("IČ příjemce"));
    let name = ctx.text(Field::Name, None);
    let _ = ctx.date(Field::LegalActDate, None);
    let _ = ctx.date(Field::StartDate, None);
    let _ = ctx.date(Field::EndDate, None);
    let mut la_total = None;
    for (field, key) in money_fields(SheetKind::Seznam) {
        if ctx.has_column(*field) {
            let v = ctx.money(*field, key, None);
            if *field == Field::LaTotal {
                la_total = v;
            }
        }
    }
    let reg_no = reg_no?;
    let first_of_project = !seen.contains(&reg_no);
    Some(SeznamRow {
        reg_no,
        name,
        ico: ico?,
        la_total,
        first_of_project,
    })
}
