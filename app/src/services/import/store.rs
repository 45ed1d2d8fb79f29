//! Applying checked rows to the database inside the import's transaction, with the counts and old → new
//! lines of the preview, the before-images that make an import revertible, and the revert itself.
//!
//! Rules that depend on what is stored are checked here, at the row's cell:
//! - a period given by number (`ZoR 2`) must exist; a half-year or a from–to pair finds the period with
//!   those dates or, when it follows all existing periods inside the project, creates it;
//! - an expenditure's budget line must be in the project's budget (by code, e.g. `1.1.1.2`, or by name),
//!   and the expenditure must not overdraw it (the same rule as the budget page);
//! - a new project needs its programme in the registry and a beneficiary (name and IČO).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, Utc};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set, Statement,
};

use entity::{
    budget_line, district, expenditure, import_batch, import_change, indicator, indicator_value,
    monitoring_period, municipality, organisation, participant, project, project_indicator,
    project_municipality,
};

use super::kinds::{Columns, Field, SheetKind};
use super::sheet::{IndicatorInfo, Lookups, ProjectInfo, Record};
use super::workbook::Format;
use super::{Chunk, ImportError, ImportOptions};
use crate::domain::sheet_values::{cell_address, PeriodRef};
use crate::domain::{
    fold_for_search, format_czech_date, IndicatorUnit, Money, ProjectStatus, RegistrationNumber,
};
use crate::dto::import::{CellIssue, ChangeLine, ImportReport, MAX_CHANGE_LINES};

/// Loads what rows are checked against: projects, indicator codes and the municipality codebook.
///
/// # Errors
/// Database errors.
pub async fn load_lookups(db: &impl ConnectionTrait) -> Result<Lookups, DbErr> {
    let mut lookups = Lookups::default();
    for p in project::Entity::find().all(db).await? {
        lookups.projects.insert(
            p.registration_number.clone(),
            ProjectInfo {
                id: Some(p.id),
                range: Some((p.start_date, p.end_date)),
            },
        );
    }
    for i in indicator::Entity::find().all(db).await? {
        let unit = IndicatorUnit::from_code(&i.unit)
            .map_err(|e| DbErr::Custom(format!("indicator {}: {e}", i.id)))?;
        lookups
            .indicators
            .insert(i.code.clone(), IndicatorInfo { id: i.id, unit });
    }
    let districts: HashMap<i32, String> = district::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    for m in municipality::Entity::find().all(db).await? {
        let district = districts.get(&m.district_code).cloned().unwrap_or_default();
        if let Ok(code) = u32::try_from(m.code) {
            lookups.add_municipality(code, m.name, district);
        }
    }
    Ok(lookups)
}

/// The id of the last committed import of a file with this SHA-256.
///
/// # Errors
/// Database errors.
pub async fn previous_import(
    db: &impl ConnectionTrait,
    sha256: &str,
) -> Result<Option<i32>, DbErr> {
    Ok(import_batch::Entity::find()
        .filter(import_batch::Column::Sha256.eq(sha256))
        .filter(import_batch::Column::Status.eq("committed"))
        .order_by_desc(import_batch::Column::Id)
        .one(db)
        .await?
        .map(|b| b.id))
}

#[derive(Default)]
struct SheetStats {
    new: u32,
    changed: u32,
    unchanged: u32,
    invalid: u32,
    errors: Vec<CellIssue>,
    warnings: Vec<CellIssue>,
    changes: Vec<ChangeLine>,
    omitted: u32,
    /// Errors beyond the stored maximum, only counted.
    dropped_issues: u32,
}

impl SheetStats {
    fn line(&mut self, line: ChangeLine) {
        if self.changes.len() < MAX_CHANGE_LINES {
            self.changes.push(line);
        } else {
            self.omitted += 1;
        }
    }
}

enum Outcome {
    /// A new record: what it is, and its main value as users read it.
    New(String, String),
    Changed(String, Vec<(String, String, String)>),
    Unchanged,
}

/// A row refused by a stored-data rule: the field (for the cell address), code and Czech message.
struct Refusal {
    field: Field,
    code: &'static str,
    value: serde_json::Value,
    message: String,
}

fn refuse(
    field: Field,
    code: &'static str,
    value: impl Into<serde_json::Value>,
    message: impl Into<String>,
) -> Refusal {
    Refusal {
        field,
        code,
        value: value.into(),
        message: message.into(),
    }
}

/// What rows need of a project: its id and realisation dates.
#[derive(Clone, Copy)]
struct ProjectRef {
    id: i32,
    start_date: NaiveDate,
    end_date: NaiveDate,
}

struct LineState {
    model: budget_line::Model,
    drawn: i64,
}

/// The organisations (beneficiaries), loaded once when a project row first needs them.
#[derive(Default)]
struct Organisations {
    by_id: HashMap<i32, organisation::Model>,
    by_ico: HashMap<String, i32>,
}

impl Organisations {
    fn add(&mut self, org: organisation::Model) {
        self.by_ico.insert(org.ico.clone(), org.id);
        self.by_id.insert(org.id, org);
    }
}

/// A project's search text from its stored parts (see [`crate::services::projects::search_text`]).
fn search_text_of(p: &project::Model, org: Option<&organisation::Model>) -> String {
    crate::services::projects::search_text(&crate::services::projects::SearchParts {
        registration_number: &p.registration_number,
        name: &p.name,
        acronym: p.acronym.as_deref(),
        beneficiary_name: org.map_or("", |o| o.name.as_str()),
        beneficiary_ico: org.map_or("", |o| o.ico.as_str()),
    })
}

/// Applies rows inside the import's transaction.
pub struct Planner<'t> {
    txn: &'t DatabaseTransaction,
    import_id: i32,
    projects: HashMap<String, project::Model>,
    organisations: Option<Organisations>,
    periods: HashMap<i32, Vec<monitoring_period::Model>>,
    project_indicators: HashMap<(i32, i32), project_indicator::Model>,
    values_loaded: HashSet<i32>,
    values: HashMap<(i32, i32), indicator_value::Model>,
    lines: HashMap<i32, Vec<LineState>>,
    /// Each project's cost model (loaded with its budget).
    cost_models: HashMap<i32, crate::domain::CostModel>,
    expenditures: HashMap<i32, HashMap<String, expenditure::Model>>,
    participants: HashMap<i32, HashMap<String, participant::Model>>,
    municipalities: HashMap<i32, HashSet<i32>>,
    /// New indicator values `(project indicator, period, thousandths, note)`, written in batches.
    new_values: Vec<(i32, i32, i64, String)>,
    new_value_keys: HashSet<(i32, i32)>,
    new_expenditures: Vec<expenditure::ActiveModel>,
    new_participants: Vec<participant::ActiveModel>,
    new_municipalities: Vec<project_municipality::ActiveModel>,
    befores: Vec<import_change::ActiveModel>,
    stats: BTreeMap<usize, SheetStats>,
    records_changed: u64,
    /// The importing user's rights (`None`: the command line, which may change everything).
    viewer: Option<crate::domain::roles::Viewer>,
    /// Who imports, for the audit trail.
    actor: crate::services::audit::Actor,
    /// The project of the row being applied (for the audit trail).
    current_project: Option<i32>,
    /// Every project a row of this import named (decides who may see the import later).
    touched: std::collections::BTreeSet<i32>,
    /// The record the current row changed: `(table, id, project)`.
    pending_audit: Option<(String, i32, Option<i32>)>,
    /// Audit entries of changed records, written in batches.
    new_audit: Vec<entity::audit_log::ActiveModel>,
    /// Whether the current row's change lines will be kept (the report keeps the first 500 per sheet),
    /// so that texts are not formatted for rows whose lines are only counted.
    detail: bool,
}

