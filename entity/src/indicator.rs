use sea_orm::entity::prelude::*;

/// An indicator of the codebook (ESF+ common indicators and national codes).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "indicator")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// ESF+ code (EECO01…) or national code (digits without spaces, e.g. 60000 for "6 00 00").
    pub code: String,
    pub name_cs: String,
    pub name_en: String,
    /// persons / entities / percent / other.
    pub unit: String,
    /// output / result.
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub definition: String,
    /// False where the code itself is not verified against the regulation: an admin may correct it.
    pub code_verified: bool,
    /// Computed from participant records rather than typed in.
    pub computed: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
