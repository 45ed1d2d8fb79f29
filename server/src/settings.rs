//! The server's settings, from the environment with defaults, and the errors that stop it from starting.

use app::services::clock::Clock;
use app::services::db::{redact_url, DEFAULT_DATABASE_URL};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings, from the environment with defaults: `DATABASE_URL` (SQLite file `data/tracker.sqlite`),
/// `LEPTOS_SITE_ADDR` (127.0.0.1:3000), `LEPTOS_SITE_ROOT` (`target/site`).
#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    /// Where "today" comes from: the system date, or `TRACKER_TODAY` (`2026-07-01`) for tests and
    /// demonstrations that must show the same figures on any day.
    pub clock: Clock,
    /// How long a shutdown waits for requests and import commits in flight
    /// (`TRACKER_SHUTDOWN_TIMEOUT_SECS`, default 30).
    pub shutdown_timeout: std::time::Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRACKER_TRUSTED_PROXIES`, comma-separated
    /// addresses); empty: the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Where documents are stored (`TRACKER_FILES_DIR`, default `data/files`) and their size limit
    /// (`TRACKER_FILES_MAX_MB`, default 20).
    pub documents: app::services::documents::DocumentSettings,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("site_addr", &self.site_addr)
            .field("site_root", &self.site_root)
            .field("clock", &self.clock)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("documents", &self.documents)
            .finish()
    }
}

/// A problem that stops the server from starting, with a message saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sea_orm::DbErr },
    #[error("cannot migrate the database {url}: {source}")]
    Migrate { url: String, source: sea_orm::DbErr },
    #[error("invalid setting {name}={value}: {reason}")]
    Setting {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl Settings {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    /// When `LEPTOS_SITE_ADDR` is not an address.
    pub fn from_env() -> Result<Self, StartError> {
        let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
        Ok(Self {
            database_url: std::env::var("DATABASE_URL")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr: addr
                .parse()
                .map_err(|e: std::net::AddrParseError| StartError::Setting {
                    name: "LEPTOS_SITE_ADDR",
                    value: addr.clone(),
                    reason: e.to_string(),
                })?,
            site_root: std::env::var("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|_| "target/site".into())
                .into(),
            clock: clock_from_env()?,
            trusted_proxies: trusted_proxies_from_env()?,
            documents: app::services::documents::DocumentSettings::from_env(),
            shutdown_timeout: std::time::Duration::from_secs(
                match std::env::var("TRACKER_SHUTDOWN_TIMEOUT_SECS") {
                    Ok(v) => v.trim().parse().map_err(|e: std::num::ParseIntError| {
                        StartError::Setting {
                            name: "TRACKER_SHUTDOWN_TIMEOUT_SECS",
                            value: v.clone(),
                            reason: e.to_string(),
                        }
                    })?,
                    Err(_) => 30,
                },
            ),
        })
    }
}

/// `TRACKER_TODAY` (a fixed date, `YYYY-MM-DD`) or the system clock.
///
/// # Errors
/// When `TRACKER_TODAY` is set but is not a date.
pub fn clock_from_env() -> Result<Clock, StartError> {
    match std::env::var("TRACKER_TODAY") {
        Ok(v) if !v.trim().is_empty() => chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map(Clock::Fixed)
            .map_err(|e| StartError::Setting {
                name: "TRACKER_TODAY",
                value: v.clone(),
                reason: e.to_string(),
            }),
        _ => Ok(Clock::System),
    }
}

/// `TRACKER_TRUSTED_PROXIES`: comma-separated IP addresses of reverse proxies.
///
/// # Errors
/// When an entry is not an IP address.
pub fn trusted_proxies_from_env() -> Result<Vec<std::net::IpAddr>, StartError> {
    let v = std::env::var("TRACKER_TRUSTED_PROXIES").unwrap_or_default();
    v.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse()
                .map_err(|e: std::net::AddrParseError| StartError::Setting {
                    name: "TRACKER_TRUSTED_PROXIES",
                    value: v.clone(),
                    reason: e.to_string(),
                })
        })
        .collect()
}

/// `TRACKER_RUIAN_DIR`: the directory with the RÚIAN code lists `tracker demo` loads. Without it,
/// `data/ruian` in the working directory (`make run` starts in the repository), else the repository's
/// `data/ruian` the binary was built from (so `tracker demo` works from any directory on that machine).
#[must_use]
pub fn ruian_dir_from_env() -> PathBuf {
    if let Some(dir) = std::env::var("TRACKER_RUIAN_DIR")
        .ok()
        .filter(|v| !v.trim().is_empty())
    {
        return PathBuf::from(dir);
    }
    let here = PathBuf::from("data/ruian");
    let built_from = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ruian"));
    if here.is_dir() || !built_from.is_dir() {
        here
    } else {
        built_from
    }
}
