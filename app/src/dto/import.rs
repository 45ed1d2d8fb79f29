//! The import report: what a spreadsheet import found, would change or changed. The same structure is the
//! browser's preview, the CLI's `--format json` output and the stored import history.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A problem at one cell (`Výdaje!E17`), with the value found and a Czech message saying what was
/// expected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CellIssue {
    /// The sheet's name.
    pub sheet: String,
    /// `Sheet!A1` address.
    pub cell: String,
    /// Machine code (`invalid_number`, `unknown_project`, …).
    pub code: String,
    /// The value found: a string, a number or null.
    pub value: serde_json::Value,
    /// Czech message.
    pub message: String,
    /// For an ambiguous municipality name: the municipalities it could be.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<MunicipalityCandidate>,
}

/// One of several municipalities a name could mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityCandidate {
    /// Six-digit code.
    pub code: String,
    /// Name.
    pub name: String,
    /// District (*okres*).
    pub district: String,
}

/// A total row (`Celkem`) checked against the rows above it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotalCheck {
    /// 1-based sheet row.
    pub row: u32,
    /// Money column key (`amount`, `budget`).
    pub column: String,
    /// `Sheet!A1`.
    pub cell: String,
    /// The total in the file (decimal string), if readable.
    pub value: Option<String>,
    /// The sum of the amounts read from the rows above (decimal string).
    pub sum_of_rows_above: String,
    /// Whether they agree.
    pub matches: bool,
}

/// One planned or made change: a record that is new, or a field that changes from old to new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeLine {
    /// 1-based sheet row.
    pub row: u32,
    /// What the record is, e.g. `CZ.03…/0002653 · EECO01 · ZoR 1`.
    pub record: String,
    /// `new` or `changed`.
    pub action: String,
    /// The changed field (Czech label); empty for a new record.
    pub field: String,
    /// Old value as shown to users; empty for a new record.
    pub old: String,
    /// New value as shown to users.
    pub new: String,
}

/// What an import did or would do with one sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SheetReport {
    /// The sheet's name.
    pub name: String,
    /// `projects`, `seznam`, `indicators`, `expenditures`, `municipalities`, `participants`, or `None` for
    /// a sheet of no known kind.
    pub kind: Option<String>,
    /// Czech label of the kind.
    pub kind_label: String,
    /// 1-based header row.
    pub header_row: Option<u32>,
    /// 1-based second (e.g. English) header row.
    pub second_header_row: Option<u32>,
    /// 1-based first row after the header(s).
    pub first_data_row: Option<u32>,
    /// For a sheet of no known kind: the texts of its most header-like row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    /// Columns with unknown headers, ignored.
    #[serde(default)]
    pub ignored_columns: Vec<String>,
    /// Rows holding data (blank, note-only and total rows are not counted).
    pub data_rows: u32,
    /// Data rows without errors.
    pub valid_rows: u32,
    /// Data rows with at least one error.
    pub invalid_rows: u32,
    /// Valid rows that add a record.
    pub new_rows: u32,
    /// Valid rows that change a record.
    pub changed_rows: u32,
    /// Valid rows equal to what is stored.
    pub unchanged_rows: u32,
    /// Seznam operací: rows of other programmes than 03, skipped (1-based rows).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_other_programme_rows: Vec<u32>,
    /// Seznam operací: distinct projects among the valid rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_valid_projects: Option<u32>,
    /// Sum of each money column over the valid rows (decimal strings with 2 places).
    #[serde(default)]
    pub money_totals: BTreeMap<String, String>,
    /// Total rows and their check.
    #[serde(default)]
    pub total_rows: Vec<TotalCheck>,
    /// Errors (each makes its row invalid).
    pub errors: Vec<CellIssue>,
    /// Warnings (the row stays valid).
    pub warnings: Vec<CellIssue>,
    /// The first changes, old → new (at most [`MAX_CHANGE_LINES`] per sheet).
    #[serde(default)]
    pub changes: Vec<ChangeLine>,
    /// How many change lines were left out of `changes`.
    #[serde(default)]
    pub changes_omitted: u32,
    /// Errors and warnings left out: beyond [`MAX_ISSUES_STORED`] per sheet (never kept), and beyond
    /// [`MAX_ISSUES_SHOWN`] in the browser. The row counts stay complete.
    #[serde(default)]
    pub issues_omitted: u32,
}

/// Errors and warnings of each kind kept per sheet in a report (in memory, stored and printed): a
/// million wrong rows must not become a million messages. The rest are only counted.
pub const MAX_ISSUES_STORED: usize = 1_000;

impl SheetReport {
    /// Adds an error, or counts it when the sheet already has [`MAX_ISSUES_STORED`].
    pub fn push_error(&mut self, issue: CellIssue) {
        if self.errors.len() < MAX_ISSUES_STORED {
            self.errors.push(issue);
        } else {
            self.issues_omitted = self.issues_omitted.saturating_add(1);
        }
    }

    /// Adds a warning, or counts it when the sheet already has [`MAX_ISSUES_STORED`].
    pub fn push_warning(&mut self, issue: CellIssue) {
        if self.warnings.len() < MAX_ISSUES_STORED {
            self.warnings.push(issue);
        } else {
            self.issues_omitted = self.issues_omitted.saturating_add(1);
        }
    }

    /// Adds errors (see [`Self::push_error`]).
    pub fn extend_errors(&mut self, issues: impl IntoIterator<Item = CellIssue>) {
        for i in issues {
            self.push_error(i);
        }
    }

