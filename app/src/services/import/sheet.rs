//! One sheet, row by row: find the header row, recognise the kind, then read and check each data row
//! into a typed record, with every problem at its cell. No database access here: what the rows are
//! checked against (projects, indicator codes, municipalities) comes in [`Lookups`].

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::kinds::{recognise, Columns, Field, SheetKind};
use super::workbook::Cell;
use crate::domain::sheet_values::{
    age_in_entry_year, cell_address, decimal_from_cell_number, excel_serial_to_date, fold_header,
    parse_date_text, parse_number_text, round_money, PeriodRef,
};
use crate::domain::{
    fold_for_search, DomainError, ExitSituation, Gender, Ico, IndicatorCode, IndicatorUnit,
    LabourStatus, MunicipalityCode, ParticipantInput, ParticipantRecord, RegistrationNumber,
};
use crate::dto::import::{CellIssue, MunicipalityCandidate, SheetReport, TotalCheck};

/// Rows searched for the header.
const HEADER_SEARCH_ROWS: u32 = 20;

/// A project as the checks need it.
#[derive(Debug, Clone)]
pub struct ProjectInfo {
    /// Database id; `None` for a project that this workbook's project sheet adds.
    pub id: Option<i32>,
    /// Realisation from–to, when known.
    pub range: Option<(NaiveDate, NaiveDate)>,
}

/// A municipality of the RÚIAN codebook.
#[derive(Debug, Clone)]
pub struct MunicipalityInfo {
    /// Name.
    pub name: String,
    /// District (*okres*) name.
    pub district: String,
}

/// An indicator of the codebook as the checks need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorInfo {
    /// Database id.
    pub id: i32,
    /// What its values count: decides whether a value must be whole.
    pub unit: IndicatorUnit,
}

/// What rows are checked against.
#[derive(Debug, Clone, Default)]
pub struct Lookups {
    /// Projects by normalised registration number.
    pub projects: HashMap<String, ProjectInfo>,
    /// Indicators by stored code (`EECO01`, `60000`).
    pub indicators: HashMap<String, IndicatorInfo>,
    /// Municipalities by code.
    pub municipalities: HashMap<u32, MunicipalityInfo>,
    /// Municipality codes by folded name.
    pub municipality_names: HashMap<String, Vec<u32>>,
}

impl Lookups {
    /// Adds a municipality to both indexes.
    pub fn add_municipality(&mut self, code: u32, name: String, district: String) {
        self.municipality_names
            .entry(fold_for_search(&name))
            .or_default()
            .push(code);
        self.municipalities
            .insert(code, MunicipalityInfo { name, district });
    }
}

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

/// A row of the *Seznam operací* (the project part; procurement amounts are only summed).
#[derive(Debug, Clone, PartialEq)]
pub struct SeznamRow {
    pub reg_no: String,
    pub name: Option<String>,
    pub ico: String,
    /// Eligible expenditure in the legal act (*právní akt*).
    pub la_total: Option<Decimal>,
    /// The first row of this project in the sheet (later rows repeat its amounts).
    pub first_of_project: bool,
}

/// An achieved indicator value.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorRow {
    pub reg_no: String,
    pub code: String,
    pub indicator_id: i32,
    pub period: PeriodRef,
    pub value: Decimal,
    pub target: Option<Decimal>,
    pub note: Option<String>,
}

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

/// A participating municipality.
#[derive(Debug, Clone, PartialEq)]
pub struct MunicipalityRow {
    pub reg_no: String,
    pub code: u32,
}

/// A participant record.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantRow {
    pub reg_no: String,
    pub record: ParticipantRecord,
}

/// A checked row of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Project(ProjectRow),
    Seznam(SeznamRow),
    Indicator(IndicatorRow),
    Expenditure(ExpenditureRow),
    Municipality(MunicipalityRow),
    Participant(ParticipantRow),
}

/// A valid row: its zero-based sheet row and record.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    pub row: u32,
    pub record: Record,
}

/// Results of parsing texts that repeat on many rows (registration numbers, periods, indicator codes),
/// so each distinct text is parsed once per sheet.
#[derive(Default)]
struct ParseCache {
    reg_no: HashMap<String, String>,
    period: HashMap<String, Option<PeriodRef>>,
    indicator: HashMap<String, Option<String>>,
}

enum Stage {
    LookingForHeader,
    Data,
    Unknown,
}

