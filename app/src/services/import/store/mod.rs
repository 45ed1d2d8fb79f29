//! Applying checked rows to the database inside the import's transaction, with the counts and old → new
//! lines of the preview, the before-images that make an import revertible, and the revert itself.
//!
//! Rules that depend on what is stored are checked here, at the row's cell:
//! - a new project gets its monitoring periods by its programme's reporting rule, and a change of a
//!   project's dates lays them out again, refused at the date cell when a period holding data would move
//!   (the same rule as the project form, see [`crate::services::projects::periods`]);
//! - a period given by number (`ZoR 2`) must exist (a project without any periods gets them by its
//!   programme's rule first); a half-year or a from–to pair finds the period with those dates or, when it
//!   follows all existing periods inside the project, creates it;
//! - a budget line is checked by the rules of the budget line form ([`crate::services::budget::NewBudgetLine`]):
//!   the cost model must take it, and it cannot be budgeted below what is drawn on it;
//! - an expenditure's budget line must be in the project's budget (by code, e.g. `1.1.1.2`, or by name),
//!   and the expenditure must not overdraw it (the same rule as the budget page);
//! - a new project needs its programme in the registry and a beneficiary (name and IČO).
//!
//! [`Planner`] holds the transaction and the caches; its work is split by what it writes: `projects`
//! (the project list and the *Seznam operací*), `periods`, `indicators` (values and targets), `budget`
//! (budget lines), `expenditures` (against the budget lines), `municipalities` and `participants`. Beside them:
//! `permissions` (who may change which project), `changes` (change lines, before-images, the
//! report), `units` (stored amounts and their labels), `batches` (the batched inserts),
//! `lookups` (what rows are checked against) and `revert`.

mod batches;
mod budget;
mod changes;
mod expenditures;
mod indicators;
mod lookups;
mod municipalities;
mod participants;
mod periods;
mod permissions;
mod projects;
mod revert;
mod units;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, DbErr, EntityTrait, Set};

use entity::{
    expenditure, import_batch, import_change, indicator_value, monitoring_period, participant,
    project, project_indicator, project_municipality,
};

use super::kinds::{Field, SheetKind};
use super::sheet::Record;
use super::workbook::Format;
use super::{Chunk, ImportOptions};
use crate::dto::import::{ChangeLine, ImportReport, MAX_CHANGE_LINES};
use batches::INSERT_BATCH;
use changes::{issue, SheetStats};
use expenditures::LineState;
use projects::Organisations;

pub use lookups::{committed_count, load_lookups, previous_import};
pub use revert::revert;

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
    programme_id: i32,
    start_date: NaiveDate,
    end_date: NaiveDate,
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
    /// The unit costs of each project's call (loaded when a budget row first needs them).
    unit_costs: HashMap<i32, Vec<crate::dto::UnitCostDto>>,
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
            unit_costs: HashMap::new(),
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

    async fn apply(&mut self, record: Record) -> Result<Result<Outcome, Refusal>, DbErr> {
        match record {
            Record::Project(r) => self.apply_project(r).await,
            Record::Seznam(r) => self.apply_seznam(r).await,
            Record::Indicator(r) => self.apply_indicator(r).await,
            Record::Expenditure(r) => self.apply_expenditure(r).await,
            Record::Municipality(r) => self.apply_municipality(r).await,
            Record::Participant(r) => self.apply_participant(r).await,
            Record::Budget(r) => self.apply_budget_line(r).await,
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
        crate::services::import::history::record_touched(self.txn, self.import_id, &self.touched)
            .await?;
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
