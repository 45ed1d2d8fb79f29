//! Workbooks saved in the 1904 date system: date cells and bare serial numbers in date columns are both
//! read in that system (`.xlsx` generated here, `.xls` a sample with its DATEMODE record set).

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};

use super::support::{d, parse, t, texts, xlsx, REG, V};

/// The serial number of a day in the 1904 date system.
fn serial_1904(day: NaiveDate) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let days = (day - d(1904, 1, 1)).num_days() as f64;
    days
}

fn expenditures(date1904: bool) -> Vec<u8> {
    let row = |doc: &str, date: V| vec![t(REG), t(doc), t("1.1.1.1"), date, V::Num(100.0)];
    xlsx(
        &[(
            "Výdaje",
            vec![
                texts(&[
                    "Reg. č.",
                    "Číslo dokladu",
                    "Položka rozpočtu",
                    "Datum úhrady",
                    "Částka",
                ]),
                row("D-1", V::DateNum(serial_1904(d(2026, 1, 15)))),
                row("D-2", V::Num(serial_1904(d(2026, 2, 20)))),
                row("D-3", t("31. 3. 2026")),
            ],
        )],
        date1904,
    )
}

#[test]
fn an_xlsx_in_the_1904_system_reads_date_cells_and_bare_serials_in_it() {
    let parsed = parse(&expenditures(true), "1904.xlsx").unwrap();
    assert_eq!(parsed.errors("Výdaje"), []);
    assert_eq!(parsed.values["Výdaje!D2"], "2026-01-15", "a date cell");
    assert_eq!(parsed.values["Výdaje!D3"], "2026-02-20", "a bare serial");
    assert_eq!(
        parsed.values["Výdaje!D4"], "2026-03-31",
        "a date typed as text"
    );
}

#[test]
fn the_same_serials_in_the_1900_system_land_four_years_early() {
    let parsed = parse(&expenditures(false), "1900.xlsx").unwrap();
    assert_eq!(parsed.values["Výdaje!D2"], "2022-01-14");
    assert_eq!(parsed.values["Výdaje!D3"], "2022-02-19");
    assert_eq!(parsed.values["Výdaje!D4"], "2026-03-31");
}

#[test]
fn a_serial_beyond_the_1904_systems_last_day_is_an_invalid_date() {
    let row = |date: V| vec![t(REG), t("D-1"), t("1.1.1.1"), date, V::Num(1.0)];
    let header = texts(&[
        "Reg. č.",
        "Číslo dokladu",
        "Položka rozpočtu",
        "Datum úhrady",
        "Částka",
    ]);
    // 2 958 000 is 31. 10. 9998 in the 1900 system but after 31. 12. 9999 in the 1904 one.
    let book = xlsx(&[("Výdaje", vec![header, row(V::Num(2_958_000.0))])], true);
    let parsed = parse(&book, "1904.xlsx").unwrap();
    assert_eq!(
        parsed.errors("Výdaje"),
        [("Výdaje!D2".to_owned(), "invalid_date".to_owned())]
    );
}

fn sample(name: &str) -> Option<PathBuf> {
    [
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/samples"),
        PathBuf::from("/work/shared/samples"),
    ]
    .into_iter()
    .chain(std::env::var("TRACKER_SAMPLES_DIR").ok().map(PathBuf::from))
    .map(|dir| dir.join(name))
    .find(|p| p.is_file())
}

/// Sets the DATEMODE record (0x0022) of a BIFF8 workbook to 1: walks the records of the workbook
/// globals from their BOF record (a LibreOffice `.xls` keeps them in the first sectors of the stream).
fn set_datemode_1904(xls: &mut [u8]) {
    const BOF: &[u8] = &[0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00];
    let mut at = xls
        .windows(BOF.len())
        .position(|w| w == BOF)
        .expect("the workbook globals' BOF record");
    loop {
        let typ = u16::from_le_bytes([xls[at], xls[at + 1]]);
        let size = usize::from(u16::from_le_bytes([xls[at + 2], xls[at + 3]]));
        assert_ne!(typ, 0x000A, "EOF of the globals without a DATEMODE record");
        if typ == 0x0022 {
            assert_eq!(size, 2);
            xls[at + 4] = 1;
            return;
        }
        at += 4 + size;
    }
}

#[test]
fn an_xls_in_the_1904_system_reads_date_cells_and_bare_serials_in_it() {
    let Some(path) = sample("seznam-operaci-2025-06.xls") else {
        panic!("the sample workbooks (../shared/samples or TRACKER_SAMPLES_DIR) are required");
    };
    let original = std::fs::read(path).unwrap();
    let mut patched = original.clone();
    set_datemode_1904(&mut patched);
    let before = parse(&original, "seznam.xls").unwrap();
    let after = parse(&patched, "seznam-1904.xls").unwrap();
    let sheet = "Seznam operací";
    // The legal act date (column V) is a date cell, the start date (column W) a bare serial number:
    // the same serials, counted from 1904-01-01, are 1462 days later.
    let mut compared = 0;
    for (cell, value) in &before.values {
        let column: String = cell
            .trim_start_matches(&format!("{sheet}!"))
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .collect();
        if !cell.starts_with(sheet) || !["V", "W"].contains(&column.as_str()) {
            continue;
        }
        let date = NaiveDate::parse_from_str(value, "%Y-%m-%d").unwrap();
        assert_eq!(
            after.values.get(cell),
            Some(&(date + Duration::days(1462)).to_string()),
            "{cell}"
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} dates compared");
}