/// The parser of one sheet. Feed it rows with [`SheetParser::row`]; [`SheetParser::finish`] gives the
/// report.
pub struct SheetParser {
    name: String,
    stage: Stage,
    columns: Option<std::sync::Arc<Columns>>,
    header_row: Option<u32>,
    rows_seen: Vec<(u32, Vec<String>)>,
    report: SheetReport,
    money_sums: BTreeMap<&'static str, Decimal>,
    since_total: BTreeMap<&'static str, Decimal>,
    /// Natural keys seen so far, as 64-bit hashes (flat memory per row; a false duplicate would need a
    /// hash collision, about 1 in 10^8 for a million rows).
    seen_keys: HashMap<u64, u32>,
    seznam_projects: HashSet<String>,
    cache: ParseCache,
    collect_values: bool,
    /// `Sheet!A1` → normalised value, for tests and the preview (only when collecting).
    pub values: BTreeMap<String, String>,
}

/// The money columns of a kind, with their report keys.
fn money_fields(kind: SheetKind) -> &'static [(Field, &'static str)] {
    match kind {
        SheetKind::Projects => &[(Field::Budget, "budget")],
        SheetKind::Expenditures => &[(Field::Amount, "amount")],
        SheetKind::Seznam => &[
            (Field::TotalCost, "total_cost"),
            (Field::LaTotal, "la_total"),
            (Field::LaEu, "la_eu"),
            (Field::LaNational, "la_national"),
            (Field::PaidTotal, "paid_total"),
            (Field::PaidEu, "paid_eu"),
            (Field::PaidNational, "paid_national"),
            (Field::PzEstimate, "pz_estimate"),
            (Field::PzPrice, "pz_price"),
            (Field::PzPaid, "pz_paid"),
        ],
        _ => &[],
    }
}

/// Seznam procurement amounts: summed over every valid row, unlike the project amounts.
fn is_procurement(key: &str) -> bool {
    key.starts_with("pz_")
}

impl SheetParser {
    /// A parser for the sheet `name`.
    #[must_use]
    pub fn new(name: &str, collect_values: bool) -> Self {
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
            values: BTreeMap::new(),
        }
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
                let texts: Vec<(u32, String)> = cells
                    .iter()
                    .enumerate()
                    .filter_map(|(c, cell)| match cell {
                        Cell::Text(t) if !t.trim().is_empty() => {
                            Some((u32::try_from(c).unwrap_or(u32::MAX), t.clone()))
                        }
                        _ => None,
                    })
                    .collect();
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

    fn check_total_row(&mut self, row: u32, cells: &[Cell], columns: &Columns) {
        for (field, key) in money_fields(columns.kind) {
            let Some(col) = columns.column(*field) else {
                continue;
            };
            let cell = cells.get(col as usize).cloned().unwrap_or_default();
            let value = money_of(&cell).ok().flatten();
            let sum = self.since_total.remove(key).unwrap_or_default();
            if cell.is_blank() && sum.is_zero() {
                continue;
            }
            let matches = value == Some(sum);
            let address = cell_address(&self.name, row, col);
            if !matches {
                self.report.push_warning(CellIssue {
                    sheet: self.name.clone(),
                    cell: address.clone(),
                    code: "total_mismatch".into(),
                    value: value.map_or(cell.to_json(), money_json),
                    message: format!(
                        "součet v souboru {} ≠ součet načtených řádků {}",
                        value.map_or_else(|| cell.as_text(), money_text),
                        money_text(sum)
                    ),
                    candidates: Vec::new(),
                });
            }
            self.report.total_rows.push(TotalCheck {
                row: row + 1,
                column: (*key).to_owned(),
                cell: address,
                value: value.map(money_text),
                sum_of_rows_above: money_text(sum),
                matches,
            });
        }
    }

