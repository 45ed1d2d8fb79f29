//! Use cases over a SeaORM connection (server only): one module per aggregate. Services own their
//! transactions (one per user action) and are called alike by server functions, the CLI and tests.

pub mod audit;
pub mod auth;
pub mod budget;
pub mod clock;
pub mod codebooks;
pub mod cost_rules;
pub mod db;
pub mod deadlines;
pub mod demo;
pub mod demo_monitoring;
pub mod documents;
pub mod export;
pub mod export_tables;
pub mod import;
pub mod monitoring;
pub mod open_data;
pub mod passwords;
pub mod portfolio;
pub mod programmes;
pub mod projects;
pub mod read_cache;
pub mod review;
pub mod settings;
pub mod throttle;
pub mod tokens;

use crate::domain::FieldErrors;
use sea_orm::{DbErr, SqlErr};

/// What can go wrong in a service. `Db` and `Unexpected` carry internal detail for the log only.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not found")]
    NotFound,
    /// The user may not do this (the server function checks first; services check their own rules too).
    #[error("forbidden")]
    Forbidden,
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    #[error("{0}")]
    BadRequest(String),
    /// The record changed meanwhile, or its state does not allow the change (Czech text for the user):
    /// reload and repeat. Never parsed back from text.
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl ServiceError {
    /// A single field error.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::new();
        e.add(field, message);
        ServiceError::Validation(e)
    }

    /// Turns a unique-key violation into a field error on `field`; other database errors stay as they are.
    /// The one place where such violations become user-facing messages.
    pub fn unique_to_field(err: DbErr, field: &str, message: impl Into<String>) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::field(field, message),
            _ => ServiceError::Db(err),
        }
    }
}

impl From<ServiceError> for crate::error::AppError {
    fn from(err: ServiceError) -> Self {
        use crate::error::AppError;
        match err {
            ServiceError::NotFound => AppError::NotFound,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::BadRequest(m) => AppError::BadRequest(m),
            ServiceError::Conflict(m) => AppError::Conflict(m),
            ServiceError::Validation(f) => {
                AppError::BadRequest(f.iter().map(|(_, m)| m).collect::<Vec<_>>().join(" "))
            }
            ServiceError::Db(e) => {
                tracing::error!(error = %e, "database error");
                AppError::Internal
            }
            ServiceError::Unexpected(e) => {
                tracing::error!(error = %e, "unexpected error");
                AppError::Internal
            }
        }
    }
}
