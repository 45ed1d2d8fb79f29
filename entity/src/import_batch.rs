use sea_orm::entity::prelude::*;

/// One spreadsheet import (*import*), committed or reverted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_batch")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub file_name: String,
    pub sha256: String,
    pub format: String,
    pub kinds: String,
    pub imported_by: String,
    /// The uploading user (`None` for the command line and imports older than this column).
    pub imported_by_user_id: Option<i32>,
    pub imported_at: DateTimeUtc,
    /// `committed` or `reverted`.
    pub status: String,
    pub changed_rows: i32,
    pub invalid_rows: i32,
    /// Rows of the tracked tables this import added or changed.
    pub records_changed: i32,
    pub reverted_at: Option<DateTimeUtc>,
    /// The import report (JSON), as shown after the commit.
    #[sea_orm(column_type = "Text")]
    pub report_json: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
