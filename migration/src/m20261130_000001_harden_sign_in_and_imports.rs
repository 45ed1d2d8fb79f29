//! Security hardening (issue 10):
//! - `login_throttle.locked_until`: sign-in throttling counts attempts atomically and refuses further
//!   attempts until this time, with delays that grow with every further failure (instead of a fixed
//!   lock-out that anyone could trigger for an admin);
//! - `import_batch.imported_by_user_id` and `import_project`: who uploaded an import and which projects
//!   its rows touched, so that an import's history entry and stored report are shown only to its
//!   uploader, admins and users who may read every project it touched.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("login_throttle")
                    .add_column(timestamp_with_time_zone_null("locked_until"))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("import_batch")
                    .add_column(integer_null("imported_by_user_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("import_project")
                    .if_not_exists()
                    .col(integer("import_id"))
                    .col(integer("project_id"))
                    .primary_key(Index::create().col("import_id").col("project_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_project_import")
                            .from("import_project", "import_id")
                            .to("import_batch", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_import_project_project")
                    .table("import_project")
                    .col("project_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("import_project").to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("import_batch")
                    .drop_column("imported_by_user_id")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("login_throttle")
                    .drop_column("locked_until")
                    .to_owned(),
            )
            .await
    }
}
