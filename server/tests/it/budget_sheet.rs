//! Budget sheets (*Rozpočet*) in the importer, on SQLite and PostgreSQL: preview, commit, the same file
//! again changes nothing, revert; the budget rules of the line form at their cells (never below what is
//! drawn, the 40 % model takes only personnel lines, units × unit price); and a new project's whole
//! workbook (projects, budget, indicators, expenditures, in any sheet order) imported in one go.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::sync::Arc;

use app::dto::import::ImportReport;
use app::dto::{BudgetLineInput, EditOutcome, ExpenditureInput, ProjectInput, SaveOutcome};
use app::services::import::{run, store, ImportLimits, ImportOptions, Progress};
use app::services::{budget, demo, projects};
use chrono::NaiveDate;
use common::{row, xlsx};
use entity::{budget_line, expenditure, indicator_value, monitoring_period, project};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

async fn import(db: &DatabaseConnection, bytes: &[u8], commit: bool) -> ImportReport {
    run(
        db,
        Arc::new(bytes.to_vec()),
        "rozpocet.xlsx",
        ImportLimits::default(),
        &ImportOptions {
            commit,
            all_or_nothing: false,
            imported_by: "test".into(),
            viewer: None,
        },
        Arc::new(Progress::default()),
    )
    .await
    .unwrap()
}

fn errors(report: &ImportReport) -> Vec<(String, String, String)> {
    report
        .sheets
        .iter()
        .flat_map(|s| {
            s.errors
                .iter()
                .map(|e| (e.cell.clone(), e.code.clone(), e.message.clone()))
        })
        .collect()
}

fn error_at<'a>(report: &'a ImportReport, cell: &str) -> &'a app::dto::import::CellIssue {
    report
        .sheets
        .iter()
        .flat_map(|s| s.errors.iter())
        .find(|e| e.cell == cell)
        .unwrap_or_else(|| panic!("no error at {cell}: {:?}", errors(report)))
}

async fn lines(db: &DatabaseConnection, project_id: i32) -> Vec<budget_line::Model> {
    budget_line::Entity::find()
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .order_by_asc(budget_line::Column::Code)
        .order_by_asc(budget_line::Column::Year)
        .all(db)
        .await
        .unwrap()
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// A project made by the form with the given cost model (empty: the default), 1. 1. 2026 – 31. 12. 2027.
async fn project_with_model(db: &DatabaseConnection, reg: &str, cost_model: &str) -> i32 {
    let input = ProjectInput {
        registration_number: reg.into(),
        name: "Projekt rozpočtu".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        cost_model: cost_model.into(),
        ..Default::default()
    };
    match projects::create(db, &input).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    }
}

const HEADER: [&str; 6] = [
    "Reg. č.",
    "Kód položky",
    "Název",
    "Kapitola",
    "Rok",
    "Částka",
];

