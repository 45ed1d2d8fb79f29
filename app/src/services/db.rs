//! Opening the database: the embedded SQLite file by default, PostgreSQL when `DATABASE_URL` says so.

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};
use std::time::Duration;

/// How long a SQLite writer waits for another writer before giving up.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The default database: a SQLite file under `data/`, created when missing.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tracker.sqlite?mode=rwc";

/// Connects to `url`. For a SQLite file the parent directory is created first; an in-memory SQLite
/// database gets a single connection so that every query sees the same database.
///
/// # Errors
/// When the database cannot be opened (the message says which URL, without a password).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    if let Some(path) = sqlite_file_path(url) {
        if let Some(parent) = std::path::Path::new(&path).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent).map_err(|e| {
                    DbErr::Custom(format!("cannot create directory {}: {e}", parent.display()))
                })?;
            }
        }
    }
    let mut opts = ConnectOptions::new(url.to_string());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite") {
        if url.contains(":memory:") || url.contains("mode=memory") {
            opts.max_connections(1).min_connections(1);
        } else {
            // WAL: readers never block the writer and the writer never blocks readers; a writer waits up
            // to 30 s for another (an import's commit) instead of failing with "database is locked".
            opts.max_connections(8).map_sqlx_sqlite_opts(|o| {
                use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
            });
        }
    } else {
        opts.max_connections(16);
    }
    Database::connect(opts).await
}

/// The absolute path of a file, percent-encoded for a SQLite URI or sqlx URL (`/tmp/a b` → `/tmp/a%20b`).
///
/// # Errors
/// When the current directory cannot be read (for a relative path).
pub fn sqlite_uri_path(path: &std::path::Path) -> Result<String, DbErr> {
    let absolute =
        std::path::absolute(path).map_err(|e| DbErr::Custom(format!("{}: {e}", path.display())))?;
    Ok(absolute
        .to_string_lossy()
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'_' | b'-' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect())
}

/// Creates an empty file readable only by its owner (copies of the database hold password hashes).
///
/// # Errors
/// When the file exists or cannot be created.
pub fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).map(drop)
}

/// Writes a consistent copy of a SQLite database into `path` (`VACUUM INTO`: online, it blocks no
/// writer in WAL mode), a new file readable only by its owner. Used for import previews and backups.
///
/// # Errors
/// When `path` exists or the copy cannot be written.
pub async fn vacuum_into(db: &DatabaseConnection, path: &std::path::Path) -> Result<(), DbErr> {
    use sea_orm::ConnectionTrait;
    create_private_file(path).map_err(|e| DbErr::Custom(format!("{}: {e}", path.display())))?;
    // A URI with `mode=rwc` (sqlx opens SQLite with URI names): without it, the copy of an in-memory
    // database would be written to memory too. Every byte that could end the literal is encoded.
    let uri = sqlite_uri_path(path)?;
    let result = db
        .execute_unprepared(&format!("VACUUM INTO 'file:{uri}?mode=rwc'"))
        .await
        .map(drop);
    if result.is_err() {
        let _ = std::fs::remove_file(path);
    }
    result
}

/// The path of a SQLite file URL (`sqlite://data/x.sqlite?mode=rwc` → `data/x.sqlite`).
#[must_use]
pub fn sqlite_file_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| path.to_string())
}

/// A URL safe to print: the password replaced by `***`.
#[must_use]
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// "sqlite" or "postgres".
#[must_use]
pub fn backend_name(backend: DbBackend) -> &'static str {
    match backend {
        DbBackend::Sqlite => "sqlite",
        DbBackend::Postgres => "postgres",
        _ => "other",
    }
}

/// Begins the transaction of a user action that writes. On SQLite it takes the write lock at `BEGIN`
/// (`BEGIN IMMEDIATE`, waiting up to the busy timeout), so two concurrent read-then-write actions queue
/// instead of one failing with `SQLITE_BUSY_SNAPSHOT`; on PostgreSQL it is a plain `BEGIN`. Nested calls
/// become savepoints.
///
/// # Errors
/// When the database refuses to start a transaction.
pub async fn begin_write(
    db: &impl sea_orm::TransactionTrait<Transaction = sea_orm::DatabaseTransaction>,
) -> Result<sea_orm::DatabaseTransaction, DbErr> {
    db.begin_with_options(sea_orm::TransactionOptions {
        isolation_level: None,
        access_mode: None,
        sqlite_transaction_mode: Some(sea_orm::SqliteTransactionMode::Immediate),
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_paths_and_redaction() {
        assert_eq!(
            sqlite_file_path(DEFAULT_DATABASE_URL).as_deref(),
            Some("data/tracker.sqlite")
        );
        assert_eq!(sqlite_file_path("sqlite::memory:"), None);
        assert_eq!(sqlite_file_path("postgres://x@y/z"), None);
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(
            redact_url("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
    }
}
