//! Documents and attachments (issue 15, point 2): files kept next to a project, one of its monitoring
//! periods (ZoR) or expenditures, each upload a version of its document. The files live outside the
//! database in [`DocumentSettings::dir`] ([`files`]: content-addressed by SHA-256, so a file uploaded
//! twice is stored once); the database holds names, owners, sizes, types, hashes and versions. Access
//! follows the record a document belongs to ([`crate::domain::documents`]); every change is in the
//! audit trail, written in the same transaction.

pub mod detect;
pub mod files;
mod write;

pub use write::{delete, new_version, upload, Upload};

use std::collections::HashMap;
use std::path::PathBuf;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use super::ServiceError;
use crate::domain::documents::{can_attach, can_delete, Attachment, FileKind};
use crate::domain::roles::Viewer;
use crate::domain::{format_czech_date, Money};
use crate::dto::documents::{DocumentDto, DocumentList, DocumentVersionDto};
use entity::{document, document_version, expenditure, monitoring_period, project};

/// Where files are stored and how large they may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentSettings {
    /// The directory of stored files (`TRACKER_FILES_DIR`, default `data/files`); servers that share
    /// it share the files.
    pub dir: PathBuf,
    /// The largest file accepted, in bytes (`TRACKER_FILES_MAX_MB`, default 20 MB).
    pub max_bytes: u64,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            dir: PathBuf::from("data/files"),
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

impl DocumentSettings {
    /// The defaults, overridden by `TRACKER_FILES_DIR` and `TRACKER_FILES_MAX_MB` (whole megabytes).
    #[must_use]
    pub fn from_env() -> Self {
        let mut s = Self::default();
        if let Some(dir) = std::env::var("TRACKER_FILES_DIR")
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            s.dir = PathBuf::from(dir);
        }
        if let Some(mb) = std::env::var("TRACKER_FILES_MAX_MB")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .filter(|mb| *mb > 0)
        {
            s.max_bytes = mb.saturating_mul(1024 * 1024);
        }
        s
    }

    /// The limit in whole megabytes, for messages.
    #[must_use]
    pub fn max_mb(&self) -> u64 {
        self.max_bytes.div_ceil(1024 * 1024)
    }

    /// The message for a file over the limit.
    #[must_use]
    pub fn too_large(&self) -> String {
        format!(
            "Soubor je větší než povolených {} MB; nahrajte menší soubor.",
            self.max_mb()
        )
    }
}

/// The project, readable by `viewer`: `NotFound` when it does not exist, `Forbidden` when they may not
/// read it.
async fn readable_project(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    project_id: i32,
) -> Result<(), ServiceError> {
    project::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if viewer.can_read(project_id) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden)
    }
}

/// Checks that the period or expenditure `to` is the project's (`NotFound` otherwise, as for the
/// records themselves); returns what it is in words.
async fn check_target(
    db: &impl ConnectionTrait,
    project_id: i32,
    to: Attachment,
) -> Result<String, ServiceError> {
    let found = match to {
        Attachment::Project => return Ok(String::new()),
        Attachment::Period(id) => monitoring_period::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|p| (p.project_id, format!("ZoR {}", p.number))),
        Attachment::Expenditure(id) => {
            expenditure::Entity::find_by_id(id).one(db).await?.map(|e| {
                let mut words = vec![e.document_number.map_or_else(
                    || "výdaj bez čísla dokladu".to_owned(),
                    |n| format!("doklad {n}"),
                )];
                words.extend(e.paid_on.map(format_czech_date));
                words.push(
                    Money::from_halere(e.amount_halere)
                        .map_or_else(|_| String::new(), |m| m.to_string()),
                );
                if !e.description.trim().is_empty() {
                    words.push(e.description);
                }
                (e.project_id, words.join(" · "))
            })
        }
    };
    match found {
        Some((owner, words)) if owner == project_id => Ok(words),
        _ => Err(ServiceError::NotFound),
    }
}