const INSERT_BATCH: usize = 1_000;
/// Indicator values per `INSERT` (5 parameters each, within SQLite's and PostgreSQL's limits).
const VALUE_BATCH: usize = 500;

fn halere(amount: Decimal) -> i64 {
    (amount * Decimal::from(100))
        .round()
        .to_i64()
        .unwrap_or(i64::MAX)
}

fn milli(value: Decimal) -> i64 {
    (value * Decimal::from(1000))
        .round()
        .to_i64()
        .unwrap_or(i64::MAX)
}

fn money_label(h: i64) -> String {
    Money::from_halere(h).map_or_else(|_| h.to_string(), |m| format!("{} Kč", m.format_plain()))
}

/// A quantity the Czech way: `1 234`, `12,5` (no-break spaces between thousands).
fn quantity_label(m: i64) -> String {
    let text = crate::domain::format_decimal(crate::services::monitoring::from_milli(m));
    let (int, frac) = text
        .split_once(',')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// [`crate::domain::would_overdraw`] over stored haléře. A sum beyond Money's range (only possible with
/// corrupt data) counts as overdrawing, so nothing unchecked is accepted.
fn overdraws(budget: i64, drawn: i64, change: i64) -> bool {
    match (
        Money::from_halere(budget),
        Money::from_halere(drawn),
        Money::from_halere(change),
    ) {
        (Ok(budget), Ok(drawn), Ok(change)) => crate::domain::would_overdraw(budget, drawn, change),
        _ => true,
    }
}

fn date_label(d: Option<NaiveDate>) -> String {
    d.map(format_czech_date).unwrap_or_default()
}

fn expenditure_key(
    document: Option<&str>,
    line_id: i32,
    amount: i64,
    paid_on: Option<NaiveDate>,
    description: &str,
) -> String {
    match document {
        Some(doc) => format!("doc\u{1f}{doc}\u{1f}{line_id}"),
        None => format!("row\u{1f}{line_id}\u{1f}{amount}\u{1f}{paid_on:?}\u{1f}{description}"),
    }
}

impl<'t> Planner<'t> {
    /// Opens the import's history entry (status `running`, rolled back with a preview) and loads the
    /// projects.
    ///
    /// # Errors
    /// Database errors.
    pub async fn start(
        txn: &'t DatabaseTransaction,
        file_name: &str,
        sha256: &str,
        format: Format,
        options: &ImportOptions,
    ) -> Result<Planner<'t>, DbErr> {
        let batch = import_batch::ActiveModel {
            file_name: Set(file_name.chars().take(250).collect()),
            sha256: Set(sha256.to_owned()),
            format: Set(format.code().to_owned()),
            kinds: Set(String::new()),
            imported_by: Set(options.imported_by.clone()),
            imported_by_user_id: Set(options.viewer.as_ref().map(|v| v.id)),
            imported_at: Set(Utc::now()),
            status: Set("running".into()),
            changed_rows: Set(0),
            invalid_rows: Set(0),
            records_changed: Set(0),
            reverted_at: Set(None),
            report_json: Set(String::new()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let projects = project::Entity::find()
            .all(txn)
            .await?
            .into_iter()
            .map(|p| (p.registration_number.clone(), p))
            .collect();
        Ok(Planner {
            txn,
            import_id: batch.id,
            projects,
            organisations: None,
            periods: HashMap::new(),
            project_indicators: HashMap::new(),
            values_loaded: HashSet::new(),
            values: HashMap::new(),
            lines: HashMap::new(),
            cost_models: HashMap::new(),
            expenditures: HashMap::new(),
            participants: HashMap::new(),
            municipalities: HashMap::new(),
            new_values: Vec::new(),
            new_value_keys: HashSet::new(),
            new_expenditures: Vec::new(),
            new_participants: Vec::new(),
            new_municipalities: Vec::new(),
            befores: Vec::new(),
            stats: BTreeMap::new(),
            records_changed: 0,
            detail: true,
            viewer: options.viewer.clone(),
            current_project: None,
            touched: std::collections::BTreeSet::new(),
            pending_audit: None,
            new_audit: Vec::new(),
            actor: options.viewer.as_ref().map_or_else(
                || crate::services::audit::Actor::system(&options.imported_by),
                crate::services::audit::Actor::from,
            ),
        })
    }

    /// The organisations, loaded in one query on first use.
    async fn organisations(&mut self) -> Result<&mut Organisations, DbErr> {
        if self.organisations.is_none() {
            let mut all = Organisations::default();
            for o in organisation::Entity::find().all(self.txn).await? {
                all.add(o);
            }
            self.organisations = Some(all);
        }
        Ok(self
            .organisations
            .get_or_insert_with(Organisations::default))
    }

    fn before(&mut self, entity: &str, id: i32, json: serde_json::Value) {
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

    /// Applies one chunk of valid rows.
    ///
    /// # Errors
    /// Database errors (row-level problems become errors in the report).
    pub async fn apply_chunk(&mut self, chunk: Chunk) -> Result<(), DbErr> {
        let Chunk {
            sheet_index,
            sheet,
            columns,
            rows,
        } = chunk;
        for parsed in rows {
            let row = parsed.row;
            self.detail = self
                .stats
                .get(&sheet_index)
                .is_none_or(|s| s.changes.len() < MAX_CHANGE_LINES);
            self.pending_audit = None;
            self.current_project = None;
            let result = self.apply(parsed.record).await?;
            let stats = self.stats.entry(sheet_index).or_default();
            match result {
                Ok(Outcome::New(record, value)) => {
                    stats.new += 1;
                    stats.line(ChangeLine {
                        row: row + 1,
                        record,
                        action: "new".into(),
                        field: String::new(),
                        old: String::new(),
                        new: value,
                    });
                }
                Ok(Outcome::Changed(record, fields)) => {
                    if let Some((entity, id, project)) = self.pending_audit.take() {
                        let changes: serde_json::Map<String, serde_json::Value> = fields
                            .iter()
                            .map(|(f, old, new)| (f.clone(), serde_json::json!([old, new])))
                            .collect();
                        self.new_audit.push(entity::audit_log::ActiveModel {
                            at: Set(Utc::now()),
                            user_id: Set(self.actor.user_id),
                            user_email: Set(self.actor.email.clone()),
                            action: Set("import".into()),
                            entity: Set(entity),
                            entity_id: Set(id.to_string()),
                            project_id: Set(project),
                            changes_json: Set(serde_json::Value::Object(changes).to_string()),
                            ..Default::default()
                        });
                    }
                    let stats = self.stats.entry(sheet_index).or_default();
                    stats.changed += 1;
                    for (field, old, new) in fields {
                        stats.line(ChangeLine {
                            row: row + 1,
                            record: record.clone(),
                            action: "changed".into(),
                            field,
                            old,
                            new,
                        });
                    }
                }
                Ok(Outcome::Unchanged) => stats.unchanged += 1,
                Err(r) => {
                    stats.invalid += 1;
                    if stats.errors.len() < crate::dto::import::MAX_ISSUES_STORED {
                        stats.errors.push(issue(&sheet, row, &columns, r));
                    } else {
                        stats.dropped_issues += 1;
                    }
                }
            }
        }
        if self.new_values.len() >= INSERT_BATCH
            || self.new_expenditures.len() >= INSERT_BATCH
            || self.new_participants.len() >= INSERT_BATCH
            || self.befores.len() >= INSERT_BATCH
        {
            self.flush().await?;
        }
        Ok(())
    }

    /// Writes the pending inserts.
    ///
    /// # Errors
    /// Database errors.
    pub async fn flush(&mut self) -> Result<(), DbErr> {
        let values = std::mem::take(&mut self.new_values);
        for batch in values.chunks(VALUE_BATCH) {
            self.insert_values(batch).await?;
        }
        for batch in std::mem::take(&mut self.new_expenditures).chunks(INSERT_BATCH) {
            expenditure::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.new_participants).chunks(INSERT_BATCH) {
            participant::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.new_municipalities).chunks(INSERT_BATCH) {
            project_municipality::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.new_audit).chunks(INSERT_BATCH) {
            entity::audit_log::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        for batch in std::mem::take(&mut self.befores).chunks(INSERT_BATCH) {
            import_change::Entity::insert_many(batch.to_vec())
                .exec_without_returning(self.txn)
                .await?;
        }
        Ok(())
    }

    /// One multi-row `INSERT` of indicator values through a prepared statement (the same SQL text for
    /// every full batch, so the driver prepares it once).
    async fn insert_values(&self, batch: &[(i32, i32, i64, String)]) -> Result<(), DbErr> {
        let backend = self.txn.get_database_backend();
        let mut sql = String::with_capacity(80 + batch.len() * 40);
        sql.push_str(
            "INSERT INTO indicator_value \
             (project_indicator_id, period_id, achieved_milli, note, version, import_id) VALUES ",
        );
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(batch.len() * 5);
        for (i, (pi, period, milli, note)) in batch.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            if backend == sea_orm::DbBackend::Postgres {
                let b = i * 5;
                sql.push_str(&format!(
                    "(${}, ${}, ${}, ${}, 1, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5
                ));
            } else {
                sql.push_str("(?, ?, ?, ?, 1, ?)");
            }
            values.push((*pi).into());
            values.push((*period).into());
            values.push((*milli).into());
            values.push(note.clone().into());
            values.push(self.import_id.into());
        }
        self.txn
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?;
        Ok(())
    }

    async fn apply(&mut self, record: Record) -> Result<Result<Outcome, Refusal>, DbErr> {
        match record {
            Record::Project(r) => self.apply_project(r).await,
            Record::Seznam(r) => self.apply_seznam(r).await,
            Record::Indicator(r) => self.apply_indicator(r).await,
            Record::Expenditure(r) => self.apply_expenditure(r).await,
            Record::Municipality(r) => self.apply_municipality(r).await,
            Record::Participant(r) => self.apply_participant(r).await,
        }
    }

    /// Refuses a row of a project the importing user may not change.
    fn permitted(&mut self, project_id: Option<i32>, money: bool) -> Result<(), Refusal> {
        self.current_project = project_id;
        self.touched.extend(project_id);
        let Some(v) = &self.viewer else {
            return Ok(());
        };
        let ok = match project_id {
            Some(id) => v.can_import_into(id, money),
            None => v.can_create_project(),
        };
        if ok {
            Ok(())
        } else {
            Err(refuse(
                Field::RegNo,
                "forbidden_project",
                serde_json::Value::Null,
                "k tomuto projektu nemáte oprávnění (řádek se neuloží); požádejte správce o přidělení projektu",
            ))
        }
    }

    /// The project of a row that changes it: known to the registry and open to the importing user
    /// (`money`: the row changes finances).
    fn row_project(&mut self, reg_no: &str, money: bool) -> Result<ProjectRef, Refusal> {
        let project = self.project(reg_no)?;
        self.permitted(Some(project.id), money)?;
        Ok(project)
    }

    fn project(&self, reg_no: &str) -> Result<ProjectRef, Refusal> {
        self.projects
            .get(reg_no)
            .map(|p| ProjectRef {
                id: p.id,
                start_date: p.start_date,
                end_date: p.end_date,
            })
            .ok_or_else(|| {
                refuse(
                    Field::RegNo,
                    "unknown_project",
                    reg_no,
                    "projekt není v evidenci; založte jej nebo importujte nejdřív list projektů",
                )
            })
    }

    async fn apply_project(
        &mut self,
        r: super::sheet::ProjectRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let budget = r.budget.map(halere);
        let existing_id = self.projects.get(&r.reg_no).map(|p| p.id);
        let allowed = match (&self.viewer, existing_id) {
            (None, _) => true,
            (Some(v), Some(id)) => v.can_edit_project(id),
            (Some(v), None) => v.can_create_project(),
        };
        if !allowed {
            return Ok(Err(refuse(
                Field::RegNo,
                "forbidden_project",
                serde_json::Value::Null,
                "k tomuto projektu nemáte oprávnění (řádek se neuloží)",
            )));
        }
        if let Some(existing) = self.projects.get(&r.reg_no).cloned() {
            let mut fields = Vec::new();
            let mut am: project::ActiveModel = existing.clone().into();
            if existing.name != r.name {
                fields.push(("Název".into(), existing.name.clone(), r.name.clone()));
                am.name = Set(r.name.clone());
            }
            if let Some(a) = &r.acronym {
                if existing.acronym.as_deref() != Some(a.as_str()) {
                    fields.push((
                        "Akronym".into(),
                        existing.acronym.clone().unwrap_or_default(),
                        a.clone(),
                    ));
                    am.acronym = Set(Some(a.clone()));
                }
            }
            if let (Some(s), Some(e)) = (r.start, r.end) {
                if (s, e) != (existing.start_date, existing.end_date) {
                    fields.push((
                        "Doba realizace".into(),
                        format!(
                            "{} – {}",
                            format_czech_date(existing.start_date),
                            format_czech_date(existing.end_date)
                        ),
                        format!("{} – {}", format_czech_date(s), format_czech_date(e)),
                    ));
                    am.start_date = Set(s);
                    am.end_date = Set(e);
                }
            }
            if budget.is_some() && budget != existing.total_eligible_halere {
                fields.push((
                    "Celkové způsobilé výdaje".into(),
                    existing
                        .total_eligible_halere
                        .map(money_label)
                        .unwrap_or_default(),
                    budget.map(money_label).unwrap_or_default(),
                ));
                am.total_eligible_halere = Set(budget);
            }
            if let Some(d) = &r.description {
                if &existing.description != d {
                    fields.push(("Popis".into(), existing.description.clone(), d.clone()));
                    am.description = Set(d.clone());
                }
            }
            if fields.is_empty() {
                return Ok(Ok(Outcome::Unchanged));
            }
            let mut changed = existing.clone();
            changed.name.clone_from(&r.name);
            if r.acronym.is_some() {
                changed.acronym.clone_from(&r.acronym);
            }
            let orgs = self.organisations().await?;
            let search = search_text_of(&changed, orgs.by_id.get(&existing.beneficiary_id));
            if search != existing.search_folded {
                am.search_folded = Set(search);
            }
            am.version = Set(existing.version + 1);
            am.updated_at = Set(Utc::now());
            am.import_id = Set(Some(self.import_id));
            let updated = am.update(self.txn).await?;
            self.before(
                "project",
                existing.id,
                serde_json::json!({
                    "name": existing.name, "acronym": existing.acronym,
                    "start_date": existing.start_date, "end_date": existing.end_date,
                    "total_eligible_halere": existing.total_eligible_halere,
                    "description": existing.description, "search_folded": existing.search_folded,
                    "import_id": existing.import_id,
                }),
            );
            self.projects.insert(r.reg_no.clone(), updated);
            return Ok(Ok(Outcome::Changed(r.reg_no, fields)));
        }
        // A new project.
        let Ok(rn) = RegistrationNumber::parse(&r.reg_no) else {
            return Ok(Err(refuse(
                Field::RegNo,
                "invalid_registration_number",
                r.reg_no,
                "neplatné registrační číslo",
            )));
        };
        let (Some(start), Some(end)) = (r.start, r.end) else {
            return Ok(Err(refuse(
                Field::StartDate,
                "missing_value",
                serde_json::Value::Null,
                "nový projekt potřebuje datum zahájení i ukončení",
            )));
        };
        let programme_code = rn.programme_code().to_owned();
        let Some(programme) = crate::services::projects::programme_of(self.txn, &rn).await? else {
            return Ok(Err(refuse(
                Field::RegNo,
                "unknown_programme",
                r.reg_no,
                format!("program {programme_code} není v číselníku programů"),
            )));
        };
        let (Some(ico), Some(beneficiary)) = (r.ico.clone(), r.beneficiary.clone()) else {
            return Ok(Err(refuse(
                Field::Ico,
                "missing_value",
                serde_json::Value::Null,
                "nový projekt potřebuje příjemce (název a IČO)",
            )));
        };
        let txn = self.txn;
        let orgs = self.organisations().await?;
        let org = match orgs.by_ico.get(&ico).and_then(|id| orgs.by_id.get(id)) {
            Some(o) => o.clone(),
            None => {
                let created = organisation::ActiveModel {
                    ico: Set(ico.clone()),
                    name: Set(beneficiary.clone()),
                    ..Default::default()
                }
                .insert(txn)
                .await?;
                orgs.add(created.clone());
                created
            }
        };
        let org_id = org.id;
        let status = status_from_sheet(r.status.as_deref().unwrap_or(""));
        let now = Utc::now();
        let search =
            crate::services::projects::search_text(&crate::services::projects::SearchParts {
                registration_number: rn.as_str(),
                name: &r.name,
                acronym: r.acronym.as_deref(),
                beneficiary_name: &org.name,
                beneficiary_ico: &org.ico,
            });
        let inserted = project::ActiveModel {
            registration_number: Set(rn.as_str().to_owned()),
            name: Set(r.name.clone()),
            acronym: Set(r.acronym.clone()),
            beneficiary_id: Set(org_id),
            programme_id: Set(programme.id),
            priority_code: Set(rn.priority_code().to_owned()),
            specific_objective_code: Set(rn.specific_objective_code().to_owned()),
            call_id: Set(rn.call_id()),
            status: Set(status.code().to_owned()),
            start_date: Set(start),
            end_date: Set(end),
            description: Set(r.description.clone().unwrap_or_default()),
            search_folded: Set(search),
            total_eligible_halere: Set(budget),
            amounts_illustrative: Set(false),
            archived_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            import_id: Set(Some(self.import_id)),
            ..Default::default()
        }
        .insert(self.txn)
        .await?;
        self.records_changed += 1;
        self.touched.insert(inserted.id);
        self.projects.insert(r.reg_no.clone(), inserted);
        Ok(Ok(Outcome::New(
            format!("projekt {}", r.reg_no),
            r.name.clone(),
        )))
    }

    async fn apply_seznam(
        &mut self,
        r: super::sheet::SeznamRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        if !r.first_of_project {
            return Ok(Ok(Outcome::Unchanged));
        }
        let Some(existing) = self.projects.get(&r.reg_no).cloned() else {
            // Projects of the official list that the registry does not track are left alone.
            return Ok(Ok(Outcome::Unchanged));
        };
        let Some(total) = r.la_total.map(halere) else {
            return Ok(Ok(Outcome::Unchanged));
        };
        if let Err(e) = self.permitted(Some(existing.id), true) {
            return Ok(Err(e));
        }
        if existing.total_eligible_halere == Some(total) {
            return Ok(Ok(Outcome::Unchanged));
        }
        let mut am: project::ActiveModel = existing.clone().into();
        am.total_eligible_halere = Set(Some(total));
        am.version = Set(existing.version + 1);
        am.updated_at = Set(Utc::now());
        am.import_id = Set(Some(self.import_id));
        let updated = am.update(self.txn).await?;
        self.before(
            "project",
            existing.id,
            serde_json::json!({"total_eligible_halere": existing.total_eligible_halere, "import_id": existing.import_id}),
        );
        self.projects.insert(r.reg_no.clone(), updated);
        Ok(Ok(Outcome::Changed(
            r.reg_no,
            vec![(
                "Celkové způsobilé výdaje (právní akt)".into(),
                existing
                    .total_eligible_halere
                    .map(money_label)
                    .unwrap_or_default(),
                money_label(total),
            )],
        )))
    }

    async fn periods_of(
        &mut self,
        project_id: i32,
    ) -> Result<&mut Vec<monitoring_period::Model>, DbErr> {
        if !self.periods.contains_key(&project_id) {
            let list = monitoring_period::Entity::find()
                .filter(monitoring_period::Column::ProjectId.eq(project_id))
                .order_by_asc(monitoring_period::Column::StartDate)
                .all(self.txn)
                .await?;
            self.periods.insert(project_id, list);
        }
        Ok(self.periods.entry(project_id).or_default())
    }

    /// The period a row names, created when it is given by dates and follows the existing ones.
    async fn period(
        &mut self,
        project: &ProjectRef,
        period: PeriodRef,
        field: Field,
    ) -> Result<Result<i32, Refusal>, DbErr> {
        let import_id = self.import_id;
        let txn = self.txn;
        let list = self.periods_of(project.id).await?;
        if let PeriodRef::Report(n) = period {
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            return Ok(list
                .iter()
                .find(|p| p.number == n)
                .map(|p| p.id)
                .ok_or_else(|| {
                    refuse(
                        field,
                        "invalid_period",
                        format!("ZoR {n}"),
                        format!(
                    "projekt nemá monitorovací období ZoR {n}; založte je na stránce Indikátory \
                     nebo uveďte období daty (Období od, Období do)"
                ),
                    )
                }));
        }
        let Some((from, to)) = period.dates() else {
            return Ok(Err(refuse(
                field,
                "invalid_period",
                period.to_string(),
                "neplatné období",
            )));
        };
        let from = std::cmp::max(from, project.start_date);
        let to = std::cmp::min(to, project.end_date);
        if from > to {
            return Ok(Err(refuse(
                field,
                "invalid_period",
                period.to_string(),
                format!(
                    "období {} leží mimo dobu realizace projektu ({} – {})",
                    period.label(),
                    format_czech_date(project.start_date),
                    format_czech_date(project.end_date)
                ),
            )));
        }
        if let Some(p) = list
            .iter()
            .find(|p| p.start_date == from && p.end_date == to)
        {
            return Ok(Ok(p.id));
        }
        if let Some(o) = list
            .iter()
            .find(|p| p.start_date <= to && from <= p.end_date)
        {
            return Ok(Err(refuse(
                field,
                "invalid_period",
                period.to_string(),
                format!(
                    "období {} – {} se překrývá se ZoR {} ({} – {})",
                    format_czech_date(from),
                    format_czech_date(to),
                    o.number,
                    format_czech_date(o.start_date),
                    format_czech_date(o.end_date)
                ),
            )));
        }
        if list.iter().any(|p| p.start_date > to) {
            return Ok(Err(refuse(field, "invalid_period", period.to_string(),
                "období leží před už založenými obdobími; čísla ZoR by se posunula – založte je ručně")));
        }
        let number = list.iter().map(|p| p.number).max().unwrap_or(0) + 1;
        let created = monitoring_period::ActiveModel {
            project_id: Set(project.id),
            number: Set(number),
            start_date: Set(from),
            end_date: Set(to),
            import_id: Set(Some(import_id)),
            ..Default::default()
        }
        .insert(txn)
        .await?;
        let id = created.id;
        list.push(created);
        list.sort_by_key(|p| p.start_date);
        self.records_changed += 1;
        Ok(Ok(id))
    }

    async fn load_values(&mut self, project_id: i32) -> Result<(), DbErr> {
        if !self.values_loaded.insert(project_id) {
            return Ok(());
        }
        let pis = project_indicator::Entity::find()
            .filter(project_indicator::Column::ProjectId.eq(project_id))
            .all(self.txn)
            .await?;
        let ids: Vec<i32> = pis.iter().map(|p| p.id).collect();
        for pi in pis {
            self.project_indicators
                .insert((project_id, pi.indicator_id), pi);
        }
        if !ids.is_empty() {
            for v in indicator_value::Entity::find()
                .filter(indicator_value::Column::ProjectIndicatorId.is_in(ids))
                .all(self.txn)
                .await?
            {
                self.values.insert((v.project_indicator_id, v.period_id), v);
            }
        }
        Ok(())
    }

    async fn apply_indicator(
        &mut self,
        r: super::sheet::IndicatorRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, false) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let period_field = if matches!(r.period, PeriodRef::Dates { .. }) {
            Field::PeriodFrom
        } else {
            Field::Period
        };
        let period_id = match self.period(&project, r.period, period_field).await? {
            Ok(id) => id,
            Err(e) => return Ok(Err(e)),
        };
        self.load_values(project.id).await?;
        let record = if self.detail {
            format!(
                "{} · {} · {}",
                r.reg_no,
                crate::domain::IndicatorCode::parse(&r.code)
                    .map(|c| c.display())
                    .unwrap_or(r.code.clone()),
                r.period.label()
            )
        } else {
            String::new()
        };
        let mut fields = Vec::new();
        let target = r.target.map(milli);
        let pi = match self
            .project_indicators
            .get(&(project.id, r.indicator_id))
            .cloned()
        {
            Some(pi) => {
                if let Some(t) = target {
                    if t != pi.target_milli {
                        fields.push((
                            "Cílová hodnota".to_owned(),
                            quantity_label(pi.target_milli),
                            quantity_label(t),
                        ));
                        let mut am: project_indicator::ActiveModel = pi.clone().into();
                        am.target_milli = Set(t);
                        am.version = Set(pi.version + 1);
                        am.import_id = Set(Some(self.import_id));
                        let updated = am.update(self.txn).await?;
                        self.before("project_indicator", pi.id, serde_json::json!({"target_milli": pi.target_milli, "version": pi.version, "import_id": pi.import_id}));
                        self.project_indicators
                            .insert((project.id, r.indicator_id), updated.clone());
                        updated
                    } else {
                        pi
                    }
                } else {
                    pi
                }
            }
            None => {
                let created = project_indicator::ActiveModel {
                    project_id: Set(project.id),
                    indicator_id: Set(r.indicator_id),
                    baseline_milli: Set(0),
                    target_milli: Set(target.unwrap_or(0)),
                    target_date: Set(project.end_date),
                    version: Set(1),
                    import_id: Set(Some(self.import_id)),
                    ..Default::default()
                }
                .insert(self.txn)
                .await?;
                self.records_changed += 1;
                self.project_indicators
                    .insert((project.id, r.indicator_id), created.clone());
                created
            }
        };
        let achieved = milli(r.value);
        let note = r.note.clone().unwrap_or_default();
        match self.values.get(&(pi.id, period_id)).cloned() {
            Some(v) => {
                if v.achieved_milli != achieved {
                    fields.push((
                        "Dosažená hodnota".to_owned(),
                        quantity_label(v.achieved_milli),
                        quantity_label(achieved),
                    ));
                }
                let note_changed = r.note.is_some() && v.note != note;
                if note_changed {
                    fields.push(("Poznámka".to_owned(), v.note.clone(), note.clone()));
                }
                if v.achieved_milli != achieved || note_changed {
                    let mut am: indicator_value::ActiveModel = v.clone().into();
                    am.achieved_milli = Set(achieved);
                    if note_changed {
                        am.note = Set(note);
                    }
                    am.version = Set(v.version + 1);
                    am.import_id = Set(Some(self.import_id));
                    let updated = am.update(self.txn).await?;
                    self.before("indicator_value", v.id, serde_json::json!({"achieved_milli": v.achieved_milli, "note": v.note, "version": v.version, "import_id": v.import_id}));
                    self.values.insert((pi.id, period_id), updated);
                }
                if fields.is_empty() {
                    Ok(Ok(Outcome::Unchanged))
                } else {
                    Ok(Ok(Outcome::Changed(record, fields)))
                }
            }
            None => {
                // Two rows naming the same value differently (`ZoR 1` and the period's dates).
                if !self.new_value_keys.insert((pi.id, period_id)) {
                    return Ok(Err(refuse(
                        period_field,
                        "duplicate_row",
                        r.period.to_string(),
                        "hodnota tohoto indikátoru za toto období už je v souboru na jiném řádku",
                    )));
                }
                self.new_values.push((pi.id, period_id, achieved, note));
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    if self.detail {
                        quantity_label(achieved)
                    } else {
                        String::new()
                    },
                )))
            }
        }
    }

    async fn load_budget(&mut self, project_id: i32) -> Result<(), DbErr> {
        if self.lines.contains_key(&project_id) {
            return Ok(());
        }
        let lines = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .order_by_asc(budget_line::Column::Year)
            .all(self.txn)
            .await?;
        let existing = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .all(self.txn)
            .await?;
        let model = entity::project_finance::Entity::find_by_id(project_id)
            .one(self.txn)
            .await?
            .and_then(|f| crate::domain::CostModel::from_code(&f.cost_model).ok())
            .unwrap_or_default();
        self.cost_models.insert(project_id, model);
        let mut drawn: HashMap<i32, i64> = HashMap::new();
        let mut by_key = HashMap::new();
        for e in existing {
            *drawn.entry(e.budget_line_id).or_default() += e.amount_halere;
            let key = expenditure_key(
                e.document_number.as_deref(),
                e.budget_line_id,
                e.amount_halere,
                e.paid_on,
                &e.description,
            );
            by_key.insert(key, e);
        }
        self.lines.insert(
            project_id,
            lines
                .into_iter()
                .map(|model| LineState {
                    drawn: drawn.get(&model.id).copied().unwrap_or(0),
                    model,
                })
                .collect(),
        );
        self.expenditures.insert(project_id, by_key);
        Ok(())
    }

    async fn apply_expenditure(
        &mut self,
        r: super::sheet::ExpenditureRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, true) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        let period_id = match r.period {
            Some(p) => match self.period(&project, p, Field::Period).await? {
                Ok(id) => Some(id),
                Err(e) => return Ok(Err(e)),
            },
            None => None,
        };
        self.load_budget(project.id).await?;
        let year = r.paid_on.map(|d| d.year());
        let wanted = r.budget_line.trim().to_owned();
        let wanted_folded = fold_for_search(&wanted);
        let lines = self.lines.entry(project.id).or_default();
        let candidates: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                l.model.code.eq_ignore_ascii_case(&wanted)
                    || fold_for_search(&l.model.name) == wanted_folded
            })
            .map(|(i, _)| i)
            .collect();
        let chosen = candidates
            .iter()
            .copied()
            .find(|i| Some(lines[*i].model.year) == year)
            .or_else(|| candidates.first().copied());
        let Some(index) = chosen else {
            return Ok(Err(refuse(Field::BudgetLine, "unknown_budget_line", wanted.clone(), format!(
                "položka rozpočtu „{wanted}“ není v rozpočtu projektu; založte ji na stránce Rozpočet \
                 nebo uveďte kód položky (např. 1.1.1.1)"
            ))));
        };
        // The sheet gives amounts: a line the cost model does not count, or one drawn in units, is refused
        // by the same rule as the expenditure form.
        let model = self
            .cost_models
            .get(&project.id)
            .copied()
            .unwrap_or_default();
        let line_model = &lines[index].model;
        let kind =
            crate::domain::LineKind::of(&line_model.chapter, line_model.unit_cost_id.is_some());
        if let Err(refusal) = model.check_drawing(kind, false) {
            return Ok(Err(refuse(
                Field::BudgetLine,
                refusal.code(),
                wanted.clone(),
                format!(
                    "položka {} {}: {}",
                    line_model.code,
                    line_model.name,
                    refusal.message()
                ),
            )));
        }
        let amount = halere(r.amount);
        let line_id = lines[index].model.id;
        let key = expenditure_key(
            r.document.as_deref(),
            line_id,
            amount,
            r.paid_on,
            &r.description,
        );
        let existing = self
            .expenditures
            .get(&project.id)
            .and_then(|m| m.get(&key))
            .cloned();
        let delta = amount - existing.as_ref().map_or(0, |e| e.amount_halere);
        let Some(line) = self
            .lines
            .get_mut(&project.id)
            .and_then(|l| l.get_mut(index))
        else {
            return Ok(Err(refuse(
                Field::BudgetLine,
                "unknown_budget_line",
                wanted,
                "položka rozpočtu nenalezena",
            )));
        };
        if overdraws(line.model.amount_halere, line.drawn, delta) {
            return Ok(Err(refuse(
                Field::Amount,
                "overdraws_budget_line",
                crate::services::import::sheet::money_text(r.amount),
                format!(
                "výdaj by přečerpal položku {} {} ({}): rozpočet {}, dosud čerpáno {}, zbývá {}; \
                 výdaj nad rozpočet položky se neuznává",
                line.model.code, line.model.name, line.model.year,
                money_label(line.model.amount_halere), money_label(line.drawn),
                money_label(line.model.amount_halere - line.drawn)
            ),
            )));
        }
        line.drawn += delta;
        let record = if self.detail {
            format!(
                "{} · {} · {}",
                r.reg_no,
                r.document.clone().unwrap_or_else(|| "bez dokladu".into()),
                line.model.code
            )
        } else {
            String::new()
        };
        match existing {
            Some(e) => {
                let mut fields = Vec::new();
                if e.amount_halere != amount {
                    fields.push((
                        "Částka".to_owned(),
                        money_label(e.amount_halere),
                        money_label(amount),
                    ));
                }
                if e.paid_on != r.paid_on {
                    fields.push((
                        "Datum úhrady".to_owned(),
                        date_label(e.paid_on),
                        date_label(r.paid_on),
                    ));
                }
                if e.description != r.description {
                    fields.push((
                        "Popis".to_owned(),
                        e.description.clone(),
                        r.description.clone(),
                    ));
                }
                if e.supplier != r.supplier {
                    fields.push((
                        "Dodavatel".to_owned(),
                        e.supplier.clone(),
                        r.supplier.clone(),
                    ));
                }
                if period_id.is_some() && e.period_id != period_id {
                    fields.push((
                        "Období".to_owned(),
                        String::new(),
                        r.period.map(|p| p.label()).unwrap_or_default(),
                    ));
                }
                if fields.is_empty() {
                    return Ok(Ok(Outcome::Unchanged));
                }
                let mut am: expenditure::ActiveModel = e.clone().into();
                am.amount_halere = Set(amount);
                am.paid_on = Set(r.paid_on);
                am.description = Set(r.description.clone());
                am.supplier = Set(r.supplier.clone());
                if period_id.is_some() {
                    am.period_id = Set(period_id);
                }
                am.import_id = Set(Some(self.import_id));
                let updated = am.update(self.txn).await?;
                self.before("expenditure", e.id, serde_json::json!({
                    "amount_halere": e.amount_halere, "paid_on": e.paid_on, "description": e.description,
                    "supplier": e.supplier, "period_id": e.period_id, "import_id": e.import_id,
                }));
                self.expenditures
                    .entry(project.id)
                    .or_default()
                    .insert(key, updated);
                Ok(Ok(Outcome::Changed(record, fields)))
            }
            None => {
                self.new_expenditures.push(expenditure::ActiveModel {
                    project_id: Set(project.id),
                    budget_line_id: Set(line_id),
                    period_id: Set(period_id),
                    document_number: Set(r.document.clone()),
                    amount_halere: Set(amount),
                    paid_on: Set(r.paid_on),
                    description: Set(r.description.clone()),
                    supplier: Set(r.supplier.clone()),
                    import_id: Set(Some(self.import_id)),
                    ..Default::default()
                });
                self.expenditures.entry(project.id).or_default().insert(
                    key,
                    expenditure::Model {
                        id: 0,
                        project_id: project.id,
                        budget_line_id: line_id,
                        period_id,
                        document_number: r.document.clone(),
                        amount_halere: amount,
                        paid_on: r.paid_on,
                        description: r.description.clone(),
                        supplier: r.supplier.clone(),
                        import_id: Some(self.import_id),
                        units: None,
                    },
                );
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    if self.detail {
                        money_label(amount)
                    } else {
                        String::new()
                    },
                )))
            }
        }
    }

    async fn apply_municipality(
        &mut self,
        r: super::sheet::MunicipalityRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, false) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        if !self.municipalities.contains_key(&project.id) {
            let set = project_municipality::Entity::find()
                .filter(project_municipality::Column::ProjectId.eq(project.id))
                .all(self.txn)
                .await?
                .into_iter()
                .map(|m| m.municipality_code)
                .collect();
            self.municipalities.insert(project.id, set);
        }
        let code = i32::try_from(r.code).unwrap_or(0);
        let set = self.municipalities.entry(project.id).or_default();
        if !set.insert(code) {
            return Ok(Ok(Outcome::Unchanged));
        }
        self.new_municipalities
            .push(project_municipality::ActiveModel {
                project_id: Set(project.id),
                municipality_code: Set(code),
                import_id: Set(Some(self.import_id)),
            });
        self.records_changed += 1;
        Ok(Ok(Outcome::New(
            format!("{} · obec", r.reg_no),
            r.code.to_string(),
        )))
    }

    async fn apply_participant(
        &mut self,
        r: super::sheet::ParticipantRow,
    ) -> Result<Result<Outcome, Refusal>, DbErr> {
        let project = match self.row_project(&r.reg_no, false) {
            Ok(p) => p,
            Err(e) => return Ok(Err(e)),
        };
        if !self.participants.contains_key(&project.id) {
            let map = participant::Entity::find()
                .filter(participant::Column::ProjectId.eq(project.id))
                .all(self.txn)
                .await?
                .into_iter()
                .map(|p| (p.pseudonym.clone(), p))
                .collect();
            self.participants.insert(project.id, map);
        }
        let rec = &r.record;
        let situations: Vec<&str> = rec.exit_situations().iter().map(|s| s.code()).collect();
        let situations = situations.join(";");
        let record = if self.detail {
            format!("{} · účastník {}", r.reg_no, rec.pseudonym())
        } else {
            String::new()
        };
        let existing = self
            .participants
            .get(&project.id)
            .and_then(|m| m.get(rec.pseudonym()))
            .cloned();
        let gender = rec.gender().label().to_owned();
        let isced = rec.isced().map(i16::from);
        match existing {
            Some(p) => {
                let mut fields = Vec::new();
                if p.entry_date != rec.entry() {
                    fields.push((
                        "Datum vstupu".to_owned(),
                        date_label(Some(p.entry_date)),
                        date_label(Some(rec.entry())),
                    ));
                }
                if p.exit_date != rec.exit() {
                    fields.push((
                        "Datum výstupu".to_owned(),
                        date_label(p.exit_date),
                        date_label(rec.exit()),
                    ));
                }
                if p.gender != gender {
                    fields.push(("Pohlaví".to_owned(), p.gender.clone(), gender.clone()));
                }
                if p.age_at_entry != i16::from(rec.age_at_entry()) {
                    fields.push((
                        "Věk při vstupu".to_owned(),
                        p.age_at_entry.to_string(),
                        rec.age_at_entry().to_string(),
                    ));
                }
                if p.labour_status != rec.status().code() {
                    fields.push((
                        "Postavení na trhu práce".to_owned(),
                        p.labour_status.clone(),
                        rec.status().code().to_owned(),
                    ));
                }
                if p.isced != isced {
                    fields.push((
                        "ISCED".to_owned(),
                        p.isced.map(|i| i.to_string()).unwrap_or_default(),
                        isced.map(|i| i.to_string()).unwrap_or_default(),
                    ));
                }
                if p.disability != rec.disability() {
                    fields.push((
                        "Zdravotní postižení".to_owned(),
                        yes(p.disability),
                        yes(rec.disability()),
                    ));
                }
                if p.exit_situations != situations {
                    fields.push((
                        "Situace při výstupu".to_owned(),
                        p.exit_situations.clone(),
                        situations.clone(),
                    ));
                }
                if fields.is_empty() {
                    return Ok(Ok(Outcome::Unchanged));
                }
                let mut am: participant::ActiveModel = p.clone().into();
                am.entry_date = Set(rec.entry());
                am.exit_date = Set(rec.exit());
                am.gender = Set(gender);
                am.age_at_entry = Set(i16::from(rec.age_at_entry()));
                am.labour_status = Set(rec.status().code().to_owned());
                am.isced = Set(isced);
                am.disability = Set(rec.disability());
                am.exit_situations = Set(situations);
                am.import_id = Set(Some(self.import_id));
                let updated = am.update(self.txn).await?;
                self.before("participant", p.id, serde_json::json!({
                    "entry_date": p.entry_date, "exit_date": p.exit_date, "gender": p.gender,
                    "age_at_entry": p.age_at_entry, "labour_status": p.labour_status, "isced": p.isced,
                    "disability": p.disability, "exit_situations": p.exit_situations, "import_id": p.import_id,
                }));
                self.participants
                    .entry(project.id)
                    .or_default()
                    .insert(rec.pseudonym().to_owned(), updated);
                Ok(Ok(Outcome::Changed(record, fields)))
            }
            None => {
                let model = participant::Model {
                    id: 0,
                    project_id: project.id,
                    pseudonym: rec.pseudonym().to_owned(),
                    entry_date: rec.entry(),
                    exit_date: rec.exit(),
                    gender,
                    age_at_entry: i16::from(rec.age_at_entry()),
                    labour_status: rec.status().code().to_owned(),
                    isced,
                    disability: rec.disability(),
                    exit_situations: situations,
                    illustrative: false,
                    import_id: Some(self.import_id),
                };
                let mut am: participant::ActiveModel = model.clone().into();
                am.id = sea_orm::ActiveValue::NotSet;
                self.new_participants.push(am);
                self.participants
                    .entry(project.id)
                    .or_default()
                    .insert(model.pseudonym.clone(), model);
                self.records_changed += 1;
                Ok(Ok(Outcome::New(
                    record,
                    format!("vstup {}", format_czech_date(rec.entry())),
                )))
            }
        }
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

    /// Completes the history entry of a committed import; returns its id.
    ///
    /// # Errors
    /// Database errors.
    pub async fn finish(mut self, report: &mut ImportReport) -> Result<i32, DbErr> {
        self.flush().await?;
        let kinds: Vec<String> = report
            .sheets
            .iter()
            .filter_map(|s| s.kind.as_deref().and_then(SheetKind::from_code))
            .map(|k| k.label().to_owned())
            .collect();
        report.import_id = Some(self.import_id);
        report.committed = true;
        let changed: u32 = report.change_count();
        let invalid: u32 = report.sheets.iter().map(|s| s.invalid_rows).sum();
        import_batch::ActiveModel {
            id: Set(self.import_id),
            kinds: Set(kinds.join(", ")),
            status: Set("committed".into()),
            changed_rows: Set(i32::try_from(changed).unwrap_or(i32::MAX)),
            invalid_rows: Set(i32::try_from(invalid).unwrap_or(i32::MAX)),
            records_changed: Set(i32::try_from(self.records_changed).unwrap_or(i32::MAX)),
            report_json: Set(serde_json::to_string(report).unwrap_or_default()),
            ..Default::default()
        }
        .update(self.txn)
        .await?;
        super::history::record_touched(self.txn, self.import_id, &self.touched).await?;
        crate::services::audit::record(
            self.txn,
            &self.actor,
            "import",
            "import_batch",
            self.import_id,
            None,
            serde_json::json!({
                "file_name": [null, report.file_name],
                "sha256": [null, report.sha256],
                "kinds": [null, kinds.join(", ")],
                "changed_rows": [null, changed],
                "invalid_rows": [null, invalid],
                "records_changed": [null, self.records_changed],
            }),
        )
        .await?;
        Ok(self.import_id)
    }
}

