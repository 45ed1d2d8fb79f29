use sea_orm::entity::prelude::*;

/// A comment on a monitoring period's review, by a reviewer or by the project's team answering.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_comment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub period_id: i32,
    pub author_id: Option<i32>,
    /// The author's name at the time (kept if the user is later removed).
    pub author_name: String,
    pub at: DateTimeUtc,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// The review status this comment set, if it changed it.
    pub status_set: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
