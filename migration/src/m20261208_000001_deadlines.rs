//! Deadlines (issue 15, point 1): each user's personal calendar feeds (`calendar_feed`, only the
//! SHA-256 of the secret address stored, revocable like API tokens), the e-mail digests claimed per user
//! and day (`deadline_digest`: its primary key makes "at most one a day" hold for any number of server
//! processes), and who has opted out of them (`digest_opt_out`).
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn to_user(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_user"))
        .from(table, "user_id")
        .to("app_user", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("calendar_feed")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(integer("user_id"))
                    .col(string_len_uniq("secret_hash", 64))
                    .col(string_len("prefix", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut to_user("calendar_feed"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("deadline_digest")
                    .if_not_exists()
                    .col(integer("user_id"))
                    .col(date("day"))
                    .col(timestamp_with_time_zone("claimed_at"))
                    .primary_key(Index::create().col("user_id").col("day"))
                    .foreign_key(&mut to_user("deadline_digest"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("digest_opt_out")
                    .if_not_exists()
                    .col(integer("user_id").primary_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut to_user("digest_opt_out"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["digest_opt_out", "deadline_digest", "calendar_feed"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
