//! The browser tests, in one binary (each test starts its own server, database and Chromium).

mod browser;
mod import;
mod monitoring;
mod review;
mod roles;