fn yes(b: bool) -> String {
    if b { "ano" } else { "ne" }.to_owned()
}

fn issue(sheet: &str, row: u32, columns: &Columns, r: Refusal) -> CellIssue {
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

/// Maps a project state as the monitoring system writes it (`Projekt v realizaci`, `Projekt s právním
/// aktem`, `Projekt ukončený`, `Projekt finančně ukončený`) to the registry's status.
fn status_from_sheet(text: &str) -> ProjectStatus {
    let folded = fold_for_search(text);
    if folded.contains("financne") || folded.contains("uzavren") {
        ProjectStatus::Uzavreny
    } else if folded.contains("ukoncen") {
        ProjectStatus::Ukonceny
    } else if folded.contains("realizac") {
        ProjectStatus::VRealizaci
    } else {
        ProjectStatus::VPriprave
    }
}

/// Tables an import changes, in the order their rows are removed on revert (dependants first).
pub(super) const TRACKED: &[&str] = &[
    "indicator_value",
    "expenditure",
    "participant",
    "project_municipality",
    "project_indicator",
    "monitoring_period",
    "project",
];

async fn count_where(db: &impl ConnectionTrait, sql: &str, import_id: i32) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Postgres {
        sql.replace('?', "$1")
    } else {
        sql.to_owned()
    };
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [import_id.into()],
        ))
        .await?;
    Ok(row
        .and_then(|r| r.try_get_by_index::<i64>(0).ok())
        .unwrap_or(0))
}

