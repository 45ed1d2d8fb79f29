//! Reading a workbook with calamine, sheet by sheet and row by row.
//!
//! `.xlsx`/`.xlsm` sheets are streamed cell by cell (`worksheet_cells_reader`), so memory stays flat
//! however many rows a sheet has; `.xls` and `.ods` sheets are read whole (calamine has no streaming
//! reader for them). Before calamine sees a zip container, its directory is checked against a zip bomb.
//! Each sheet is passed over twice: a scan for personal data, then the reading (see [`SheetEvent`]).

mod cell;
mod heads;
mod ods;

use std::io::{Cursor, Read, Seek};

use calamine::{Ods, Reader, Xls, Xlsx};

use super::ImportError;
pub use cell::Cell;
use cell::{from_data, from_data_ref};
use heads::{head_range, head_xlsx, ordered};
pub use heads::{Head, HEAD_ROWS};
use ods::check_ods_rows;

/// The file formats the importer reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel 97–2003 (BIFF8) workbook (`.xls`).
    Xls,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

impl Format {
    /// `xlsx`, `xls`, `ods`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Xls => "xls",
            Self::Ods => "ods",
        }
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// The format of an uploaded file, from its name and its first bytes (which must agree).
///
/// # Errors
/// [`ImportError::UnsupportedFile`] for other extensions or a content that is no spreadsheet;
/// [`ImportError::PasswordProtected`] for an encrypted `.xlsx` (an OLE container with the name `.xlsx`).
pub fn detect_format(file_name: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let lower = file_name.to_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    let format = match ext {
        "xlsx" | "xlsm" => Format::Xlsx,
        "xls" => Format::Xls,
        "ods" => Format::Ods,
        _ => {
            return Err(ImportError::UnsupportedFile {
                file_name: file_name.to_owned(),
            })
        }
    };
    let is_zip = bytes.starts_with(ZIP_MAGIC);
    let is_cfb = bytes.starts_with(CFB_MAGIC);
    match format {
        Format::Xlsx if is_cfb => Err(ImportError::PasswordProtected),
        Format::Xlsx | Format::Ods if !is_zip => Err(ImportError::NotASpreadsheet {
            format: format.code(),
        }),
        Format::Xls if !is_cfb => Err(ImportError::NotASpreadsheet {
            format: format.code(),
        }),
        _ => Ok(format),
    }
}

/// Refuses a zip container whose entries would expand beyond `max_uncompressed` bytes in all, or whose
/// entries claim a compression ratio no spreadsheet has (a zip bomb).
fn check_zip(bytes: &[u8], max_uncompressed: u64) -> Result<(), ImportError> {
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::Corrupt {
            detail: "poškozený archiv ZIP".into(),
        })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| ImportError::Corrupt {
            detail: "poškozená položka archivu ZIP".into(),
        })?;
        let size = entry.size();
        let compressed = entry.compressed_size().max(1);
        total = total.saturating_add(size);
        if size > 10 * 1024 * 1024 && size / compressed > 200 {
            return Err(ImportError::ZipBomb);
        }
    }
    if total > max_uncompressed {
        return Err(ImportError::ZipBomb);
    }
    Ok(())
}

/// What the row visitor is told, in order, for each sheet: its start; its non-empty rows once for the
/// scan for personal data (`ScanRow`) and once more to be read (`Row`); its end. The first pass lets a
/// sheet be refused as a whole (a birth number in row 90 000) before any of its rows is stored.
pub enum SheetEvent<'a> {
    /// A new sheet begins.
    Start {
        /// The sheet's name as the workbook holds it.
        name: &'a str,
        /// Its position in the workbook (sheets are visited in the order [`ReadLimits::order`] gives).
        index: usize,
        /// Rows the sheet declares (its used range), for progress.
        rows: u64,
        /// The workbook counts dates in the 1904 date system (from 1904-01-01) instead of the 1900 one.
        date1904: bool,
    },
    /// A row with at least one non-empty cell, in the scan pass; as [`SheetEvent::Row`].
    ScanRow {
        /// Zero-based row index.
        row: u32,
        /// The cells, from column A.
        cells: &'a [Cell],
    },
    /// A row with at least one non-empty cell; `cells[c]` is column `c` (zero-based), `row` zero-based.
    Row {
        /// Zero-based row index.
        row: u32,
        /// The cells, from column A.
        cells: &'a [Cell],
    },
    /// The sheet ended.
    End,
}

