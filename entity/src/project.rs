use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "project")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub registration_number: String,
    pub name: String,
    pub acronym: Option<String>,
    pub beneficiary_id: i32,
    pub programme_id: i32,
    pub priority_code: String,
    pub specific_objective_code: String,
    pub call_id: String,
    pub status: String,
    pub start_date: Date,
    pub end_date: Date,
    #[sea_orm(column_type = "Text")]
    pub description: String,
    /// Registration number, name, acronym and beneficiary folded for search (lower case, no diacritics).
    #[sea_orm(column_type = "Text")]
    pub search_folded: String,
    /// Total eligible expenditure in haléře (1/100 Kč).
    pub total_eligible_halere: Option<i64>,
    /// The amounts are invented (demo data), not real figures.
    pub amounts_illustrative: bool,
    pub archived_at: Option<DateTimeUtc>,
    /// Optimistic-locking version, incremented by every update.
    pub version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The spreadsheet import that last added or changed this row (`import_batch.id`).
    pub import_id: Option<i32>,
    /// Type of intervention (CPR 2021/1060 Annex I, table 1, intervention field): a three-digit code.
    pub intervention_code: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organisation::Entity",
        from = "Column::BeneficiaryId",
        to = "super::organisation::Column::Id"
    )]
    Beneficiary,
    #[sea_orm(
        belongs_to = "super::programme::Entity",
        from = "Column::ProgrammeId",
        to = "super::programme::Column::Id"
    )]
    Programme,
}

impl Related<super::organisation::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Beneficiary.def()
    }
}

impl Related<super::programme::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Programme.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
