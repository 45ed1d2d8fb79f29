use sea_orm::entity::prelude::*;

/// A payment claim (žádost o platbu, ŽoP).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "payment_claim")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub project_id: i32,
    pub number: i32,
    pub period_id: Option<i32>,
    pub claimed_halere: i64,
    pub approved_halere: Option<i64>,
    pub submitted_on: Option<Date>,
    pub paid_on: Option<Date>,
    pub status: String,
    pub version: i32,
    /// The amount follows from the claim's documents (soupiska dokladů); false for a claim typed as a
    /// bare amount ("bez soupisky").
    pub with_documents: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
