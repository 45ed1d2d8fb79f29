//! What an applied row leaves behind: the per-sheet counts and change lines of the report, the
//! before-image of a changed record (which makes the import revertible), and refusals as cell issues.

use chrono::NaiveDate;
use sea_orm::Set;

use entity::import_change;

use super::{Planner, Refusal};
use crate::domain::format_czech_date;
use crate::domain::sheet_values::cell_address;
use crate::dto::import::{CellIssue, ChangeLine, ImportReport, MAX_CHANGE_LINES};
use crate::services::import::kinds::{Columns, Field};

#[derive(Default)]
pub(super) struct SheetStats {
    pub(super) new: u32,
    pub(super) changed: u32,
    pub(super) unchanged: u32,
    pub(super) invalid: u32,
    pub(super) errors: Vec<CellIssue>,
    pub(super) warnings: Vec<CellIssue>,
    pub(super) changes: Vec<ChangeLine>,
    pub(super) omitted: u32,
    /// Errors beyond the stored maximum, only counted.
    pub(super) dropped_issues: u32,
}

impl SheetStats {
    pub(super) fn line(&mut self, line: ChangeLine) {
        if self.changes.len() < MAX_CHANGE_LINES {
            self.changes.push(line);
        } else {
            self.omitted += 1;
        }
    }
}

/// The key of a before-image that holds a whole removed row (to insert again on revert).
pub(super) const REMOVED_ROW: &str = "removed_row";

pub(super) fn date_label(d: Option<NaiveDate>) -> String {
    d.map(format_czech_date).unwrap_or_default()
}

pub(super) fn issue(sheet: &str, row: u32, columns: &Columns, r: Refusal) -> CellIssue {
    let col = columns
        .column(r.field)
        .or_else(|| columns.column(Field::RegNo))
        .unwrap_or(0);
    CellIssue {
        sheet: sheet.to_owned(),
        cell: cell_address(sheet, row, col),
        code: r.code.to_owned(),
        value: r.value,
        message: r.message,
        candidates: Vec::new(),
    }
}

impl Planner<'_> {
    pub(super) fn before(&mut self, entity: &str, id: i32, json: serde_json::Value) {
        let project = if entity == "project" {
            Some(id)
        } else {
            self.current_project
        };
        self.pending_audit = Some((entity.to_owned(), id, project));
        self.befores.push(import_change::ActiveModel {
            import_id: Set(self.import_id),
            entity: Set(entity.to_owned()),
            record_id: Set(id),
            before_json: Set(json.to_string()),
            ..Default::default()
        });
        self.records_changed += 1;
    }

    /// Keeps the whole row of a record this import removed, so that a revert inserts it again. The row is
    /// no longer there to count as the import's, so it is not one of its changed records.
    pub(super) fn removed(&mut self, entity: &str, id: i32, row: serde_json::Value) {
        self.befores.push(import_change::ActiveModel {
            import_id: Set(self.import_id),
            entity: Set(entity.to_owned()),
            record_id: Set(id),
            before_json: Set(serde_json::json!({ REMOVED_ROW: row }).to_string()),
            ..Default::default()
        });
    }

    /// Adds the database-side counts, errors and change lines to the parse report.
    pub fn merge_into(&mut self, report: &mut ImportReport) {
        for (index, stats) in std::mem::take(&mut self.stats) {
            let Some(sheet) = report.sheets.get_mut(index) else {
                continue;
            };
            sheet.new_rows = stats.new;
            sheet.changed_rows = stats.changed;
            sheet.unchanged_rows = stats.unchanged;
            sheet.valid_rows = sheet.valid_rows.saturating_sub(stats.invalid);
            sheet.invalid_rows += stats.invalid;
            sheet.extend_errors(stats.errors);
            sheet.extend_warnings(stats.warnings);
            sheet.changes = stats.changes;
            sheet.changes_omitted = stats.omitted;
            sheet.issues_omitted = sheet.issues_omitted.saturating_add(stats.dropped_issues);
        }
    }
}
