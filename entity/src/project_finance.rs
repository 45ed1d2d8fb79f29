use sea_orm::entity::prelude::*;

/// Financing parameters of a project: flat rate of indirect costs and co-financing shares.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project_finance")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: i32,
    /// Flat rate of indirect costs, percent as decimal text.
    pub indirect_rate: String,
    pub eu_share: String,
    pub state_share: String,
    pub own_share: String,
    /// How the project accounts for its costs (`domain::CostModel` code).
    pub cost_model: String,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
