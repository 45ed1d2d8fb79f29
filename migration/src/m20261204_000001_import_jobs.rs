//! Import jobs in the database (issue 13, point 3): an upload and its preview or commit, with status,
//! progress and report, so that a job started through one server is polled, shown and committed through
//! another, and a restart keeps the previews that had finished. The uploaded file has a table of its own
//! (`import_upload`), so that polling a job never reads it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("import_job")
                    .if_not_exists()
                    .col(string_len("token", 64).primary_key())
                    .col(integer("owner_id"))
                    .col(string_len("file_name", 300))
                    .col(boolean("all_or_nothing"))
                    .col(boolean("committing"))
                    // running | queued | done | failed
                    .col(string_len("status", 16))
                    .col(big_integer("rows_read"))
                    .col(big_integer("rows_applied"))
                    .col(big_integer("rows_total"))
                    .col(text_null("report"))
                    .col(text_null("error"))
                    // The server process running it (while running or queued).
                    .col(string_len_null("instance", 64))
                    .col(timestamp_with_time_zone("heartbeat_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_job_owner")
                            .from("import_job", "owner_id")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_import_job_status")
                    .table("import_job")
                    .col("status")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("import_upload")
                    .if_not_exists()
                    .col(string_len("token", 64).primary_key())
                    .col(blob("bytes"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_upload_job")
                            .from("import_upload", "token")
                            .to("import_job", "token")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("import_upload").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("import_job").to_owned())
            .await
    }
}
