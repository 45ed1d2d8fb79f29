//! Documents and attachments (issue 15, point 2): a document belongs to a project and, optionally, to one
//! of its monitoring periods (ZoR) or expenditures; each upload of it is a version. The files themselves
//! are stored outside the database, named by their SHA-256 (`document_version.sha256`), so that a file
//! uploaded twice is stored once.
//!
//! A deleted period or expenditure leaves its documents with the project (`SET NULL`), so an import
//! revert never loses an attachment.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("document")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("project_id"))
                    .col(integer_null("period_id"))
                    .col(integer_null("expenditure_id"))
                    // The file name of the latest version (shown in lists).
                    .col(string_len("name", 300))
                    .col(integer("current_version"))
                    // Whoever uploaded the first version (may delete the document).
                    .col(integer_null("owner_id"))
                    .col(string_len("owner_email", 320))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_project")
                            .from("document", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_period")
                            .from("document", "period_id")
                            .to("monitoring_period", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_expenditure")
                            .from("document", "expenditure_id")
                            .to("expenditure", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_owner")
                            .from("document", "owner_id")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_document_project", "project_id"),
            ("ix_document_period", "period_id"),
            ("ix_document_expenditure", "expenditure_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("document")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("document_version")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("document_id"))
                    .col(integer("number"))
                    .col(string_len("file_name", 300))
                    // The detected type (`pdf`, `png`, `docx`, …), never the browser's word.
                    .col(string_len("kind", 16))
                    .col(big_integer("size_bytes"))
                    .col(string_len("sha256", 64))
                    .col(integer_null("uploaded_by"))
                    .col(string_len("uploaded_by_email", 320))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_version_document")
                            .from("document_version", "document_id")
                            .to("document", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_document_version_user")
                            .from("document_version", "uploaded_by")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_document_version_number")
                    .table("document_version")
                    .col("document_id")
                    .col("number")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_document_version_sha256")
                    .table("document_version")
                    .col("sha256")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("document_version").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("document").to_owned())
            .await
    }
}