/// Reverts a committed import as a whole: rows it added are removed, rows it changed get their earlier
/// values back. Refused when a later import or a manual edit has since changed any of its rows, or when
/// other data depend on rows it added.
///
/// # Errors
/// [`ImportError::NotFound`], [`ImportError::RevertBlocked`] with the reason; database errors.
pub async fn revert(db: &DatabaseConnection, id: i32) -> Result<u64, ImportError> {
    let txn = crate::services::db::begin_write(db).await?;
    let batch = import_batch::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(ImportError::NotFound)?;
    if batch.status != "committed" {
        return Err(ImportError::RevertBlocked(format!(
            "Import č. {id} nelze vrátit: není uložený (stav {}).",
            batch.status
        )));
    }
    let mut owned: i64 = 0;
    for table in TRACKED {
        owned += count_where(
            &txn,
            &format!("SELECT COUNT(*) FROM {table} WHERE import_id = ?"),
            id,
        )
        .await?;
    }
    let expected = i64::from(batch.records_changed);
    if owned != expected {
        return Err(ImportError::RevertBlocked(format!(
            "Import č. {id} nelze vrátit: {} z {expected} jeho záznamů bylo mezitím změněno pozdějším \
             importem nebo ručně. Vraťte nejdřív pozdější importy.",
            expected - owned
        )));
    }
    let dependants: &[(&str, &str)] = &[
        ("indicator values of other imports or typed in", "SELECT COUNT(*) FROM indicator_value v JOIN monitoring_period p ON v.period_id = p.id WHERE p.import_id = ? AND (v.import_id IS NULL OR v.import_id <> p.import_id)"),
        ("expenditures", "SELECT COUNT(*) FROM expenditure e JOIN monitoring_period p ON e.period_id = p.id WHERE p.import_id = ? AND (e.import_id IS NULL OR e.import_id <> p.import_id)"),
        ("values", "SELECT COUNT(*) FROM indicator_value v JOIN project_indicator i ON v.project_indicator_id = i.id WHERE i.import_id = ? AND (v.import_id IS NULL OR v.import_id <> i.import_id)"),
        ("budget lines", "SELECT COUNT(*) FROM budget_line b JOIN project p ON b.project_id = p.id WHERE p.import_id = ?"),
        ("claims", "SELECT COUNT(*) FROM payment_claim c JOIN project p ON c.project_id = p.id WHERE p.import_id = ?"),
        ("periods", "SELECT COUNT(*) FROM monitoring_period m JOIN project p ON m.project_id = p.id WHERE p.import_id = ? AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        ("participants", "SELECT COUNT(*) FROM participant m JOIN project p ON m.project_id = p.id WHERE p.import_id = ? AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        ("expenditures of project", "SELECT COUNT(*) FROM expenditure m JOIN project p ON m.project_id = p.id WHERE p.import_id = ? AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        ("indicators of project", "SELECT COUNT(*) FROM project_indicator m JOIN project p ON m.project_id = p.id WHERE p.import_id = ? AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
    ];
    for (_, sql) in dependants {
        if count_where(&txn, sql, id).await? > 0 {
            return Err(ImportError::RevertBlocked(format!(
                "Import č. {id} nelze vrátit: na záznamy, které založil (období, indikátory nebo \
                 projekty), navazují pozdější údaje. Odstraňte je nebo vraťte nejdřív pozdější importy."
            )));
        }
    }
    let changes = import_change::Entity::find()
        .filter(import_change::Column::ImportId.eq(id))
        .order_by_desc(import_change::Column::Id)
        .all(&txn)
        .await?;
    for change in &changes {
        restore(&txn, change).await?;
    }
    let mut removed: u64 = 0;
    for table in TRACKED {
        let backend = txn.get_database_backend();
        let sql = if backend == sea_orm::DbBackend::Postgres {
            format!("DELETE FROM {table} WHERE import_id = $1")
        } else {
            format!("DELETE FROM {table} WHERE import_id = ?")
        };
        removed += txn
            .execute_raw(Statement::from_sql_and_values(backend, sql, [id.into()]))
            .await?
            .rows_affected();
    }
    crate::services::audit::record(
        &txn,
        &crate::services::audit::current(),
        "revert",
        "import_batch",
        id,
        None,
        serde_json::json!({"status": ["committed", "reverted"], "file_name": [batch.file_name, batch.file_name]}),
    )
    .await?;
    import_batch::ActiveModel {
        id: Set(id),
        status: Set("reverted".into()),
        reverted_at: Set(Some(Utc::now())),
        ..Default::default()
    }
    .update(&txn)
    .await?;
    txn.commit().await?;
    Ok(removed + u64::try_from(changes.len()).unwrap_or(0))
}

/// Writes a before-image back.
async fn restore(
    txn: &DatabaseTransaction,
    change: &import_change::Model,
) -> Result<(), ImportError> {
    let before: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&change.before_json)
            .map_err(|e| ImportError::Unexpected(e.to_string()))?;
    let table = change.entity.as_str();
    if !TRACKED.contains(&table) {
        return Err(ImportError::Unexpected(format!("unknown entity {table}")));
    }
    let mut update = sea_orm::sea_query::Query::update();
    update.table(sea_orm::sea_query::Alias::new(table));
    for (column, value) in &before {
        if !column
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
        {
            return Err(ImportError::Unexpected(format!("bad column {column}")));
        }
        let v: Expr = match value {
            serde_json::Value::Null => Expr::cust("NULL"),
            serde_json::Value::Bool(b) => Expr::val(*b),
            serde_json::Value::Number(n) => Expr::val(n.as_i64().unwrap_or(0)),
            serde_json::Value::String(s) => {
                if column.ends_with("_date") || column == "paid_on" {
                    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                        Ok(d) => Expr::val(d),
                        Err(_) => Expr::val(s.clone()),
                    }
                } else {
                    Expr::val(s.clone())
                }
            }
            other => Expr::val(other.to_string()),
        };
        update.value(sea_orm::sea_query::Alias::new(column.as_str()), v);
    }
    update.and_where(Expr::col(sea_orm::sea_query::Alias::new("id")).eq(change.record_id));
    txn.execute(&update).await?;
    Ok(())
}

/// Counts committed imports (for tests and the history pager).
///
/// # Errors
/// Database errors.
pub async fn committed_count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    import_batch::Entity::find()
        .filter(import_batch::Column::Status.eq("committed"))
        .count(db)
        .await
}
