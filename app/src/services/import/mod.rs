//! Importing monitoring spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`) read with calamine.
//!
//! One pipeline serves the browser's preview and commit, the CLI's `tracker import` and the tests:
//! 1. the file is checked (size, format by name and content, zip bomb, password) and hashed (SHA-256);
//! 2. a blocking task reads it sheet by sheet ([`workbook`]), recognises each sheet's kind by its header
//!    row ([`kinds`]) and checks every row into a typed record ([`sheet`]), sending valid rows in chunks;
//! 3. the async side applies the chunks in **one transaction** ([`store`]), counting new, changed and
//!    unchanged rows and keeping the before-image of each changed record. Sheets are read and applied in
//!    the order their data depend on each other, whatever their order in the workbook: projects (with
//!    their monitoring periods) → the list of operations → budget lines → indicator values, expenditures,
//!    municipalities and participants;
//! 4. a preview rolls the transaction back (so the preview is exactly what a commit would do); a commit
//!    records the import in the history and commits, unless the user chose "all or nothing" and some row
//!    has an error.
//!
//! Importing the same file again changes nothing: every row has a natural key (e.g. project + indicator
//! + period) and equal values are counted as unchanged.

pub mod history;
pub mod job_store;
pub mod jobs;
pub mod kinds;
mod options;
mod report_text;
pub mod sheet;
pub mod snapshot;
pub mod store;
pub mod workbook;

#[cfg(test)]
mod tests;

use std::sync::atomic::Ordering;
use std::sync::Arc;

use sea_orm::{DatabaseConnection, DbErr};
use sha2::{Digest, Sha256};

use crate::dto::import::{ImportReport, SheetReport};
use kinds::Columns;
use sheet::{Lookups, ParsedRow, SheetParser};
use workbook::{detect_format, read_workbook, Flow, Format, ReadLimits, SheetEvent};

pub use options::{ImportLimits, ImportOptions, Progress};
pub use report_text::report_text;

/// Why a file could not be imported at all. `Display` is the Czech message for the user.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("Soubor „{file_name}“ není tabulka podporovaného typu; nahrajte .xlsx, .xlsm, .xls nebo .ods.")]
    UnsupportedFile { file_name: String },
    #[error("Obsah souboru neodpovídá typu .{format}; soubor je poškozený nebo to není tabulka.")]
    NotASpreadsheet { format: &'static str },
    #[error("Soubor je chráněný heslem; uložte jej bez hesla a nahrajte znovu.")]
    PasswordProtected,
    #[error("Soubor nelze přečíst ({detail}); uložte jej znovu v Excelu nebo LibreOffice.")]
    Corrupt { detail: String },
    #[error("Soubor se po rozbalení nepřiměřeně zvětšuje (podezření na „zip bombu“); odmítnut.")]
    ZipBomb,
    #[error("Soubor má {size} B, povoleno je nejvýše {limit} B; rozdělte jej na menší.")]
    TooLarge { size: u64, limit: u64 },
    #[error("List „{sheet}“ má víc než {limit} řádků; rozdělte jej na menší soubory.")]
    TooManyRows { sheet: String, limit: u32 },
    #[error("Soubor je prázdný.")]
    Empty,
    #[error("Import nenalezen.")]
    NotFound,
    #[error("{0}")]
    RevertBlocked(String),
    /// Too many imports running (a Czech message saying what to do).
    #[error("{0}")]
    Busy(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("unexpected: {0}")]
    Unexpected(String),
}

impl ImportError {
    /// True for problems of the file or the request (shown to the user as they are); false for internal
    /// errors, which are logged and shown as a generic message.
    #[must_use]
    pub fn is_user_error(&self) -> bool {
        !matches!(self, Self::Db(_) | Self::Unexpected(_))
    }
}

impl From<ImportError> for crate::error::AppError {
    fn from(err: ImportError) -> Self {
        if matches!(err, ImportError::NotFound) {
            crate::error::AppError::NotFound
        } else if err.is_user_error() {
            crate::error::AppError::BadRequest(err.to_string())
        } else {
            tracing::error!(error = %err, "import failed");
            crate::error::AppError::Internal
        }
    }
}
/// Valid rows handed from the reading thread to the database side.
pub struct Chunk {
    /// Index of the sheet in the report.
    pub sheet_index: usize,
    /// The sheet's name.
    pub sheet: String,
    /// Its recognised columns.
    pub columns: Arc<Columns>,
    /// The rows.
    pub rows: Vec<ParsedRow>,
}

enum Message {
    Chunk(Chunk),
    SheetDone(usize, Box<SheetReport>),
}

