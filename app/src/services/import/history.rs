//! The import history and stored reports, and who may see them.
//!
//! An import's report holds the rows it changed: other projects' figures and participants' gender, age
//! and disability. So an import is listed, shown and reverted only for its uploader, admins, and users
//! who may read every project its rows named ([`may_see`]); anyone else gets "not found", exactly as for
//! an import that does not exist.

use std::collections::{BTreeSet, HashMap};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Iterable, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use entity::{import_batch, import_project};

use super::ImportError;
use crate::domain::roles::Viewer;
use crate::dto::import::{ImportReport, ImportSummary};

/// Records the projects an import's rows named (in the import's transaction).
///
/// # Errors
/// Database errors.
pub async fn record_touched(
    db: &impl ConnectionTrait,
    import_id: i32,
    projects: &BTreeSet<i32>,
) -> Result<(), DbErr> {
    let rows: Vec<import_project::ActiveModel> = projects
        .iter()
        .map(|p| import_project::ActiveModel {
            import_id: sea_orm::Set(import_id),
            project_id: sea_orm::Set(*p),
        })
        .collect();
    for chunk in rows.chunks(500) {
        import_project::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Whether `viewer` uploaded the import (imports made before uploaders were recorded by id name them
/// by e-mail).
fn is_uploader(viewer: &Viewer, batch: &import_batch::Model) -> bool {
    match batch.imported_by_user_id {
        Some(id) => id == viewer.id,
        None => batch.imported_by == viewer.email,
    }
}

/// Whether `viewer` may see an import that touched `projects`: its uploader, an admin, or someone who
/// may read every one of those projects (an import that named no project: only the first two).
#[must_use]
pub fn may_see(viewer: &Viewer, batch: &import_batch::Model, projects: &[i32]) -> bool {
    viewer.is_admin()
        || is_uploader(viewer, batch)
        || (!projects.is_empty() && projects.iter().all(|p| viewer.can_read(*p)))
}

async fn touched(db: &impl ConnectionTrait, ids: &[i32]) -> Result<HashMap<i32, Vec<i32>>, DbErr> {
    let mut map: HashMap<i32, Vec<i32>> = HashMap::new();
    for chunk in ids.chunks(500) {
        for row in import_project::Entity::find()
            .filter(import_project::Column::ImportId.is_in(chunk.iter().copied()))
            .all(db)
            .await?
        {
            map.entry(row.import_id).or_default().push(row.project_id);
        }
    }
    Ok(map)
}

/// The batch `id` if `viewer` may see it (`None` for everyone on the command line).
async fn visible_batch(
    db: &impl ConnectionTrait,
    id: i32,
    viewer: Option<&Viewer>,
) -> Result<import_batch::Model, ImportError> {
    let batch = import_batch::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|b| b.status != "running")
        .ok_or(ImportError::NotFound)?;
    if let Some(v) = viewer {
        let projects = touched(db, &[id]).await?.remove(&id).unwrap_or_default();
        if !may_see(v, &batch, &projects) {
            return Err(ImportError::NotFound);
        }
    }
    Ok(batch)
}

/// The import history that `viewer` may see (`None`: all, for the command line), newest first.
///
/// # Errors
/// Database errors.
pub async fn history(
    db: &impl ConnectionTrait,
    limit: u64,
    viewer: Option<&Viewer>,
) -> Result<Vec<ImportSummary>, DbErr> {
    let wanted = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut visible: Vec<import_batch::Model> = Vec::new();
    // Newest first, a page at a time, without the stored reports (they can be large), until `limit`
    // imports the viewer may see are found.
    let mut pages = import_batch::Entity::find()
        .select_only()
        .columns(
            import_batch::Column::iter().filter(|c| !matches!(c, import_batch::Column::ReportJson)),
        )
        .expr_as(Expr::val(""), "report_json")
        .filter(import_batch::Column::Status.ne("running"))
        .order_by_desc(import_batch::Column::Id)
        .paginate(db, 200);
    while visible.len() < wanted {
        let batches = pages.fetch_and_next().await?;
        let Some(batches) = batches else { break };
        let projects = match viewer {
            Some(v) if !v.is_admin() => {
                let ids: Vec<i32> = batches.iter().map(|b| b.id).collect();
                touched(db, &ids).await?
            }
            _ => HashMap::new(),
        };
        visible.extend(batches.into_iter().filter(|b| {
            viewer.is_none_or(|v| may_see(v, b, projects.get(&b.id).map_or(&[], Vec::as_slice)))
        }));
    }
    Ok(visible
        .into_iter()
        .take(wanted)
        .map(|b| ImportSummary {
            id: b.id,
            file_name: b.file_name,
            sha256: b.sha256,
            kinds: b.kinds,
            imported_by: b.imported_by,
            imported_at: crate::services::audit::time::prague(b.imported_at),
            status: b.status,
            changed_rows: u32::try_from(b.changed_rows).unwrap_or(0),
            invalid_rows: u32::try_from(b.invalid_rows).unwrap_or(0),
            records_changed: u32::try_from(b.records_changed).unwrap_or(0),
        })
        .collect())
}

/// The stored report of an import that `viewer` may see (`None`: the command line).
///
/// # Errors
/// [`ImportError::NotFound`] also when the viewer may not see it; database errors.
pub async fn stored_report(
    db: &impl ConnectionTrait,
    id: i32,
    viewer: Option<&Viewer>,
) -> Result<ImportReport, ImportError> {
    let batch = visible_batch(db, id, viewer).await?;
    serde_json::from_str(&batch.report_json).map_err(|e| ImportError::Unexpected(e.to_string()))
}

/// Reverts an import on behalf of a user: only an import the user may see (otherwise "not found"),
/// and only the uploader's own or, for admins, any.
///
/// # Errors
/// As [`super::store::revert`]; [`ImportError::NotFound`]; [`ImportError::RevertBlocked`] for someone
/// else's import.
pub async fn revert_as(
    db: &DatabaseConnection,
    id: i32,
    viewer: &Viewer,
) -> Result<u64, ImportError> {
    let batch = visible_batch(db, id, Some(viewer)).await?;
    if !viewer.is_admin() && !is_uploader(viewer, &batch) {
        return Err(ImportError::RevertBlocked(
            "Import může vrátit jen ten, kdo jej provedl, nebo správce.".into(),
        ));
    }
    super::store::revert(db, id).await
}
