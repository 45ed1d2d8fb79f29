//! The server's integration tests, in one binary: each links the whole app, so one binary instead of
//! seven saves gigabytes of disk and minutes of linking. Database tests run on SQLite and, with
//! `TEST_POSTGRES_URL`, on PostgreSQL.

#[macro_use]
mod common;

mod api;
mod audit;
mod audit_words;
mod beneficiary;
mod budget_sheet;
mod cost_models;
mod csv_injection;
mod deadlines;
mod delivery;
mod documents;
mod http;
mod import;
mod import_access;
mod import_concurrency;
mod import_robust;
mod import_samples;
mod instances;
mod ledger;
mod monitoring;
mod open_data;
mod operations;
mod ownership;
mod periods;
mod portfolio;
mod read_cache;
mod registry;
mod review_pages;
mod review_workflow;
mod route_guard;
mod same_rules;
mod security;
mod shutdown;
mod sign_in_attacks;
