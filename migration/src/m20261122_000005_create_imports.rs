//! Spreadsheet imports: the import history (`import_batch`), the before-images of the records an import
//! changed (`import_change`), and an `import_id` on every record an import can add or change, so that
//! an import can be reverted as a whole while nothing later depends on it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose rows an import can add or change.
const TRACKED: &[&str] = &[
    "project",
    "monitoring_period",
    "project_indicator",
    "indicator_value",
    "expenditure",
    "participant",
    "project_municipality",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("import_batch")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string("file_name"))
                    .col(string_len("sha256", 64))
                    .col(string_len("format", 8))
                    .col(string("kinds"))
                    .col(string("imported_by"))
                    .col(timestamp_with_time_zone("imported_at"))
                    .col(string_len("status", 16))
                    .col(integer("changed_rows"))
                    .col(integer("invalid_rows"))
                    .col(integer("records_changed"))
                    .col(timestamp_with_time_zone_null("reverted_at"))
                    .col(text("report_json"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_import_batch_sha256")
                    .table("import_batch")
                    .col("sha256")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("import_change")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("import_id"))
                    .col(string_len("entity", 32))
                    .col(integer("record_id"))
                    .col(text("before_json"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_change_batch")
                            .from("import_change", "import_id")
                            .to("import_batch", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_import_change_import")
                    .table("import_change")
                    .col("import_id")
                    .to_owned(),
            )
            .await?;
        for table in TRACKED {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .add_column(integer_null("import_id"))
                        .to_owned(),
                )
                .await?;
            manager
                .create_index(
                    Index::create()
                        .name(format!("ix_{table}_import"))
                        .table(Alias::new(*table))
                        .col("import_id")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TRACKED {
            manager
                .drop_index(
                    Index::drop()
                        .name(format!("ix_{table}_import"))
                        .table(Alias::new(*table))
                        .to_owned(),
                )
                .await?;
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(*table))
                        .drop_column("import_id")
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table("import_change").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("import_batch").to_owned())
            .await
    }
}
