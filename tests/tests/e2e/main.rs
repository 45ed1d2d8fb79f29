//! The browser tests, in one binary (each test starts its own server, database and Chromium).

mod accessibility;
mod browser;
mod cost_models;
mod deadlines;
mod documents;
mod every_page;
mod import;
mod language;
mod ledger;
mod monitoring;
mod municipalities;
mod narrow;
mod review;
mod roles;
