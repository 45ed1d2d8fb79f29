//! The cell as the importer sees it, and its conversion from calamine's values (error literals, dates
//! in either date system, texts guarded against formulas). No cell value can make the conversion panic.

use calamine::{Data, DataRef};
use chrono::NaiveDate;

use crate::domain::sheet_values::excel_serial_to_date;

/// A cell as the importer sees it: calamine's value reduced to what matters for monitoring data.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Nothing, or a formula whose result is an empty text.
    #[default]
    Empty,
    /// Text (shared, inline or a formula's text result), as stored.
    Text(String),
    /// A number cell (or a formula's numeric result).
    Number(f64),
    /// An integer cell (`.xls` stores some numbers so).
    Int(i64),
    /// A boolean cell.
    Bool(bool),
    /// A date cell.
    Date(NaiveDate),
    /// An error result of a formula: `#N/A`, `#DIV/0!` …
    Error(String),
}

impl Cell {
    /// True for an empty cell or a text of only whitespace.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers in their shortest form (`60000`, `12.5`), dates in ISO form.
    #[must_use]
    pub fn as_text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(s) => s.clone(),
            Self::Number(n) => format!("{n}"),
            Self::Int(i) => i.to_string(),
            Self::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Self::Date(d) => d.to_string(),
            Self::Error(e) => e.clone(),
        }
    }

    /// The value as a report shows it: text as a JSON string, numbers as JSON numbers, empty as null.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Empty => serde_json::Value::Null,
            Self::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    // An integral value within i64's exact range: shown without a fraction.
                    #[allow(clippy::cast_possible_truncation)]
                    serde_json::Value::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number)
                }
            }
            Self::Int(i) => serde_json::Value::from(*i),
            Self::Bool(b) => serde_json::Value::from(*b),
            other => serde_json::Value::from(other.as_text()),
        }
    }
}

/// The error literals spreadsheets show for a failed formula. LibreOffice's `.ods` stores an error result
/// as its text (`#N/A`, `#DIV/0!`, `Err:502`), so such a text is an error cell too.
fn is_error_literal(s: &str) -> bool {
    matches!(
        s,
        "#N/A" | "#DIV/0!" | "#VALUE!" | "#REF!" | "#NAME?" | "#NUM!" | "#NULL!" | "#GETTING_DATA"
    ) || (s.starts_with("Err:") && s.len() == 7 && s[4..].bytes().all(|b| b.is_ascii_digit()))
}

fn text_cell(s: String) -> Cell {
    // A text the CSV export guarded against being run as a formula (`'=…`) is read without its `'`.
    let s = crate::domain::unguard_formula(s);
    if s.is_empty() {
        Cell::Empty
    } else if is_error_literal(s.trim()) {
        Cell::Error(s.trim().to_owned())
    } else {
        Cell::Text(s)
    }
}

pub(super) fn from_data(value: &Data, date1904: bool) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Int(*i),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt, date1904),
        Data::DateTimeIso(s) => iso_date_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

pub(super) fn from_data_ref(value: DataRef<'_>, date1904: bool) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s.to_owned()),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Int(i) => Cell::Int(i),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => date_cell(&dt, date1904),
        DataRef::DateTimeIso(s) => iso_date_cell(&s),
        DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A date cell, in the workbook's date system. Its serial number is converted here, never by chrono's
/// duration arithmetic (`ExcelDateTime::as_datetime` panics on a date-formatted 1e300): a serial outside
/// Excel's range stays a number, which a date column reports as an invalid date at its cell.
fn date_cell(dt: &calamine::ExcelDateTime, date1904: bool) -> Cell {
    let serial = dt.as_f64();
    if !dt.is_datetime() {
        return Cell::Number(serial);
    }
    excel_serial_to_date(serial, date1904).map_or(Cell::Number(serial), Cell::Date)
}

fn iso_date_cell(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or_else(|| Cell::Text(s.to_owned()), Cell::Date)
}
