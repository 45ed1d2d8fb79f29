use sea_orm::entity::prelude::*;

/// The value achieved for a project indicator in one monitoring period.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator_value")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_indicator_id: i32,
    pub period_id: i32,
    /// Achieved in this period, in thousandths of the unit.
    pub achieved_milli: i64,
    #[sea_orm(column_type = "Text")]
    pub note: String,
    pub version: i32,
    /// The spreadsheet import that last added or changed this row (`import_batch.id`).
    pub import_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
