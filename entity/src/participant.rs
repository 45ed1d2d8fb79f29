use sea_orm::entity::prelude::*;

/// A pseudonymised participant record.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "participant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    /// A pseudonym: never a name or a birth number.
    pub pseudonym: String,
    pub entry_date: Date,
    pub exit_date: Option<Date>,
    /// M, F or X.
    pub gender: String,
    pub age_at_entry: i16,
    pub labour_status: String,
    pub isced: Option<i16>,
    pub disability: bool,
    /// Comma-separated exit situation codes.
    pub exit_situations: String,
    /// Invented record (demo data).
    pub illustrative: bool,
    /// The spreadsheet import that last added or changed this row (`import_batch.id`).
    pub import_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
