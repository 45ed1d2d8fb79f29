use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub programme_id: i32,
    /// Full call id, e.g. "03_22_015".
    pub call_id: String,
    pub name: String,
    /// The cost models the call allows: comma-separated `domain::CostModel` codes.
    pub cost_models: String,
    /// Highest flat rate of indirect costs on all direct costs, percent as decimal text.
    pub max_rate_direct: String,
    /// Highest flat rate of indirect costs on direct personnel costs.
    pub max_rate_personnel: String,
    /// The flat rate on direct personnel costs covering all other costs (the 40 % model).
    pub rate_flat_personnel: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
