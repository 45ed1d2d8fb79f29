//! Revisions of what nearly every request reads (issue 13): `read_revision(name, revision)` with one row
//! per group of tables, so that a server process may keep its own copy of them and still never serve
//! anything stale, also when a second process or `psql` wrote:
//!
//! - `auth`: who is signed in and what they may do (users, roles, assignments, sessions, API tokens);
//! - `registry`: what the project list and its filters show (projects, beneficiaries, programmes,
//!   calls, target groups, the territorial codebook, and the projects' target groups and places).
//!
//! A request reads both revisions in one query; a kept copy made under the same revision is still the
//! database's state. Triggers bump the revision in the writing transaction, so a reader sees the new
//! revision exactly when it can see the new data (SQLite: row triggers; PostgreSQL: statement triggers,
//! `TRUNCATE` included). A new session row changes nothing kept (nobody knew its token), nor does an API
//! token's "last used" time, so neither bumps `auth`.
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table, the revision its changes bump, and which changes count (`None`: every insert, update and
/// delete; `Some(columns)`: updates of these columns and deletes).
struct Watched {
    table: &'static str,
    group: &'static str,
    update_of: Option<&'static str>,
}

const fn all(table: &'static str, group: &'static str) -> Watched {
    Watched {
        table,
        group,
        update_of: None,
    }
}

const WATCHED: [Watched; 15] = [
    all("app_user", "auth"),
    all("user_role", "auth"),
    all("user_project", "auth"),
    Watched {
        table: "user_session",
        group: "auth",
        update_of: Some("user_id, expires_at, token_hash"),
    },
    Watched {
        table: "api_token",
        group: "auth",
        update_of: Some("user_id, revoked_at, token_hash"),
    },
    all("project", "registry"),
    all("organisation", "registry"),
    all("programme", "registry"),
    all("call", "registry"),
    all("target_group", "registry"),
    all("region", "registry"),
    all("district", "registry"),
    all("municipality", "registry"),
    all("project_target_group", "registry"),
    all("project_municipality", "registry"),
];

fn bump(group: &str) -> String {
    format!("UPDATE read_revision SET revision = revision + 1 WHERE name = '{group}';")
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut out = vec![
        "CREATE TABLE read_revision (name varchar(16) NOT NULL PRIMARY KEY, revision bigint NOT NULL)"
            .to_owned(),
        "INSERT INTO read_revision (name, revision) VALUES ('auth', 0), ('registry', 0)".to_owned(),
    ];
    if backend == DbBackend::Postgres {
        for group in ["auth", "registry"] {
            out.push(format!(
                "CREATE FUNCTION readrev_{group}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {} \
                 RETURN NULL; END $$",
                bump(group)
            ));
        }
        for w in &WATCHED {
            let (t, g) = (w.table, w.group);
            let events = match w.update_of {
                None => "INSERT OR UPDATE OR DELETE OR TRUNCATE".to_owned(),
                Some(columns) => format!("UPDATE OF {columns} OR DELETE OR TRUNCATE"),
            };
            out.push(format!(
                "CREATE TRIGGER readrev_{t} AFTER {events} ON {t} \
                 FOR EACH STATEMENT EXECUTE FUNCTION readrev_{g}()"
            ));
        }
    } else {
        for w in &WATCHED {
            let (t, g) = (w.table, w.group);
            let mut events = vec![
                (
                    "update",
                    match w.update_of {
                        None => "UPDATE".to_owned(),
                        Some(columns) => format!("UPDATE OF {columns}"),
                    },
                ),
                ("delete", "DELETE".to_owned()),
            ];
            if w.update_of.is_none() {
                events.push(("insert", "INSERT".to_owned()));
            }
            for (op, event) in events {
                out.push(format!(
                    "CREATE TRIGGER readrev_{t}_{op} AFTER {event} ON {t} BEGIN {} END",
                    bump(g)
                ));
            }
        }
    }
    out
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut out = Vec::new();
    for w in &WATCHED {
        let t = w.table;
        if backend == DbBackend::Postgres {
            out.push(format!("DROP TRIGGER IF EXISTS readrev_{t} ON {t}"));
        } else {
            for op in ["insert", "update", "delete"] {
                out.push(format!("DROP TRIGGER IF EXISTS readrev_{t}_{op}"));
            }
        }
    }
    if backend == DbBackend::Postgres {
        out.push("DROP FUNCTION IF EXISTS readrev_auth()".to_owned());
        out.push("DROP FUNCTION IF EXISTS readrev_registry()".to_owned());
    }
    out.push("DROP TABLE IF EXISTS read_revision".to_owned());
    out
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in up_statements(db.get_database_backend()) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in down_statements(db.get_database_backend()) {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }
}
