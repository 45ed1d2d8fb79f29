//! Importing spreadsheets into the database, on SQLite and PostgreSQL: preview stores nothing, commit
//! stores every valid row exactly once in one transaction, the same file again changes nothing, a changed
//! file shows old → new, imports revert as a whole, "all or nothing" stores nothing when a row is wrong,
//! and hostile files are refused with a message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::sync::Arc;

use app::dto::import::ImportReport;
use app::dto::{BudgetLineInput, EditOutcome, ProjectInput, SaveOutcome};
use app::services::import::{run, store, ImportError, ImportLimits, ImportOptions, Progress};
use app::services::{budget, codebooks, demo, projects};
use common::{row, xlsx};
use entity::{expenditure, indicator_value, monitoring_period, participant, project_municipality};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

/// A project 1. 1. 2026 – 31. 12. 2027 with its six-month periods (ZoR 1 = 1. 1. – 30. 6. 2026,
/// ZoR 2 = 1. 7. – 31. 12. 2026, …) and budget line 1.1.1.1 (2026) of 100 000 Kč.
async fn setup(db: &DatabaseConnection) -> i32 {
    demo::load(db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    codebooks::import_ruian(db, &common::ruian_dir(), common::today())
        .await
        .unwrap();
    let input = ProjectInput {
        registration_number: REG.into(),
        name: "Importní test".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        total_eligible: "1 000 000,00".into(),
        ..Default::default()
    };
    let id = match projects::create(db, &input).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    };
    let line = BudgetLineInput {
        code: "1.1.1.1".into(),
        name: "Mzdy".into(),
        chapter: "personnel".into(),
        year: "2026".into(),
        amount: "100 000,00".into(),
        ..Default::default()
    };
    assert_eq!(
        budget::save_line(db, id, None, &line).await.unwrap(),
        EditOutcome::Saved
    );
    id
}

fn workbook(eeco01: &str) -> Vec<u8> {
    xlsx(&[
        (
            "Indikátory",
            vec![
                row(&["Hodnoty indikátorů za ZoR 1"]),
                row(&[]),
                row(&[
                    "Registrační číslo projektu",
                    "Kód indikátoru",
                    "Období",
                    "Dosažená hodnota",
                    "Cílová hodnota",
                ]),
                row(&[REG, "EECO01", "ZoR 1", eeco01, "#n:200"]),
                row(&[REG, "eeco02", "1", "#n:4", ""]),
                row(&[REG, "EECO01", "2026-H2", "#n:7", ""]),
                row(&[REG, "XYZ01", "1", "#n:1", ""]),
            ],
        ),
        (
            "Výdaje",
            vec![
                row(&[
                    "Reg. č.",
                    "Číslo dokladu",
                    "Položka rozpočtu",
                    "Datum úhrady",
                    "Částka (Kč)",
                ]),
                row(&[REG, "BP-1", "1.1.1.1", "#d:2026-04-30", "#n:0.1"]),
                row(&[REG, "BP-2", "1.1.1.1", "30. 4. 2026", "0,20"]),
                row(&[REG, "FV-1", "Mzdy", "#d:2026-05-31", "99 999 999 999,99 Kč"]),
                row(&[REG, "FV-2", "1.1.1.1", "#d:2026-05-31", "1 234 567,89"]),
                row(&[REG, "FV-3", "1.1.1.1", "#d:2026-05-31", "12 345,67"]),
            ],
        ),
        (
            "Obce",
            vec![
                row(&["Registrační číslo projektu", "Kód obce", "Název obce"]),
                row(&[REG, "#n:597571", "Liptaň"]),
                row(&[REG, "", "Dívčí Hrad"]),
            ],
        ),
        (
            "Účastníci",
            vec![
                row(&[
                    "Registrační číslo projektu",
                    "ID účastníka",
                    "Datum vstupu",
                    "Datum výstupu",
                    "Pohlaví",
                    "Rok narození",
                    "Postavení na trhu práce při vstupu",
                    "Vzdělání ISCED",
                ]),
                row(&[
                    REG,
                    "T-0001",
                    "#d:2026-02-02",
                    "",
                    "Ž",
                    "#n:1970",
                    "nezaměstnaný",
                    "#n:3",
                ]),
                row(&[
                    REG,
                    "T-0002",
                    "3. 2. 2026",
                    "#d:2026-05-29",
                    "M",
                    "#n:2001",
                    "dlouhodobě nezaměstnaný",
                    "#n:2",
                ]),
            ],
        ),
    ])
}