db_test!(
    budget_sheet_preview_commit_idempotence_and_revert,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        const REG: &str = "CZ.03.02.01/00/25_106/0009201";
        let id = common::project_with_budget(&db, REG).await;
        let before = lines(&db, id).await;
        let file = xlsx(&[(
            "Rozpočet",
            vec![
                row(&["Rozpočet projektu (tisk z MS2021+)"]),
                row(&HEADER),
                row(&[REG, "1.1.1.1", "Mzdy", "", "#n:2026", "9 000 000,00"]),
                row(&[
                    REG,
                    "1.1.2.1",
                    "Dohody o pracovní činnosti",
                    "",
                    "#n:2027",
                    "#n:200000",
                ]),
                row(&[
                    REG,
                    "1.3.1",
                    "Vybavení",
                    "Zařízení a vybavení",
                    "#n:2026",
                    "#n:50000",
                ]),
                row(&["Celkem", "", "", "", "", "#n:9250000"]),
            ],
        )]);
        // The preview stores nothing, and says what a commit would do.
        let preview = import(&db, &file, false).await;
        assert!(!preview.has_errors(), "{:?}", errors(&preview));
        let sheet = &preview.sheets[0];
        assert_eq!(sheet.kind.as_deref(), Some("budget"));
        assert_eq!(sheet.header_row, Some(2));
        assert_eq!((sheet.new_rows, sheet.changed_rows), (2, 1));
        assert!(
            sheet.total_rows.iter().all(|t| t.matches),
            "{:?}",
            sheet.total_rows
        );
        let change = sheet
            .changes
            .iter()
            .find(|c| c.action == "changed")
            .unwrap();
        assert_eq!(change.field, "Rozpočet");
        assert!(
            change.old.starts_with("10\u{a0}000\u{a0}000,00"),
            "{change:?}"
        );
        assert!(
            change.new.starts_with("9\u{a0}000\u{a0}000,00"),
            "{change:?}"
        );
        assert_eq!(lines(&db, id).await, before, "a preview stores nothing");

        // The commit stores the lines, with the chapter derived from the code when not given.
        let first = import(&db, &file, true).await;
        assert!(
            first.committed && !first.has_errors(),
            "{:?}",
            errors(&first)
        );
        let after = lines(&db, id).await;
        let summary: Vec<(&str, i32, &str, i64)> = after
            .iter()
            .map(|l| (l.code.as_str(), l.year, l.chapter.as_str(), l.amount_halere))
            .collect();
        assert_eq!(
            summary,
            [
                ("1.1.1.1", 2026, "personnel", 900_000_000),
                ("1.1.2.1", 2027, "personnel", 20_000_000),
                ("1.3.1", 2026, "equipment", 5_000_000),
            ]
        );
        let import_id = first.import_id.unwrap();
        assert!(after.iter().all(|l| l.import_id == Some(import_id)));

        // The same file again changes nothing.
        let again = import(&db, &file, true).await;
        assert_eq!(again.change_count(), 0, "{:?}", again.sheets[0].changes);
        assert_eq!(again.sheets[0].unchanged_rows, 3);
        assert_eq!(lines(&db, id).await, after);
        store::revert(&db, again.import_id.unwrap()).await.unwrap();

        // Reverting the first import restores the budget as it was.
        store::revert(&db, import_id).await.unwrap();
        assert_eq!(lines(&db, id).await, before);
    }
);

db_test!(
    budget_sheet_refuses_a_line_below_what_is_drawn_at_its_amount_cell,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        const REG: &str = "CZ.03.02.01/00/25_106/0009202";
        let id = common::project_with_budget(&db, REG).await;
        let line = lines(&db, id).await.remove(0);
        let spent = ExpenditureInput {
            budget_line_id: line.id,
            document_number: "FA-7".into(),
            amount: "7 000 000,00".into(),
            paid_on: "30. 4. 2026".into(),
            ..Default::default()
        };
        assert_eq!(
            budget::add_expenditure(&db, id, &spent).await.unwrap(),
            EditOutcome::Saved
        );
        let file = xlsx(&[(
            "Rozpočet",
            vec![
                row(&HEADER),
                row(&[REG, "1.1.1.1", "Mzdy", "", "#n:2026", "5 000 000,00"]),
                row(&[REG, "1.1.1.1", "Mzdy", "", "#n:2027", "#n:100"]),
            ],
        )]);
        let report = import(&db, &file, true).await;
        let e = error_at(&report, "Rozpočet!F2");
        assert_eq!(e.code, "budget_below_drawn");
        assert!(
            e.message.contains("7\u{a0}000\u{a0}000,00"),
            "{}",
            e.message
        );
        assert_eq!(e.value, serde_json::json!("5000000.00"));
        assert_eq!(report.sheets[0].new_rows, 1, "the other row is stored");
        let stored = lines(&db, id).await;
        assert_eq!(
            stored[0].amount_halere, 1_000_000_000,
            "the line keeps its budget"
        );

        // The line form refuses the same with the same words.
        let input = BudgetLineInput {
            code: "1.1.1.1".into(),
            name: "Mzdy".into(),
            chapter: "personnel".into(),
            year: "2026".into(),
            amount: "5 000 000,00".into(),
            ..Default::default()
        };
        let stored = lines(&db, id).await.remove(0);
        let EditOutcome::Invalid(f) =
            budget::save_line(&db, id, Some((stored.id, stored.version)), &input)
                .await
                .unwrap()
        else {
            panic!("the form must refuse it")
        };
        let form_message = f.get("amount").unwrap();
        assert!(
            e.message.ends_with(form_message),
            "{} / {form_message}",
            e.message
        );
    }
);

