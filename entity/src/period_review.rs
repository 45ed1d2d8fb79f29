use sea_orm::entity::prelude::*;

/// The ministry's review of a monitoring period's report: `under_review` (v kontrole), `returned`
/// (vráceno k opravě) or `accepted` (schváleno).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "period_review")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub period_id: i32,
    pub status: String,
    /// The reviewer who last set the status.
    pub reviewer_id: Option<i32>,
    pub updated_at: DateTimeUtc,
    /// Optimistic-locking version.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
