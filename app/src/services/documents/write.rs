//! Uploading a document, a new version of it, and deleting it: each one transaction with its audit
//! entry; the file is stored (content-addressed) before the transaction and removed after a delete only
//! when no version of any document still refers to it.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

use super::{check_target, detect, files, readable_document, readable_project, DocumentSettings};
use crate::domain::documents::{
    can_attach, can_delete, safe_file_name, Attachment, FileKind, REFUSED_TYPE,
};
use crate::domain::roles::Viewer;
use crate::services::{audit, ServiceError};
use entity::{document, document_version};

/// An uploaded file: the name the browser gave (only displayed) and its bytes.
#[derive(Debug, Clone)]
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file checked and stored.
struct Stored {
    name: String,
    kind: FileKind,
    size: i64,
    sha: String,
    bytes: Vec<u8>,
}

/// Checks the size and the type (by content) and stores the file under its hash.
async fn store(settings: &DocumentSettings, upload: Upload) -> Result<Stored, ServiceError> {
    if upload.bytes.is_empty() {
        return Err(ServiceError::field("file", "Vyberte soubor k nahrání."));
    }
    if u64::try_from(upload.bytes.len()).unwrap_or(u64::MAX) > settings.max_bytes {
        return Err(ServiceError::field("file", settings.too_large()));
    }
    let dir = settings.dir.clone();
    let bytes = upload.bytes;
    let (kind, sha, bytes) = tokio::task::spawn_blocking(move || {
        let kind = detect::detect(&bytes);
        let sha = kind.map(|_| files::put(&dir, &bytes)).transpose();
        (kind, sha, bytes)
    })
    .await
    .map_err(|e| ServiceError::Unexpected(format!("storing a document: {e}")))?;
    let Some(kind) = kind else {
        return Err(ServiceError::field("file", REFUSED_TYPE));
    };
    let sha = sha
        .map_err(|e| ServiceError::Unexpected(format!("writing a document file: {e}")))?
        .unwrap_or_default();
    Ok(Stored {
        name: safe_file_name(&upload.file_name),
        kind,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
        sha,
        bytes,
    })
}

/// After the commit: puts the file back if a delete elsewhere removed it meanwhile (it had no reference
/// until this commit).
async fn ensure_stored(settings: &DocumentSettings, stored: Stored) -> Result<(), ServiceError> {
    let dir = settings.dir.clone();
    tokio::task::spawn_blocking(move || match files::path_of(&dir, &stored.sha) {
        Ok(path) if path.is_file() => Ok(()),
        _ => files::put(&dir, &stored.bytes).map(|_| ()),
    })
    .await
    .map_err(|e| ServiceError::Unexpected(format!("storing a document: {e}")))?
    .map_err(|e| ServiceError::Unexpected(format!("writing a document file: {e}")))
}

fn version_row(
    document_id: i32,
    number: i32,
    s: &Stored,
    viewer: &Viewer,
) -> document_version::ActiveModel {
    document_version::ActiveModel {
        document_id: Set(document_id),
        number: Set(number),
        file_name: Set(s.name.clone()),
        kind: Set(s.kind.code().to_owned()),
        size_bytes: Set(s.size),
        sha256: Set(s.sha.clone()),
        uploaded_by: Set(Some(viewer.id)),
        uploaded_by_email: Set(viewer.email.clone()),
        uploaded_at: Set(Utc::now()),
        ..Default::default()
    }
}

/// Records a change of a document in the audit trail (in the caller's transaction).
async fn log(
    txn: &DatabaseTransaction,
    viewer: &Viewer,
    action: &str,
    document_id: i32,
    project_id: i32,
    changes: serde_json::Value,
) -> Result<(), sea_orm::DbErr> {
    audit::record(
        txn,
        &viewer.into(),
        action,
        "document",
        document_id,
        Some(project_id),
        changes,
    )
    .await
}