async fn import(
    db: &DatabaseConnection,
    bytes: &[u8],
    commit: bool,
    all_or_nothing: bool,
) -> ImportReport {
    run(
        db,
        Arc::new(bytes.to_vec()),
        "monitoring.xlsx",
        ImportLimits::default(),
        &ImportOptions {
            commit,
            all_or_nothing,
            imported_by: "test".into(),
            viewer: None,
        },
        Arc::new(Progress::default()),
    )
    .await
    .unwrap()
}

async fn counts(db: &DatabaseConnection) -> [u64; 5] {
    [
        indicator_value::Entity::find().count(db).await.unwrap(),
        expenditure::Entity::find().count(db).await.unwrap(),
        participant::Entity::find().count(db).await.unwrap(),
        project_municipality::Entity::find()
            .count(db)
            .await
            .unwrap(),
        monitoring_period::Entity::find().count(db).await.unwrap(),
    ]
}

fn sheet<'a>(report: &'a ImportReport, name: &str) -> &'a app::dto::import::SheetReport {
    report.sheets.iter().find(|s| s.name == name).unwrap()
}

fn error_codes(report: &ImportReport) -> Vec<(String, String)> {
    report
        .sheets
        .iter()
        .flat_map(|s| s.errors.iter().map(|e| (e.cell.clone(), e.code.clone())))
        .collect()
}