/// What the visitor wants after an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    /// Go on.
    Continue,
    /// Skip the rest of the current pass over the sheet (after a `ScanRow`: the scan has its answer;
    /// after a `Row`: the sheet is refused). Elsewhere the same as `Continue`.
    SkipPass,
    /// Stop reading the workbook (an error the visitor has recorded, or a cancelled import).
    Stop,
}

/// Reading limits, and the order of the sheets.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// At most this many rows per sheet (the row index of the last row read).
    pub max_rows: u32,
    /// At most this many bytes once a zip container is expanded.
    pub max_uncompressed: u64,
    /// A sheet's rank from its first rows ([`Head`]): sheets are read lowest rank first, in the
    /// workbook's order among equal ranks (so that the importer applies them in the order their data
    /// depend on each other).
    pub order: fn(&Head) -> u8,
}

/// Reads every sheet of a workbook and hands its rows to `visit`, twice (see [`SheetEvent`]), sheet by
/// sheet in the order [`ReadLimits::order`] gives. The date
/// system is the workbook's own: calamine reads `<workbookPr date1904="1"/>` of an `.xlsx` and the
/// DATEMODE record of an `.xls` (`has_1904_epoch`); an `.ods` has no such flag.
///
/// # Errors
/// A corrupt or password-protected file, a zip bomb, a sheet beyond the row limit.
pub fn read_workbook(
    bytes: &[u8],
    format: Format,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> Flow,
) -> Result<(), ImportError> {
    match format {
        Format::Xlsx => {
            check_zip(bytes, limits.max_uncompressed)?;
            let mut workbook: Xlsx<_> =
                calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(xlsx_error)?;
            read_xlsx(&mut workbook, limits, visit)
        }
        Format::Xls => {
            let mut workbook: Xls<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| match e {
                    calamine::XlsError::Password => ImportError::PasswordProtected,
                    other => ImportError::Corrupt {
                        detail: other.to_string(),
                    },
                })?;
            let date1904 = workbook.has_1904_epoch();
            read_ranges(&mut workbook, date1904, limits, visit)
        }
        Format::Ods => {
            check_zip(bytes, limits.max_uncompressed)?;
            // calamine loads every sheet of an .ods whole when it opens it: count the rows first, in a
            // stream, so that an oversized sheet is refused before it is loaded.
            check_ods_rows(bytes, limits.max_rows)?;
            let mut workbook: Ods<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
                .map_err(|e| match e {
                    calamine::OdsError::Password => ImportError::PasswordProtected,
                    other => ImportError::Corrupt {
                        detail: other.to_string(),
                    },
                })?;
            read_ranges(&mut workbook, false, limits, visit)
        }
    }
}

fn xlsx_error(e: calamine::XlsxError) -> ImportError {
    match e {
        calamine::XlsxError::Password => ImportError::PasswordProtected,
        other => ImportError::Corrupt {
            detail: other.to_string(),
        },
    }
}

/// Which pass over a sheet: the scan (`ScanRow` events) or the reading (`Row` events).
#[derive(Clone, Copy)]
enum Pass {
    Scan,
    Read,
}

impl Pass {
    fn event(self, row: u32, cells: &[Cell]) -> SheetEvent<'_> {
        match self {
            Self::Scan => SheetEvent::ScanRow { row, cells },
            Self::Read => SheetEvent::Row { row, cells },
        }
    }
}

fn read_xlsx<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> Flow,
) -> Result<(), ImportError> {
    let date1904 = workbook.has_1904_epoch();
    let names = workbook.sheet_names();
    let order = ordered(
        names,
        |name| head_xlsx(workbook, name, date1904),
        limits.order,
    )?;
    for (index, name) in order {
        let rows = {
            let reader = workbook.worksheet_cells_reader(&name).map_err(xlsx_error)?;
            let d = reader.dimensions();
            u64::from(d.end.0.saturating_sub(d.start.0)) + 1
        };
        let start = SheetEvent::Start {
            name: &name,
            index,
            rows,
            date1904,
        };
        if visit(start) == Flow::Stop {
            return Ok(());
        }
        for pass in [Pass::Scan, Pass::Read] {
            if xlsx_pass(workbook, &name, date1904, pass, limits, visit)? == Flow::Stop {
                return Ok(());
            }
        }
        if visit(SheetEvent::End) == Flow::Stop {
            return Ok(());
        }
    }
    Ok(())
}

