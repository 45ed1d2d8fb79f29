use sea_orm::entity::prelude::*;

/// A line of a project budget (direct costs) for one year.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "budget_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    /// Item code in the budget tree, e.g. 1.1.1.2.
    pub code: String,
    pub name: String,
    /// personnel / travel / equipment / services / other.
    pub chapter: String,
    pub year: i32,
    pub amount_halere: i64,
    /// The call's unit cost or lump sum (`unit_cost.id`) of a simplified-cost line.
    pub unit_cost_id: Option<i32>,
    /// Units budgeted on a simplified-cost line (decimal text); `amount_halere` = units × rate.
    pub units: Option<String>,
    pub version: i32,
    /// The spreadsheet import that last added or changed this line (`import_batch.id`).
    pub import_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
