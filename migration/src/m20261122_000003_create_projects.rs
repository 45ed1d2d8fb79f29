//! Projects with their target groups and participating municipalities.
//!
//! `version` is incremented by every update: an update names the version it started from, so a second
//! editor cannot silently overwrite the first (optimistic locking). Projects are archived, never deleted.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("project")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len_uniq("registration_number", 40))
                    .col(string("name"))
                    .col(string_len_null("acronym", 32))
                    .col(integer("beneficiary_id"))
                    .col(integer("programme_id"))
                    .col(string_len("priority_code", 2))
                    .col(string_len("specific_objective_code", 2))
                    .col(string_len("call_id", 16))
                    .col(string_len("status", 16))
                    .col(date("start_date"))
                    .col(date("end_date"))
                    .col(text("description"))
                    .col(text("search_folded"))
                    .col(big_integer_null("total_eligible_halere"))
                    .col(boolean("amounts_illustrative").default(false))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(integer("version").default(1))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_beneficiary")
                            .from("project", "beneficiary_id")
                            .to("organisation", "id"),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_project_programme")
                            .from("project", "programme_id")
                            .to("programme", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_project_status", "status"),
            ("ix_project_call", "call_id"),
            ("ix_project_programme", "programme_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("project")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table("project_target_group")
                    .if_not_exists()
                    .col(integer("project_id"))
                    .col(string_len("target_group_code", 64))
                    .primary_key(Index::create().col("project_id").col("target_group_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ptg_project")
                            .from("project_target_group", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ptg_target_group")
                            .from("project_target_group", "target_group_code")
                            .to("target_group", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("project_municipality")
                    .if_not_exists()
                    .col(integer("project_id"))
                    .col(integer("municipality_code"))
                    .primary_key(Index::create().col("project_id").col("municipality_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pm_project")
                            .from("project_municipality", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_pm_municipality")
                            .from("project_municipality", "municipality_code")
                            .to("municipality", "code"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_pm_municipality")
                    .table("project_municipality")
                    .col("municipality_code")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["project_municipality", "project_target_group", "project"] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
