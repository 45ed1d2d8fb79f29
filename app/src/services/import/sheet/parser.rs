//! The parser of one sheet: finds the header row, recognises the kind, hands each data row to its
//! kind's rules and keeps the sheet's report (counts, duplicates, money totals).

use std::collections::{BTreeMap, HashMap, HashSet};

use rust_decimal::Decimal;

use super::budget::budget_row;
use super::expenditures::expenditure_row;
use super::indicators::indicator_row;
use super::municipalities::municipality_row;
use super::participants::participant_row;
use super::personal_data::PersonalDataScan;
use super::projects::project_row;
use super::row::{ParseCache, RowCtx};
use super::seznam::{seznam_programme, seznam_row, SeznamProgramme};
use super::totals::{is_procurement, is_total_row, money_fields};
use super::values::money_text;
use super::{Lookups, ParsedRow, ProjectInfo, Record};
use crate::domain::sheet_values::cell_address;
use crate::dto::import::{CellIssue, SheetReport};
use crate::services::import::kinds::{recognise, Columns, Field, SheetKind};
use crate::services::import::workbook::Cell;

/// Rows searched for the header.
pub(super) const HEADER_SEARCH_ROWS: u32 = 20;
enum Stage {
    LookingForHeader,
    Data,
    Unknown,
}

/// The parser of one sheet. Feed it rows with [`SheetParser::row`]; [`SheetParser::finish`] gives the
/// report.
pub struct SheetParser {
    pub(super) name: String,
    stage: Stage,
    columns: Option<std::sync::Arc<Columns>>,
    header_row: Option<u32>,
    rows_seen: Vec<(u32, Vec<String>)>,
    pub(super) report: SheetReport,
    money_sums: BTreeMap<&'static str, Decimal>,
    pub(super) since_total: BTreeMap<&'static str, Decimal>,
    /// Natural keys seen so far, as 64-bit hashes (flat memory per row; a false duplicate would need a
    /// hash collision, about 1 in 10^8 for a million rows).
    seen_keys: HashMap<u64, u32>,
    seznam_projects: HashSet<String>,
    cache: ParseCache,
    collect_values: bool,
    /// The workbook counts dates from 1904-01-01 (bare serial numbers in date columns too).
    date1904: bool,
    /// The scan for birth numbers, run over the sheet before it is read.
    scan: PersonalDataScan,
    /// The birth number that refuses the whole sheet: its only error, and no row of it is read.
    refusal: Option<CellIssue>,
    /// `Sheet!A1` → normalised value, for tests and the preview (only when collecting).
    pub values: BTreeMap<String, String>,
}

impl SheetParser {
    /// A parser for the sheet `name` of a workbook in the 1904 date system (`date1904`) or the 1900 one.
    #[must_use]
    pub fn new(name: &str, collect_values: bool, date1904: bool) -> Self {
        Self {
            name: name.to_owned(),
            stage: Stage::LookingForHeader,
            columns: None,
            header_row: None,
            rows_seen: Vec::new(),
            report: SheetReport {
                name: name.to_owned(),
                ..SheetReport::default()
            },
            money_sums: BTreeMap::new(),
            since_total: BTreeMap::new(),
            seen_keys: HashMap::new(),
            seznam_projects: HashSet::new(),
            cache: ParseCache::default(),
            collect_values,
            date1904,
            scan: PersonalDataScan::new(name),
            refusal: None,
            values: BTreeMap::new(),
        }
    }

    /// Feeds one non-empty row to the scan for birth numbers, which sees the whole sheet before
    /// [`SheetParser::row`] sees any row. Returns whether the scan wants more rows.
    pub fn scan_row(&mut self, row: u32, cells: &[Cell]) -> bool {
        if self.refusal.is_some() {
            return false;
        }
        if let Some(issue) = self.scan.row(row, cells) {
            self.refusal = Some(issue);
            return false;
        }
        !self.scan.is_done()
    }

    /// True when the sheet is refused as a whole (a birth number): none of its rows gives a record.
    #[must_use]
    pub fn refused(&self) -> bool {
        self.refusal.is_some()
    }

    /// The sheet's name.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The recognised columns, once the header row is found.
    #[must_use]
    pub fn columns(&self) -> Option<&Columns> {
        self.columns.as_deref()
    }

    /// The recognised kind, once the header row is found.
    #[must_use]
    pub fn kind(&self) -> Option<SheetKind> {
        self.columns.as_ref().map(|c| c.kind)
    }

