use sea_orm::entity::prelude::*;

/// A project whose rows an import touched (decides who may see the import's history entry and report).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_project")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub import_id: i32,
    #[sea_orm(primary_key, auto_increment = false)]
    pub project_id: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