db_test!(
    preview_commit_reimport_change_and_revert,
    |db: DatabaseConnection| async move {
        let project_id = setup(&db).await;
        let before = counts(&db).await;
        let file = workbook("#n:12");

        // Preview: exact counts, every error at its cell, nothing stored.
        let preview = import(&db, &file, false, false).await;
        assert!(!preview.committed);
        assert_eq!(counts(&db).await, before, "a preview stores nothing");
        let ind = sheet(&preview, "Indikátory");
        assert_eq!((ind.data_rows, ind.valid_rows, ind.invalid_rows), (4, 3, 1));
        assert_eq!(
            (ind.new_rows, ind.changed_rows, ind.unchanged_rows),
            (3, 0, 0)
        );
        let exp = sheet(&preview, "Výdaje");
        assert_eq!((exp.valid_rows, exp.invalid_rows, exp.new_rows), (3, 2, 3));
        let errors = error_codes(&preview);
        assert!(
            errors.contains(&("Indikátory!B7".into(), "unknown_indicator".into())),
            "{errors:?}"
        );
        assert!(
            errors.contains(&("Výdaje!E4".into(), "overdraws_budget_line".into())),
            "{errors:?}"
        );
        assert!(
            errors.contains(&("Výdaje!E5".into(), "overdraws_budget_line".into())),
            "{errors:?}"
        );
        assert_eq!(sheet(&preview, "Obce").new_rows, 2);
        assert_eq!(sheet(&preview, "Účastníci").new_rows, 2);

        // Commit: the same, stored once.
        let first = import(&db, &file, true, false).await;
        assert!(first.committed);
        let first_id = first.import_id.unwrap();
        assert_eq!(first.change_count(), preview.change_count());
        let after = counts(&db).await;
        assert_eq!(after[0], before[0] + 3, "three indicator values");
        assert_eq!(after[1], before[1] + 3, "three expenditures");
        assert_eq!(after[2], before[2] + 2);
        assert_eq!(
            after[3],
            before[3] + 2,
            "Liptaň and Dívčí Hrad (resolved by name)"
        );
        assert_eq!(after[4], before[4], "2026-H2 is the project's ZoR 2");
        let period2 = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(project_id))
            .filter(monitoring_period::Column::Number.eq(2))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(period2.start_date.to_string(), "2026-07-01");
        assert_eq!(period2.end_date.to_string(), "2026-12-31");
        let spent: i64 = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .all(&db)
            .await
            .unwrap()
            .iter()
            .map(|e| e.amount_halere)
            .sum();
        assert_eq!(
            spent,
            10 + 20 + 1_234_567,
            "0,10 + 0,20 + 12 345,67 Kč, to the haléř"
        );

        // The same file again changes nothing and says it was imported before.
        let again = import(&db, &file, true, false).await;
        assert_eq!(again.change_count(), 0);
        assert_eq!(again.previously_imported_as, Some(first_id));
        assert_eq!(sheet(&again, "Indikátory").unchanged_rows, 3);
        assert_eq!(counts(&db).await, after);

        // A changed value: one changed row, shown old → new.
        let changed_file = workbook("#n:15");
        let second = import(&db, &changed_file, true, false).await;
        let ind = sheet(&second, "Indikátory");
        assert_eq!(
            (ind.new_rows, ind.changed_rows, ind.unchanged_rows),
            (0, 1, 2)
        );
        let line = ind.changes.iter().find(|c| c.action == "changed").unwrap();
        assert_eq!((line.old.as_str(), line.new.as_str()), ("12", "15"));
        // The change is in the audit trail with its old and new value, under the project.
        let entry = entity::audit_log::Entity::find()
            .filter(entity::audit_log::Column::Entity.eq("indicator_value"))
            .filter(entity::audit_log::Column::Action.eq("import"))
            .one(&db)
            .await
            .unwrap()
            .expect("an audit entry for the changed value");
        assert_eq!(entry.project_id, Some(project_id));
        let changes: serde_json::Value = serde_json::from_str(&entry.changes_json).unwrap();
        assert_eq!(changes["Dosažená hodnota"], serde_json::json!(["12", "15"]));
        assert!(
            entity::audit_log::Entity::find()
                .filter(entity::audit_log::Column::Entity.eq("import_batch"))
                .count(&db)
                .await
                .unwrap()
                >= 2,
            "each committed import is on record"
        );
        assert_eq!(line.row, 4);

        // The first import cannot be reverted while the second has changed one of its rows.
        let blocked = store::revert(&db, first_id).await;
        assert!(
            matches!(blocked, Err(ImportError::RevertBlocked(_))),
            "{blocked:?}"
        );
        // Revert the second: the value is 12 again; then the first: everything is gone.
        store::revert(&db, second.import_id.unwrap()).await.unwrap();
        // This test's own rows only: the demo projects have values of their own.
        let own_periods: Vec<i32> = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(project_id))
            .all(&db)
            .await
            .unwrap()
            .iter()
            .map(|p| p.id)
            .collect();
        let values: Vec<i64> = indicator_value::Entity::find()
            .filter(indicator_value::Column::PeriodId.is_in(own_periods))
            .all(&db)
            .await
            .unwrap()
            .iter()
            .map(|v| v.achieved_milli)
            .collect();
        assert!(
            values.contains(&12_000) && !values.contains(&15_000),
            "the second import's 15 is reverted to 12: {values:?}"
        );
        store::revert(&db, first_id).await.unwrap();
        assert_eq!(
            counts(&db).await,
            before,
            "reverting both imports restores the state before them"
        );
        let history = app::services::import::history::history(&db, 10, None)
            .await
            .unwrap();
        assert_eq!(history.iter().filter(|h| h.status == "reverted").count(), 2);
        assert!(
            store::revert(&db, first_id).await.is_err(),
            "an import is reverted only once"
        );
    }
);

db_test!(
    all_or_nothing_stores_nothing_when_a_row_is_wrong,
    |db: DatabaseConnection| async move {
        setup(&db).await;
        let before = counts(&db).await;
        let report = import(&db, &workbook("#n:12"), true, true).await;
        assert!(!report.committed);
        assert!(report.notice.is_some());
        assert_eq!(counts(&db).await, before);
        assert_eq!(store::committed_count(&db).await.unwrap(), 0);
    }
);

