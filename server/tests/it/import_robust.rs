//! The importer against what real workbooks and code lists do, stored on SQLite and PostgreSQL: the
//! 1904 date system, sheets with birth numbers (refused whole, the other sheets stored), ages at entry
//! from dates of birth (the date itself never stored), a date cell holding 1e300 (an error at its cell,
//! not a failed import), and RÚIAN code lists saved as UTF-8 or holding rows no longer valid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Cursor, Read, Write};
use std::sync::Arc;

use app::dto::import::ImportReport;
use app::services::import::{run, ImportLimits, ImportOptions, Progress};
use app::services::{codebooks, demo};
use chrono::NaiveDate;
use entity::{expenditure, import_batch, municipality, participant};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::common::{self, row};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The demo registry and the test project (1. 1. 2026 – 31. 12. 2027, budget line 1.1.1.1); its id.
async fn setup(db: &DatabaseConnection) -> i32 {
    demo::load(db, common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    common::project_with_budget(db, REG).await
}

async fn participants_of(db: &DatabaseConnection, project: i32) -> Vec<participant::Model> {
    participant::Entity::find()
        .filter(participant::Column::ProjectId.eq(project))
        .order_by_asc(participant::Column::Pseudonym)
        .all(db)
        .await
        .unwrap()
}

async fn expenditures_of(db: &DatabaseConnection, project: i32) -> Vec<expenditure::Model> {
    expenditure::Entity::find()
        .filter(expenditure::Column::ProjectId.eq(project))
        .order_by_asc(expenditure::Column::DocumentNumber)
        .all(db)
        .await
        .unwrap()
}

async fn commit(db: &DatabaseConnection, bytes: Vec<u8>) -> ImportReport {
    run(
        db,
        Arc::new(bytes),
        "robust.xlsx",
        ImportLimits::default(),
        &ImportOptions {
            commit: true,
            all_or_nothing: false,
            imported_by: "test".into(),
            viewer: None,
        },
        Arc::new(Progress::default()),
    )
    .await
    .unwrap()
}

fn errors(report: &ImportReport, sheet: &str) -> Vec<(String, String)> {
    report
        .sheets
        .iter()
        .find(|s| s.name == sheet)
        .unwrap()
        .errors
        .iter()
        .map(|e| (e.cell.clone(), e.code.clone()))
        .collect()
}

/// Adds `<workbookPr date1904="1"/>` to an `.xlsx`.
fn in_1904_system(xlsx: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        if name == "xl/workbook.xml" {
            let xml = String::from_utf8(content).unwrap();
            content = xml
                .replacen("<workbookPr", "<workbookPr date1904=\"1\"", 1)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&content).unwrap();
    }
    out.finish().unwrap().into_inner()
}

/// An expenditure sheet: a date-formatted number cell and a bare number in `Datum úhrady`.
fn payment_dates_sheet(date_serial: f64, bare_serial: f64) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("d. m. yyyy");
    let sheet = book.add_worksheet();
    sheet.set_name("Výdaje").unwrap();
    for (c, h) in [
        "Reg. č.",
        "Číslo dokladu",
        "Položka rozpočtu",
        "Datum úhrady",
        "Částka",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (doc, paid, formatted)) in [("D-1", date_serial, true), ("D-2", bare_serial, false)]
        .into_iter()
        .enumerate()
    {
        let r = r as u32 + 1;
        sheet.write_string(r, 0, REG).unwrap();
        sheet.write_string(r, 1, doc).unwrap();
        sheet.write_string(r, 2, "1.1.1.1").unwrap();
        if formatted {
            sheet.write_number_with_format(r, 3, paid, &date).unwrap();
        } else {
            sheet.write_number(r, 3, paid).unwrap();
        }
        sheet.write_number(r, 4, 100.0).unwrap();
    }
    book.save_to_buffer().unwrap()
}

db_test!(
    a_1904_workbook_stores_its_dates_and_serials_in_that_system,
    |db: DatabaseConnection| async move {
        let project = setup(&db).await;
        let serial = |d: NaiveDate| (d - day(1904, 1, 1)).num_days() as f64;
        let file = in_1904_system(&payment_dates_sheet(
            serial(day(2026, 4, 30)),
            serial(day(2026, 5, 15)),
        ));
        let report = commit(&db, file).await;
        assert_eq!(errors(&report, "Výdaje"), []);
        let paid: Vec<Option<NaiveDate>> = expenditures_of(&db, project)
            .await
            .into_iter()
            .map(|e| e.paid_on)
            .collect();
        assert_eq!(paid, [Some(day(2026, 4, 30)), Some(day(2026, 5, 15))]);
    }
);

db_test!(
    a_date_cell_holding_1e300_is_an_error_at_its_cell_not_a_failed_import,
    |db: DatabaseConnection| async move {
        let project = setup(&db).await;
        let report = commit(&db, payment_dates_sheet(1e300, 46_142.0)).await;
        assert_eq!(
            errors(&report, "Výdaje"),
            [("Výdaje!D2".to_owned(), "invalid_date".to_owned())]
        );
        assert_eq!(expenditures_of(&db, project).await.len(), 1);
    }
);

fn participants_header(extra: &str) -> Vec<String> {
    row(&[
        "Registrační číslo projektu",
        "ID účastníka",
        "Datum vstupu",
        "Pohlaví",
        "Rok narození",
        "Postavení na trhu práce při vstupu",
        extra,
    ])
}

fn participant(id: &str, extra: &str) -> Vec<String> {
    row(&[
        REG,
        id,
        "#d:2026-03-02",
        "Ž",
        "#n:1990",
        "nezaměstnaný",
        extra,
    ])
}

