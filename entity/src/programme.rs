use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programme")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// "2021-2027" or "2014-2020".
    pub period: String,
    pub code: String,
    pub short_name: String,
    pub name: String,
    /// The reporting rule: one monitoring period (ZoR) lasts this many months.
    pub report_period_months: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