db_test!(
    money_keeps_every_haler_through_import,
    |db: DatabaseConnection| async move {
        let project_id = setup(&db).await;
        let line = BudgetLineInput {
            code: "9.9".into(),
            name: "Velká položka".into(),
            chapter: "services".into(),
            year: "2026".into(),
            amount: "999 999 999 999,99".into(),
            ..Default::default()
        };
        assert_eq!(
            budget::save_line(&db, project_id, None, &line)
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let mut rows = vec![row(&[
            "Registrační číslo projektu",
            "Číslo dokladu",
            "Položka rozpočtu",
            "Částka",
        ])];
        rows.push(row(&[REG, "BIG", "9.9", "999 999 997 000,01"]));
        for i in 0..99 {
            rows.push(row(&[REG, &format!("F-{i}"), "9.9", "#n:0.01"]));
        }
        rows.push(row(&[REG, "T-1", "9.9", "1.234,5"]));
        let report = import(&db, &xlsx(&[("Výdaje", rows)]), true, true).await;
        assert!(report.committed, "{:?}", error_codes(&report));
        // 999 999 997 000,01 + 99 × 0,01 + 1 234,50
        assert_eq!(
            sheet(&report, "Výdaje").money_totals["amount"],
            "999999998235.50"
        );
        let sum: i64 = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .all(&db)
            .await
            .unwrap()
            .iter()
            .map(|e| e.amount_halere)
            .sum();
        assert_eq!(sum, 99_999_999_823_550);
    }
);

#[tokio::test]
async fn hostile_files_are_refused_with_a_message() {
    let db = common::sqlite().await;
    let limits = ImportLimits::default();
    let options = ImportOptions {
        commit: false,
        all_or_nothing: false,
        imported_by: "t".into(),
        viewer: None,
    };
    let go = |bytes: Vec<u8>, name: &'static str, limits: ImportLimits| {
        let db = db.clone();
        let options = options.clone();
        async move {
            run(
                &db,
                Arc::new(bytes),
                name,
                limits,
                &options,
                Arc::new(Progress::default()),
            )
            .await
        }
    };
    let text = b"Registracni cislo;Castka\nCZ;1\n".to_vec();
    let e = go(text.clone(), "data.csv", limits).await.unwrap_err();
    assert!(matches!(e, ImportError::UnsupportedFile { .. }), "{e}");
    assert!(e.to_string().contains(".xlsx"));
    let e = go(text, "data.xlsx", limits).await.unwrap_err();
    assert!(matches!(e, ImportError::NotASpreadsheet { .. }), "{e}");
    // An encrypted .xlsx is an OLE compound file.
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 1024]);
    let e = go(ole, "heslo.xlsx", limits).await.unwrap_err();
    assert!(matches!(e, ImportError::PasswordProtected), "{e}");
    // A truncated workbook.
    let good = xlsx(&[("List1", vec![row(&["a"])])]);
    let e = go(good[..good.len() / 2].to_vec(), "kus.xlsx", limits)
        .await
        .unwrap_err();
    assert!(matches!(e, ImportError::Corrupt { .. }), "{e}");
    // A zip bomb: 300 MB of zeros in a few hundred kB.
    let bomb = {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![b'0'; 1024 * 1024];
        for _ in 0..300 {
            w.write_all(&zeros).unwrap();
        }
        w.finish().unwrap().into_inner()
    };
    assert!(bomb.len() < 2 * 1024 * 1024);
    let e = go(bomb, "bomba.xlsx", limits).await.unwrap_err();
    assert!(matches!(e, ImportError::ZipBomb), "{e}");
    // Size and row limits.
    let small = ImportLimits {
        max_bytes: 100,
        ..limits
    };
    let e = go(good.clone(), "velky.xlsx", small).await.unwrap_err();
    assert!(matches!(e, ImportError::TooLarge { .. }), "{e}");
    let rows: Vec<Vec<String>> = (0..50).map(|i| row(&[&format!("r{i}")])).collect();
    let few = ImportLimits {
        max_rows: 10,
        ..limits
    };
    let e = go(xlsx(&[("Dlouhý", rows)]), "dlouhy.xlsx", few)
        .await
        .unwrap_err();
    assert!(matches!(e, ImportError::TooManyRows { .. }), "{e}");
    assert!(e.to_string().contains("Dlouhý"));
    // After all that, a good file still imports.
    let report = go(good, "dobry.xlsx", limits).await.unwrap();
    assert_eq!(report.sheets.len(), 1);
    assert_eq!(
        report.sheets[0].kind, None,
        "a sheet of no known kind is reported as such"
    );
}