fn expenditure_sheet() -> (&'static str, Vec<Vec<String>>) {
    (
        "Výdaje",
        vec![
            row(&[
                "Reg. č.",
                "Číslo dokladu",
                "Položka rozpočtu",
                "Datum úhrady",
                "Částka",
            ]),
            row(&[REG, "D-1", "1.1.1.1", "#d:2026-04-30", "#n:100"]),
        ],
    )
}

db_test!(
    a_sheet_with_birth_numbers_stores_nothing_and_the_other_sheets_import,
    |db: DatabaseConnection| async move {
        let project = setup(&db).await;
        // Header only; values only, after more rows than one chunk; both.
        let late: Vec<Vec<String>> = std::iter::once(participants_header("Poznámka"))
            .chain((0..2_100).map(|i| participant(&format!("U-{i}"), "")))
            .chain(std::iter::once(participant("U-X", "850315/1234")))
            .collect();
        let cases = [
            (
                vec![participants_header("Rodné číslo"), participant("U-1", "")],
                "Účastníci!G1",
            ),
            (late, "Účastníci!G2102"),
            (
                vec![participants_header("RČ"), participant("U-1", "8503151234")],
                "Účastníci!G1",
            ),
        ];
        for (sheet, cell) in cases {
            let file = common::xlsx(&[("Účastníci", sheet), expenditure_sheet()]);
            let report = commit(&db, file).await;
            assert_eq!(
                errors(&report, "Účastníci"),
                [(cell.to_owned(), "birth_number".to_owned())]
            );
            assert_eq!(errors(&report, "Výdaje"), []);
            assert_eq!(participants_of(&db, project).await.len(), 0);
            assert_eq!(expenditures_of(&db, project).await.len(), 1);
            let stored = import_batch::Entity::find_by_id(report.import_id.unwrap())
                .one(&db)
                .await
                .unwrap()
                .unwrap();
            assert!(
                !stored.report_json.contains("850315"),
                "no birth number in the history"
            );
        }
    }
);

db_test!(
    ages_at_entry_come_from_dates_of_birth_which_are_not_stored,
    |db: DatabaseConnection| async move {
        let project = setup(&db).await;
        let header = row(&[
            "Registrační číslo projektu",
            "ID účastníka",
            "Datum vstupu",
            "Pohlaví",
            "Datum narození",
            "Postavení na trhu práce při vstupu",
        ]);
        let births = [
            "#d:2008-03-16",
            "#d:2008-03-15",
            "16. 3. 1996",
            "#d:1996-03-15",
            "#d:1971-03-16",
            "1971-03-15",
        ];
        let mut rows = vec![header];
        for (i, b) in births.iter().enumerate() {
            let id = format!("U-{i}");
            rows.push(row(&[REG, &id, "#d:2026-03-15", "M", b, "nezaměstnaný"]));
        }
        let report = commit(&db, common::xlsx(&[("Účastníci", rows)])).await;
        assert_eq!(errors(&report, "Účastníci"), []);
        let ages: Vec<i16> = participants_of(&db, project)
            .await
            .into_iter()
            .map(|p| p.age_at_entry)
            .collect();
        assert_eq!(ages, [17, 18, 29, 30, 54, 55]);
        let stored = import_batch::Entity::find_by_id(report.import_id.unwrap())
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        for date in [
            "2008-03-16",
            "16. 3. 1996",
            "1996-03-15",
            "1971-03-15",
            "1971-03-16",
        ] {
            assert!(!stored.report_json.contains(date), "{date} in the history");
        }
    }
);

db_test!(
    a_utf8_code_list_is_read_as_utf8_and_rows_no_longer_valid_are_skipped,
    |db: DatabaseConnection| async move {
        let source = common::ruian_dir();
        let dir = std::env::temp_dir().join(format!("ruian-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(source.join("UI_VUSC.csv"), dir.join("UI_VUSC.csv")).unwrap();
        let cp1250 = |f: &str| {
            let bytes = std::fs::read(source.join(f)).unwrap();
            encoding_rs::WINDOWS_1250.decode(&bytes).0.into_owned()
        };
        // UI_OKRES.csv saved as UTF-8 with a byte-order mark, UI_OBEC.csv without one.
        let okres = format!("\u{feff}{}", cp1250("UI_OKRES.csv"));
        std::fs::write(dir.join("UI_OKRES.csv"), okres).unwrap();
        let obec = cp1250("UI_OBEC.csv")
            .replacen(
                "500020;Petrov nad Desnou;;;3809;;;;;",
                "500020;Petrov nad Desnou;;;3809;;;;2026-06-30;",
                1,
            )
            .replacen(
                "500011;Želechovice nad Dřevnicí;;;3705;;;;;",
                "500011;Želechovice nad Dřevnicí;;;3705;;;;31.12.2099;",
                1,
            );
        std::fs::write(dir.join("UI_OBEC.csv"), obec).unwrap();
        let counts = codebooks::import_ruian(&db, &dir, common::today())
            .await
            .unwrap();
        assert_eq!(
            (counts.regions, counts.districts, counts.municipalities),
            (14, 77, 6257),
            "Petrov nad Desnou ended on 30. 6. 2026"
        );
        let first = municipality::Entity::find_by_id(500_011)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(first.name, "Želechovice nad Dřevnicí");
        assert!(municipality::Entity::find_by_id(500_020)
            .one(&db)
            .await
            .unwrap()
            .is_none());
        let district = entity::district::Entity::find_by_id(3201)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(district.name, "Benešov");
        std::fs::remove_dir_all(&dir).ok();
    }
);
