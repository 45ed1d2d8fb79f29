use sea_orm::entity::prelude::*;

/// An indicator a project committed to, with baseline and target.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub indicator_id: i32,
    /// Values in thousandths of the unit.
    pub baseline_milli: i64,
    pub target_milli: i64,
    pub target_date: Date,
    pub version: i32,
    /// The spreadsheet import that last added or changed this row (`import_batch.id`).
    pub import_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
