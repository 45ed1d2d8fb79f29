//! Revisions for the dashboard's cache (issue 13): `project_revision(project_id, revision)` counts the
//! committed changes of everything the portfolio dashboard reads about one project, and the single row of
//! `dashboard_revision` counts the changes of what it reads for all projects (codebooks, settings).
//!
//! Triggers keep them, so that every writer is seen: the services, the importer's bulk inserts, a revert,
//! the demo loader, a second server process, `psql`. A revision only grows, and it changes in the writing
//! transaction, so a reader sees a new revision exactly when it can see the new data.
//!
//! - SQLite: row triggers (`AFTER INSERT/UPDATE/DELETE … FOR EACH ROW`) upsert the project's row.
//! - PostgreSQL: statement triggers with transition tables upsert each touched project's row once per
//!   statement (a bulk insert of 1 000 rows costs one upsert per project, not 1 000), and `TRUNCATE`
//!   bumps `dashboard_revision` (the cache then forgets everything).
//!
//! A later migration that rebuilds one of these tables on SQLite, or drops a column a trigger names, must
//! drop and recreate its triggers (see [`PROJECT_TABLES`]).
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A table whose rows belong to one project: the column naming it, directly or through a parent table
/// (`(parent, parent's key)` whose `project_id` it is).
struct ProjectTable {
    table: &'static str,
    column: &'static str,
    via: Option<(&'static str, &'static str)>,
}

const fn direct(table: &'static str, column: &'static str) -> ProjectTable {
    ProjectTable {
        table,
        column,
        via: None,
    }
}

/// Every table the dashboard reads per project.
const PROJECT_TABLES: [ProjectTable; 12] = [
    direct("project", "id"),
    direct("project_finance", "project_id"),
    direct("project_target_group", "project_id"),
    direct("project_municipality", "project_id"),
    direct("budget_line", "project_id"),
    direct("expenditure", "project_id"),
    direct("payment_claim", "project_id"),
    direct("participant", "project_id"),
    direct("project_indicator", "project_id"),
    direct("monitoring_period", "project_id"),
    ProjectTable {
        table: "indicator_value",
        column: "project_indicator_id",
        via: Some(("project_indicator", "id")),
    },
    ProjectTable {
        table: "period_review",
        column: "period_id",
        via: Some(("monitoring_period", "id")),
    },
];

/// The tables the dashboard reads for all projects: codebooks and settings.
const SHARED_TABLES: [&str; 5] = ["indicator", "region", "district", "municipality", "setting"];

impl ProjectTable {
    /// The project id of row `r` (`NEW`, `OLD` or a transition table's alias).
    fn project_of(&self, r: &str) -> String {
        match self.via {
            None => format!("{r}.{}", self.column),
            Some((parent, key)) => format!(
                "(SELECT q.project_id FROM {parent} q WHERE q.{key} = {r}.{})",
                self.column
            ),
        }
    }

    /// SQLite: the upsert of the project of row `r`, when `when` holds.
    fn sqlite_bump(&self, r: &str, when: &str) -> String {
        format!(
            "INSERT INTO project_revision (project_id, revision) \
             SELECT p, 1 FROM (SELECT {} AS p) WHERE p IS NOT NULL{when} \
             ON CONFLICT (project_id) DO UPDATE SET revision = revision + 1;",
            self.project_of(r)
        )
    }

    fn sqlite_triggers(&self) -> Vec<String> {
        let t = self.table;
        let c = self.column;
        vec![
            format!(
                "CREATE TRIGGER dashrev_{t}_insert AFTER INSERT ON {t} BEGIN {} END",
                self.sqlite_bump("NEW", "")
            ),
            // A row moved to another project changes both.
            format!(
                "CREATE TRIGGER dashrev_{t}_update AFTER UPDATE ON {t} BEGIN {} {} END",
                self.sqlite_bump("NEW", ""),
                self.sqlite_bump("OLD", &format!(" AND OLD.{c} IS NOT NEW.{c}"))
            ),
            format!(
                "CREATE TRIGGER dashrev_{t}_delete AFTER DELETE ON {t} BEGIN {} END",
                self.sqlite_bump("OLD", "")
            ),
        ]
    }

