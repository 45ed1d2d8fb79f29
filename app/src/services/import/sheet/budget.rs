//! Rows of budget lines (*Rozpočet*): project, item code, name, chapter, year, and the amount or units ×
//! unit price (simplified cost options). The field rules are those of the budget line form
//! ([`crate::domain::budget_line`]); the rules that need stored data (the cost model, what is drawn) are
//! applied when the row is stored.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::row::RowCtx;
use super::values::money_text;
use super::Lookups;
use crate::domain::budget_line::{check_line_amount, check_line_year, parse_chapter};
use crate::domain::{check_units, unit_amount, DateRange, LineCode, Money};
use crate::services::import::kinds::Field;

/// A budget line of a project for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetRow {
    pub reg_no: String,
    pub code: LineCode,
    /// `None`: the sheet gives no name (an existing line keeps its own).
    pub name: Option<String>,
    /// A chapter code; `None`: not given (an existing line keeps its own, a new one derives it).
    pub chapter: Option<&'static str>,
    pub year: i32,
    /// The amount, or units × unit price rounded once.
    pub amount: Money,
    /// Units and unit price of a line budgeted as units × unit price.
    pub units: Option<(Decimal, Money)>,
    /// The column a problem with the amount is reported at (the amount, or the units when the row gives
    /// units and no amount).
    pub amount_field: Field,
}

/// A row's amount, its units × unit price, and the column a problem with the amount is reported at.
struct Amount {
    amount: Money,
    units: Option<(Decimal, Money)>,
    field: Field,
}

fn code(ctx: &mut RowCtx<'_>) -> Option<LineCode> {
    let text = ctx.text(Field::BudgetLine, Some("kód položky"))?;
    match LineCode::parse(&text) {
        Ok(c) => {
            ctx.value(Field::BudgetLine, c.as_str());
            Some(c)
        }
        Err(e) => {
            ctx.err(Field::BudgetLine, "invalid_budget_code", e.to_string());
            None
        }
    }
}

/// The chapter: `Ok(None)` when not given, `Err(())` when given and unknown (reported).
fn chapter(ctx: &mut RowCtx<'_>) -> Result<Option<&'static str>, ()> {
    let Some(text) = ctx.text(Field::Chapter, None) else {
        return Ok(None);
    };
    match parse_chapter(&text) {
        Ok(c) => {
            ctx.value(Field::Chapter, c);
            Ok(Some(c))
        }
        Err(e) => {
            ctx.err(Field::Chapter, "invalid_chapter", e.to_string());
            Err(())
        }
    }
}

fn year(
    ctx: &mut RowCtx<'_>,
    range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
) -> Option<i32> {
    let value = ctx.count(Field::Year, Some("rok"))?;
    let Some(year) = value.to_i32() else {
        ctx.err(
            Field::Year,
            "invalid_year",
            "rok musí být čtyřmístné číslo, např. 2026",
        );
        return None;
    };
    let realisation = range.and_then(|(s, e)| DateRange::new(s, e).ok());
    if let Some(r) = realisation {
        if let Err(e) = check_line_year(year, &r) {
            ctx.err(Field::Year, "year_outside_project", e.to_string());
            return None;
        }
    }
    Some(year)
}

fn is_given(ctx: &RowCtx<'_>, field: Field) -> bool {
    ctx.has_column(field) && !ctx.get(field).is_blank()
}

/// Units × unit price, and the amount cell checked against it when it is filled in too.
fn units_amount(ctx: &mut RowCtx<'_>) -> Option<Amount> {
    let units = ctx
        .number(Field::Units, Some("počet jednotek"))
        .and_then(|n| match check_units(n, false) {
            Ok(u) => {
                ctx.value(Field::Units, u.to_string());
                Some(u)
            }
            Err(e) => {
                ctx.err(Field::Units, "invalid_units", e.to_string());
                None
            }
        });
    let price = ctx.money(Field::UnitPrice, "unit_price", Some("jednotková cena"));
    // A unit price is no amount of the sheet: not summed for total rows.
    ctx.readable_money.retain(|(key, _)| *key != "unit_price");
    let price = price.and_then(|p| match Money::from_decimal(p) {
        Ok(m) if !m.is_negative() && !m.is_zero() => Some(m),
        _ => {
            ctx.err(
                Field::UnitPrice,
                "invalid_unit_price",
                "jednotková cena musí být kladná částka, např. 450,00",
            );
            None
        }
    });
    let (units, price) = (units?, price?);
    let computed = match unit_amount(units, price) {
        Ok(a) => a,
        Err(e) => {
            ctx.err(Field::Units, "invalid_number", e.to_string());
            return None;
        }
    };
    if is_given(ctx, Field::Amount) {
        let given = ctx.money(Field::Amount, "amount", None)?;
        if given != computed.as_decimal() {
            ctx.err(
                Field::Amount,
                "amount_mismatch",
                format!(
                    "částka {} neodpovídá počtu jednotek × jednotkové ceně ({units} × {} = {})",
                    money_text(given),
                    money_text(price.as_decimal()),
                    money_text(computed.as_decimal())
                ),
            );
            return None;
        }
        Some(Amount {
            amount: computed,
            units: Some((units, price)),
            field: Field::Amount,
        })
    } else {
        ctx.readable_money.push(("amount", computed.as_decimal()));
        Some(Amount {
            amount: computed,
            units: Some((units, price)),
            field: Field::Units,
        })
    }
}

fn plain_amount(ctx: &mut RowCtx<'_>) -> Option<Amount> {
    let value = ctx.money(Field::Amount, "amount", Some("částka"))?;
    match Money::from_decimal(value).and_then(check_line_amount) {
        Ok(m) => Some(Amount {
            amount: m,
            units: None,
            field: Field::Amount,
        }),
        Err(e) => {
            ctx.err(Field::Amount, "negative_amount", e.to_string());
            None
        }
    }
}

pub(super) fn budget_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<BudgetRow> {
    let project = ctx.known_project(lookups);
    let code = code(ctx);
    let name = ctx.text(Field::Name, None);
    let chapter = chapter(ctx);
    let year = year(ctx, project.as_ref().and_then(|(_, p)| p.range));
    let by_units = is_given(ctx, Field::Units) || is_given(ctx, Field::UnitPrice);
    let amount = if by_units {
        units_amount(ctx)
    } else {
        plain_amount(ctx)
    };
    let (reg_no, _) = project?;
    if !ctx.errors.is_empty() {
        return None;
    }
    let Amount {
        amount,
        units,
        field,
    } = amount?;
    Some(BudgetRow {
        reg_no,
        code: code?,
        name,
        chapter: chapter.ok()?,
        year: year?,
        amount,
        units,
        amount_field: field,
    })
}
