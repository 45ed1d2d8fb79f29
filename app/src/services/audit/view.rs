//! Entries of the audit trail as people read them: Prague time, Czech labels of the fields, values as
//! the pages write them and names of the rows (see [`super::fields`] for the rules).

use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;

use entity::audit_log;

use super::fields::{self, Kind};
use super::names::Directory;
use crate::dto::{AuditChange, AuditEntryDto};

/// The entries for display, the rows they mention named with one query per table.
///
/// # Errors
/// Database errors.
pub async fn entries(
    db: &impl ConnectionTrait,
    rows: Vec<audit_log::Model>,
) -> Result<Vec<AuditEntryDto>, DbErr> {
    let names = Directory::load(db, &rows).await?;
    Ok(rows.into_iter().map(|m| entry(&names, m)).collect())
}

/// One entry for display, with the names at hand.
#[must_use]
pub fn entry(names: &Directory, m: audit_log::Model) -> AuditEntryDto {
    let stored: serde_json::Map<String, Value> =
        serde_json::from_str(&m.changes_json).unwrap_or_default();
    let mut listed: Vec<(usize, AuditChange)> = stored
        .iter()
        .filter(|(column, _)| fields::kind(&m.entity, column) != Kind::Hidden)
        .map(|(column, pair)| {
            let kind = fields::kind(&m.entity, column);
            let side = |i: usize| {
                pair.get(i)
                    .map(|v| fields::value_text(kind, v, names))
                    .unwrap_or_default()
            };
            let change = AuditChange {
                field: fields::label(&m.entity, column).to_owned(),
                old: side(0),
                new: side(1),
            };
            (fields::position(&m.entity, column), change)
        })
        .collect();
    // Nothing to say about a field empty before and after (a created row's unset columns).
    listed.retain(|(_, c)| !(c.old.is_empty() && c.new.is_empty()));
    listed.sort_by_key(|(position, _)| *position);
    let record = names
        .record(&m.entity, &m.entity_id)
        .unwrap_or_else(|| fallback(names, &m, &stored));
    AuditEntryDto {
        id: m.id,
        at: super::time::prague(m.at),
        user: m.user_email,
        action: super::action_label(&m.action).to_owned(),
        entity: fields::entity_label(&m.entity).to_owned(),
        record,
        project_id: m.project_id,
        project: m.project_id.map(|p| names.project_name(p)),
        changes: listed.into_iter().map(|(_, c)| c).collect(),
    }
}

/// The name of a row that is no longer there, from what the entry itself recorded: a removed monitoring
/// period is still `VNP · ZoR 3`; anything else is its number.
fn fallback(
    names: &Directory,
    m: &audit_log::Model,
    stored: &serde_json::Map<String, Value>,
) -> String {
    let recorded = |column: &str| {
        stored
            .get(column)
            .and_then(Value::as_array)
            .and_then(|pair| pair.iter().find(|v| !v.is_null()))
            .map(fields::raw)
    };
    match (m.entity.as_str(), m.project_id, recorded("number")) {
        ("monitoring_period", Some(p), Some(n)) => format!("{} · ZoR {n}", names.project_name(p)),
        _ if m.entity_id.trim().is_empty() => String::new(),
        _ => format!("č. {}", m.entity_id),
    }
}
