use sea_orm::entity::prelude::*;

/// A monitoring period of a project (reported in the ZoR of the same number).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "monitoring_period")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    /// Number of the implementation report (ZoR) covering this period.
    pub number: i32,
    pub start_date: Date,
    pub end_date: Date,
    /// The spreadsheet import that last added or changed this row (`import_batch.id`).
    pub import_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