/// One pass over an `.xlsx` sheet, streamed cell by cell; `Flow::Stop` when the visitor stopped.
fn xlsx_pass<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    name: &str,
    date1904: bool,
    pass: Pass,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> Flow,
) -> Result<Flow, ImportError> {
    let mut reader = workbook.worksheet_cells_reader(name).map_err(xlsx_error)?;
    let mut row_cells: Vec<Cell> = Vec::new();
    let mut current_row: Option<u32> = None;
    let mut non_empty = false;
    while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
        let (row, col) = cell.get_position();
        if current_row != Some(row) {
            if let Some(prev) = current_row.filter(|_| non_empty) {
                match visit(pass.event(prev, &row_cells)) {
                    Flow::Continue => {}
                    other => return Ok(other),
                }
            }
            if row >= limits.max_rows {
                return Err(ImportError::TooManyRows {
                    sheet: name.to_owned(),
                    limit: limits.max_rows,
                });
            }
            row_cells.clear();
            non_empty = false;
            current_row = Some(row);
        }
        let value = from_data_ref(cell.get_value().clone(), date1904);
        let col = col as usize;
        if value.is_blank() || col >= 16_384 {
            continue;
        }
        if row_cells.len() <= col {
            row_cells.resize(col + 1, Cell::Empty);
        }
        row_cells[col] = value;
        non_empty = true;
    }
    match current_row.filter(|_| non_empty) {
        Some(prev) => Ok(visit(pass.event(prev, &row_cells))),
        None => Ok(Flow::Continue),
    }
}

fn read_ranges<RS: Read + Seek, R: Reader<RS>>(
    workbook: &mut R,
    date1904: bool,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> Flow,
) -> Result<(), ImportError>
where
    R::Error: std::fmt::Display,
{
    let names = workbook.sheet_names();
    let order = ordered(
        names,
        |name| head_range(workbook, name, date1904),
        limits.order,
    )?;
    for (index, name) in order {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| ImportError::Corrupt {
                detail: e.to_string(),
            })?;
        let rows = u64::try_from(range.height()).unwrap_or(0);
        let start = SheetEvent::Start {
            name: &name,
            index,
            rows,
            date1904,
        };
        if visit(start) == Flow::Stop {
            return Ok(());
        }
        if let Some((end_row, _)) = range.end() {
            if end_row >= limits.max_rows {
                return Err(ImportError::TooManyRows {
                    sheet: name.clone(),
                    limit: limits.max_rows,
                });
            }
        }
        for pass in [Pass::Scan, Pass::Read] {
            if range_pass(&range, date1904, pass, visit) == Flow::Stop {
                return Ok(());
            }
        }
        if visit(SheetEvent::End) == Flow::Stop {
            return Ok(());
        }
    }
    Ok(())
}

/// One pass over a sheet read whole (`.xls`, `.ods`); `Flow::Stop` when the visitor stopped.
fn range_pass(
    range: &calamine::Range<calamine::Data>,
    date1904: bool,
    pass: Pass,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> Flow,
) -> Flow {
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let mut cells: Vec<Cell> = Vec::new();
    for (offset, row) in range.rows().enumerate() {
        cells.clear();
        cells.resize(start_col as usize, Cell::Empty);
        let mut non_empty = false;
        for value in row {
            let cell = from_data(value, date1904);
            non_empty |= !cell.is_blank();
            cells.push(cell);
        }
        if !non_empty {
            continue;
        }
        let row_index = start_row.saturating_add(u32::try_from(offset).unwrap_or(u32::MAX));
        match visit(pass.event(row_index, &cells)) {
            Flow::Continue => {}
            other => return other,
        }
    }
    Flow::Continue
}
