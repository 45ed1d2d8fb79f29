use sea_orm::entity::prelude::*;

/// An import started from the browser: the preview of an uploaded file, then its commit. The state lives
/// here, not in a server's memory, so that every server of a deployment sees it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_job")]
pub struct Model {
    /// Random, in the URL of the preview page.
    #[sea_orm(primary_key, auto_increment = false)]
    pub token: String,
    /// The user who uploaded it: only they see and commit it.
    pub owner_id: i32,
    pub file_name: String,
    pub all_or_nothing: bool,
    /// The job is (or was) the commit, not the preview.
    pub committing: bool,
    /// `running`, `queued` (a commit waiting for another), `done` or `failed`.
    pub status: String,
    pub rows_read: i64,
    pub rows_applied: i64,
    pub rows_total: i64,
    /// The report (JSON), when done.
    pub report: Option<String>,
    /// Why it failed, in Czech.
    pub error: Option<String>,
    /// The server process that runs it, while it runs.
    pub instance: Option<String>,
    /// Last sign of life of the process running it.
    pub heartbeat_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    /// When a finished job and its upload are removed.
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
