//! Database schema of the tracker as SeaORM migrations: one file per change, named
//! `mYYYYMMDD_HHMMSS_<verb>_<noun>`, each with a working `down`. Runs the same on SQLite and PostgreSQL.
//! No dependency on `entity`; reference data (codebooks, demo portfolio) is loaded by commands, not here.
//!
//! Money columns are `BIGINT` amounts in haléře (1/100 Kč): exact on both backends (SQLite has no decimal type).

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_territory;
mod m20261122_000002_create_programmes;
mod m20261122_000003_create_projects;
mod m20261122_000004_create_monitoring;
mod m20261122_000005_create_imports;
mod m20261122_000006_create_users;
mod m20261122_000007_create_reviews;
mod m20261130_000001_harden_sign_in_and_imports;
mod m20261201_000001_add_cost_models;
mod m20261202_000001_ledger_claims_periods;
mod m20261203_000001_add_budget_line_import;
mod m20261204_000001_import_jobs;
mod m20261205_000001_dashboard_revisions;
mod m20261206_000001_read_revisions;
mod m20261207_000001_documents;
mod m20261208_000001_deadlines;
mod m20261209_000001_operation_fields;
mod m20261210_000001_user_language;

/// All migrations, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_territory::Migration),
            Box::new(m20261122_000002_create_programmes::Migration),
            Box::new(m20261122_000003_create_projects::Migration),
            Box::new(m20261122_000004_create_monitoring::Migration),
            Box::new(m20261122_000005_create_imports::Migration),
            Box::new(m20261122_000006_create_users::Migration),
            Box::new(m20261122_000007_create_reviews::Migration),
            Box::new(m20261130_000001_harden_sign_in_and_imports::Migration),
            Box::new(m20261201_000001_add_cost_models::Migration),
            Box::new(m20261202_000001_ledger_claims_periods::Migration),
            Box::new(m20261203_000001_add_budget_line_import::Migration),
            Box::new(m20261204_000001_import_jobs::Migration),
            Box::new(m20261205_000001_dashboard_revisions::Migration),
            Box::new(m20261206_000001_read_revisions::Migration),
            Box::new(m20261207_000001_documents::Migration),
            Box::new(m20261208_000001_deadlines::Migration),
            Box::new(m20261209_000001_operation_fields::Migration),
            Box::new(m20261210_000001_user_language::Migration),
        ]
    }
}
