//! Reverting a committed import: rows it added are removed, rows it changed get their before-images
//! back, rows it removed (monitoring periods laid out again for new dates) are inserted again, unless
//! later imports, manual edits or dependent data stand in the way.

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
    "budget_line",
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
    // Projects this import created (changed ones have a before-image), and the budget lines it created.
    const CREATED: &str = "p.import_id = ? AND NOT EXISTS (SELECT 1 FROM import_change ic \
        WHERE ic.import_id = p.import_id AND ic.entity = 'project' AND ic.record_id = p.id)";
    let dependants: Vec<String> = vec![
        "SELECT COUNT(*) FROM indicator_value v JOIN monitoring_period p ON v.period_id = p.id WHERE p.import_id = ? AND (v.import_id IS NULL OR v.import_id <> p.import_id)".into(),
        "SELECT COUNT(*) FROM expenditure e JOIN monitoring_period p ON e.period_id = p.id WHERE p.import_id = ? AND (e.import_id IS NULL OR e.import_id <> p.import_id)".into(),
        "SELECT COUNT(*) FROM indicator_value v JOIN project_indicator i ON v.project_indicator_id = i.id WHERE i.import_id = ? AND (v.import_id IS NULL OR v.import_id <> i.import_id)".into(),
        "SELECT COUNT(*) FROM expenditure e JOIN budget_line b ON e.budget_line_id = b.id WHERE b.import_id = ? AND (e.import_id IS NULL OR e.import_id <> b.import_id) AND NOT EXISTS (SELECT 1 FROM import_change ic WHERE ic.import_id = b.import_id AND ic.entity = 'budget_line' AND ic.record_id = b.id)".into(),
        format!("SELECT COUNT(*) FROM budget_line m JOIN project p ON m.project_id = p.id WHERE {CREATED} AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        format!("SELECT COUNT(*) FROM payment_claim m JOIN project p ON m.project_id = p.id WHERE {CREATED}"),
        format!("SELECT COUNT(*) FROM monitoring_period m JOIN project p ON m.project_id = p.id WHERE {CREATED} AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        format!("SELECT COUNT(*) FROM participant m JOIN project p ON m.project_id = p.id WHERE {CREATED} AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        format!("SELECT COUNT(*) FROM expenditure m JOIN project p ON m.project_id = p.id WHERE {CREATED} AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
        format!("SELECT COUNT(*) FROM project_indicator m JOIN project p ON m.project_id = p.id WHERE {CREATED} AND (m.import_id IS NULL OR m.import_id <> p.import_id)"),
    ];
    for sql in &dependants {
        if count_where(&txn, sql, id).await? > 0 {
            return Err(ImportError::RevertBlocked(format!(
                "Import č. {id} nelze vrátit: na záznamy, které založil (období, indikátory, položky \
                 rozpočtu nebo projekty), navazují pozdější údaje. Odstraňte je nebo vraťte nejdřív \
                 pozdější importy."
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

fn value_of(column: &str, value: &serde_json::Value) -> Expr {
    match value {
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
    }
}

/// The columns and values of a before-image, checked to be plain column names.
fn columns_of(
    before: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<(sea_orm::sea_query::Alias, Expr)>, ImportError> {
    before
        .iter()
        .map(|(column, value)| {
            if column
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
            {
                Ok((
                    sea_orm::sea_query::Alias::new(column.as_str()),
                    value_of(column, value),
                ))
            } else {
                Err(ImportError::Unexpected(format!("bad column {column}")))
            }
        })
        .collect()
}

/// Refuses to give a budget line back an amount below what its expenditures now draw (the rule of the
/// budget line form).
async fn check_line_not_below_drawn(
    txn: &DatabaseTransaction,
    line_id: i32,
    before: &serde_json::Map<String, serde_json::Value>,
) -> Result<(), ImportError> {
    let Some(amount) = before
        .get("amount_halere")
        .and_then(serde_json::Value::as_i64)
    else {
        return Ok(());
    };
    let drawn: i64 = entity::expenditure::Entity::find()
        .filter(entity::expenditure::Column::BudgetLineId.eq(line_id))
        .all(txn)
        .await?
        .iter()
        .map(|e| e.amount_halere)
        .sum();
    if amount < drawn {
        let label = |h: i64| {
            crate::domain::Money::from_halere(h).map_or_else(|_| h.to_string(), |m| m.to_string())
        };
        return Err(ImportError::RevertBlocked(format!(
            "Import nelze vrátit: položka rozpočtu by se vrátila na {}, ale je na ní už vyčerpáno {}; \
             rozpočet nemůže být nižší než čerpání.",
            label(amount),
            label(drawn)
        )));
    }
    Ok(())
}

/// Writes a before-image back: the old values of a changed row, or a removed row inserted again.
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
    if let Some(serde_json::Value::Object(row)) = before.get(super::changes::REMOVED_ROW) {
        let (columns, values): (Vec<_>, Vec<_>) = columns_of(row)?.into_iter().unzip();
        let mut insert = sea_orm::sea_query::Query::insert();
        insert
            .into_table(sea_orm::sea_query::Alias::new(table))
            .columns(columns)
            .values(values)
            .map_err(|e| ImportError::Unexpected(e.to_string()))?;
        txn.execute(&insert).await?;
        return Ok(());
    }
    if table == "budget_line" {
        check_line_not_below_drawn(txn, change.record_id, &before).await?;
    }
    let mut update = sea_orm::sea_query::Query::update();
    update.table(sea_orm::sea_query::Alias::new(table));
    for (column, value) in columns_of(&before)? {
        update.value(column, value);
    }
    update.and_where(Expr::col(sea_orm::sea_query::Alias::new("id")).eq(change.record_id));
    txn.execute(&update).await?;
    Ok(())
}