db_test!(
    budget_sheet_refuses_other_than_personnel_lines_on_the_40_percent_model,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        const REG: &str = "CZ.03.02.01/00/25_106/0009203";
        let id = project_with_model(&db, REG, "flat_40_personnel").await;
        let file = xlsx(&[(
            "Rozpočet",
            vec![
                row(&HEADER),
                row(&[REG, "1.1.1.1", "Mzdy", "", "#n:2026", "#n:800000"]),
                row(&[
                    REG,
                    "1.2.1",
                    "Cestovné",
                    "Cestovní náhrady",
                    "#n:2026",
                    "#n:20000",
                ]),
                row(&[REG, "1.4.1", "Kurzy", "", "#n:2026", "#n:30000"]),
            ],
        )]);
        let report = import(&db, &file, true).await;
        for cell in ["Rozpočet!B3", "Rozpočet!B4"] {
            let e = error_at(&report, cell);
            assert_eq!(e.code, "line_outside_cost_model");
            assert!(e.message.contains("40% paušálem"), "{}", e.message);
        }
        let stored = lines(&db, id).await;
        assert_eq!(stored.len(), 1);
        assert_eq!(stored[0].code, "1.1.1.1");

        // The form: the same rule, the same words.
        let input = BudgetLineInput {
            code: "1.2.1".into(),
            name: "Cestovné".into(),
            chapter: "travel".into(),
            year: "2026".into(),
            amount: "20 000".into(),
            ..Default::default()
        };
        let EditOutcome::Invalid(f) = budget::save_line(&db, id, None, &input).await.unwrap()
        else {
            panic!("the form must refuse it")
        };
        assert!(error_at(&report, "Rozpočet!B3")
            .message
            .ends_with(f.get("chapter").unwrap()));
    }
);

