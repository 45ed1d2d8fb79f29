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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
