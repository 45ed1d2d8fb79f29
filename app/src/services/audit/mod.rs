//! The audit trail (*auditní stopa*): who changed what, when, with the old and new value of each changed
//! field, written by the services in the same transaction as the change. The app only appends to it.

use std::collections::BTreeMap;

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, Iterable, ModelTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use entity::audit_log;

use crate::domain::roles::Viewer;

pub mod fields;
pub mod names;
mod table;
pub mod time;
pub mod view;

/// Who made a change: a signed-in user, or the command line / system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user's id; `None` for the system.
    pub user_id: Option<i32>,
    /// E-mail, or a description such as `příkazová řádka`.
    pub email: String,
}

impl Actor {
    /// The command line, seed data and other changes made without a signed-in user.
    #[must_use]
    pub fn system(what: &str) -> Self {
        Self {
            user_id: None,
            email: what.to_owned(),
        }
    }
}

impl From<&Viewer> for Actor {
    fn from(v: &Viewer) -> Self {
        Self {
            user_id: Some(v.id),
            email: v.email.clone(),
        }
    }
}

tokio::task_local! {
    /// The actor of the request being handled: set by the server's session middleware around each
    /// request, so every service records who made a change without threading it through every call.
    /// Services called outside a request (command line, tests) record the system.
    pub static ACTOR: Actor;
}

/// The actor of the current request, or the system.
#[must_use]
pub fn current() -> Actor {
    ACTOR
        .try_with(Clone::clone)
        .unwrap_or_else(|_| Actor::system("systém"))
}

/// Records a change of a row by the current actor (see [`record_change`]).
///
/// # Errors
/// Database errors.
pub async fn changed<M: ModelTrait>(
    db: &impl ConnectionTrait,
    action: &str,
    entity: &str,
    entity_id: impl std::fmt::Display,
    project_id: Option<i32>,
    before: Option<&M>,
    after: Option<&M>,
) -> Result<(), DbErr> {
    record_change(
        db,
        &current(),
        action,
        entity,
        entity_id,
        project_id,
        before,
        after,
    )
    .await
}

/// A row's columns as JSON values.
pub type Snapshot = BTreeMap<String, serde_json::Value>;

/// Columns never recorded: derived, bookkeeping or secret.
pub(crate) const SKIPPED: &[&str] = &[
    "search_folded",
    "version",
    "created_at",
    "updated_at",
    "password_hash",
    "import_id",
];

fn json_of(value: sea_orm::Value) -> serde_json::Value {
    use sea_orm::Value as V;
    match value {
        V::Bool(Some(b)) => b.into(),
        V::TinyInt(Some(i)) => i.into(),
        V::SmallInt(Some(i)) => i.into(),
        V::Int(Some(i)) => i.into(),
        V::BigInt(Some(i)) => i.into(),
        V::TinyUnsigned(Some(i)) => i.into(),
        V::SmallUnsigned(Some(i)) => i.into(),
        V::Unsigned(Some(i)) => i.into(),
        V::BigUnsigned(Some(i)) => i.into(),
        V::String(Some(s)) => s.into(),
        V::Char(Some(c)) => c.to_string().into(),
        V::ChronoDate(Some(d)) => d.to_string().into(),
        V::ChronoDateTimeUtc(Some(d)) => d.to_rfc3339().into(),
        V::Decimal(Some(d)) => d.to_string().into(),
        other if format!("{other:?}").contains("(None)") => serde_json::Value::Null,
        other => format!("{other:?}").into(),
    }
}

/// All columns of a row (except [`SKIPPED`]).
pub fn snapshot<M>(model: &M) -> Snapshot
where
    M: ModelTrait,
{
    use sea_orm::IdenStatic;
    <<M as ModelTrait>::Entity as EntityTrait>::Column::iter()
        .filter(|c| !SKIPPED.contains(&c.as_str()))
        .map(|c| (c.as_str().to_owned(), json_of(model.get(c))))
        .collect()
}

/// The fields that differ: `{"field": [old, new]}`; a missing side is null.
#[must_use]
pub fn diff(before: Option<&Snapshot>, after: Option<&Snapshot>) -> serde_json::Value {
    let empty = Snapshot::new();
    let b = before.unwrap_or(&empty);
    let a = after.unwrap_or(&empty);
    let mut out = serde_json::Map::new();
    for key in b.keys().chain(a.keys()) {
        let old = b.get(key).cloned().unwrap_or(serde_json::Value::Null);
        let new = a.get(key).cloned().unwrap_or(serde_json::Value::Null);
        if old != new && !out.contains_key(key) {
            out.insert(key.clone(), serde_json::json!([old, new]));
        }
    }
    serde_json::Value::Object(out)
}