db_test!(
    budget_sheet_computes_units_times_unit_price,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        const REAL: &str = "CZ.03.02.01/00/25_106/0009204";
        const SIMPLE: &str = "CZ.03.02.01/00/24_065/0009205";
        let real = common::project_with_budget(&db, REAL).await;
        let simple = project_with_model(&db, SIMPLE, "simplified").await;
        let file = xlsx(&[(
            "Rozpočet",
            vec![
                row(&[
                    "Registrační číslo projektu",
                    "Kód položky",
                    "Název položky",
                    "Rok",
                    "Počet jednotek",
                    "Jednotková cena",
                    "Částka (Kč)",
                ]),
                // Real costs: units × unit price is the amount, rounded once (4 166,625 → 4 166,63).
                row(&[REAL, "1.4.1", "Kurzy", "#n:2026", "12,5", "333,33", ""]),
                row(&[
                    REAL, "1.4.2", "Kurzy B", "#n:2026", "#n:3", "#n:100", "#n:300",
                ]),
                row(&[
                    REAL, "1.4.3", "Kurzy C", "#n:2026", "#n:3", "#n:100", "#n:301",
                ]),
                row(&[REAL, "1.4.4", "Kurzy D", "#n:2026", "0", "#n:100", ""]),
                // Simplified costs: the unit price names the call's unit cost (JN-01, 1 150,00 Kč).
                row(&[
                    SIMPLE,
                    "2.1",
                    "Hodina individuálního poradenství",
                    "#n:2026",
                    "#n:100",
                    "1 150,00",
                    "",
                ]),
                row(&[
                    SIMPLE,
                    "2.2",
                    "Neznámá jednotka",
                    "#n:2026",
                    "#n:10",
                    "999,00",
                    "",
                ]),
                row(&[SIMPLE, "2.3", "Bez jednotek", "#n:2026", "", "", "#n:1000"]),
            ],
        )]);
        let report = import(&db, &file, true).await;
        let codes: Vec<(String, String)> = errors(&report)
            .into_iter()
            .map(|(cell, code, _)| (cell, code))
            .collect();
        assert_eq!(
            codes,
            [
                ("Rozpočet!G4".to_owned(), "amount_mismatch".to_owned()),
                ("Rozpočet!E5".to_owned(), "invalid_units".to_owned()),
                ("Rozpočet!F7".to_owned(), "unknown_unit_cost".to_owned()),
                (
                    "Rozpočet!B8".to_owned(),
                    "line_outside_cost_model".to_owned()
                ),
            ]
        );
        let real_lines = lines(&db, real).await;
        let amounts: Vec<(&str, i64, Option<i32>)> = real_lines
            .iter()
            .map(|l| (l.code.as_str(), l.amount_halere, l.unit_cost_id))
            .collect();
        assert_eq!(
            amounts,
            [
                ("1.1.1.1", 1_000_000_000, None),
                ("1.4.1", 416_663, None),
                ("1.4.2", 30_000, None)
            ]
        );
        let simple_lines = lines(&db, simple).await;
        assert_eq!(simple_lines.len(), 1);
        let unit = entity::unit_cost::Entity::find()
            .filter(entity::unit_cost::Column::Code.eq("JN-01"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(simple_lines[0].unit_cost_id, Some(unit.id));
        assert_eq!(simple_lines[0].units.as_deref(), Some("100"));
        assert_eq!(simple_lines[0].amount_halere, 11_500_000);
        // Units × unit price of the same file again: nothing changes.
        let again = import(&db, &file, true).await;
        assert_eq!(again.change_count(), 0);
    }
);

// A brand-new project's workbook, its sheets in the reverse of the order their data depend on: the
// importer applies projects (with their monitoring periods), then the budget, then indicator values and
// expenditures, so that "ZoR 1" and the budget lines resolve and everything imports in one go.
db_test!(
    a_new_projects_workbook_imports_in_one_go,
    |db: DatabaseConnection| async move {
        demo::load(&db, common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        const REG: &str = "CZ.03.01.01/00/22_015/0009101";
        let file = xlsx(&[
            (
                "Výdaje",
                vec![
                    row(&[
                        "Reg. č.",
                        "Číslo dokladu",
                        "Položka rozpočtu",
                        "Období",
                        "Datum úhrady",
                        "Částka (Kč)",
                    ]),
                    row(&[REG, "FA-1", "1.1.1.1", "ZoR 1", "#d:2026-04-30", "#n:20000"]),
                    row(&[REG, "FA-2", "1.2.1", "1", "12. 5. 2026", "1 000,00"]),
                    row(&[REG, "FA-3", "Mzdy", "ZoR 3", "#d:2027-02-28", "#n:15000"]),
                ],
            ),
            (
                "Indikátory",
                vec![
                    row(&[
                        "Registrační číslo projektu",
                        "Kód indikátoru",
                        "Období",
                        "Dosažená hodnota",
                        "Cílová hodnota",
                    ]),
                    row(&[REG, "EECO01", "ZoR 1", "#n:5", "#n:100"]),
                    row(&[REG, "EECO01", "ZoR 4", "#n:7", ""]),
                ],
            ),
            (
                "Rozpočet",
                vec![
                    row(&[
                        "Registrační číslo projektu",
                        "Kód položky",
                        "Název položky",
                        "Kapitola",
                        "Rok",
                        "Počet jednotek",
                        "Jednotková cena",
                        "Částka (Kč)",
                    ]),
                    row(&[REG, "1.1.1.1", "Mzdy", "", "#n:2026", "", "", "#n:500000"]),
                    row(&[REG, "1.1.1.1", "Mzdy", "", "#n:2027", "", "", "400 000,00"]),
                    row(&[
                        REG,
                        "1.2.1",
                        "Cestovné",
                        "Cestovní náhrady",
                        "#n:2026",
                        "#n:10",
                        "1 500,00",
                        "",
                    ]),
                    row(&["Celkem", "", "", "", "", "", "", "#n:915000"]),
                ],
            ),
            (
                "Projekty",
                vec![
                    row(&[
                        "Registrační číslo projektu",
                        "Název projektu",
                        "Příjemce",
                        "IČO",
                        "Stav projektu",
                        "Datum zahájení",
                        "Datum ukončení",
                        "Celkové způsobilé výdaje",
                    ]),
                    row(&[
                        REG,
                        "Nový projekt z jednoho sešitu",
                        "Obec Liptaň",
                        "00296244",
                        "Projekt v realizaci",
                        "#d:2026-01-01",
                        "#d:2027-12-31",
                        "#n:915000",
                    ]),
                ],
            ),
        ]);
        let preview = import(&db, &file, false).await;
        assert!(!preview.has_errors(), "{:?}", errors(&preview));
        let names: Vec<&str> = preview.sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["Výdaje", "Indikátory", "Rozpočet", "Projekty"],
            "the report keeps the workbook's order"
        );
        assert!(
            project::Entity::find()
                .filter(project::Column::RegistrationNumber.eq(REG))
                .one(&db)
                .await
                .unwrap()
                .is_none(),
            "a preview stores nothing"
        );

        let report = import(&db, &file, true).await;
        assert!(
            report.committed && !report.has_errors(),
            "{:?}",
            errors(&report)
        );
        for s in &report.sheets {
            assert_eq!(s.invalid_rows, 0, "{}", s.name);
            assert_eq!(s.new_rows, s.valid_rows, "{}", s.name);
        }
        let p = project::Entity::find()
            .filter(project::Column::RegistrationNumber.eq(REG))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let periods = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(p.id))
            .order_by_asc(monitoring_period::Column::Number)
            .all(&db)
            .await
            .unwrap();
        let dates: Vec<(i32, NaiveDate, NaiveDate)> = periods
            .iter()
            .map(|m| (m.number, m.start_date, m.end_date))
            .collect();
        assert_eq!(
            dates,
            [
                (1, d(2026, 1, 1), d(2026, 6, 30)),
                (2, d(2026, 7, 1), d(2026, 12, 31)),
                (3, d(2027, 1, 1), d(2027, 6, 30)),
                (4, d(2027, 7, 1), d(2027, 12, 31)),
            ]
        );
        assert_eq!(lines(&db, p.id).await.len(), 3);
        let spent = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(p.id))
            .order_by_asc(expenditure::Column::DocumentNumber)
            .all(&db)
            .await
            .unwrap();
        let by_period: Vec<Option<i32>> = spent.iter().map(|e| e.period_id).collect();
        assert_eq!(
            by_period,
            [
                Some(periods[0].id),
                Some(periods[0].id),
                Some(periods[2].id)
            ]
        );
        let values = indicator_value::Entity::find()
            .filter(indicator_value::Column::PeriodId.is_in([periods[0].id, periods[3].id]))
            .all(&db)
            .await
            .unwrap();
        assert_eq!(values.len(), 2);

        // The same workbook again changes nothing.
        let again = import(&db, &file, true).await;
        assert!(!again.has_errors(), "{:?}", errors(&again));
        assert_eq!(again.change_count(), 0);
        store::revert(&db, again.import_id.unwrap()).await.unwrap();

        // Reverting the import removes the project with its periods, budget, values and expenditures.
        store::revert(&db, report.import_id.unwrap()).await.unwrap();
        assert!(project::Entity::find_by_id(p.id)
            .one(&db)
            .await
            .unwrap()
            .is_none());
        assert!(monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(p.id))
            .all(&db)
            .await
            .unwrap()
            .is_empty());
        assert!(lines(&db, p.id).await.is_empty());
    }
);