    /// Feeds one non-empty row (zero-based index). Returns the record of a valid data row.
    pub fn row(&mut self, row: u32, cells: &[Cell], lookups: &mut Lookups) -> Option<ParsedRow> {
        match self.stage {
            Stage::Unknown => None,
            Stage::LookingForHeader => {
                if row >= HEADER_SEARCH_ROWS {
                    self.stage = Stage::Unknown;
                    return None;
                }
                let texts = header_texts(cells);
                if let Some(columns) = recognise(&texts) {
                    self.report.kind = Some(columns.kind.code().to_owned());
                    self.report.kind_label = columns.kind.label().to_owned();
                    self.report.header_row = Some(row + 1);
                    self.report.first_data_row = Some(row + 2);
                    self.report.ignored_columns = columns.ignored.clone();
                    self.header_row = Some(row);
                    self.columns = Some(std::sync::Arc::new(columns));
                    self.stage = Stage::Data;
                } else {
                    self.rows_seen
                        .push((row, texts.into_iter().map(|(_, t)| t).collect()));
                }
                None
            }
            Stage::Data if self.refusal.is_some() => None,
            Stage::Data => self.data_row(row, cells, lookups),
        }
    }

    fn data_row(&mut self, row: u32, cells: &[Cell], lookups: &mut Lookups) -> Option<ParsedRow> {
        let columns = std::sync::Arc::clone(self.columns.as_ref()?);
        // A second header row (e.g. English) directly below the header.
        if Some(row) == self.header_row.map(|h| h + 1) && is_second_header(cells) {
            self.report.second_header_row = Some(row + 1);
            self.report.first_data_row = Some(row + 2);
            return None;
        }
        if is_total_row(cells) {
            self.check_total_row(row, cells, &columns);
            return None;
        }
        let holds_data = columns.found.iter().any(|(field, col, _)| {
            !columns.is_informational(*field)
                && cells.get(*col as usize).is_some_and(|c| !c.is_blank())
        });
        if !holds_data {
            return None;
        }
        let mut ctx = RowCtx {
            sheet: &self.name,
            row,
            cells,
            columns: &columns,
            errors: Vec::new(),
            warnings: Vec::new(),
            values: Vec::new(),
            collect: self.collect_values,
            date1904: self.date1904,
            readable_money: Vec::new(),
            cache: &mut self.cache,
        };
        let record = match columns.kind {
            SheetKind::Projects => project_row(&mut ctx, lookups).map(Record::Project),
            SheetKind::Seznam => match seznam_programme(&mut ctx) {
                SeznamProgramme::Other => {
                    self.report.skipped_other_programme_rows.push(row + 1);
                    return None;
                }
                SeznamProgramme::Ours => {
                    seznam_row(&mut ctx, &self.seznam_projects).map(Record::Seznam)
                }
                SeznamProgramme::Missing => {
                    let _ = seznam_row(&mut ctx, &self.seznam_projects);
                    None
                }
            },
            SheetKind::Indicators => indicator_row(&mut ctx, lookups).map(Record::Indicator),
            SheetKind::Expenditures => expenditure_row(&mut ctx, lookups).map(Record::Expenditure),
            SheetKind::Municipalities => {
                municipality_row(&mut ctx, lookups).map(Record::Municipality)
            }
            SheetKind::Participants => participant_row(&mut ctx, lookups).map(Record::Participant),
            SheetKind::Budget => budget_row(&mut ctx, lookups).map(Record::Budget),
        };
        let RowCtx {
            errors,
            warnings,
            values,
            readable_money,
            ..
        } = ctx;
        for (key, amount) in &readable_money {
            *self.since_total.entry(key).or_default() += *amount;
        }
        self.report.data_rows += 1;
        self.values.extend(values);
        self.report.extend_warnings(warnings);
        let mut record = record.filter(|_| errors.is_empty());
        if let Some(rec) = &record {
            let hashed = key_hash(rec, row);
            if let Some(first) = self.seen_keys.get(&hashed) {
                let key = natural_key(rec);
                self.report.push_error(CellIssue {
                    sheet: self.name.clone(),
                    cell: cell_address(&self.name, row, columns.column(Field::RegNo).unwrap_or(0)),
                    code: "duplicate_row".into(),
                    value: serde_json::Value::from(key.clone()),
                    message: format!(
                        "řádek opakuje záznam z řádku {}; každý záznam smí být v souboru jen jednou",
                        first + 1
                    ),
                    candidates: Vec::new(),
                });
                record = None;
            } else {
                self.seen_keys.insert(hashed, row);
            }
        } else if errors.is_empty() {
            // No record and no error cannot happen; count it as invalid to be safe.
        }
        self.report.extend_errors(errors);
        match record {
            Some(rec) => {
                self.report.valid_rows += 1;
                for (key, amount) in readable_money {
                    let once_per_project =
                        columns.kind == SheetKind::Seznam && !is_procurement(key);
                    let first = match &rec {
                        Record::Seznam(s) => s.first_of_project,
                        _ => true,
                    };
                    if !once_per_project || first {
                        *self.money_sums.entry(key).or_default() += amount;
                    }
                }
                if let Record::Seznam(s) = &rec {
                    self.seznam_projects.insert(s.reg_no.clone());
                }
                if let Record::Project(p) = &rec {
                    let entry = lookups
                        .projects
                        .entry(p.reg_no.clone())
                        .or_insert(ProjectInfo {
                            id: None,
                            range: None,
                        });
                    if let (Some(s), Some(e)) = (p.start, p.end) {
                        entry.range = Some((s, e));
                    }
                }
                Some(ParsedRow { row, record: rec })
            }
            None => {
                self.report.invalid_rows += 1;
                None
            }
        }
    }