    /// Adds warnings (see [`Self::push_warning`]).
    pub fn extend_warnings(&mut self, issues: impl IntoIterator<Item = CellIssue>) {
        for i in issues {
            self.push_warning(i);
        }
    }
}

/// The Czech name of a money column's key in [`SheetReport::money_totals`] and [`TotalCheck::column`],
/// as the preview and the command line label the totals (`amount` → `Částka`); an unknown key is shown
/// as it is.
#[must_use]
pub fn money_total_label(key: &str) -> &str {
    match key {
        "amount" => "Částka",
        "budget" => "Celkové způsobilé výdaje",
        "total_cost" => "Celkové náklady na operaci",
        "la_total" => "Právní akt – celkové způsobilé výdaje",
        "la_eu" => "Právní akt – příspěvek Unie",
        "la_national" => "Právní akt – národní veřejné zdroje",
        "paid_total" => "Vyúčtováno v žádostech o platbu – celkové způsobilé výdaje",
        "paid_eu" => "Vyúčtováno v žádostech o platbu – příspěvek Unie",
        "paid_national" => "Vyúčtováno v žádostech o platbu – národní veřejné zdroje",
        "pz_estimate" => "Veřejné zakázky – předpokládaná hodnota bez DPH",
        "pz_price" => "Veřejné zakázky – cena dle smlouvy bez DPH",
        "pz_paid" => "Veřejné zakázky – skutečně uhrazená cena bez DPH",
        other => other,
    }
}

/// A decimal string of the report (`"4361089.25"`) the Czech way (`4 361 089,25`).
#[must_use]
pub fn czech_money_text(s: &str) -> String {
    s.parse::<crate::domain::Money>()
        .map(|m| m.format_plain())
        .unwrap_or_else(|_| s.replace('.', ","))
}

/// Errors and warnings per sheet sent to the browser (the counts stay complete).
pub const MAX_ISSUES_SHOWN: usize = 500;

/// Change lines kept per sheet in a report; the counts are always complete.
pub const MAX_CHANGE_LINES: usize = 500;

/// The whole report of one import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The uploaded file's name (for display only; never used as a path).
    pub file_name: String,
    /// `xlsx`, `xls` or `ods`.
    pub format: String,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// File size in bytes.
    pub size_bytes: u64,
    /// One entry per sheet, in workbook order.
    pub sheets: Vec<SheetReport>,
    /// Whether the changes were stored (false for a preview or a dry run).
    pub committed: bool,
    /// The import history entry, once stored.
    pub import_id: Option<i32>,
    /// When the same file (by SHA-256) was committed before: that import's id.
    pub previously_imported_as: Option<i32>,
    /// A message for the whole file (e.g. why nothing was stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<String>,
}

impl ImportReport {
    /// Errors over all sheets.
    #[must_use]
    pub fn error_count(&self) -> usize {
        self.sheets.iter().map(|s| s.errors.len()).sum()
    }

    /// True when some sheet has an error or is of no known kind.
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Keeps the first [`MAX_ISSUES_SHOWN`] errors and warnings of each sheet for the browser and counts
    /// the rest in `issues_omitted` (the stored report and the CLI keep up to [`MAX_ISSUES_STORED`]).
    pub fn shorten_issues(&mut self) {
        for sheet in &mut self.sheets {
            let total = sheet.errors.len() + sheet.warnings.len();
            sheet.errors.truncate(MAX_ISSUES_SHOWN);
            sheet.warnings.truncate(MAX_ISSUES_SHOWN);
            let dropped = u32::try_from(total - sheet.errors.len() - sheet.warnings.len())
                .unwrap_or(u32::MAX);
            sheet.issues_omitted = sheet.issues_omitted.saturating_add(dropped);
        }
    }

    /// Valid rows that would add or change something, over all sheets.
    #[must_use]
    pub fn change_count(&self) -> u32 {
        self.sheets
            .iter()
            .map(|s| s.new_rows + s.changed_rows)
            .sum()
    }
}

/// One entry of the import history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportSummary {
    /// Id.
    pub id: i32,
    /// File name as uploaded.
    pub file_name: String,
    /// SHA-256 hex.
    pub sha256: String,
    /// Kinds of the sheets, Czech labels joined.
    pub kinds: String,
    /// Who imported it.
    pub imported_by: String,
    /// When (Czech date and time).
    pub imported_at: String,
    /// `committed` or `reverted`.
    pub status: String,
    /// New + changed rows.
    pub changed_rows: u32,
    /// Invalid rows (skipped).
    pub invalid_rows: u32,
    /// Records it changed (and would restore on revert).
    pub records_changed: u32,
}

/// A background import as the browser sees it: progress while it runs, then its report or its error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportJobView {
    /// The job's token (in the URL).
    pub token: String,
    /// The uploaded file's name.
    pub file_name: String,
    /// Store nothing when a row has an error.
    pub all_or_nothing: bool,
    /// The job is (or was) the commit, not the preview.
    pub committing: bool,
    /// Still running.
    pub running: bool,
    /// A commit waiting for another import's commit to finish (commits are stored one at a time).
    #[serde(default)]
    pub queued: bool,
    /// Rows read so far.
    pub rows_read: u64,
    /// Rows applied to the database so far.
    pub rows_applied: u64,
    /// Rows in the workbook (0 when unknown).
    pub rows_total: u64,
    /// The report, when done.
    pub report: Option<ImportReport>,
    /// Why it failed, in Czech.
    pub error: Option<String>,
}
