//! A private copy of a SQLite database for an import preview.
//!
//! A preview is the real import inside a transaction that is rolled back, so it is exactly what a
//! commit would do. On SQLite that transaction would hold the database's only write lock for the whole
//! preview of a large file, and every sign-in and save of other users would wait or fail meanwhile. So
//! the preview runs against a copy taken with `VACUUM INTO` (a consistent snapshot that blocks no
//! writer in WAL mode), in a file only this process may read, removed afterwards. Only the commit
//! takes the real write lock. PostgreSQL needs no copy: its rolled-back transaction blocks nobody but a
//! writer of the very rows it changed.

use std::path::PathBuf;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// A copy of the database in a temporary file, deleted when dropped.
pub struct Snapshot {
    pub db: DatabaseConnection,
    path: PathBuf,
}

impl Snapshot {
    /// Copies the SQLite database behind `db` into a new private temporary file.
    ///
    /// # Errors
    /// When the copy cannot be written or opened.
    pub async fn take(db: &DatabaseConnection) -> Result<Self, DbErr> {
        let path = std::env::temp_dir().join(format!(
            "tracker-preview-{}.sqlite",
            uuid::Uuid::new_v4().simple()
        ));
        crate::services::db::vacuum_into(db, &path).await?;
        let mut opts = ConnectOptions::new(format!(
            "sqlite://{}?mode=rw",
            crate::services::db::sqlite_uri_path(&path)?
        ));
        opts.sqlx_logging(false)
            .max_connections(1)
            .min_connections(1);
        match Database::connect(opts).await {
            Ok(copy) => Ok(Self { db: copy, path }),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
    }

    /// The copy's file.
    #[must_use]
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Closes the copy and deletes its file.
    pub async fn remove(self) {
        let _ = self.db.clone().close().await;
    }
}

impl Drop for Snapshot {
    fn drop(&mut self) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let mut p = self.path.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(p));
        }
    }
}