/// `tracker import FILE [--dry-run] [--format json]`: the JSON report names each sheet's kind and counts
/// and every error with sheet, cell, value and message; exit code 0 clean, 1 errors, 2 usage.
#[test]
fn command_line_import_reports_json_and_exit_codes() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("tracker-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let tracker = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tracker"))
            .args(args)
            .env("DATABASE_URL", &url)
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    assert!(tracker(&["demo"]).status.success());

    // A file with errors: exit 1, every error in the JSON with its cell.
    let bad = dir.join("chyby.xlsx");
    std::fs::write(
        &bad,
        xlsx(&[(
            "Výdaje",
            vec![
                row(&[
                    "Registrační číslo projektu",
                    "Číslo dokladu",
                    "Položka rozpočtu",
                    "Částka (Kč)",
                ]),
                row(&["CZ.03.01.01/00/22_015/0002653", "D-1", "1.1.1.1", "12,3,4"]),
                row(&["CZ.03.01.01/00/22_015/0009999", "D-2", "1.1.1.1", "#n:5"]),
            ],
        )]),
    )
    .unwrap();
    let out = tracker(&[
        "import",
        bad.to_str().unwrap(),
        "--dry-run",
        "--format",
        "json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let sheet = &report["sheets"][0];
    assert_eq!(sheet["kind"], "expenditures");
    assert_eq!(sheet["data_rows"], 2);
    assert_eq!(sheet["invalid_rows"], 2);
    let errors = sheet["errors"].as_array().unwrap();
    let e = errors.iter().find(|e| e["cell"] == "Výdaje!D2").unwrap();
    assert_eq!(
        (e["sheet"].as_str(), e["code"].as_str(), e["value"].as_str()),
        (Some("Výdaje"), Some("invalid_number"), Some("12,3,4"))
    );
    assert!(!e["message"].as_str().unwrap().is_empty());
    assert!(errors
        .iter()
        .any(|e| e["cell"] == "Výdaje!A3" && e["code"] == "unknown_project"));
    assert_eq!(report["committed"], false);

    // A clean file: exit 0 for the dry run and for the commit.
    let good = dir.join("obce.xlsx");
    std::fs::write(
        &good,
        xlsx(&[(
            "Obce",
            vec![
                row(&["Registrační číslo projektu", "Kód obce"]),
                row(&["CZ.03.01.01/00/22_015/0002653", "#n:554782"]),
            ],
        )]),
    )
    .unwrap();
    let out = tracker(&["import", good.to_str().unwrap(), "--dry-run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = tracker(&["import", good.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["committed"], true);
    let id = report["import_id"].as_i64().unwrap();
    let text =
        String::from_utf8_lossy(&tracker(&["import", good.to_str().unwrap()]).stdout).into_owned();
    assert!(text.contains(&format!("import č. {id}")), "{text}");
    assert!(tracker(&["revert-import", &id.to_string()])
        .status
        .success());

    // Usage errors: exit 2.
    assert_eq!(tracker(&["import"]).status.code(), Some(2));
    assert_eq!(
        tracker(&["import", dir.join("nic.xlsx").to_str().unwrap()])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        tracker(&["import", good.to_str().unwrap(), "--format", "yaml"])
            .status
            .code(),
        Some(2)
    );
    // An unreadable file: exit 1 with a Czech message.
    let fake = dir.join("fake.ods");
    std::fs::write(&fake, b"not a spreadsheet").unwrap();
    let out = tracker(&["import", fake.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neodpovídá"));
    std::fs::remove_dir_all(&dir).ok();
}
