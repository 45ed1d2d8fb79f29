//! Reverting a committed import: rows it added are removed, rows it changed get their before-images
//! back, unless later imports, manual edits or dependent data stand in the way.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbErr,
    EntityTrait, QueryFilter, QueryOrder, Set, Statement,
};

use entity::{import_batch, import_change};

use crate::services::import::ImportError;

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
    let claimed = count_where(
        &txn,
        "SELECT COUNT(*) FROM expenditure WHERE import_id = ? AND claim_id IS NOT NULL",
        id,
    )
    .await?;
    if claimed > 0 {
        return Err(ImportError::RevertBlocked(format!(
            "Import č. {id} nelze vrátit: {claimed} jeho výdajů je zařazeno v žádostech o platbu. Vyjměte je \
             nejdřív ze soupisek (u podaných žádostí to nejde)."
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
