//! What the caller of an import gives it: the limits, the options, and the progress counters it reads
//! while the import runs.

use std::sync::atomic::AtomicU64;

/// Limits of imports. Defaults: 20 MB per file, 1 000 000 rows per sheet, 400 MB once unzipped; at
/// most 4 imports running at once, 2 of them per user.
#[derive(Debug, Clone, Copy)]
pub struct ImportLimits {
    /// Largest file accepted, in bytes.
    pub max_bytes: u64,
    /// Most rows per sheet.
    pub max_rows: u32,
    /// Largest total size of a zip container's entries once expanded.
    pub max_uncompressed: u64,
    /// Imports (previews and commits) running at once in the server.
    pub max_jobs: u32,
    /// Imports running at once for one user.
    pub max_jobs_per_user: u32,
}

impl ImportLimits {
    /// The defaults, overridden by `TRACKER_IMPORT_MAX_BYTES`, `TRACKER_IMPORT_MAX_ROWS`,
    /// `TRACKER_IMPORT_MAX_JOBS` and `TRACKER_IMPORT_MAX_JOBS_PER_USER`.
    #[must_use]
    pub fn from_env() -> Self {
        let mut limits = Self::default();
        let number = |name: &str| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.trim().parse::<u32>().ok())
                .filter(|n| *n > 0)
        };
        if let Some(v) = number("TRACKER_IMPORT_MAX_JOBS") {
            limits.max_jobs = v;
        }
        if let Some(v) = number("TRACKER_IMPORT_MAX_JOBS_PER_USER") {
            limits.max_jobs_per_user = v;
        }
        if let Some(v) = std::env::var("TRACKER_IMPORT_MAX_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            limits.max_bytes = v;
        }
        if let Some(v) = std::env::var("TRACKER_IMPORT_MAX_ROWS")
            .ok()
            .and_then(|v| v.parse().ok())
        {
            limits.max_rows = v;
        }
        limits
    }
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_rows: 1_000_000,
            max_uncompressed: 400 * 1024 * 1024,
            max_jobs: 4,
            max_jobs_per_user: 2,
        }
    }
}

/// What the caller wants.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Store the changes (false: preview / dry run).
    pub commit: bool,
    /// Store nothing when any row has an error.
    pub all_or_nothing: bool,
    /// Who imports (e-mail or name), for the history.
    pub imported_by: String,
    /// The signed-in user whose rights limit what rows may change; `None` for the command line.
    pub viewer: Option<crate::domain::roles::Viewer>,
}

/// Progress of a running import, readable from another task (rows read so far).
#[derive(Debug, Default)]
pub struct Progress {
    /// Rows read.
    pub rows_read: AtomicU64,
    /// Rows applied to the database.
    pub rows_applied: AtomicU64,
    /// Rows in the workbook, as its sheets declare (0 when unknown).
    pub rows_total: AtomicU64,
}
