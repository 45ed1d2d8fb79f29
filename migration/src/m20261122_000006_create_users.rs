//! Users, roles, project assignments, server-side sessions, sign-in throttling and the audit trail.
//!
//! Passwords are stored only as argon2id hashes (PHC strings); session tokens only as SHA-256 hashes, so
//! neither a database dump nor a log gives a usable secret. The audit log is append-only: the app has no
//! code path that updates or deletes it.
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("app_user")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len_uniq("email", 254))
                    .col(string("name"))
                    .col(string("password_hash"))
                    .col(boolean("active").default(true))
                    .col(boolean("finance_all").default(false))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("password_changed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("user_role")
                    .if_not_exists()
                    .col(integer("user_id"))
                    .col(string_len("role", 16))
                    .primary_key(Index::create().col("user_id").col("role"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_role_user")
                            .from("user_role", "user_id")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("user_project")
                    .if_not_exists()
                    .col(integer("user_id"))
                    .col(integer("project_id"))
                    .primary_key(Index::create().col("user_id").col("project_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_project_user")
                            .from("user_project", "user_id")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_project_project")
                            .from("user_project", "project_id")
                            .to("project", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("user_session")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(string_len_uniq("token_hash", 64))
                    .col(integer("user_id"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_session_user")
                            .from("user_session", "user_id")
                            .to("app_user", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_throttle")
                    .if_not_exists()
                    .col(string_len("key", 300).primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("window_start"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("audit_log")
                    .if_not_exists()
                    .col(pk_auto("id"))
                    .col(timestamp_with_time_zone("at"))
                    .col(integer_null("user_id"))
                    .col(string("user_email"))
                    .col(string_len("action", 16))
                    .col(string_len("entity", 32))
                    .col(string_len("entity_id", 64))
                    .col(integer_null("project_id"))
                    .col(text("changes_json"))
                    .to_owned(),
            )
            .await?;
        for (name, col) in [
            ("ix_audit_log_project", "project_id"),
            ("ix_audit_log_user", "user_id"),
            ("ix_audit_log_at", "at"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table("audit_log")
                        .col(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "audit_log",
            "login_throttle",
            "user_session",
            "user_project",
            "user_role",
            "app_user",
        ] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
