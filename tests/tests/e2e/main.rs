//! The browser tests, in one binary (each test starts its own server, database and Chromium).

mod browser;
mod cost_models;
mod deadlines;
mod import;
mod ledger;
mod monitoring;
mod municipalities;
mod narrow;
mod review;
mod roles;
