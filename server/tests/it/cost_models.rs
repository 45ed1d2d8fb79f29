//! Cost models (issue 11) on SQLite and PostgreSQL: each model sums a project's money its own way, exact
//! to the haléř; the call decides which models and rates are allowed; lines and drawings outside the
//! model are refused at the field they came from; the model changes only while nothing is drawn.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::{CostModel, Money};
use app::dto::{
    BudgetLineInput, CallCostRulesInput, EditOutcome, ExpenditureInput, FinanceInput, ProjectInput,
    SaveOutcome, UnitCostInput,
};
use app::services::{budget, cost_rules, demo, projects};
use sea_orm::DatabaseConnection;

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

/// A fresh project of call 03_25_106, 1. 1. 2026 – 31. 12. 2027, with no budget yet.
async fn project(db: &DatabaseConnection) -> i32 {
    demo::load(db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    let input = ProjectInput {
        registration_number: "CZ.03.02.01/00/25_106/0009101".into(),
        name: "Test modelů vykazování".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Město Moravský Beroun".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        ..Default::default()
    };
    match projects::create(db, &input).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    }
}

fn finance(model: CostModel, rate: &str) -> FinanceInput {
    FinanceInput {
        cost_model: model.code().into(),
        indirect_rate: rate.into(),
        eu_share: "85".into(),
        state_share: "10".into(),
        own_share: "5".into(),
    }
}

fn line(code: &str, chapter: &str, amount: &str) -> BudgetLineInput {
    BudgetLineInput {
        code: code.into(),
        name: format!("Položka {code}"),
        chapter: chapter.into(),
        year: "2026".into(),
        amount: amount.into(),
        ..Default::default()
    }
}

fn spend(line_id: i32, doc: &str, amount: &str, units: &str) -> ExpenditureInput {
    ExpenditureInput {
        budget_line_id: line_id,
        document_number: doc.into(),
        amount: amount.into(),
        units: units.into(),
        paid_on: "15. 3. 2026".into(),
        description: String::new(),
    }
}

fn refused_at(outcome: EditOutcome, field: &str) -> String {
    match outcome {
        EditOutcome::Invalid(e) => e
            .get(field)
            .unwrap_or_else(|| panic!("no error at {field}: {e:?}"))
            .to_owned(),
        other => panic!("expected an error at {field}, got {other:?}"),
    }
}

async fn saved(outcome: Result<EditOutcome, app::services::ServiceError>) {
    assert_eq!(outcome.unwrap(), EditOutcome::Saved);
}

db_test!(
    forty_percent_model_follows_from_personnel,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        // The call's rate (40 %) when the field is left empty; any other rate is refused.
        let wrong = budget::save_finance(&db, id, 0, &finance(CostModel::Flat40Personnel, "35"))
            .await
            .unwrap();
        assert!(refused_at(wrong, "indirect_rate").contains("40"));
        saved(budget::save_finance(&db, id, 0, &finance(CostModel::Flat40Personnel, "")).await)
            .await;
        saved(
            budget::save_line(&db, id, None, &line("1.1.1.1", "personnel", "1 234 567,89")).await,
        )
        .await;
        // Other costs are covered by the flat rate: a travel line is refused at its chapter.
        let travel = budget::save_line(&db, id, None, &line("1.2.1", "travel", "1 000"))
            .await
            .unwrap();
        assert!(refused_at(travel, "chapter").contains("osobní náklady"));

        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.cost_model, CostModel::Flat40Personnel);
        assert_eq!(v.budgeted.personnel, m("1 234 567,89"));
        assert_eq!(v.budgeted.flat_part, m("493 827,16"));
        assert_eq!(v.total_eligible, m("1 728 395,05"));
        // EU 85 % = 1 469 135,7925 -> ,79; state 10 % = 172 839,505 -> ,51; own gets the rest.
        assert_eq!(
            (v.eu, v.state, v.own),
            (m("1 469 135,79"), m("172 839,51"), m("86 419,75"))
        );
        assert_eq!(
            Money::sum([v.eu, v.state, v.own]).unwrap(),
            v.total_eligible
        );

        // Drawdown follows from the personnel drawn: 100 000 drawn is 140 000 eligible.
        let l = v.lines[0].id;
        saved(budget::add_expenditure(&db, id, &spend(l, "MZDY-03", "100 000,00", "")).await).await;
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.drawn, m("140 000,00"));
        assert_eq!(v.drawn_breakdown.flat_part, m("40 000,00"));
        assert_eq!(v.remaining, m("1 588 395,05"));
        // Once something is drawn the model stays.
        let change = budget::save_finance(
            &db,
            id,
            v.finance_version,
            &finance(CostModel::FlatIndirectDirect, "7"),
        )
        .await
        .unwrap();
        assert!(refused_at(change, "cost_model").contains("nečerpal"));
    }
);