/// The document `document_id` as a document of `project_id`, readable by `viewer`: `NotFound` when it
/// does not exist, `Forbidden` when it belongs to another project or the viewer may not read it.
async fn readable_document(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    project_id: i32,
    document_id: i32,
) -> Result<document::Model, ServiceError> {
    readable_project(db, viewer, project_id).await?;
    let doc = document::Entity::find_by_id(document_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if doc.project_id != project_id {
        return Err(ServiceError::Forbidden);
    }
    Ok(doc)
}

/// The documents attached to `to` in `project_id` (the project's own documents for
/// [`Attachment::Project`]), each with its versions, newest first. Two queries.
///
/// # Errors
/// `NotFound`/`Forbidden` as for the project and the record; database errors.
pub async fn list(
    db: &impl ConnectionTrait,
    settings: &DocumentSettings,
    viewer: &Viewer,
    project_id: i32,
    to: Attachment,
) -> Result<DocumentList, ServiceError> {
    readable_project(db, viewer, project_id).await?;
    let record = check_target(db, project_id, to).await?;
    let mut q = document::Entity::find().filter(document::Column::ProjectId.eq(project_id));
    q = match to {
        Attachment::Project => q
            .filter(document::Column::PeriodId.is_null())
            .filter(document::Column::ExpenditureId.is_null()),
        Attachment::Period(id) => q.filter(document::Column::PeriodId.eq(id)),
        Attachment::Expenditure(id) => q.filter(document::Column::ExpenditureId.eq(id)),
    };
    let docs = q
        .order_by_desc(document::Column::UpdatedAt)
        .order_by_desc(document::Column::Id)
        .all(db)
        .await?;
    let mut versions: HashMap<i32, Vec<DocumentVersionDto>> = HashMap::new();
    if !docs.is_empty() {
        for v in document_version::Entity::find()
            .filter(document_version::Column::DocumentId.is_in(docs.iter().map(|d| d.id)))
            .order_by_desc(document_version::Column::Number)
            .all(db)
            .await?
        {
            versions
                .entry(v.document_id)
                .or_default()
                .push(version_dto(v));
        }
    }
    let documents = docs
        .into_iter()
        .map(|d| {
            let at = Attachment::of(d.period_id, d.expenditure_id);
            DocumentDto {
                id: d.id,
                name: d.name,
                current_version: d.current_version,
                versions: versions.remove(&d.id).unwrap_or_default(),
                can_replace: can_attach(viewer, project_id, at),
                can_delete: can_delete(viewer, project_id, at, d.owner_id),
            }
        })
        .collect();
    Ok(DocumentList {
        project_id,
        attachment: to,
        record,
        documents,
        can_upload: can_attach(viewer, project_id, to),
        max_bytes: settings.max_bytes,
    })
}

fn version_dto(v: document_version::Model) -> DocumentVersionDto {
    DocumentVersionDto {
        number: v.number,
        kind_label: FileKind::from_code(&v.kind)
            .map_or_else(|| v.kind.clone(), |k| k.label().to_owned()),
        file_name: v.file_name,
        size_bytes: u64::try_from(v.size_bytes).unwrap_or(0),
        uploaded_by: v.uploaded_by_email,
        uploaded_at: super::audit::time::prague(v.uploaded_at),
    }
}

/// A stored file to send: its name, type, size and where it is.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub kind: FileKind,
    pub size_bytes: u64,
    pub path: PathBuf,
}

/// Version `number` (the current one when `None`) of a document of `project_id`, for `viewer`.
///
/// # Errors
/// `NotFound` for a document or version that does not exist; `Forbidden` for a document of another
/// project or a project the viewer may not read; database errors.
pub async fn download(
    db: &impl ConnectionTrait,
    settings: &DocumentSettings,
    viewer: &Viewer,
    project_id: i32,
    document_id: i32,
    number: Option<i32>,
) -> Result<Download, ServiceError> {
    let doc = readable_document(db, viewer, project_id, document_id).await?;
    let version = document_version::Entity::find()
        .filter(document_version::Column::DocumentId.eq(doc.id))
        .filter(document_version::Column::Number.eq(number.unwrap_or(doc.current_version)))
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let kind = FileKind::from_code(&version.kind)
        .ok_or_else(|| ServiceError::Unexpected(format!("stored kind {}", version.kind)))?;
    let path = files::path_of(&settings.dir, &version.sha256)
        .map_err(|e| ServiceError::Unexpected(format!("stored hash: {e}")))?;
    Ok(Download {
        file_name: version.file_name,
        kind,
        size_bytes: u64::try_from(version.size_bytes).unwrap_or(0),
        path,
    })
}

/// What document `document_id` of `project_id` is attached to (for the routes' checks and redirects).
///
/// # Errors
/// As [`download`].
pub async fn attachment_of(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    project_id: i32,
    document_id: i32,
) -> Result<(Attachment, Option<i32>), ServiceError> {
    let doc = readable_document(db, viewer, project_id, document_id).await?;
    Ok((
        Attachment::of(doc.period_id, doc.expenditure_id),
        doc.owner_id,
    ))
}