    /// The sheet's report.
    #[must_use]
    pub fn finish(mut self) -> SheetReport {
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
        if let Some(SheetKind::Projects | SheetKind::Expenditures | SheetKind::Seznam) = self.kind()
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

/// Money as the report writes it: two decimal places, dot as decimal mark.
#[must_use]
pub fn money_text(value: Decimal) -> String {
    format!("{:.2}", round_money(value))
}

fn money_json(value: Decimal) -> serde_json::Value {
    serde_json::Value::from(money_text(value))
}

fn is_second_header(cells: &[Cell]) -> bool {
    let mut any_alias = false;
    for cell in cells.iter().filter(|c| !c.is_blank()) {
        match cell {
            Cell::Text(t) => any_alias |= super::kinds::is_known_alias(t),
            _ => return false,
        }
    }
    any_alias
}

fn is_total_row(cells: &[Cell]) -> bool {
    cells
        .iter()
        .find(|c| !c.is_blank())
        .is_some_and(|c| match c {
            Cell::Text(t) => {
                let f = fold_header(t);
                f.starts_with("celkem") || f.starts_with("soucet") || f.starts_with("total")
            }
            _ => false,
        })
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
    }
}

/// Reads a money cell: `Ok(None)` when blank, `Err(code)` when unreadable.
fn money_of(cell: &Cell) -> Result<Option<Decimal>, &'static str> {
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
fn money_in_range(value: Decimal) -> bool {
    value.abs() <= Decimal::new(99_999_999_999_999, 2)
}

struct RowCtx<'c> {
    sheet: &'c str,
    row: u32,
    cells: &'c [Cell],
    columns: &'c Columns,
    errors: Vec<CellIssue>,
    warnings: Vec<CellIssue>,
    values: Vec<(String, String)>,
    collect: bool,
    readable_money: Vec<(&'static str, Decimal)>,
    cache: &'c mut ParseCache,
}

impl<'c> RowCtx<'c> {
    fn get(&self, field: Field) -> &'c Cell {
        static EMPTY: Cell = Cell::Empty;
        let cells: &'c [Cell] = self.cells;
        self.columns
            .column(field)
            .and_then(|c| cells.get(c as usize))
            .unwrap_or(&EMPTY)
    }

    fn has_column(&self, field: Field) -> bool {
        self.columns.column(field).is_some()
    }

    fn addr(&self, field: Field) -> String {
        let col = self
            .columns
            .column(field)
            .or_else(|| self.columns.column(Field::RegNo))
            .unwrap_or(0);
        cell_address(self.sheet, self.row, col)
    }

