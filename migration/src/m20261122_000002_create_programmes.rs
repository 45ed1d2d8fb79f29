//! Programmes (OPZ+, OPZ), their priorities, calls (výzvy), beneficiaries (organisations with IČO)
//! and the target-group codebook (cílové skupiny).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("programme")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len("period", 9))
                    .col(string_len("code", 2))
                    .col(string("short_name"))
                    .col(string("name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_programme_period_code")
                    .table("programme")
                    .col("period")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("priority")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("programme_id"))
                    .col(string_len("code", 2))
                    .col(string("name"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_priority_programme")
                            .from("priority", "programme_id")
                            .to("programme", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_priority_programme_code")
                    .table("priority")
                    .col("programme_id")
                    .col("code")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("call")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("programme_id"))
                    .col(string_len_uniq("call_id", 16))
                    .col(string("name"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_call_programme")
                            .from("call", "programme_id")
                            .to("programme", "id"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("organisation")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len_uniq("ico", 8))
                    .col(string("name"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("target_group")
                    .if_not_exists()
                    .col(string_len("code", 64).primary_key())
                    .col(string("name"))
                    .col(integer("sort_order"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "target_group",
            "organisation",
            "call",
            "priority",
            "programme",
        ] {
            manager
                .drop_table(Table::drop().table(t).to_owned())
                .await?;
        }
        Ok(())
    }
}
