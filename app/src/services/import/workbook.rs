//! Reading a workbook with calamine, sheet by sheet and row by row.
//!
//! `.xlsx`/`.xlsm` sheets are streamed cell by cell (`worksheet_cells_reader`), so memory stays flat
//! however many rows a sheet has; `.xls` and `.ods` sheets are read whole (calamine has no streaming
//! reader for them). Before calamine sees a zip container, its directory is checked against a zip bomb.

use std::io::{Cursor, Read, Seek};

use calamine::{Data, DataRef, Ods, Reader, Xls, Xlsx};
use chrono::NaiveDate;

use super::ImportError;
use crate::domain::sheet_values::excel_serial_to_date;

/// A cell as the importer sees it: calamine's value reduced to what matters for monitoring data.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    /// Nothing, or a formula whose result is an empty text.
    #[default]
    Empty,
    /// Text (shared, inline or a formula's text result), as stored.
    Text(String),
    /// A number cell (or a formula's numeric result).
    Number(f64),
    /// An integer cell (`.xls` stores some numbers so).
    Int(i64),
    /// A boolean cell.
    Bool(bool),
    /// A date cell.
    Date(NaiveDate),
    /// An error result of a formula: `#N/A`, `#DIV/0!` …
    Error(String),
}

impl Cell {
    /// True for an empty cell or a text of only whitespace.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text: numbers in their shortest form (`60000`, `12.5`), dates in ISO form.
    #[must_use]
    pub fn as_text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(s) => s.clone(),
            Self::Number(n) => format!("{n}"),
            Self::Int(i) => i.to_string(),
            Self::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
            Self::Date(d) => d.to_string(),
            Self::Error(e) => e.clone(),
        }
    }

    /// The value as a report shows it: text as a JSON string, numbers as JSON numbers, empty as null.
    #[must_use]
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Self::Empty => serde_json::Value::Null,
            Self::Number(n) => {
                if n.fract() == 0.0 && n.abs() < 9.0e15 {
                    // An integral value within i64's exact range: shown without a fraction.
                    #[allow(clippy::cast_possible_truncation)]
                    serde_json::Value::from(*n as i64)
                } else {
                    serde_json::Number::from_f64(*n)
                        .map_or(serde_json::Value::Null, serde_json::Value::Number)
                }
            }
            Self::Int(i) => serde_json::Value::from(*i),
            Self::Bool(b) => serde_json::Value::from(*b),
            other => serde_json::Value::from(other.as_text()),
        }
    }
}

/// The error literals spreadsheets show for a failed formula. LibreOffice's `.ods` stores an error result
/// as its text (`#N/A`, `#DIV/0!`, `Err:502`), so such a text is an error cell too.
fn is_error_literal(s: &str) -> bool {
    matches!(
        s,
        "#N/A" | "#DIV/0!" | "#VALUE!" | "#REF!" | "#NAME?" | "#NUM!" | "#NULL!" | "#GETTING_DATA"
    ) || (s.starts_with("Err:") && s.len() == 7 && s[4..].bytes().all(|b| b.is_ascii_digit()))
}

fn text_cell(s: String) -> Cell {
    // A text the CSV export guarded against being run as a formula (`'=…`) is read without its `'`.
    let s = crate::domain::unguard_formula(s);
    if s.is_empty() {
        Cell::Empty
    } else if is_error_literal(s.trim()) {
        Cell::Error(s.trim().to_owned())
    } else {
        Cell::Text(s)
    }
}

fn from_data(value: &Data, date1904: bool) -> Cell {
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => text_cell(s.clone()),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Int(*i),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => date_cell(dt, date1904),
        Data::DateTimeIso(s) => iso_date_cell(s),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Error(e.to_string()),
    }
}

fn from_data_ref(value: DataRef<'_>, date1904: bool) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => text_cell(s),
        DataRef::SharedString(s) => text_cell(s.to_owned()),
        DataRef::Float(f) => Cell::Number(f),
        DataRef::Int(i) => Cell::Int(i),
        DataRef::Bool(b) => Cell::Bool(b),
        DataRef::DateTime(dt) => date_cell(&dt, date1904),
        DataRef::DateTimeIso(s) => iso_date_cell(&s),
        DataRef::DurationIso(s) => Cell::Text(s),
        DataRef::Error(e) => Cell::Error(e.to_string()),
    }
}

