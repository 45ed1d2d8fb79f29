use sea_orm::entity::prelude::*;

/// A user of the tracker (*uživatel*). The password only as an argon2id hash.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "app_user")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Lower-case e-mail, the sign-in name.
    #[sea_orm(unique)]
    pub email: String,
    pub name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    pub active: bool,
    /// A finance officer for all projects, not only the assigned ones.
    pub finance_all: bool,
    pub created_at: DateTimeUtc,
    pub password_changed_at: DateTimeUtc,
    /// The language of the interface the user chose: `cs` (the default) or `en`.
    pub language: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
