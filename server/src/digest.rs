//! The daily deadline digest by e-mail, when `SMTP_URL` is set: a background task of `tracker serve`
//! (every hour; the first run a minute after the start) and `tracker deadlines digest`, both calling
//! [`app::services::deadlines::digest::send_digests`], which sends at most one digest per user and day
//! even with several servers. Without `SMTP_URL` nothing is sent and nothing fails.

use app::services::clock::Clock;
use app::services::deadlines::digest::{send_digests, Mailer};
use sea_orm::DatabaseConnection;
use std::time::Duration;

/// The mailer of `SMTP_URL` (sender `SMTP_FROM`, links to `TRACKER_PUBLIC_URL` or `http://<site_addr>`);
/// `None` when `SMTP_URL` is not set.
///
/// # Errors
/// When a variable is set but unusable.
pub fn mailer_from_env(site_addr: std::net::SocketAddr) -> Result<Option<Mailer>, String> {
    let Some(url) = std::env::var("SMTP_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
    else {
        return Ok(None);
    };
    let from = std::env::var("SMTP_FROM")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "Evidence projektů ESF+ <evidence-esf@localhost>".into());
    let base = std::env::var("TRACKER_PUBLIC_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| format!("http://{site_addr}"));
    Mailer::new(url.trim(), &from, &base).map(Some)
}

/// Runs the digest every hour for the clock's today (each user gets it once a day: later runs of the
/// same day send nothing more).
pub fn spawn(db: DatabaseConnection, clock: Clock, mailer: Mailer) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let mut every = tokio::time::interval(Duration::from_secs(3600));
        loop {
            every.tick().await;
            match send_digests(&db, &mailer, clock.today()).await {
                Ok(r) => tracing::info!(sent = r.sent, failed = r.failed, "deadline digests"),
                Err(e) => tracing::warn!(error = %e, "deadline digests not sent"),
            }
        }
    })
}
