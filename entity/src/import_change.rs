use sea_orm::entity::prelude::*;

/// The state of a row before an import changed it, kept to revert the import.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_change")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub import_id: i32,
    /// Table name (`indicator_value`, `expenditure`, …).
    pub entity: String,
    pub record_id: i32,
    /// The row's changed columns before the import, as JSON.
    #[sea_orm(column_type = "Text")]
    pub before_json: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
