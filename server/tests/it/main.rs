//! The server's integration tests, in one binary: each links the whole app, so one binary instead of
//! seven saves gigabytes of disk and minutes of linking. Database tests run on SQLite and, with
//! `TEST_POSTGRES_URL`, on PostgreSQL.

mod common;

mod audit;
mod http;
mod import;
mod import_samples;
mod monitoring;
mod registry;
mod security;
