use sea_orm::entity::prelude::*;

/// One change on record (*auditní záznam*): who, when, what entity, and the old and new value of each
/// changed field. Written in the same transaction as the change; never updated or deleted by the app.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub at: DateTimeUtc,
    pub user_id: Option<i32>,
    pub user_email: String,
    /// `create`, `update`, `archive`, `restore`, `import`, `revert`, `delete`, …
    pub action: String,
    /// Table name of the changed row (`project`, `budget_line`, …).
    pub entity: String,
    pub entity_id: String,
    pub project_id: Option<i32>,
    /// `{"field": [old, new], …}`.
    #[sea_orm(column_type = "Text")]
    pub changes_json: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
