//! Budget lines from spreadsheets (issue 12): `budget_line.import_id`, the import that last added or
//! changed the line, like every other record an import writes, so that an import of a budget sheet can
//! be reverted as a whole.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("budget_line")
                    .add_column(integer_null("import_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_budget_line_import")
                    .table("budget_line")
                    .col("import_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_budget_line_import")
                    .table("budget_line")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("budget_line")
                    .drop_column("import_id")
                    .to_owned(),
            )
            .await
    }
}
