//! Rows of expenditures (*Výdaje*): project, budget line, amount, document, payment date.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::row::RowCtx;
use super::Lookups;
use crate::domain::sheet_values::PeriodRef;
use crate::services::import::kinds::Field;

/// An expenditure.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpenditureRow {
    pub reg_no: String,
    pub budget_line: String,
    pub amount: Decimal,
    pub document: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub period: Option<PeriodRef>,
    pub description: String,
    pub supplier: String,
}

pub(super) fn expenditure_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<ExpenditureRow> {
    let project = ctx.known_project(lookups);
    let document = ctx.text(Field::DocumentNumber, None);
    let budget_line = ctx.text(Field::BudgetLine, Some("položka rozpočtu"));
    if let Some(line) = &budget_line {
        ctx.value(Field::BudgetLine, line.clone());
    }
    let paid_on = ctx.date(Field::PaymentDate, None);
    let amount = ctx.money(Field::Amount, "amount", Some("částka"));
    if let Some(a) = amount {
        if a.is_sign_negative() && !a.is_zero() && document.is_none() {
            ctx.err(
                Field::Amount,
                "negative_amount_without_document",
                "záporná částka (opravný doklad, dobropis) musí mít číslo dokladu",
            );
        }
    }
    let period = if ctx.has_column(Field::Period) {
        ctx.period(Field::Period, None)
    } else {
        None
    };
    let description = ctx.text(Field::Description, None).unwrap_or_default();
    let supplier = ctx.text(Field::Supplier, None).unwrap_or_default();
    if ctx.has_column(Field::SupplierIco) {
        let _ = ctx.ico(Field::SupplierIco, None);
    }
    let (reg_no, info) = project?;
    if let Some(d) = paid_on {
        if !ctx.within_project(Field::PaymentDate, d, &info) {
            return None;
        }
    }
    if !ctx.errors.is_empty() {
        return None;
    }
    Some(ExpenditureRow {
        reg_no,
        budget_line: budget_line?,
        amount: amount?,
        document,
        paid_on,
        period,
        description,
        supplier,
    })
}