const CHUNK_ROWS: usize = 2_000;

/// The sheet being read: its parser, recognised columns, valid rows not yet sent, and its position in
/// the workbook.
struct Reading {
    parser: SheetParser,
    columns: Option<Arc<Columns>>,
    rows: Vec<ParsedRow>,
    index: usize,
}

/// SHA-256 of the file, lower-case hex.
#[must_use]
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks the file and reads it without a database: every sheet's report (kinds, counts, errors,
/// totals) and, when `collect_values`, the normalised value of each read cell (`Sheet!A1` → value).
/// Valid rows go to `on_chunk` in chunks.
///
/// # Errors
/// The file cannot be read at all.
pub fn parse_file(
    bytes: &[u8],
    file_name: &str,
    limits: ImportLimits,
    mut lookups: Lookups,
    collect_values: bool,
    progress: &Progress,
    on_chunk: &mut dyn FnMut(Chunk) -> bool,
) -> Result<(Vec<SheetReport>, std::collections::BTreeMap<String, String>), ImportError> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size == 0 {
        return Err(ImportError::Empty);
    }
    if size > limits.max_bytes {
        return Err(ImportError::TooLarge {
            size,
            limit: limits.max_bytes,
        });
    }
    let format = detect_format(file_name, bytes)?;
    // Reports by the sheet's position in the workbook (sheets are read in the order of their kinds).
    let mut reports: Vec<(usize, SheetReport)> = Vec::new();
    let mut values = std::collections::BTreeMap::new();
    let mut current: Option<Reading> = None;
    let mut stopped = false;
    let read_limits = ReadLimits {
        max_rows: limits.max_rows,
        max_uncompressed: limits.max_uncompressed,
        order: apply_rank,
    };
    read_workbook(bytes, format, read_limits, &mut |event| match event {
        SheetEvent::Start {
            name,
            index,
            rows,
            date1904,
        } => {
            progress.rows_total.fetch_add(rows, Ordering::Relaxed);
            current = Some(Reading {
                parser: SheetParser::new(name, collect_values, date1904),
                columns: None,
                rows: Vec::new(),
                index,
            });
            Flow::Continue
        }
        SheetEvent::ScanRow { row, cells } => {
            let wants_more = current
                .as_mut()
                .is_some_and(|r| r.parser.scan_row(row, cells));
            if wants_more {
                Flow::Continue
            } else {
                Flow::SkipPass
            }
        }
        SheetEvent::Row { row, cells } => {
            progress.rows_read.fetch_add(1, Ordering::Relaxed);
            let Some(Reading {
                parser,
                columns,
                rows,
                index,
            }) = current.as_mut()
            else {
                return Flow::Continue;
            };
            let parsed = parser.row(row, cells, &mut lookups);
            if parser.refused() && parser.kind().is_some() {
                // A refused sheet: its header is known, none of its rows is read.
                return Flow::SkipPass;
            }
            if columns.is_none() {
                *columns = parser.columns().cloned().map(Arc::new);
            }
            if let Some(p) = parsed {
                rows.push(p);
                if rows.len() >= CHUNK_ROWS {
                    if let Some(cols) = columns.clone() {
                        let chunk = Chunk {
                            sheet_index: *index,
                            sheet: parser.name().to_owned(),
                            columns: cols,
                            rows: std::mem::take(rows),
                        };
                        if !on_chunk(chunk) {
                            stopped = true;
                            return Flow::Stop;
                        }
                    }
                }
            }
            Flow::Continue
        }
        SheetEvent::End => {
            if let Some(Reading {
                mut parser,
                columns,
                rows,
                index,
            }) = current.take()
            {
                if let Some(cols) = columns {
                    if !rows.is_empty() {
                        let chunk = Chunk {
                            sheet_index: index,
                            sheet: parser.name().to_owned(),
                            columns: cols,
                            rows,
                        };
                        if !on_chunk(chunk) {
                            stopped = true;
                            return Flow::Stop;
                        }
                    }
                }
                values.extend(std::mem::take(&mut parser.values));
                reports.push((index, parser.finish()));
            }
            Flow::Continue
        }
    })?;
    if stopped {
        return Err(ImportError::Unexpected("import cancelled".into()));
    }
    reports.sort_by_key(|(index, _)| *index);
    Ok((reports.into_iter().map(|(_, r)| r).collect(), values))
}