/// A date cell: calamine knows the workbook's date system for the cells it marks as dates.
fn date_cell(dt: &calamine::ExcelDateTime, date1904: bool) -> Cell {
    if !dt.is_datetime() {
        return Cell::Number(dt.as_f64());
    }
    dt.as_datetime()
        .map(|d| d.date())
        .or_else(|| excel_serial_to_date(dt.as_f64(), date1904))
        .map_or(Cell::Number(dt.as_f64()), Cell::Date)
}

fn iso_date_cell(s: &str) -> Cell {
    s.get(..10)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map_or_else(|| Cell::Text(s.to_owned()), Cell::Date)
}

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

/// What the row visitor is told, in order: each sheet's start, its non-empty rows, its end.
pub enum SheetEvent<'a> {
    /// A new sheet begins.
    Start {
        /// The sheet's name as the workbook holds it.
        name: &'a str,
        /// Rows the sheet declares (its used range), for progress.
        rows: u64,
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

/// Reading limits.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// At most this many rows per sheet (the row index of the last row read).
    pub max_rows: u32,
    /// At most this many bytes once a zip container is expanded.
    pub max_uncompressed: u64,
}

/// Reads every sheet of a workbook and hands its rows to `visit`. `visit` returns `false` to stop early
/// (an error it has recorded).
///
/// # Errors
/// A corrupt or password-protected file, a zip bomb, a sheet beyond the row limit.
pub fn read_workbook(
    bytes: &[u8],
    format: Format,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> bool,
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
            read_ranges(&mut workbook, false, limits, visit)
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

fn read_xlsx<RS: Read + Seek>(
    workbook: &mut Xlsx<RS>,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> bool,
) -> Result<(), ImportError> {
    let date1904 = false;
    for name in workbook.sheet_names() {
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(xlsx_error)?;
        let d = reader.dimensions();
        let rows = u64::from(d.end.0.saturating_sub(d.start.0)) + 1;
        if !visit(SheetEvent::Start { name: &name, rows }) {
            return Ok(());
        }
        let mut row_cells: Vec<Cell> = Vec::new();
        let mut current_row: Option<u32> = None;
        let mut non_empty = false;
        let mut stopped = false;
        while let Some(cell) = reader.next_cell().map_err(xlsx_error)? {
            let (row, col) = cell.get_position();
            if current_row != Some(row) {
                if let Some(prev) = current_row {
                    if non_empty
                        && !visit(SheetEvent::Row {
                            row: prev,
                            cells: &row_cells,
                        })
                    {
                        stopped = true;
                        break;
                    }
                }
                if row >= limits.max_rows {
                    return Err(ImportError::TooManyRows {
                        sheet: name.clone(),
                        limit: limits.max_rows,
                    });
                }
                row_cells.clear();
                non_empty = false;
                current_row = Some(row);
            }
            let value = from_data_ref(cell.get_value().clone(), date1904);
            if value.is_blank() {
                continue;
            }
            let col = col as usize;
            if col >= 16_384 {
                continue;
            }
            if row_cells.len() <= col {
                row_cells.resize(col + 1, Cell::Empty);
            }
            row_cells[col] = value;
            non_empty = true;
        }
        if stopped {
            return Ok(());
        }
        if let Some(prev) = current_row {
            if non_empty
                && !visit(SheetEvent::Row {
                    row: prev,
                    cells: &row_cells,
                })
            {
                return Ok(());
            }
        }
        if !visit(SheetEvent::End) {
            return Ok(());
        }
    }
    Ok(())
}

/// Refuses an `.ods` whose sheet has content at or beyond row `max_rows`, reading `content.xml` as a
/// stream (flat memory). Rows without any value (LibreOffice writes the empty rest of a sheet as one row
/// repeated a million times) do not count.
fn check_ods_rows(bytes: &[u8], max_rows: u32) -> Result<(), ImportError> {
    use quick_xml::events::Event;
    let corrupt = |detail: &str| ImportError::Corrupt {
        detail: detail.to_owned(),
    };
    let mut archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| corrupt("poškozený archiv ZIP"))?;
    let content = archive
        .by_name("content.xml")
        .map_err(|_| corrupt("chybí content.xml"))?;
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet = String::new();
    let (mut row, mut repeat, mut in_row, mut has_content) = (0_u64, 1_u64, false, false);
    let attr = |e: &quick_xml::events::BytesStart<'_>, name: &str| -> Option<String> {
        e.try_get_attribute(name)
            .ok()
            .flatten()
            .map(|a| a.value.to_string())
    };
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(&format!("content.xml: {e}")))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == "table:table" => {
                sheet = attr(&e, "table:name").unwrap_or_default();
                row = 0;
            }
            Event::Start(e) if e.name().as_ref() == "table:table-row" => {
                repeat = attr(&e, "table:number-rows-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                in_row = true;
                has_content = false;
            }
            Event::Empty(e) if e.name().as_ref() == "table:table-row" => {
                row = row.saturating_add(
                    attr(&e, "table:number-rows-repeated")
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1),
                );
            }
            Event::Start(e) | Event::Empty(e)
                if in_row
                    && e.name().as_ref() == "table:table-cell"
                    && attr(&e, "office:value-type").is_some() =>
            {
                has_content = true;
            }
            Event::Text(t) if in_row && !t.trim().is_empty() => {
                has_content = true;
            }
            Event::GeneralRef(_) if in_row => has_content = true,
            Event::End(e) if e.name().as_ref() == "table:table-row" => {
                in_row = false;
                let last = row.saturating_add(repeat.saturating_sub(1));
                if has_content && last >= u64::from(max_rows) {
                    return Err(ImportError::TooManyRows {
                        sheet,
                        limit: max_rows,
                    });
                }
                row = row.saturating_add(repeat);
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

fn read_ranges<RS: Read + Seek, R: Reader<RS>>(
    workbook: &mut R,
    date1904: bool,
    limits: ReadLimits,
    visit: &mut dyn FnMut(SheetEvent<'_>) -> bool,
) -> Result<(), ImportError>
where
    R::Error: std::fmt::Display,
{
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| ImportError::Corrupt {
                detail: e.to_string(),
            })?;
        let rows = u64::try_from(range.height()).unwrap_or(0);
        if !visit(SheetEvent::Start { name: &name, rows }) {
            return Ok(());
        }
        let (start_row, start_col) = range.start().unwrap_or((0, 0));
        if let Some((end_row, _)) = range.end() {
            if end_row >= limits.max_rows {
                return Err(ImportError::TooManyRows {
                    sheet: name.clone(),
                    limit: limits.max_rows,
                });
            }
        }
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
            if !visit(SheetEvent::Row {
                row: row_index,
                cells: &cells,
            }) {
                return Ok(());
            }
        }
        if !visit(SheetEvent::End) {
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::io::Write as _;

    /// A minimal `.ods` whose one sheet has `rows` rows with a value, then the empty rest of the sheet
    /// as LibreOffice writes it (one empty row repeated a million times).
    fn ods(rows: usize) -> Vec<u8> {
        let mut xml = String::from(
            "<?xml version=\"1.0\"?><office:document-content><office:body><office:spreadsheet>\
             <table:table table:name=\"List1\">",
        );
        for i in 0..rows {
            xml.push_str(&format!(
                "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"{i}\">\
                 <text:p>{i}</text:p></table:table-cell></table:table-row>"
            ));
        }
        xml.push_str(
            "<table:table-row table:number-rows-repeated=\"1048570\"><table:table-cell/></table:table-row>\
             </table:table></office:spreadsheet></office:body></office:document-content>",
        );
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        w.start_file("content.xml", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(xml.as_bytes()).unwrap();
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn an_ods_sheet_over_the_row_limit_is_refused_before_it_is_loaded() {
        let file = ods(5);
        assert!(
            check_ods_rows(&file, 5).is_ok(),
            "rows 1–5 within a limit of 5"
        );
        assert!(
            check_ods_rows(&file, 100).is_ok(),
            "the empty rest does not count"
        );
        let refused = check_ods_rows(&file, 4);
        assert!(
            matches!(refused, Err(ImportError::TooManyRows { ref sheet, limit: 4 }) if sheet == "List1"),
            "{refused:?}"
        );
    }
}