/// Uploads a new document to `to` in `project_id`; returns its id.
///
/// # Errors
/// `Forbidden` unless `viewer` may attach there ([`can_attach`]); `NotFound` for a project, period or
/// expenditure that is not there; `Validation` on `file` (empty, over the size limit, a type that is not
/// allowed); database and file errors.
#[tracing::instrument(skip(db, settings, viewer, upload), fields(user = viewer.id))]
pub async fn upload(
    db: &DatabaseConnection,
    settings: &DocumentSettings,
    viewer: &Viewer,
    project_id: i32,
    to: Attachment,
    upload: Upload,
) -> Result<i32, ServiceError> {
    readable_project(db, viewer, project_id).await?;
    if !can_attach(viewer, project_id, to) {
        return Err(ServiceError::Forbidden);
    }
    check_target(db, project_id, to).await?;
    let stored = store(settings, upload).await?;
    let (period_id, expenditure_id) = match to {
        Attachment::Project => (None, None),
        Attachment::Period(p) => (Some(p), None),
        Attachment::Expenditure(e) => (None, Some(e)),
    };
    let now = Utc::now();
    let txn = db.begin().await?;
    let doc = document::ActiveModel {
        project_id: Set(project_id),
        period_id: Set(period_id),
        expenditure_id: Set(expenditure_id),
        name: Set(stored.name.clone()),
        current_version: Set(1),
        owner_id: Set(Some(viewer.id)),
        owner_email: Set(viewer.email.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    version_row(doc.id, 1, &stored, viewer).insert(&txn).await?;
    let changes = json!({
        "name": [null, stored.name],
        "period_id": [null, period_id],
        "expenditure_id": [null, expenditure_id],
        "current_version": [null, 1],
        "kind": [null, stored.kind.code()],
        "size_bytes": [null, stored.size],
    });
    log(&txn, viewer, "upload", doc.id, project_id, changes).await?;
    txn.commit().await?;
    ensure_stored(settings, stored).await?;
    Ok(doc.id)
}

/// Uploads a new version of document `document_id` of `project_id` (the old versions are kept); returns
/// the new version's number.
///
/// # Errors
/// `Forbidden` for a document of another project or when `viewer` may not attach to its record;
/// `NotFound`; `Validation` on `file`; `Conflict` when another version was uploaded at the same moment;
/// database and file errors.
#[tracing::instrument(skip(db, settings, viewer, upload), fields(user = viewer.id))]
pub async fn new_version(
    db: &DatabaseConnection,
    settings: &DocumentSettings,
    viewer: &Viewer,
    project_id: i32,
    document_id: i32,
    upload: Upload,
) -> Result<i32, ServiceError> {
    let doc = readable_document(db, viewer, project_id, document_id).await?;
    if !can_attach(
        viewer,
        project_id,
        Attachment::of(doc.period_id, doc.expenditure_id),
    ) {
        return Err(ServiceError::Forbidden);
    }
    let stored = store(settings, upload).await?;
    let number = doc.current_version + 1;
    let txn = db.begin().await?;
    let moved = document::Entity::update_many()
        .col_expr(document::Column::CurrentVersion, Expr::value(number))
        .col_expr(document::Column::Name, Expr::value(stored.name.clone()))
        .col_expr(document::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(document::Column::Id.eq(doc.id))
        .filter(document::Column::CurrentVersion.eq(doc.current_version))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        return Err(ServiceError::Conflict(
            "Mezitím někdo nahrál jinou verzi dokumentu. Načtěte stránku znovu a nahrajte soubor znovu."
                .into(),
        ));
    }
    version_row(doc.id, number, &stored, viewer)
        .insert(&txn)
        .await?;
    let changes = json!({
        "name": [doc.name, stored.name],
        "current_version": [doc.current_version, number],
        "kind": [null, stored.kind.code()],
        "size_bytes": [null, stored.size],
    });
    log(&txn, viewer, "new_version", doc.id, project_id, changes).await?;
    txn.commit().await?;
    ensure_stored(settings, stored).await?;
    Ok(number)
}

/// Deletes document `document_id` of `project_id` with all its versions; a file no other version refers
/// to is removed from the directory.
///
/// # Errors
/// `Forbidden` for a document of another project, or unless `viewer` uploaded it (and may still attach
/// there) or is an admin; `NotFound`; database errors.
#[tracing::instrument(skip(db, settings, viewer), fields(user = viewer.id))]
pub async fn delete(
    db: &DatabaseConnection,
    settings: &DocumentSettings,
    viewer: &Viewer,
    project_id: i32,
    document_id: i32,
) -> Result<(), ServiceError> {
    let doc = readable_document(db, viewer, project_id, document_id).await?;
    let to = Attachment::of(doc.period_id, doc.expenditure_id);
    if !can_delete(viewer, project_id, to, doc.owner_id) {
        return Err(ServiceError::Forbidden);
    }
    let txn = db.begin().await?;
    let versions = document_version::Entity::find()
        .filter(document_version::Column::DocumentId.eq(doc.id))
        .all(&txn)
        .await?;
    document_version::Entity::delete_many()
        .filter(document_version::Column::DocumentId.eq(doc.id))
        .exec(&txn)
        .await?;
    document::Entity::delete_by_id(doc.id).exec(&txn).await?;
    let changes = json!({
        "name": [doc.name, null],
        "period_id": [doc.period_id, null],
        "expenditure_id": [doc.expenditure_id, null],
        "current_version": [doc.current_version, null],
    });
    log(&txn, viewer, "delete", doc.id, project_id, changes).await?;
    txn.commit().await?;
    let mut hashes: Vec<String> = versions.into_iter().map(|v| v.sha256).collect();
    hashes.sort();
    hashes.dedup();
    for sha in hashes {
        let still_used = document_version::Entity::find()
            .filter(document_version::Column::Sha256.eq(sha.as_str()))
            .count(db)
            .await?;
        if still_used == 0 {
            if let Err(e) = files::remove(&settings.dir, &sha) {
                tracing::warn!(error = %e, "a deleted document's file was not removed");
            }
        }
    }
    Ok(())
}
