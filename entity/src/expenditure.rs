use sea_orm::entity::prelude::*;

/// An expenditure charged to a budget line.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expenditure")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub budget_line_id: i32,
    pub period_id: Option<i32>,
    pub document_number: Option<String>,
    pub amount_halere: i64,
    pub paid_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    pub supplier: String,
    /// The spreadsheet import that last added or changed this row (`import_batch.id`).
    pub import_id: Option<i32>,
    /// Units drawn on a simplified-cost line (decimal text); `amount_halere` = units × rate.
    pub units: Option<String>,
    /// The payment claim (ŽoP) whose list of documents holds this expenditure; at most one.
    pub claim_id: Option<i32>,
    /// Optimistic-lock counter, raised by every edit.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
