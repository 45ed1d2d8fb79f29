//! The language of the interface each user chose (issue 15, point 4): `app_user.language`, an ISO 639-1
//! code (`cs`, the default, or `en`).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("app_user")
                    .add_column(string_len("language", 8).default("cs"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("app_user")
                    .drop_column("language")
                    .to_owned(),
            )
            .await
    }
}