    /// The sheet's report.
    #[must_use]
    pub fn finish(mut self) -> SheetReport {
        if let Some(issue) = self.refusal.take() {
            self.report.push_error(issue);
        }
        if self.columns.is_none() {
            self.report.kind = None;
            self.report.kind_label = "neznámý druh listu".into();
            self.report.headers = self
                .rows_seen
                .iter()
                .max_by_key(|(_, texts)| texts.len())
                .map(|(_, texts)| texts.clone())
                .unwrap_or_default();
        }
        self.report.money_totals = self
            .money_sums
            .iter()
            .map(|(k, v)| ((*k).to_owned(), money_text(*v)))
            .collect();
        if let Some(
            SheetKind::Projects | SheetKind::Expenditures | SheetKind::Seznam | SheetKind::Budget,
        ) = self.kind()
        {
            for (field, key) in money_fields(self.kind().unwrap_or(SheetKind::Projects)) {
                if self
                    .columns
                    .as_ref()
                    .and_then(|c| c.column(*field))
                    .is_some()
                {
                    self.report
                        .money_totals
                        .entry((*key).to_owned())
                        .or_insert_with(|| money_text(Decimal::ZERO));
                }
            }
        }
        if self.kind() == Some(SheetKind::Seznam) {
            self.report.unique_valid_projects =
                Some(u32::try_from(self.seznam_projects.len()).unwrap_or(u32::MAX));
        }
        self.report
    }
}

/// The non-blank texts of a row with their zero-based columns: the candidates for a header.
pub(super) fn header_texts(cells: &[Cell]) -> Vec<(u32, String)> {
    cells
        .iter()
        .enumerate()
        .filter_map(|(c, cell)| match cell {
            Cell::Text(t) if !t.trim().is_empty() => {
                Some((u32::try_from(c).unwrap_or(u32::MAX), t.clone()))
            }
            _ => None,
        })
        .collect()
}

pub(super) fn is_second_header(cells: &[Cell]) -> bool {
    let mut any_alias = false;
    for cell in cells.iter().filter(|c| !c.is_blank()) {
        match cell {
            Cell::Text(t) => any_alias |= crate::services::import::kinds::is_known_alias(t),
            _ => return false,
        }
    }
    any_alias
}

/// The natural key's hash, computed from the fields without building the key's text.
fn key_hash(record: &Record, row: u32) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match record {
        Record::Indicator(i) => (0u8, &i.reg_no, &i.code, i.period).hash(&mut h),
        // Later rows of a Seznam project are its further public procurements: never duplicates.
        Record::Seznam(s) if !s.first_of_project => (1u8, &s.reg_no, row).hash(&mut h),
        other => (2u8, natural_key(other)).hash(&mut h),
    }
    h.finish()
}

fn natural_key(record: &Record) -> String {
    match record {
        Record::Project(p) => p.reg_no.clone(),
        Record::Seznam(s) => s.reg_no.clone(),
        Record::Indicator(i) => format!("{} {} {}", i.reg_no, i.code, i.period),
        Record::Expenditure(e) => match &e.document {
            Some(doc) => format!("{} {} {}", e.reg_no, doc, e.budget_line),
            None => format!(
                "{} {} {} {:?} {} {}",
                e.reg_no, e.budget_line, e.amount, e.paid_on, e.description, e.supplier
            ),
        },
        Record::Municipality(m) => format!("{} {}", m.reg_no, m.code),
        Record::Participant(p) => format!("{} {}", p.reg_no, p.record.pseudonym()),
        Record::Budget(b) => format!("{} {} {}", b.reg_no, b.code, b.year),
    }
}