db_test!(
    flat_rate_on_personnel_costs_counts_only_personnel,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let over =
            budget::save_finance(&db, id, 0, &finance(CostModel::FlatIndirectPersonnel, "16"))
                .await
                .unwrap();
        assert!(refused_at(over, "indirect_rate").contains("15"));
        saved(
            budget::save_finance(&db, id, 0, &finance(CostModel::FlatIndirectPersonnel, "15"))
                .await,
        )
        .await;
        saved(budget::save_line(&db, id, None, &line("1.1.1.1", "personnel", "100 000,03")).await)
            .await;
        saved(budget::save_line(&db, id, None, &line("1.4.1", "services", "50 000,00")).await)
            .await;
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        // 15 % of 100 000,03 = 15 000,0045 -> 15 000,00 (the services line is not its base).
        assert_eq!(v.budgeted.flat_part, m("15 000,00"));
        assert_eq!(v.budgeted.other_direct, m("50 000,00"));
        assert_eq!(v.total_eligible, m("165 000,03"));
        assert_eq!(
            Money::sum([v.eu, v.state, v.own]).unwrap(),
            v.total_eligible
        );
        // The same lines under model (a) at 7 %: 7 % of all direct costs 150 000,03 = 10 500,0021.
        saved(
            budget::save_finance(
                &db,
                id,
                v.finance_version,
                &finance(CostModel::FlatIndirectDirect, "7"),
            )
            .await,
        )
        .await;
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.budgeted.flat_part, m("10 500,00"));
        assert_eq!(v.total_eligible, m("160 500,03"));
    }
);

db_test!(
    unit_costs_are_budgeted_and_drawn_as_units_times_rate,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let call = cost_rules::list(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.call_id == "03_25_106")
            .unwrap();
        let unit = |code: &str, rate: &str| UnitCostInput {
            code: code.into(),
            name: format!("Jednotka {code}"),
            unit: "hodina".into(),
            kind: "unit".into(),
            rate: rate.into(),
        };
        saved(cost_rules::add_unit_cost(&db, call.id, &unit("JN-T1", "333,33")).await).await;
        saved(cost_rules::add_unit_cost(&db, call.id, &unit("JN-T2", "451,20")).await).await;
        let dup = cost_rules::add_unit_cost(&db, call.id, &unit("JN-T1", "1"))
            .await
            .unwrap();
        assert!(refused_at(dup, "code").contains("JN-T1"));
        let units = cost_rules::list(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.id == call.id)
            .unwrap()
            .unit_costs;
        let id_of = |code: &str| {
            units
                .iter()
                .find(|u| u.code == code)
                .unwrap()
                .id
                .to_string()
        };

        saved(budget::save_finance(&db, id, 0, &finance(CostModel::Simplified, "")).await).await;
        let unit_line = |code: &str, uc: &str, n: &str| BudgetLineInput {
            unit_cost_id: uc.into(),
            units: n.into(),
            ..line(code, "services", "")
        };
        saved(budget::save_line(&db, id, None, &unit_line("2.1", &id_of("JN-T1"), "12,5")).await)
            .await;
        saved(budget::save_line(&db, id, None, &unit_line("2.2", &id_of("JN-T2"), "1 200")).await)
            .await;
        let bad_units =
            budget::save_line(&db, id, None, &unit_line("2.3", &id_of("JN-T2"), "0,125"))
                .await
                .unwrap();
        refused_at(bad_units, "units");
        // Real costs are not budgeted in a simplified project.
        let real = budget::save_line(&db, id, None, &line("1.1.1.1", "personnel", "1 000"))
            .await
            .unwrap();
        refused_at(real, "unit_cost_id");

        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        // 12,5 × 333,33 = 4 166,625 -> 4 166,63; 1 200 × 451,20 = 541 440,00.
        let l1 = v.lines.iter().find(|l| l.code == "2.1").unwrap();
        assert_eq!(l1.amount, m("4 166,63"));
        assert_eq!(v.budgeted.simplified, m("545 606,63"));
        assert_eq!(v.budgeted.flat_part, Money::zero());
        assert_eq!(v.total_eligible, m("545 606,63"));

        // Drawn in units: 2 × 333,33; an amount instead of units is refused at the units field.
        let by_amount = budget::add_expenditure(&db, id, &spend(l1.id, "VYK-1", "666,66", ""))
            .await
            .unwrap();
        refused_at(by_amount, "units");
        saved(budget::add_expenditure(&db, id, &spend(l1.id, "VYK-1", "", "2")).await).await;
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.drawn, m("666,66"));
        let l1 = v.lines.iter().find(|l| l.code == "2.1").unwrap();
        assert_eq!(l1.units_drawn, Some(rust_decimal::Decimal::from(2)));
    }
);

