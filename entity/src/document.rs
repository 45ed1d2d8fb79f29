use sea_orm::entity::prelude::*;

/// A document of a project, optionally of one of its monitoring periods (ZoR) or expenditures; its
/// uploads are [`document_version`](super::document_version)s.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "document")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub period_id: Option<i32>,
    pub expenditure_id: Option<i32>,
    /// The file name of the latest version.
    pub name: String,
    pub current_version: i32,
    /// Whoever uploaded the first version.
    pub owner_id: Option<i32>,
    pub owner_email: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
