//! Reading a cell as a value: text, money (rounded once to haléře), numbers, counts, quantities and
//! dates, each refusal reported at the cell.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::row::RowCtx;
use crate::domain::sheet_values::{
    decimal_from_cell_number, excel_serial_to_date, parse_date_text, parse_number_text, round_money,
};
use crate::domain::{DomainError, IndicatorUnit};
use crate::services::import::kinds::Field;
use crate::services::import::workbook::Cell;

/// Money as the report writes it: two decimal places, dot as decimal mark.
#[must_use]
pub fn money_text(value: Decimal) -> String {
    format!("{:.2}", round_money(value))
}

pub(super) fn money_json(value: Decimal) -> serde_json::Value {
    serde_json::Value::from(money_text(value))
}

/// Reads a money cell: `Ok(None)` when blank, `Err(code)` when unreadable.
pub(super) fn money_of(cell: &Cell) -> Result<Option<Decimal>, &'static str> {
    match cell {
        Cell::Empty => Ok(None),
        Cell::Text(t) if t.trim().is_empty() => Ok(None),
        Cell::Number(n) => decimal_from_cell_number(*n)
            .map(|d| Some(round_money(d)))
            .ok_or("invalid_number"),
        Cell::Int(i) => Ok(Some(Decimal::from(*i))),
        Cell::Text(t) => parse_number_text(t)
            .map(|d| Some(round_money(d)))
            .ok_or("invalid_number"),
        Cell::Error(_) => Err("cell_error"),
        Cell::Bool(_) | Cell::Date(_) => Err("invalid_number"),
    }
}

/// The largest amount a money column accepts (as the registry: 999 999 999 999,99 Kč).
pub(super) fn money_in_range(value: Decimal) -> bool {
    value.abs() <= Decimal::new(99_999_999_999_999, 2)
}

