use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "municipality")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: i32,
    pub name: String,
    /// Lower-case name without diacritics, for search ("usti nad orlici").
    pub name_folded: String,
    pub district_code: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
