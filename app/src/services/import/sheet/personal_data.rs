//! The scan of a sheet for birth numbers (*rodná čísla*), run over the whole sheet before any of its
//! rows is read, so that a sheet holding one is refused as a whole and nothing of it is stored (the
//! other sheets of the workbook import as usual). One error, `birth_number`, at the first such cell.
//!
//! What is refused, in any kind of sheet (`shared/docs/monitoring-sheets.md`, "Dates of birth"):
//! - a header naming a birth number (`Rodné číslo`, `RČ`, `Birth number`, folded like every header), in
//!   the header row or the second (English) header row below it;
//! - a value shaped like one ([`birth_number_shape`]), checked or not, in the columns below.
//!
//! Which columns are scanned, and for which shape, is a choice between missing personal data and
//! refusing a good sheet for a legitimate number:
//! - **participants** (kind 6, records of people): every column, known or not, both shapes (`RRMMDD/XXXX`
//!   and nine or ten bare digits, as text or as a whole number). No column of this kind legitimately
//!   holds a nine- or ten-digit number, so a numeric pseudonym of that length is refused too;
//! - **every other kind**: the free-text columns (names, descriptions, notes, supplier, beneficiary,
//!   role) for both shapes, and the unknown (ignored) columns for the slash form only. Bare nine- and
//!   ten-digit numbers are legitimate there (document numbers, variable symbols, contract numbers,
//!   amounts in an unknown column), so only the unmistakable `RRMMDD/XXXX` refuses the sheet. Typed
//!   columns (registration numbers, IČO, amounts, dates, codes, periods, document numbers) are not
//!   scanned: their values are checked by their own rules.
//!
//! The value found is never copied into the report (which the import history keeps): the error names
//! the cell only.

use super::parser::{header_texts, is_second_header, HEADER_SEARCH_ROWS};
use super::totals::is_total_row;
use crate::domain::personal_data::{
    birth_number_shape, names_birth_number, number_has_birth_number_shape, BirthNumberShape,
};
use crate::domain::sheet_values::cell_address;
use crate::dto::import::CellIssue;
use crate::services::import::kinds::{recognise, Columns, Field, SheetKind};
use crate::services::import::workbook::Cell;

/// Which shapes a column is scanned for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// Both shapes, in texts and whole numbers.
    Every,
    /// `RRMMDD/XXXX` in texts only.
    SlashOnly,
}

/// Known columns of free text, scanned for both shapes in every kind.
const FREE_TEXT: &[Field] = &[
    Field::Name,
    Field::Acronym,
    Field::Beneficiary,
    Field::Description,
    Field::Note,
    Field::IndicatorName,
    Field::Supplier,
    Field::Role,
];

enum State {
    LookingForHeader,
    Data {
        header_row: u32,
        kind: SheetKind,
        columns: Columns,
    },
    Done,
}

/// The scan of one sheet.
pub(super) struct PersonalDataScan {
    sheet: String,
    state: State,
}

impl PersonalDataScan {
    pub(super) fn new(sheet: &str) -> Self {
        Self {
            sheet: sheet.to_owned(),
            state: State::LookingForHeader,
        }
    }

    /// True when the rest of the sheet cannot change the answer (no header in the first rows).
    pub(super) fn is_done(&self) -> bool {
        matches!(self.state, State::Done)
    }

    /// Feeds one non-empty row; the error of the first birth number found (the scan is then done).
    pub(super) fn row(&mut self, row: u32, cells: &[Cell]) -> Option<CellIssue> {
        let found = match &self.state {
            State::Done => return None,
            State::LookingForHeader => {
                if row >= HEADER_SEARCH_ROWS {
                    self.state = State::Done;
                    return None;
                }
                let texts = header_texts(cells);
                let columns = recognise(&texts)?;
                let found = self.header_issue(row, &texts);
                self.state = State::Data {
                    header_row: row,
                    kind: columns.kind,
                    columns,
                };
                found
            }
            State::Data {
                header_row,
                kind,
                columns,
            } => {
                if row == header_row + 1 && is_second_header(cells) {
                    self.header_issue(row, &header_texts(cells))
                } else if is_total_row(cells) {
                    None
                } else {
                    self.value_issue(row, cells, *kind, columns)
                }
            }
        };
        if found.is_some() {
            self.state = State::Done;
        }
        found
    }

    fn header_issue(&self, row: u32, texts: &[(u32, String)]) -> Option<CellIssue> {
        let (col, text) = texts.iter().find(|(_, t)| names_birth_number(t))?;
        Some(self.issue(
            row,
            *col,
            serde_json::Value::from(text.clone()),
            format!(
                "sloupec „{}“ je rodné číslo; rodná čísla jsou osobní údaje a do evidence nepatří",
                text.trim()
            ),
        ))
    }

    fn value_issue(
        &self,
        row: u32,
        cells: &[Cell],
        kind: SheetKind,
        columns: &Columns,
    ) -> Option<CellIssue> {
        let col = cells.iter().enumerate().position(|(c, cell)| {
            let c = u32::try_from(c).unwrap_or(u32::MAX);
            scope(kind, columns, c).is_some_and(|s| shaped(cell, s))
        })?;
        Some(self.issue(
            row,
            u32::try_from(col).unwrap_or(u32::MAX),
            serde_json::Value::Null,
            "hodnota má tvar rodného čísla (RRMMDD/XXXX nebo RRMMDDXXXX); rodná čísla jsou osobní \
             údaje a do evidence nepatří (účastníka označte pseudonymem, např. U-0042)"
                .to_owned(),
        ))
    }

