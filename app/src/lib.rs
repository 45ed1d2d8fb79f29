//! The ESF+ portfolio tracker's application: domain types, server functions, pages and components,
//! shared by the server (feature `ssr`) and the browser (feature `hydrate`).
//!
//! Layers, top to bottom: `pages`/`components` (Leptos views) → `api` (thin `#[server]` functions) →
//! `services` (use cases over a SeaORM connection; server only) → `domain` (pure types and rules, no web or
//! database dependency). `dto` and `forms` hold the plain data that crosses the wire and the form rules
//! that run identically in the browser and on the server.

#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod domain;
pub mod dto;
pub mod error;
pub mod forms;
pub mod i18n;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod services;
mod shell;

pub use shell::{shell, App};
