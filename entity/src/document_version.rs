use sea_orm::entity::prelude::*;

/// One upload of a [`document`](super::document): the file is stored outside the database under its
/// SHA-256.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub document_id: i32,
    /// 1, 2, … within the document.
    pub number: i32,
    pub file_name: String,
    /// The type detected from the content (`pdf`, `png`, `docx`, …).
    pub kind: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_by: Option<i32>,
    pub uploaded_by_email: String,
    pub uploaded_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