    fn issue(&self, row: u32, col: u32, value: serde_json::Value, what: String) -> CellIssue {
        CellIssue {
            sheet: self.sheet.clone(),
            cell: cell_address(&self.sheet, row, col),
            code: "birth_number".into(),
            value,
            message: format!(
                "{what}. Celý list „{}“ se proto odmítá a nic z něj se neuloží; odstraňte rodná čísla \
                 a nahrajte soubor znovu.",
                self.sheet
            ),
            candidates: Vec::new(),
        }
    }
}

/// How column `col` of a sheet of `kind` is scanned, if at all (see the module's documentation).
fn scope(kind: SheetKind, columns: &Columns, col: u32) -> Option<Scope> {
    if kind == SheetKind::Participants {
        return Some(Scope::Every);
    }
    match columns.found.iter().find(|(_, c, _)| *c == col) {
        Some((field, _, _)) => FREE_TEXT.contains(field).then_some(Scope::Every),
        None => Some(Scope::SlashOnly),
    }
}

fn shaped(cell: &Cell, scope: Scope) -> bool {
    match cell {
        Cell::Text(t) => match birth_number_shape(t) {
            Some(BirthNumberShape::Slash) => true,
            Some(BirthNumberShape::Bare) => scope == Scope::Every,
            None => false,
        },
        Cell::Number(n) => scope == Scope::Every && number_has_birth_number_shape(*n),
        #[allow(clippy::cast_precision_loss)] // a birth number has ten digits at most
        Cell::Int(i) => scope == Scope::Every && number_has_birth_number_shape(*i as f64),
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn text_row(cells: &[&str]) -> Vec<Cell> {
        cells
            .iter()
            .map(|c| {
                if c.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text((*c).to_owned())
                }
            })
            .collect()
    }

    fn scan(rows: &[Vec<Cell>]) -> Option<String> {
        let mut s = PersonalDataScan::new("L");
        for (i, r) in rows.iter().enumerate() {
            if let Some(issue) = s.row(u32::try_from(i).unwrap(), r) {
                assert_eq!(issue.code, "birth_number");
                return Some(issue.cell);
            }
        }
        None
    }

    const REG: &str = "CZ.03.02.01/00/25_106/0009001";

    #[test]
    fn a_participants_sheet_is_scanned_in_every_column() {
        let header = text_row(&["Reg. č.", "ID účastníka", "Datum vstupu", "Číslo"]);
        let clean = text_row(&[REG, "U-1", "1. 3. 2026", "U-7"]);
        assert_eq!(scan(&[header.clone(), clean.clone()]), None);
        let mut numeric = clean.clone();
        numeric[3] = Cell::Number(8_503_151_234.0);
        assert_eq!(
            scan(&[header.clone(), clean.clone(), numeric]).as_deref(),
            Some("L!D3")
        );
        let bare_id = text_row(&[REG, "1234567890", "1. 3. 2026", ""]);
        assert_eq!(scan(&[header, bare_id]).as_deref(), Some("L!B2"));
    }

    #[test]
    fn other_kinds_refuse_bare_digits_only_in_free_text() {
        let header = text_row(&[
            "Reg. č.",
            "Částka",
            "Položka rozpočtu",
            "Číslo dokladu",
            "VS",
            "Popis",
        ]);
        // A ten-digit document number, variable symbol and amount are fine.
        let mut ok = text_row(&[REG, "", "1.1.1.1", "2410001234", "2410001234", "mzda"]);
        ok[1] = Cell::Number(1_234_567_890.0);
        assert_eq!(scan(&[header.clone(), ok.clone()]), None);
        let slash_unknown = text_row(&[REG, "100", "1.1.1.1", "D-1", "850315/1234", ""]);
        assert_eq!(
            scan(&[header.clone(), ok.clone(), slash_unknown]).as_deref(),
            Some("L!E3")
        );
        let bare_free_text = text_row(&[REG, "100", "1.1.1.1", "D-1", "", "8503151234"]);
        assert_eq!(scan(&[header, bare_free_text]).as_deref(), Some("L!F2"));
    }

    #[test]
    fn a_header_naming_a_birth_number_is_found_first() {
        let header = text_row(&["Reg. č.", "ID účastníka", "Datum vstupu", "Rodné číslo"]);
        assert_eq!(scan(&[header]).as_deref(), Some("L!D1"));
        let czech = text_row(&["Reg. č.", "Částka", "Položka rozpočtu", "Poznámka"]);
        let english = text_row(&["Reg. no.", "Amount", "Budget line", "Birth number"]);
        assert_eq!(scan(&[czech, english]).as_deref(), Some("L!D2"));
    }

    #[test]
    fn a_sheet_of_no_known_kind_is_not_scanned() {
        let rows: Vec<Vec<Cell>> = (0..25).map(|_| text_row(&["850315/1234"])).collect();
        let mut s = PersonalDataScan::new("L");
        for (i, r) in rows.iter().enumerate() {
            assert!(s.row(u32::try_from(i).unwrap(), r).is_none());
        }
        assert!(s.is_done());
    }
}
