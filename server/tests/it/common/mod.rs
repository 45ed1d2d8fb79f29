//! Test support: a fresh database per test on each backend, through the real migrations.
//! SQLite runs in memory; PostgreSQL gets its own `CREATE DATABASE t_<random>` that is dropped afterwards.
//! PostgreSQL is required (TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test): when it is
//! missing the PostgreSQL variants fail, they are never skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use std::path::PathBuf;

/// The date every test computes its figures for, and the demo data are generated for: tests never read
/// the real clock (the suite is run with the clock moved by `faketime` to prove it).
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("a valid date")
}

pub async fn sqlite() -> DatabaseConnection {
    server::open_database("sqlite::memory:")
        .await
        .expect("in-memory SQLite")
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

pub struct PgDb {
    pub db: DatabaseConnection,
    pub url: String,
    name: String,
}

pub async fn postgres() -> PgDb {
    let admin_url = admin_url();
    let admin = Database::connect(&admin_url).await.unwrap_or_else(|e| {
        panic!("PostgreSQL at {admin_url} is required for the database tests (start it, see README): {e}")
    });
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create test database");
    admin.close().await.ok();
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b)
        .to_string();
    let url = format!("{base}/{name}");
    let db = server::open_database(&url)
        .await
        .expect("migrate test database");
    PgDb { db, url, name }
}

impl PgDb {
    pub async fn cleanup(self) {
        self.db.close().await.ok();
        if let Ok(admin) = Database::connect(&admin_url()).await {
            admin
                .execute_unprepared(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .await
                .ok();
            admin.close().await.ok();
        }
    }
}

pub mod process;

/// Runs the same async test body on a fresh SQLite and a fresh PostgreSQL database:
/// `db_test!(name, |db| async move { ... });` makes `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! db_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let db = $crate::common::sqlite().await;
                ($body)(db).await;
            }

            #[tokio::test]
            async fn postgres() {
                let pg = $crate::common::postgres().await;
                let db = pg.db.clone();
                let result = tokio::spawn(async move { ($body)(db).await }).await;
                pg.cleanup().await;
                if let Err(e) = result {
                    std::panic::resume_unwind(e.into_panic());
                }
            }
        }
    };
}

/// The RÚIAN code lists for tests: TRACKER_RUIAN_DIR, or the lists shipped in the repository (`data/ruian`).
pub fn ruian_dir() -> PathBuf {
    let candidates = [
        std::env::var("TRACKER_RUIAN_DIR").ok().map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/ruian")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("UI_OBEC.csv").is_file())
        .expect("the RÚIAN code lists (data/ruian or TRACKER_RUIAN_DIR) are required")
}

/// Builds an `.xlsx` workbook for tests. Each sheet is `(name, rows)`; a cell is text, except
/// `#n:1234.5` (a number cell), `#d:2026-01-31` (a date cell) and `` (left empty).
pub fn xlsx(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("d. m. yyyy");
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                if cell.is_empty() {
                    continue;
                } else if let Some(n) = cell.strip_prefix("#n:") {
                    sheet.write_number(r, c, n.parse::<f64>().unwrap()).unwrap();
                } else if let Some(d) = cell.strip_prefix("#d:") {
                    let d = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
                    sheet
                        .write_datetime_with_format(r, c, d, &date_format)
                        .unwrap();
                } else {
                    sheet.write_string(r, c, cell).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// A row of cells from string slices.
pub fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

/// A project of the tests, 1. 1. 2026 – 31. 12. 2027, with budget line 1.1.1.1 (2026) of 10 000 000 Kč
/// (room for 100 000 test expenditures of 1 Kč).
pub async fn project_with_budget(
    db: &sea_orm::DatabaseConnection,
    registration_number: &str,
) -> i32 {
    use app::dto::{BudgetLineInput, EditOutcome, ProjectInput, SaveOutcome};
    let input = ProjectInput {
        registration_number: registration_number.into(),
        name: "Projekt testů importu".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        ..Default::default()
    };
    let SaveOutcome::Saved { id } = app::services::projects::create(db, &input).await.unwrap()
    else {
        panic!("the test project could not be created")
    };
    let line = BudgetLineInput {
        code: "1.1.1.1".into(),
        name: "Mzdy".into(),
        chapter: "personnel".into(),
        year: "2026".into(),
        amount: "10 000 000,00".into(),
        ..Default::default()
    };
    assert_eq!(
        app::services::budget::save_line(db, id, None, &line)
            .await
            .unwrap(),
        EditOutcome::Saved
    );
    id
}

/// A workbook with one sheet of `rows` expenditures of 1 Kč on budget line 1.1.1.1 of `registration_number`.
pub fn expenditures_sheet(registration_number: &str, rows: usize) -> Vec<u8> {
    let mut sheet = vec![row(&[
        "Reg. č.",
        "Číslo dokladu",
        "Položka rozpočtu",
        "Datum úhrady",
        "Částka (Kč)",
    ])];
    for i in 0..rows {
        sheet.push(row(&[
            registration_number,
            &format!("D-{i}"),
            "1.1.1.1",
            "#d:2026-04-30",
            "#n:1",
        ]));
    }
    xlsx(&[("Výdaje", sheet)])
}

/// The records of a CSV export (`;`, `"` quoting, CRLF), without the byte-order mark.
pub fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ';') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

/// How many steps `Migrator::down` takes to undo the migration `name` and every one after it (so that a
/// down-and-up test keeps working when later migrations are added).
pub fn steps_down_through(name: &str) -> u32 {
    use migration::MigratorTrait;
    let all = migration::Migrator::migrations();
    let at = all
        .iter()
        .position(|m| m.name() == name)
        .unwrap_or_else(|| panic!("no migration {name}"));
    u32::try_from(all.len() - at).unwrap()
}
