use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "district")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: i32,
    pub name: String,
    pub region_code: i32,
    pub lau1: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