    fn postgres_function(&self) -> String {
        let t = self.table;
        let of = |rows: &str| format!("SELECT {} FROM {rows} r", self.project_of("r"));
        let upsert = |rows: String| {
            format!(
                "INSERT INTO project_revision (project_id, revision) \
                 SELECT DISTINCT p, 1 FROM ({rows}) x(p) WHERE p IS NOT NULL ORDER BY p \
                 ON CONFLICT (project_id) DO UPDATE SET revision = project_revision.revision + 1;"
            )
        };
        format!(
            "CREATE FUNCTION dashrev_{t}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'INSERT' THEN {} \
             ELSIF TG_OP = 'DELETE' THEN {} \
             ELSE {} END IF; RETURN NULL; END $$",
            upsert(of("new_rows")),
            upsert(of("old_rows")),
            upsert(format!("{} UNION {}", of("new_rows"), of("old_rows"))),
        )
    }

    fn postgres_triggers(&self) -> Vec<String> {
        let t = self.table;
        vec![
            format!(
                "CREATE TRIGGER dashrev_{t}_insert AFTER INSERT ON {t} REFERENCING NEW TABLE AS new_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION dashrev_{t}()"
            ),
            format!(
                "CREATE TRIGGER dashrev_{t}_update AFTER UPDATE ON {t} \
                 REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION dashrev_{t}()"
            ),
            format!(
                "CREATE TRIGGER dashrev_{t}_delete AFTER DELETE ON {t} REFERENCING OLD TABLE AS old_rows \
                 FOR EACH STATEMENT EXECUTE FUNCTION dashrev_{t}()"
            ),
            format!(
                "CREATE TRIGGER dashrev_{t}_truncate AFTER TRUNCATE ON {t} \
                 FOR EACH STATEMENT EXECUTE FUNCTION dashrev_shared()"
            ),
        ]
    }
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut out = vec![
        "CREATE TABLE project_revision (project_id integer NOT NULL PRIMARY KEY, \
         revision bigint NOT NULL)"
            .to_owned(),
        "CREATE TABLE dashboard_revision (id integer NOT NULL PRIMARY KEY, revision bigint NOT NULL)"
            .to_owned(),
        "INSERT INTO dashboard_revision (id, revision) VALUES (1, 0)".to_owned(),
    ];
    if backend == DbBackend::Postgres {
        out.push(
            "CREATE FUNCTION dashrev_shared() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE dashboard_revision SET revision = revision + 1 WHERE id = 1; RETURN NULL; END $$"
                .to_owned(),
        );
        for t in &PROJECT_TABLES {
            out.push(t.postgres_function());
            out.extend(t.postgres_triggers());
        }
        for t in SHARED_TABLES {
            out.push(format!(
                "CREATE TRIGGER dashrev_{t} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {t} \
                 FOR EACH STATEMENT EXECUTE FUNCTION dashrev_shared()"
            ));
        }
    } else {
        for t in &PROJECT_TABLES {
            out.extend(t.sqlite_triggers());
        }
        for t in SHARED_TABLES {
            for op in ["insert", "update", "delete"] {
                out.push(format!(
                    "CREATE TRIGGER dashrev_{t}_{op} AFTER {} ON {t} BEGIN \
                     UPDATE dashboard_revision SET revision = revision + 1 WHERE id = 1; END",
                    op.to_uppercase()
                ));
            }
        }
    }
    out
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut out = Vec::new();
    if backend == DbBackend::Postgres {
        for t in &PROJECT_TABLES {
            let t = t.table;
            for op in ["insert", "update", "delete", "truncate"] {
                out.push(format!("DROP TRIGGER IF EXISTS dashrev_{t}_{op} ON {t}"));
            }
            out.push(format!("DROP FUNCTION IF EXISTS dashrev_{t}()"));
        }
        for t in SHARED_TABLES {
            out.push(format!("DROP TRIGGER IF EXISTS dashrev_{t} ON {t}"));
        }
        out.push("DROP FUNCTION IF EXISTS dashrev_shared()".to_owned());
    } else {
        let tables = PROJECT_TABLES.iter().map(|t| t.table).chain(SHARED_TABLES);
        for t in tables {
            for op in ["insert", "update", "delete"] {
                out.push(format!("DROP TRIGGER IF EXISTS dashrev_{t}_{op}"));
            }
        }
    }
    out.push("DROP TABLE IF EXISTS dashboard_revision".to_owned());
    out.push("DROP TABLE IF EXISTS project_revision".to_owned());
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