impl<'c> RowCtx<'c> {
    /// Like [`RowCtx::text`], borrowing the text of a text cell instead of copying it.
    pub(super) fn text_ref(
        &mut self,
        field: Field,
        required: Option<&str>,
    ) -> Option<std::borrow::Cow<'c, str>> {
        let cell = self.get(field);
        match cell {
            Cell::Text(t) if !t.trim().is_empty() => Some(std::borrow::Cow::Borrowed(t.trim())),
            _ => self.text(field, required).map(std::borrow::Cow::Owned),
        }
    }

    /// Non-blank text of a cell (numbers as their shortest text); `None` when blank or an error cell
    /// (reported when `required`).
    pub(super) fn text(&mut self, field: Field, required: Option<&str>) -> Option<String> {
        let cell = self.get(field);
        match cell {
            Cell::Error(_) => {
                self.cell_error(field, required.unwrap_or("text"));
                None
            }
            c if c.is_blank() => {
                if let Some(what) = required {
                    self.missing(field, what);
                }
                None
            }
            Cell::Text(t) => Some(t.trim().to_owned()),
            c => Some(c.as_text().trim().to_owned()),
        }
    }

    /// A money cell, rounded once to haléře. Readable amounts are remembered for total-row checks even
    /// when the row has other errors.
    pub(super) fn money(
        &mut self,
        field: Field,
        key: &'static str,
        required: Option<&str>,
    ) -> Option<Decimal> {
        let cell = self.get(field);
        match money_of(cell) {
            Ok(None) => {
                if let Some(what) = required {
                    self.missing(field, what);
                }
                None
            }
            Ok(Some(v)) if !money_in_range(v) => {
                self.err(
                    field,
                    "invalid_number",
                    "částka je mimo rozsah ±999 999 999 999,99 Kč",
                );
                None
            }
            Ok(Some(v)) => {
                self.readable_money.push((key, v));
                self.value(field, money_text(v));
                Some(v)
            }
            Err("cell_error") => {
                self.cell_error(field, "částka");
                None
            }
            Err(_) => {
                self.err(
                    field,
                    "invalid_number",
                    "text není číslo; čekala se částka, např. 1 234 567,89",
                );
                None
            }
        }
    }

    /// A number cell's value; `None` (reported) when blank but required, an error cell or not a number.
    pub(super) fn number(&mut self, field: Field, required: Option<&str>) -> Option<Decimal> {
        let cell = self.get(field);
        let value = match cell {
            Cell::Error(_) => {
                self.cell_error(field, "číslo");
                return None;
            }
            c if c.is_blank() => {
                if let Some(what) = required {
                    self.missing(field, what);
                }
                return None;
            }
            Cell::Number(n) => decimal_from_cell_number(*n),
            Cell::Int(i) => Some(Decimal::from(*i)),
            Cell::Text(t) => parse_number_text(t),
            _ => None,
        };
        if value.is_none() {
            self.err(
                field,
                "invalid_number",
                "text není číslo; čekalo se číslo, např. 1 204 nebo 12,5",
            );
        }
        value
    }

    /// A value of an indicator with `unit` (achieved or target), checked by the same rule as the
    /// indicator forms ([`IndicatorUnit::validate_value`]): not negative, whole for persons and entities.
    /// With the indicator unknown (reported at its code) a value need only not be negative.
    pub(super) fn quantity(
        &mut self,
        field: Field,
        required: Option<&str>,
        unit: Option<IndicatorUnit>,
    ) -> Option<Decimal> {
        let value = self.number(field, required)?;
        if let Err(e) = unit.unwrap_or(IndicatorUnit::Other).validate_value(value) {
            let code = match e {
                DomainError::IndicatorValueNotWhole { .. } => "not_whole_number",
                _ => "negative_value",
            };
            self.err(field, code, e.to_string());
            return None;
        }
        self.bounded(field, value)
    }

    /// A non-negative whole number (a year, an age, a level).
    pub(super) fn count(&mut self, field: Field, required: Option<&str>) -> Option<Decimal> {
        let value = self.number(field, required)?;
        if value.is_sign_negative() && !value.is_zero() {
            self.err(
                field,
                "negative_value",
                "záporná hodnota; počet nesmí být záporný",
            );
            return None;
        }
        if !value.fract().is_zero() {
            self.err(field, "not_whole_number", "hodnota není celé číslo");
            return None;
        }
        self.bounded(field, value)
    }

    /// `value` when it is at most a billion (normalised, and remembered for the preview).
    pub(super) fn bounded(&mut self, field: Field, value: Decimal) -> Option<Decimal> {
        if value > Decimal::from(1_000_000_000_i64) {
            self.err(field, "invalid_number", "počet je nepřiměřeně velký");
            return None;
        }
        let value = value.normalize();
        self.value(field, value.to_string());
        Some(value)
    }

    /// A date cell, a bare serial number in the workbook's date system, or a date typed as text.
    pub(super) fn date(&mut self, field: Field, required: Option<&str>) -> Option<NaiveDate> {
        let date = self.date_value(field, required)?;
        self.value(field, date.to_string());
        Some(date)
    }

    /// Like [`RowCtx::date`], without remembering the value for the preview (a date of birth is read
    /// only to compute an age).
    pub(super) fn date_value(&mut self, field: Field, required: Option<&str>) -> Option<NaiveDate> {
        let cell = self.get(field);
        let serial = match cell {
            Cell::Error(_) => {
                self.cell_error(field, "datum");
                return None;
            }
            c if c.is_blank() => {
                if let Some(what) = required {
                    self.missing(field, what);
                }
                return None;
            }
            Cell::Date(d) => return Some(*d),
            Cell::Number(n) => Some(*n),
            #[allow(clippy::cast_precision_loss)]
            Cell::Int(i) => Some(*i as f64),
            Cell::Text(t) => match parse_date_text(t) {
                Some(d) => return Some(d),
                None => None,
            },
            Cell::Bool(_) | Cell::Empty => None,
        };
        if let Some(serial) = serial {
            if let Some(d) = excel_serial_to_date(serial, self.date1904) {
                return Some(d);
            }
            let max = if self.date1904 {
                "2 957 003 (systém dat od roku 1904)"
            } else {
                "2 958 465"
            };
            self.err(
                field,
                "invalid_date",
                format!(
                    "číslo není datum: pořadové číslo dne v Excelu musí být 0 až {max} \
                     (nejpozději 31. 12. 9999); čekalo se např. 31. 12. 2025"
                ),
            );
            return None;
        }
        self.err(
            field,
            "invalid_date",
            "neplatné datum; čekalo se např. 31. 12. 2025 nebo 2025-12-31",
        );
        None
    }
}
