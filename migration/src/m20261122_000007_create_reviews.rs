//! The ministry's review of monitoring periods (status and comments), personal API tokens, and the
//! indexes the portfolio dashboard's filters need.
//!
//! API tokens are stored only as SHA-256 hashes, like session tokens; a revoked token keeps its row so
//! that the audit trail can still name it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("period_review")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer_uniq("period_id"))
                    .col(string_len("status", 16))
                    .col(integer_null("reviewer_id"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(integer("version").default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_period_review_period")
                            .from("period_review", "period_id")
                            .to("monitoring_period", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("review_comment")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("period_id"))
                    .col(integer_null("author_id"))
                    .col(string("author_name"))
                    .col(timestamp_with_time_zone("at"))
                    .col(text("body"))
                    .col(string_len_null("status_set", 16))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_review_comment_period")
                            .from("review_comment", "period_id")
                            .to("monitoring_period", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("api_token")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string("name"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(string_len("prefix", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("last_used_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_token_user")
                            .from("api_token", "user_id")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, table, cols) in [
            (
                "ix_review_comment_period",
                "review_comment",
                &["period_id"][..],
            ),
            ("ix_api_token_user", "api_token", &["user_id"][..]),
            // Dashboard filters by beneficiary and target group, and the per-project aggregations.
            ("ix_project_beneficiary", "project", &["beneficiary_id"][..]),
            (
                "ix_ptg_target_group",
                "project_target_group",
                &["target_group_code", "project_id"][..],
            ),
            ("ix_advance_project", "advance", &["project_id"][..]),
        ] {
            let mut i = Index::create();
            i.name(name).table(table);
            for c in cols {
                i.col(*c);
            }
            manager.create_index(i.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table) in [
            ("ix_project_beneficiary", "project"),
            ("ix_ptg_target_group", "project_target_group"),
            ("ix_advance_project", "advance"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        for table in ["api_token", "review_comment", "period_review"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