    fn issue(
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

    fn err(&mut self, field: Field, code: &str, message: impl Into<String>) {
        let value = self.get(field).to_json();
        let issue = self.issue(field, code, value, message.into());
        self.errors.push(issue);
    }

    fn err_value(
        &mut self,
        field: Field,
        code: &str,
        value: serde_json::Value,
        message: impl Into<String>,
    ) {
        let issue = self.issue(field, code, value, message.into());
        self.errors.push(issue);
    }

    fn warn(
        &mut self,
        field: Field,
        code: &str,
        value: serde_json::Value,
        message: impl Into<String>,
    ) {
        let issue = self.issue(field, code, value, message.into());
        self.warnings.push(issue);
    }

    fn value(&mut self, field: Field, normalised: impl Into<String>) {
        if self.collect {
            let addr = self.addr(field);
            self.values.push((addr, normalised.into()));
        }
    }

    fn missing(&mut self, field: Field, what: &str) {
        self.err_value(
            field,
            "missing_value",
            serde_json::Value::Null,
            format!("chybí povinná hodnota ({what})"),
        );
    }

    fn cell_error(&mut self, field: Field, expected: &str) {
        let text = self.get(field).as_text();
        self.err(
            field,
            "cell_error",
            format!("hodnota je chyba {text} (vzorec), čekal(a) se {expected}"),
        );
    }

    /// Like [`RowCtx::text`], borrowing the text of a text cell instead of copying it.
    fn text_ref(
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
    fn text(&mut self, field: Field, required: Option<&str>) -> Option<String> {
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
    fn money(
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
    fn number(&mut self, field: Field, required: Option<&str>) -> Option<Decimal> {
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
    fn quantity(
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
    fn count(&mut self, field: Field, required: Option<&str>) -> Option<Decimal> {
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
    fn bounded(&mut self, field: Field, value: Decimal) -> Option<Decimal> {
        if value > Decimal::from(1_000_000_000_i64) {
            self.err(field, "invalid_number", "počet je nepřiměřeně velký");
            return None;
        }
        let value = value.normalize();
        self.value(field, value.to_string());
        Some(value)
    }

    fn date(&mut self, field: Field, required: Option<&str>) -> Option<NaiveDate> {
        let cell = self.get(field);
        let date = match cell {
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
            Cell::Date(d) => Some(*d),
            Cell::Number(n) => excel_serial_to_date(*n, false),
            #[allow(clippy::cast_precision_loss)]
            Cell::Int(i) => excel_serial_to_date(*i as f64, false),
            Cell::Text(t) => parse_date_text(t),
            Cell::Bool(_) | Cell::Empty => None,
        };
        match date {
            Some(d) => {
                self.value(field, d.to_string());
                Some(d)
            }
            None => {
                self.err(
                    field,
                    "invalid_date",
                    "neplatné datum; čekalo se např. 31. 12. 2025 nebo 2025-12-31",
                );
                None
            }
        }
    }

    fn reg_no(&mut self) -> Option<String> {
        let text = self.text_ref(Field::RegNo, Some("registrační číslo projektu"))?;
        if let Some(hit) = self.cache.reg_no.get(text.as_ref()) {
            let hit = hit.clone();
            self.value(Field::RegNo, hit.clone());
            return Some(hit);
        }
        let raw = text.clone().into_owned();
        let compact: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        match RegistrationNumber::parse(&compact) {
            Ok(r) => {
                let s = r.as_str().to_owned();
                self.value(Field::RegNo, s.clone());
                self.cache.reg_no.insert(raw, s.clone());
                Some(s)
            }
            Err(e) => {
                self.err(
                    Field::RegNo,
                    "invalid_registration_number",
                    format!("neplatné registrační číslo. {e}"),
                );
                None
            }
        }
    }

    /// A registration number that must be in the registry.
    fn known_project(&mut self, lookups: &Lookups) -> Option<(String, ProjectInfo)> {
        let reg = self.reg_no()?;
        match lookups.projects.get(&reg) {
            Some(info) => Some((reg, info.clone())),
            None => {
                self.err(
                    Field::RegNo,
                    "unknown_project",
                    "projekt není v evidenci; založte jej nebo importujte nejdřív list projektů",
                );
                None
            }
        }
    }

    fn within_project(&mut self, field: Field, date: NaiveDate, info: &ProjectInfo) -> bool {
        if let Some((start, end)) = info.range {
            if date < start || date > end {
                self.err_value(
                    field,
                    "date_outside_project",
                    serde_json::Value::from(date.to_string()),
                    format!(
                        "datum mimo dobu realizace projektu ({} – {})",
                        crate::domain::format_czech_date(start),
                        crate::domain::format_czech_date(end)
                    ),
                );
                return false;
            }
        }
        true
    }

    fn ico(&mut self, field: Field, required: Option<&str>) -> Option<String> {
        let text = self.text(field, required)?;
        let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
        match Ico::parse_lenient(&text) {
            Ok(ico) => {
                self.value(field, ico.as_str());
                Some(ico.as_str().to_owned())
            }
            Err(crate::domain::DomainError::IcoChecksum { ico, expected }) => {
                self.warn(
                    field,
                    "ico_checksum",
                    serde_json::Value::from(ico.clone()),
                    format!(
                        "IČO {ico} nemá platnou kontrolní číslici (očekávána {expected}); \
                         ověřte je v ARES, některá stará IČO kontrolou neprocházejí"
                    ),
                );
                self.value(field, ico.clone());
                Some(ico)
            }
            Err(_) => {
                self.err(field, "invalid_ico", "IČO musí mít 1 až 8 číslic");
                None
            }
        }
    }

    fn period(&mut self, field: Field, required: Option<&str>) -> Option<PeriodRef> {
        let text = self.text_ref(field, required)?;
        let parsed = match self.cache.period.get(text.as_ref()) {
            Some(p) => *p,
            None => {
                let p = PeriodRef::parse(&text);
                self.cache.period.insert(text.into_owned(), p);
                p
            }
        };
        match parsed {
            Some(p) => {
                self.value(field, p.to_string());
                Some(p)
            }
            None => {
                self.err(
                    field,
                    "invalid_period",
                    "neplatné monitorovací období; čekalo se číslo zprávy (1, ZoR 1, 1. ZoR) \
                     nebo pololetí (2024-H1)",
                );
                None
            }
        }
    }
}

fn project_row(ctx: &mut RowCtx<'_>, _lookups: &Lookups) -> Option<ProjectRow> {
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

enum SeznamProgramme {
    Ours,
    Other,
    Missing,
}

fn seznam_programme(ctx: &mut RowCtx<'_>) -> SeznamProgramme {
    match ctx.text(Field::Programme, Some("číslo programu")) {
        None => SeznamProgramme::Missing,
        Some(t) => {
            let digits = t.strip_suffix(".0").unwrap_or(&t).trim();
            let code = format!("{digits:0>2}");
            if code == "03" {
                SeznamProgramme::Ours
            } else {
                SeznamProgramme::Other
            }
        }
    }
}

fn seznam_row(ctx: &mut RowCtx<'_>, seen: &HashSet<String>) -> Option<SeznamRow> {
    let reg_no = ctx.reg_no();
    let ico = ctx.ico(Field::Ico, Some("IČ příjemce"));
    let name = ctx.text(Field::Name, None);
    let _ = ctx.date(Field::LegalActDate, None);
    let _ = ctx.date(Field::StartDate, None);
    let _ = ctx.date(Field::EndDate, None);
    let mut la_total = None;
    for (field, key) in money_fields(SheetKind::Seznam) {
        if ctx.has_column(*field) {
            let v = ctx.money(*field, key, None);
            if *field == Field::LaTotal {
                la_total = v;
            }
        }
    }
    let reg_no = reg_no?;
    let first_of_project = !seen.contains(&reg_no);
    Some(SeznamRow {
        reg_no,
        name,
        ico: ico?,
        la_total,
        first_of_project,
    })
}

fn indicator_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<IndicatorRow> {
    let project = ctx.known_project(lookups);
    let code_text = ctx.text_ref(Field::IndicatorCode, Some("kód indikátoru"));
    let code = code_text.and_then(|t| {
        let known = match ctx.cache.indicator.get(t.as_ref()) {
            Some(k) => k.clone(),
            None => {
                let k = IndicatorCode::parse(&t)
                    .ok()
                    .map(|c| c.as_str().to_owned())
                    .filter(|c| lookups.indicators.contains_key(c));
                ctx.cache.indicator.insert(t.into_owned(), k.clone());
                k
            }
        };
        match known {
            Some(code) => {
                ctx.value(Field::IndicatorCode, code.clone());
                Some(code)
            }
            None => {
                ctx.err(
                    Field::IndicatorCode,
                    "unknown_indicator",
                    "indikátor není v číselníku (např. EECO01, EECR04, 6 00 00)",
                );
                None
            }
        }
    });
    let period = if ctx.has_column(Field::Period) {
        ctx.period(Field::Period, Some("monitorovací období"))
    } else {
        let from = ctx.date(Field::PeriodFrom, Some("začátek období"));
        let to = ctx.date(Field::PeriodTo, Some("konec období"));
        match (from, to) {
            (Some(from), Some(to)) if to < from => {
                ctx.err_value(
                    Field::PeriodTo,
                    "end_before_start",
                    serde_json::Value::from(to.to_string()),
                    "konec období je před jeho začátkem",
                );
                None
            }
            (Some(from), Some(to)) => Some(PeriodRef::Dates { from, to }),
            _ => None,
        }
    };
    let indicator = code
        .as_ref()
        .and_then(|c| lookups.indicators.get(c.as_str()).copied());
    let unit = indicator.map(|i| i.unit);
    let value = ctx.quantity(Field::Value, Some("dosažená hodnota"), unit);
    let target = ctx.quantity(Field::Target, None, unit);
    let note = ctx.text(Field::Note, None);
    let (reg_no, _) = project?;
    let code = code?;
    let indicator_id = indicator?.id;
    Some(IndicatorRow {
        reg_no,
        code: code.as_str().to_owned(),
        indicator_id,
        period: period?,
        value: value?,
        target,
        note,
    })
}

fn expenditure_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<ExpenditureRow> {
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

fn municipality_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<MunicipalityRow> {
    let project = ctx.known_project(lookups);
    let code_text = ctx.text(Field::MunicipalityCode, None);
    let name = ctx.text(Field::MunicipalityName, None);
    let code = if let Some(text) = code_text {
        let text = text.strip_suffix(".0").unwrap_or(&text).to_owned();
        match MunicipalityCode::parse(&text) {
            Ok(code) => match lookups.municipalities.get(&code.value()) {
                Some(info) => {
                    ctx.value(Field::MunicipalityCode, code.value().to_string());
                    if let Some(n) = &name {
                        if fold_for_search(n) != fold_for_search(&info.name) {
                            let message =
                                format!("kód {} je {}; platí kód", code.value(), info.name);
                            ctx.warn(
                                Field::MunicipalityName,
                                "municipality_name_mismatch",
                                serde_json::Value::from(n.clone()),
                                message,
                            );
                        }
                    }
                    Some(code.value())
                }
                None => {
                    ctx.err(
                        Field::MunicipalityCode,
                        "unknown_municipality",
                        "obec s tímto kódem není v číselníku RÚIAN",
                    );
                    None
                }
            },
            Err(crate::domain::DomainError::MunicipalityCodeChecksum { expected, .. }) => {
                ctx.err(
                    Field::MunicipalityCode,
                    "invalid_municipality_code",
                    format!("neplatný kód obce (kontrolní číslice má být {expected})"),
                );
                None
            }
            Err(e) => {
                ctx.err(
                    Field::MunicipalityCode,
                    "invalid_municipality_code",
                    e.to_string(),
                );
                None
            }
        }
    } else if let Some(n) = name {
        let candidates = lookups
            .municipality_names
            .get(&fold_for_search(&n))
            .cloned()
            .unwrap_or_default();
        match candidates.as_slice() {
            [one] => {
                ctx.value(Field::MunicipalityName, one.to_string());
                Some(*one)
            }
            [] => {
                ctx.err(
                    Field::MunicipalityName,
                    "unknown_municipality",
                    "obec není v číselníku RÚIAN; zkontrolujte název nebo uveďte kód obce",
                );
                None
            }
            many => {
                let mut list: Vec<MunicipalityCandidate> = many
                    .iter()
                    .filter_map(|c| {
                        lookups
                            .municipalities
                            .get(c)
                            .map(|m| MunicipalityCandidate {
                                code: c.to_string(),
                                name: m.name.clone(),
                                district: m.district.clone(),
                            })
                    })
                    .collect();
                list.sort_by(|a, b| a.code.cmp(&b.code));
                let districts: Vec<String> = {
                    let mut d: Vec<String> = list.iter().map(|c| c.district.clone()).collect();
                    d.sort();
                    d
                };
                let message = format!(
                    "název odpovídá {} obcím (okresy {}); uveďte kód obce",
                    list.len(),
                    districts.join(", ")
                );
                let mut issue = ctx.issue(
                    Field::MunicipalityName,
                    "ambiguous_municipality",
                    serde_json::Value::from(n.clone()),
                    message,
                );
                issue.candidates = list;
                ctx.errors.push(issue);
                None
            }
        }
    } else {
        ctx.missing(Field::MunicipalityCode, "kód nebo název obce");
        None
    };
    let (reg_no, _) = project?;
    Some(MunicipalityRow {
        reg_no,
        code: code?,
    })
}

fn yes_no(text: &str) -> Option<bool> {
    match fold_for_search(text).as_str() {
        "ano" | "a" | "yes" | "y" | "1" | "true" | "pravda" => Some(true),
        "ne" | "n" | "no" | "0" | "false" | "nepravda" => Some(false),
        _ => None,
    }
}

fn participant_row(ctx: &mut RowCtx<'_>, lookups: &Lookups) -> Option<ParticipantRow> {
    let project = ctx.known_project(lookups);
    let pseudonym = ctx.text(Field::ParticipantId, Some("ID účastníka"));
    let entry = ctx.date(Field::EntryDate, Some("datum vstupu"));
    let exit = ctx.date(Field::ExitDate, None);
    if let (Some(en), Some(ex)) = (entry, exit) {
        if ex < en {
            ctx.err_value(
                Field::ExitDate,
                "exit_before_entry",
                serde_json::Value::from(ex.to_string()),
                "výstup je před vstupem",
            );
        }
    }
    let gender = ctx
        .text(Field::Gender, Some("pohlaví"))
        .and_then(|g| match Gender::parse(&g) {
            Ok(g) => {
                ctx.value(Field::Gender, g.label());
                Some(g)
            }
            Err(_) => {
                ctx.err(
                    Field::Gender,
                    "invalid_gender",
                    "pohlaví musí být M, Ž nebo X",
                );
                None
            }
        });
    let age = if ctx.has_column(Field::BirthYear) {
        let birth = ctx.count(Field::BirthYear, Some("rok narození"));
        match (birth, entry) {
            (Some(b), Some(en)) => {
                let year = b.to_i32().unwrap_or(0);
                let age = age_in_entry_year(year, en);
                if !(1900..=en.year_ce_i32()).contains(&year) || !(0..=120).contains(&age) {
                    ctx.err(
                        Field::BirthYear,
                        "invalid_birth_year",
                        "rok narození musí být čtyřmístný rok před datem vstupu",
                    );
                    None
                } else {
                    u8::try_from(age).ok()
                }
            }
            _ => None,
        }
    } else if ctx.has_column(Field::AgeAtEntry) {
        ctx.count(Field::AgeAtEntry, Some("věk při vstupu"))
            .and_then(|a| {
                let age = a.to_u8().filter(|a| *a <= 120);
                if age.is_none() {
                    ctx.err(
                        Field::AgeAtEntry,
                        "invalid_birth_year",
                        "věk musí být 0–120 let",
                    );
                }
                age
            })
    } else {
        ctx.missing(Field::BirthYear, "rok narození nebo věk při vstupu");
        None
    };
    let status = ctx
        .text(Field::LabourStatus, Some("postavení na trhu práce"))
        .and_then(|s| match LabourStatus::parse(&s) {
            Ok(s) => Some(s),
            Err(_) => {
                ctx.err(
                    Field::LabourStatus,
                    "invalid_labour_status",
                    "neznámé postavení na trhu práce; čekalo se zaměstnaný, OSVČ, nezaměstnaný, \
                     dlouhodobě nezaměstnaný nebo neaktivní",
                );
                None
            }
        });
    let isced = match ctx.get(Field::Isced).clone() {
        c if c.is_blank() => None,
        _ => {
            let level = ctx.count(Field::Isced, None);
            match level.and_then(|l| l.to_u8()) {
                Some(l) if l <= 8 => Some(l),
                Some(_) => {
                    ctx.err(Field::Isced, "invalid_isced", "ISCED musí být 0–8");
                    None
                }
                None => None,
            }
        }
    };
    let disability = match ctx.text(Field::Disability, None) {
        None => false,
        Some(t) => yes_no(&t).unwrap_or_else(|| {
            ctx.err(Field::Disability, "invalid_yes_no", "čekalo se ano nebo ne");
            false
        }),
    };
    let exit_situations = match ctx.text(Field::ExitSituation, None) {
        None => Vec::new(),
        Some(t) => ExitSituation::parse_list(&t).unwrap_or_else(|_| {
            ctx.err(
                Field::ExitSituation,
                "invalid_exit_situation",
                "neznámá situace při výstupu; čekalo se hledá zaměstnání, vzdělávání, \
                 získal kvalifikaci nebo zaměstnán",
            );
            Vec::new()
        }),
    };
    let (reg_no, info) = project?;
    if let Some(en) = entry {
        if !ctx.within_project(Field::EntryDate, en, &info) {
            return None;
        }
    }
    if let Some(ex) = exit {
        if !ctx.within_project(Field::ExitDate, ex, &info) {
            return None;
        }
    }
    if !ctx.errors.is_empty() {
        return None;
    }
    let record = ParticipantRecord::new(ParticipantInput {
        pseudonym: pseudonym?,
        entry: entry?,
        exit,
        gender: gender?,
        age_at_entry: age?,
        status: status?,
        isced,
        disability,
        exit_situations,
    });
    match record {
        Ok(record) => Some(ParticipantRow { reg_no, record }),
        Err(e) => {
            let field = match e {
                crate::domain::DomainError::PseudonymLooksLikeBirthNumber
                | crate::domain::DomainError::PseudonymEmpty => Field::ParticipantId,
                crate::domain::DomainError::ExitSituationWithoutExit => Field::ExitSituation,
                _ => Field::ParticipantId,
            };
            let code = if field == Field::ParticipantId {
                "personal_data"
            } else {
                "invalid_exit_situation"
            };
            ctx.err_value(field, code, serde_json::Value::Null, e.to_string());
            None
        }
    }
}

/// Year helper without pulling `Datelike` into every caller.
trait YearCe {
    fn year_ce_i32(&self) -> i32;
}

impl YearCe for NaiveDate {
    fn year_ce_i32(&self) -> i32 {
        chrono::Datelike::year(self)
    }
}
