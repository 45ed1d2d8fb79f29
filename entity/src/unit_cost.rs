use sea_orm::entity::prelude::*;

/// A simplified cost option of a call: a unit cost (an amount per unit, e.g. per participant-hour) or a
/// lump sum (`kind` `unit` / `lump_sum`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_cost")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub call_id: i32,
    pub code: String,
    pub name: String,
    /// What one unit is, e.g. "hodina poradenství".
    pub unit: String,
    pub kind: String,
    /// Amount per unit in haléře.
    pub rate_halere: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
