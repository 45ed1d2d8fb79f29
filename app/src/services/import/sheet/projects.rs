//! Rows of the project list (*Projekty*): registration number, name, beneficiary, dates, budget.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::row::RowCtx;
use super::Lookups;
use crate::services::import::kinds::Field;

/// A project row (sheet *Projekty*).
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub reg_no: String,
    pub name: String,
    pub acronym: Option<String>,
    pub beneficiary: Option<String>,
    pub ico: Option<String>,
    pub call: Option<String>,
    pub status: Option<String>,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub budget: Option<Decimal>,
    pub target_groups: Vec<String>,
    pub description: Option<String>,
}

pub(super) fn project_row(ctx: &mut RowCtx<'_>, _lookups: &Lookups) -> Option<ProjectRow> {
    let reg_no = ctx.reg_no();
    let name = ctx.text(Field::Name, Some("název projektu"));
    let acronym = ctx.text(Field::Acronym, None);
    let beneficiary = ctx.text(Field::Beneficiary, None);
    let ico = ctx.ico(Field::Ico, None);
    let call = ctx.text(Field::Call, None);
    let status = ctx.text(Field::Status, None);
    let start = ctx.date(Field::StartDate, None);
    let end = ctx.date(Field::EndDate, None);
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            ctx.err_value(
                Field::EndDate,
                "end_before_start",
                serde_json::Value::from(e.to_string()),
                "konec je před začátkem projektu",
            );
        }
    }
    let budget = ctx.money(Field::Budget, "budget", None);
    if budget.is_some_and(|b| b.is_sign_negative() && !b.is_zero()) {
        ctx.err(
            Field::Budget,
            "negative_value",
            "rozpočet nesmí být záporný",
        );
    }
    let target_groups = ctx
        .text(Field::TargetGroups, None)
        .map(|t| {
            t.split([';', ','])
                .map(|g| g.trim().to_owned())
                .filter(|g| !g.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let description = ctx.text(Field::Description, None);
    Some(ProjectRow {
        reg_no: reg_no?,
        name: name?,
        acronym,
        beneficiary,
        ico,
        call,
        status,
        start,
        end,
        budget,
        target_groups,
        description,
    })
}
