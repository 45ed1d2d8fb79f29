//! The context of one data row: its cells by field, and the problems and normalised values it collects,
//! each at its cell address.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::domain::sheet_values::{cell_address, PeriodRef};
use crate::dto::import::CellIssue;
use crate::services::import::kinds::{Columns, Field};
use crate::services::import::workbook::Cell;

/// Results of parsing texts that repeat on many rows (registration numbers, periods, indicator codes),
/// so each distinct text is parsed once per sheet.
#[derive(Default)]
pub(super) struct ParseCache {
    pub(super) reg_no: HashMap<String, String>,
    pub(super) period: HashMap<String, Option<PeriodRef>>,
    pub(super) indicator: HashMap<String, Option<String>>,
}

pub(super) struct RowCtx<'c> {
    pub(super) sheet: &'c str,
    pub(super) row: u32,
    pub(super) cells: &'c [Cell],
    pub(super) columns: &'c Columns,
    pub(super) errors: Vec<CellIssue>,
    pub(super) warnings: Vec<CellIssue>,
    pub(super) values: Vec<(String, String)>,
    pub(super) collect: bool,
    /// The workbook's date system: bare serial numbers in date columns count from 1904-01-01.
    pub(super) date1904: bool,
    pub(super) readable_money: Vec<(&'static str, Decimal)>,
    pub(super) cache: &'c mut ParseCache,
}

impl<'c> RowCtx<'c> {
    pub(super) fn get(&self, field: Field) -> &'c Cell {
        static EMPTY: Cell = Cell::Empty;
        let cells: &'c [Cell] = self.cells;
        self.columns
            .column(field)
            .and_then(|c| cells.get(c as usize))
            .unwrap_or(&EMPTY)
    }

    pub(super) fn has_column(&self, field: Field) -> bool {
        self.columns.column(field).is_some()
    }

    pub(super) fn addr(&self, field: Field) -> String {
        let col = self
            .columns
            .column(field)
            .or_else(|| self.columns.column(Field::RegNo))
            .unwrap_or(0);
        cell_address(self.sheet, self.row, col)
    }

    pub(super) fn issue(
        &self,
        field: Field,
        code: &str,
        value: serde_json::Value,
        message: String,
    ) -> CellIssue {
        CellIssue {
            sheet: self.sheet.to_owned(),
            cell: self.addr(field),
            code: code.to_owned(),
            value,
            message,
            candidates: Vec::new(),
        }
    }

    pub(super) fn err(&mut self, field: Field, code: &str, message: impl Into<String>) {
        // A date of birth is read only to compute an age: it is never copied into the report.
        let value = if field == Field::BirthDate {
            serde_json::Value::Null
        } else {
            self.get(field).to_json()
        };
        let issue = self.issue(field, code, value, message.into());
        self.errors.push(issue);
    }

    pub(super) fn err_value(
        &mut self,
        field: Field,
        code: &str,
        value: serde_json::Value,
        message: impl Into<String>,
    ) {
        let issue = self.issue(field, code, value, message.into());
        self.errors.push(issue);
    }

    pub(super) fn warn(
        &mut self,
        field: Field,
        code: &str,
        value: serde_json::Value,
        message: impl Into<String>,
    ) {
        let issue = self.issue(field, code, value, message.into());
        self.warnings.push(issue);
    }

    pub(super) fn value(&mut self, field: Field, normalised: impl Into<String>) {
        if self.collect {
            let addr = self.addr(field);
            self.values.push((addr, normalised.into()));
        }
    }

    pub(super) fn missing(&mut self, field: Field, what: &str) {
        self.err_value(
            field,
            "missing_value",
            serde_json::Value::Null,
            format!("chybí povinná hodnota ({what})"),
        );
    }

    pub(super) fn cell_error(&mut self, field: Field, expected: &str) {
        let text = self.get(field).as_text();
        self.err(
            field,
            "cell_error",
            format!("hodnota je chyba {text} (vzorec), čekal(a) se {expected}"),
        );
    }
}