/// The order in which a sheet is read and applied, from its first rows: projects first (they create the
/// projects and their monitoring periods), then the list of operations, budgets (the lines expenditures
/// draw on), then everything that refers to them; sheets of no known kind last.
fn apply_rank(head: &workbook::Head) -> u8 {
    let mut parser = SheetParser::new("", false, false);
    let mut lookups = Lookups::default();
    for (row, cells) in head {
        let _ = parser.row(*row, cells, &mut lookups);
        if parser.kind().is_some() {
            break;
        }
    }
    parser.kind().map_or(u8::MAX, kinds::SheetKind::apply_order)
}

/// Runs a whole import against the database: preview (`options.commit == false`) or commit.
///
/// # Errors
/// A file that cannot be read at all; database errors.
pub async fn run(
    db: &DatabaseConnection,
    bytes: Arc<Vec<u8>>,
    file_name: &str,
    limits: ImportLimits,
    options: &ImportOptions,
    progress: Arc<Progress>,
) -> Result<ImportReport, ImportError> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limits.max_bytes {
        return Err(ImportError::TooLarge {
            size,
            limit: limits.max_bytes,
        });
    }
    let format: Format = detect_format(file_name, &bytes)?;
    let sha256 = sha256_hex(&bytes);
    // A preview on SQLite runs on a private copy, so that it holds no lock other users need.
    let snapshot = if !options.commit && db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        let started = std::time::Instant::now();
        let copy = snapshot::Snapshot::take(db).await?;
        tracing::debug!(
            elapsed_ms = started.elapsed().as_millis(),
            "preview copy of the database taken"
        );
        Some(copy)
    } else {
        None
    };
    let db = snapshot.as_ref().map_or(db, |s| &s.db);
    let lookups = store::load_lookups(db).await?;
    let txn = crate::services::db::begin_write(db).await?;
    let mut planner = store::Planner::start(&txn, file_name, &sha256, format, options).await?;

    let (tx, mut rx) = tokio::sync::mpsc::channel::<Message>(4);
    let reader_bytes = Arc::clone(&bytes);
    let reader_name = file_name.to_owned();
    let reader_progress = Arc::clone(&progress);
    let reader = tokio::task::spawn_blocking(move || {
        let sheet_tx = tx.clone();
        let result = parse_file(
            &reader_bytes,
            &reader_name,
            limits,
            lookups,
            false,
            &reader_progress,
            &mut |chunk| tx.blocking_send(Message::Chunk(chunk)).is_ok(),
        );
        if let Ok((reports, _)) = &result {
            for (i, report) in reports.iter().enumerate() {
                if sheet_tx
                    .blocking_send(Message::SheetDone(i, Box::new(report.clone())))
                    .is_err()
                {
                    break;
                }
            }
        }
        result.map(|_| ())
    });

    let mut reports: Vec<SheetReport> = Vec::new();
    let mut apply_error: Option<DbErr> = None;
    while let Some(message) = rx.recv().await {
        match message {
            Message::Chunk(chunk) => {
                if apply_error.is_some() {
                    continue;
                }
                let n = chunk.rows.len() as u64;
                if let Err(e) = planner.apply_chunk(chunk).await {
                    apply_error = Some(e);
                    rx.close();
                }
                progress.rows_applied.fetch_add(n, Ordering::Relaxed);
            }
            Message::SheetDone(i, report) => {
                if reports.len() <= i {
                    reports.resize(i + 1, SheetReport::default());
                }
                reports[i] = *report;
            }
        }
    }
    let read_result = reader
        .await
        .map_err(|e| ImportError::Unexpected(format!("reader task: {e}")))?;
    if let Some(e) = apply_error {
        let _ = txn.rollback().await;
        return Err(ImportError::Db(e));
    }
    if let Err(e) = read_result {
        let _ = txn.rollback().await;
        return Err(e);
    }
    if let Err(e) = planner.flush().await {
        let _ = txn.rollback().await;
        return Err(ImportError::Db(e));
    }
    let mut report = ImportReport {
        file_name: file_name.to_owned(),
        format: format.code().to_owned(),
        sha256,
        size_bytes: size,
        sheets: reports,
        ..ImportReport::default()
    };
    planner.merge_into(&mut report);
    report.previously_imported_as = store::previous_import(&txn, &report.sha256).await?;
    let store_it = options.commit && !(options.all_or_nothing && report.has_errors());
    if store_it {
        let id = planner.finish(&mut report).await?;
        report.import_id = Some(id);
        report.committed = true;
        txn.commit().await?;
    } else {
        drop(planner);
        txn.rollback().await?;
        if options.commit {
            report.notice = Some(
                "Nic nebylo uloženo: zvolili jste „vše, nebo nic“ a soubor obsahuje chyby.".into(),
            );
        }
    }
    if let Some(copy) = snapshot {
        copy.remove().await;
    }
    Ok(report)
}
