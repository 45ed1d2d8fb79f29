//! Workbooks made by the tests: `.xlsx` written with rust_xlsxwriter, then patched where rust_xlsxwriter
//! cannot write what broken tools do (the 1904 date system, NaN in a number cell), and parsed without a
//! database.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, Workbook};

use crate::dto::import::SheetReport;
use crate::services::import::sheet::{IndicatorInfo, Lookups, ProjectInfo};
use crate::services::import::{parse_file, ImportError, ImportLimits, Progress};

/// The registration number of the test project (realised 1. 1. 2020 – 31. 12. 2030).
pub const REG: &str = "CZ.03.02.01/00/25_106/0009001";

/// A cell of a generated sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum V {
    /// Left empty.
    Empty,
    /// A text cell.
    Text(String),
    /// A number cell.
    Num(f64),
    /// A number cell formatted as a date (`d. m. yyyy`), holding the serial given.
    DateNum(f64),
    /// A date cell (rust_xlsxwriter writes its 1900-system serial).
    Date(NaiveDate),
    /// A formula with a cached text result.
    Formula(String, String),
    /// A number cell (date-formatted when `true`) whose stored value is replaced by this text in the
    /// sheet's XML (`NaN`, `inf`, `1e400`: what rust_xlsxwriter refuses to write but broken tools do).
    RawNumber(String, bool),
}

/// A text cell.
pub fn t(s: &str) -> V {
    V::Text(s.to_owned())
}

/// A row of text cells (`""` left empty).
pub fn texts(cells: &[&str]) -> Vec<V> {
    cells
        .iter()
        .map(|c| if c.is_empty() { V::Empty } else { t(c) })
        .collect()
}

/// A date.
pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
}

/// Placeholder numbers written for [`V::RawNumber`] cells, replaced in the XML afterwards.
const RAW_BASE: f64 = 987_654_321_000.0;

/// An `.xlsx` workbook of the given sheets; `date1904` marks it as saved in the 1904 date system.
///
/// # Panics
/// When rust_xlsxwriter refuses a value (a test bug).
#[allow(clippy::expect_used)]
pub fn xlsx(sheets: &[(&str, Vec<Vec<V>>)], date1904: bool) -> Vec<u8> {
    let mut book = Workbook::new();
    let date_format = Format::new().set_num_format("d. m. yyyy");
    let mut raw: Vec<(String, String)> = Vec::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("sheet name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let r = u32::try_from(r).expect("row");
                let c = u16::try_from(c).expect("column");
                match cell {
                    V::Empty => {}
                    V::Text(s) => {
                        sheet.write_string(r, c, s).expect("text");
                    }
                    V::Num(n) => {
                        sheet.write_number(r, c, *n).expect("number");
                    }
                    V::DateNum(n) => {
                        sheet
                            .write_number_with_format(r, c, *n, &date_format)
                            .expect("date number");
                    }
                    V::Date(day) => {
                        sheet
                            .write_datetime_with_format(r, c, *day, &date_format)
                            .expect("date");
                    }
                    V::Formula(f, result) => {
                        sheet
                            .write_formula(
                                r,
                                c,
                                rust_xlsxwriter::Formula::new(f).set_result(result),
                            )
                            .expect("formula");
                    }
                    V::RawNumber(text, date_formatted) => {
                        #[allow(clippy::cast_precision_loss)]
                        let placeholder = RAW_BASE + raw.len() as f64;
                        if *date_formatted {
                            sheet
                                .write_number_with_format(r, c, placeholder, &date_format)
                                .expect("placeholder");
                        } else {
                            sheet.write_number(r, c, placeholder).expect("placeholder");
                        }
                        raw.push((format!("<v>{placeholder}</v>"), format!("<v>{text}</v>")));
                    }
                }
            }
        }
    }
    let bytes = book.save_to_buffer().expect("xlsx");
    if !date1904 && raw.is_empty() {
        return bytes;
    }
    patch_zip(&bytes, |name, xml| {
        let mut xml = xml;
        if date1904 && name == "xl/workbook.xml" {
            xml = xml.replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1);
        }
        if name.starts_with("xl/worksheets/") {
            for (from, to) in &raw {
                xml = xml.replace(from, to);
            }
        }
        xml
    })
}

/// The zip container with each text entry passed through `edit` (entry name, content).
///
/// # Panics
/// On a broken zip (a test bug).
#[allow(clippy::expect_used)]
pub fn patch_zip(bytes: &[u8], edit: impl Fn(&str, String) -> String) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("entry");
        let name = entry.name().expect("entry name").into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).expect("read entry");
        let content = match String::from_utf8(content) {
            Ok(text) => edit(&name, text).into_bytes(),
            Err(e) => e.into_bytes(),
        };
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("start entry");
        out.write_all(&content).expect("write entry");
    }
    out.finish().expect("finish zip").into_inner()
}

/// What the checks need: the test project and the indicator `EECO01`.
pub fn lookups() -> Lookups {
    let mut lookups = Lookups::default();
    lookups.projects.insert(
        REG.to_owned(),
        ProjectInfo {
            id: Some(1),
            range: Some((d(2020, 1, 1), d(2030, 12, 31))),
        },
    );
    lookups.indicators.insert(
        "EECO01".to_owned(),
        IndicatorInfo {
            id: 1,
            unit: crate::domain::IndicatorUnit::Persons,
        },
    );
    lookups
}

/// The reports and normalised values of a file, with its valid rows by sheet name.
pub struct Parsed {
    pub reports: Vec<SheetReport>,
    pub values: BTreeMap<String, String>,
    pub rows: BTreeMap<String, Vec<crate::services::import::sheet::ParsedRow>>,
}

impl Parsed {
    /// The report of a sheet.
    ///
    /// # Panics
    /// When the workbook has no such sheet.
    #[allow(clippy::expect_used)]
    pub fn sheet(&self, name: &str) -> &SheetReport {
        self.reports
            .iter()
            .find(|r| r.name == name)
            .expect("a sheet of that name")
    }

    /// `(cell, code)` of a sheet's errors.
    pub fn errors(&self, name: &str) -> Vec<(String, String)> {
        self.sheet(name)
            .errors
            .iter()
            .map(|e| (e.cell.clone(), e.code.clone()))
            .collect()
    }

    /// `(cell, code)` of a sheet's warnings.
    pub fn warnings(&self, name: &str) -> Vec<(String, String)> {
        self.sheet(name)
            .warnings
            .iter()
            .map(|e| (e.cell.clone(), e.code.clone()))
            .collect()
    }
}

/// Parses a file without a database, collecting the values and the valid rows.
///
/// # Errors
/// The file cannot be read at all.
pub fn parse(bytes: &[u8], file_name: &str) -> Result<Parsed, ImportError> {
    let mut rows: BTreeMap<String, Vec<crate::services::import::sheet::ParsedRow>> =
        BTreeMap::new();
    let (reports, values) = parse_file(
        bytes,
        file_name,
        ImportLimits::default(),
        lookups(),
        true,
        &Progress::default(),
        &mut |chunk| {
            rows.entry(chunk.sheet).or_default().extend(chunk.rows);
            true
        },
    )?;
    Ok(Parsed {
        reports,
        values,
        rows,
    })
}