/// Appends one entry (in the caller's transaction).
///
/// # Errors
/// Database errors.
pub async fn record(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: impl std::fmt::Display,
    project_id: Option<i32>,
    changes: serde_json::Value,
) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        user_id: Set(actor.user_id),
        user_email: Set(actor.email.clone()),
        action: Set(action.to_owned()),
        entity: Set(entity.to_owned()),
        entity_id: Set(entity_id.to_string()),
        project_id: Set(project_id),
        changes_json: Set(changes.to_string()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A change of a row: records the fields that differ (nothing when none does).
///
/// # Errors
/// Database errors.
#[allow(clippy::too_many_arguments)]
pub async fn record_change<M: ModelTrait>(
    db: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: impl std::fmt::Display,
    project_id: Option<i32>,
    before: Option<&M>,
    after: Option<&M>,
) -> Result<(), DbErr> {
    let b = before.map(snapshot);
    let a = after.map(snapshot);
    let changes = diff(b.as_ref(), a.as_ref());
    if changes.as_object().is_some_and(serde_json::Map::is_empty) && action == "update" {
        return Ok(());
    }
    record(db, actor, action, entity, entity_id, project_id, changes).await
}

/// The current state of a row (by its integer primary key) as a snapshot, for logging a change.
///
/// # Errors
/// Database errors.
pub async fn row<E>(db: &impl ConnectionTrait, id: i32) -> Result<Option<Snapshot>, DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as sea_orm::PrimaryKeyTrait>::ValueType: From<i32>,
{
    Ok(E::find_by_id(id).one(db).await?.map(|m| snapshot(&m)))
}

/// Records a change from `before` to `after` (snapshots) by the current actor; an update that changed
/// nothing is not recorded.
///
/// # Errors
/// Database errors.
pub async fn log(
    db: &impl ConnectionTrait,
    action: &str,
    entity: &str,
    entity_id: i32,
    project_id: Option<i32>,
    before: Option<Snapshot>,
    after: Option<Snapshot>,
) -> Result<(), DbErr> {
    let changes = diff(before.as_ref(), after.as_ref());
    if action == "update" && changes.as_object().is_some_and(serde_json::Map::is_empty) {
        return Ok(());
    }
    record(
        db,
        &current(),
        action,
        entity,
        entity_id,
        project_id,
        changes,
    )
    .await
}

/// Records a newly created row (all its columns as new values) by the current actor.
///
/// # Errors
/// Database errors.
pub async fn created<M: ModelTrait>(
    db: &impl ConnectionTrait,
    entity: &str,
    entity_id: i32,
    project_id: Option<i32>,
    model: &M,
) -> Result<(), DbErr> {
    log(
        db,
        "create",
        entity,
        entity_id,
        project_id,
        None,
        Some(snapshot(model)),
    )
    .await
}

/// A filter of the log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub user_email: Option<String>,
    pub user_id: Option<i32>,
    pub project_id: Option<i32>,
    pub from: Option<chrono::NaiveDate>,
    pub to: Option<chrono::NaiveDate>,
}

/// Entries matching the filter, newest first, one page of `per_page`.
///
/// # Errors
/// Database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &AuditFilter,
    page: u64,
    per_page: u64,
) -> Result<(Vec<audit_log::Model>, u64), DbErr> {
    let mut q = audit_log::Entity::find();
    if let Some(e) = filter
        .user_email
        .as_deref()
        .filter(|e| !e.trim().is_empty())
    {
        q = q.filter(audit_log::Column::UserEmail.eq(e.trim().to_lowercase()));
    }
    if let Some(u) = filter.user_id {
        q = q.filter(audit_log::Column::UserId.eq(u));
    }
    if let Some(p) = filter.project_id {
        q = q.filter(audit_log::Column::ProjectId.eq(p));
    }
    if let Some(from) = filter.from.and_then(|d| d.and_hms_opt(0, 0, 0)) {
        q = q.filter(audit_log::Column::At.gte(from.and_utc()));
    }
    if let Some(to) = filter
        .to
        .and_then(|d| d.succ_opt())
        .and_then(|d| d.and_hms_opt(0, 0, 0))
    {
        q = q.filter(audit_log::Column::At.lt(to.and_utc()));
    }
    let paginator = q
        .order_by_desc(audit_log::Column::Id)
        .paginate(db, per_page.max(1));
    let total = paginator.num_items().await?;
    Ok((paginator.fetch_page(page).await?, total))
}

/// Czech label of an action.
#[must_use]
pub fn action_label(action: &str) -> &str {
    match action {
        "create" => "vytvoření",
        "update" => "změna",
        "archive" => "archivace",
        "restore" => "obnovení",
        "import" => "import",
        "revert" => "vrácení importu",
        "delete" => "smazání",
        "upload" => "nahrání",
        "new_version" => "nová verze",
        "sign_in" => "přihlášení",
        "sign_in_failed" => "neúspěšné přihlášení",
        "sign_in_refused" => "přihlášení odmítnuto (příliš mnoho pokusů)",
        "sign_out" => "odhlášení",
        "password_change" => "změna hesla",
        "password_failed" => "neúspěšná změna hesla",
        "password_refused" => "změna hesla odmítnuta (příliš mnoho pokusů)",
        other => other,
    }
}

/// A project's history (its audit trail), newest first: the latest 200 entries, in the user's words.
///
/// # Errors
/// Database errors.
pub async fn project_history(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<crate::dto::AuditEntryDto>, DbErr> {
    let filter = AuditFilter {
        project_id: Some(project_id),
        ..Default::default()
    };
    let (rows, _) = list(db, &filter, 0, 200).await?;
    view::entries(db, rows).await
}

/// One page of the log for the admin page (50 entries per page).
///
/// # Errors
/// Database errors.
pub async fn page(
    db: &impl ConnectionTrait,
    q: &crate::dto::AuditQuery,
) -> Result<crate::dto::AuditPage, DbErr> {
    const PER_PAGE: u32 = 50;
    let filter = AuditFilter {
        user_email: Some(q.user_email.clone()),
        user_id: None,
        project_id: q.project_id,
        from: chrono::NaiveDate::parse_from_str(q.from.trim(), "%Y-%m-%d").ok(),
        to: chrono::NaiveDate::parse_from_str(q.to.trim(), "%Y-%m-%d").ok(),
    };
    let page = q.page.max(1);
    let (rows, total) = list(db, &filter, u64::from(page - 1), u64::from(PER_PAGE)).await?;
    Ok(crate::dto::AuditPage {
        entries: view::entries(db, rows).await?,
        total,
        page,
        per_page: PER_PAGE,
    })
}