db_test!(
    the_call_decides_which_models_are_allowed,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let call = cost_rules::list(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.call_id == "03_25_106")
            .unwrap();
        assert_eq!(
            call.rules.allowed,
            CostModel::ALL.to_vec(),
            "every model until an admin says otherwise"
        );
        let only_40 = CallCostRulesInput {
            models: vec!["flat_40_personnel".into()],
            max_rate_direct: "7".into(),
            max_rate_personnel: "15".into(),
            rate_flat_personnel: "40".into(),
        };
        saved(cost_rules::save_rules(&db, call.id, &only_40).await).await;
        let refused =
            budget::save_finance(&db, id, 0, &finance(CostModel::FlatIndirectDirect, "7"))
                .await
                .unwrap();
        assert!(refused_at(refused, "cost_model").contains("nepovoluje"));
        saved(budget::save_finance(&db, id, 0, &finance(CostModel::Flat40Personnel, "")).await)
            .await;
        let none = CallCostRulesInput {
            models: vec![],
            ..only_40
        };
        refused_at(
            cost_rules::save_rules(&db, call.id, &none).await.unwrap(),
            "models",
        );
    }
);

db_test!(
    the_model_is_chosen_when_the_project_is_created,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let input = |n: &str, model: CostModel| ProjectInput {
            registration_number: format!("CZ.03.02.01/00/25_106/000{n}"),
            name: "Projekt se 40% paušálem".into(),
            beneficiary_ico: "00296244".into(),
            beneficiary_name: "Město Moravský Beroun".into(),
            status: "preparation".into(),
            start_date: "1. 1. 2026".into(),
            end_date: "31. 12. 2027".into(),
            cost_model: model.code().into(),
            ..Default::default()
        };
        let SaveOutcome::Saved { id } =
            projects::create(&db, &input("9201", CostModel::Flat40Personnel))
                .await
                .unwrap()
        else {
            panic!("not saved");
        };
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.cost_model, CostModel::Flat40Personnel);
        assert_eq!(v.indirect_rate, rust_decimal::Decimal::from(40));
        // A model the call does not allow is refused at the form's field, and nothing is saved.
        let call = cost_rules::list(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|c| c.call_id == "03_25_106")
            .unwrap();
        let only_a = CallCostRulesInput {
            models: vec!["flat_indirect_direct".into()],
            max_rate_direct: "7".into(),
            max_rate_personnel: "15".into(),
            rate_flat_personnel: "40".into(),
        };
        saved(cost_rules::save_rules(&db, call.id, &only_a).await).await;
        match projects::create(&db, &input("9202", CostModel::Simplified))
            .await
            .unwrap()
        {
            SaveOutcome::Invalid(e) => assert!(e.get("cost_model").unwrap().contains("nepovoluje")),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            app::services::demo::project_id_by_registration(&db, "CZ.03.02.01/00/25_106/0009202")
                .await
                .unwrap(),
            None
        );
    }
);

db_test!(
    the_form_and_the_import_refuse_drawings_outside_the_model_alike,
    |db: DatabaseConnection| async move {
        use app::services::import::{run, ImportLimits, ImportOptions, Progress};
        use std::sync::Arc;
        let id = project(&db).await;
        saved(budget::save_line(&db, id, None, &line("1.1.1.1", "personnel", "10 000")).await)
            .await;
        saved(budget::save_line(&db, id, None, &line("1.2.1", "travel", "10 000")).await).await;
        // Nothing drawn yet: the project may still move to the 40 % model; its travel line then counts
        // for nothing and is flagged.
        saved(budget::save_finance(&db, id, 0, &finance(CostModel::Flat40Personnel, "")).await)
            .await;
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.budgeted.not_counted, m("10 000"));
        assert!(v.flags.iter().any(|f| f.kind == "lines_outside_model"));
        let travel = v.lines.iter().find(|l| l.code == "1.2.1").unwrap();
        assert!(travel.not_counted);
        // The form refuses a drawing on it at the line field…
        let form = budget::add_expenditure(&db, id, &spend(travel.id, "CP-1", "100", ""))
            .await
            .unwrap();
        assert!(refused_at(form, "budget_line_id").contains("40% paušálem"));
        // …and the import refuses the same drawing at the row's budget-line cell, saving nothing.
        let sheet = crate::common::xlsx(&[(
            "Výdaje",
            vec![
                crate::common::row(&[
                    "Reg. č.",
                    "Číslo dokladu",
                    "Položka rozpočtu",
                    "Datum úhrady",
                    "Částka (Kč)",
                ]),
                crate::common::row(&[
                    "CZ.03.02.01/00/25_106/0009101",
                    "CP-1",
                    "1.2.1",
                    "#d:2026-04-30",
                    "#n:100",
                ]),
            ],
        )]);
        let report = run(
            &db,
            Arc::new(sheet),
            "vydaje.xlsx",
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
        .unwrap();
        let issues: Vec<(String, String)> = report
            .sheets
            .iter()
            .flat_map(|s| s.errors.iter().map(|e| (e.code.clone(), e.cell.clone())))
            .collect();
        assert!(
            issues
                .iter()
                .any(|(code, cell)| code == "line_outside_cost_model" && cell == "Výdaje!C2"),
            "{issues:?}"
        );
        let v = budget::view(&db, id, crate::common::today()).await.unwrap();
        assert_eq!(v.drawn, Money::zero());
    }
);
