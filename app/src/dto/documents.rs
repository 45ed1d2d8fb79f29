//! Documents as the documents component shows them.

use crate::domain::documents::Attachment;
use serde::{Deserialize, Serialize};

/// One version of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentVersionDto {
    pub number: i32,
    pub file_name: String,
    /// Czech name of the detected type.
    pub kind_label: String,
    pub size_bytes: u64,
    pub uploaded_by: String,
    /// Prague date and time with the zone (`1. 7. 2026 14:05 SELČ`).
    pub uploaded_at: String,
}

/// A document with its versions, newest first, and what the viewer may do with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDto {
    pub id: i32,
    pub name: String,
    pub current_version: i32,
    pub versions: Vec<DocumentVersionDto>,
    pub can_replace: bool,
    pub can_delete: bool,
}

/// The documents of a project, a period or an expenditure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentList {
    pub project_id: i32,
    pub attachment: Attachment,
    /// What the documents belong to, in words (`ZoR 3`, `doklad FV-12 · Mzdy · 1 200,00 Kč`); empty for
    /// the project.
    pub record: String,
    pub documents: Vec<DocumentDto>,
    /// May upload documents here.
    pub can_upload: bool,
    /// The largest file accepted, in bytes.
    pub max_bytes: u64,
}
