//! Budgets, expenditures, indicators and flags on SQLite and PostgreSQL, each test on a fresh database.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::domain::Money;
use app::dto::{
    BudgetLineInput, EditOutcome, ExpenditureInput, FinanceInput, ProjectInput, ProjectListQuery,
    SaveOutcome,
};
use app::services::{budget, demo, monitoring, projects};
use chrono::NaiveDate;
use entity::{expenditure, indicator, monitoring_period, project_indicator};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

fn m(s: &str) -> Money {
    Money::parse(s).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
}

/// A fresh project 1. 1. 2026 – 31. 12. 2027 with no budget.
async fn project(db: &DatabaseConnection) -> i32 {
    demo::load(db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    let input = ProjectInput {
        registration_number: "CZ.03.02.01/00/25_106/0009001".into(),
        name: "Rozpočtový test".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Město Moravský Beroun".into(),
        status: "realisation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        total_eligible: "1 000 000,00".into(),
        ..Default::default()
    };
    match projects::create(db, &input).await.unwrap() {
        SaveOutcome::Saved { id } => id,
        other => panic!("{other:?}"),
    }
}

fn line(code: &str, chapter: &str, year: i32, amount: &str) -> BudgetLineInput {
    BudgetLineInput {
        code: code.into(),
        name: format!("Položka {code}"),
        chapter: chapter.into(),
        year: year.to_string(),
        amount: amount.into(),
        ..Default::default()
    }
}

fn spend(line_id: i32, doc: &str, amount: &str, paid_on: &str) -> ExpenditureInput {
    ExpenditureInput {
        budget_line_id: line_id,
        document_number: doc.into(),
        amount: amount.into(),
        paid_on: paid_on.into(),
        description: String::new(),
        ..Default::default()
    }
}

async fn add_line(db: &DatabaseConnection, id: i32, l: BudgetLineInput) {
    assert_eq!(
        budget::save_line(db, id, None, &l).await.unwrap(),
        EditOutcome::Saved
    );
}

async fn line_id(db: &DatabaseConnection, id: i32, code: &str, year: i32) -> i32 {
    budget::view(db, id, today())
        .await
        .unwrap()
        .lines
        .iter()
        .find(|l| l.code == code && l.year == year)
        .unwrap()
        .id
}

db_test!(
    budget_totals_split_and_drawdown_are_exact,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let fin = FinanceInput {
            indirect_rate: "7".into(),
            eu_share: "85".into(),
            state_share: "10".into(),
            own_share: "5".into(),
            ..Default::default()
        };
        assert_eq!(
            budget::save_finance(&db, id, 0, &fin).await.unwrap(),
            EditOutcome::Saved
        );
        add_line(&db, id, line("1.1.1.1", "personnel", 2026, "300 000,01")).await;
        add_line(&db, id, line("1.1.1.1", "personnel", 2027, "300 000,00")).await;
        add_line(&db, id, line("1.4.1", "services", 2026, "99 999,99")).await;
        let l = line_id(&db, id, "1.1.1.1", 2026).await;
        assert_eq!(
            budget::add_expenditure(&db, id, &spend(l, "FV-1", "100 000,00", "15. 3. 2026"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::add_expenditure(&db, id, &spend(l, "FV-2", "0,01", "16. 3. 2026"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let v = budget::view(&db, id, today()).await.unwrap();
        // Direct 300 000,01 + 300 000,00 + 99 999,99 = 700 000,00; indirect 7 % = 49 000,00; total 749 000,00.
        assert_eq!(v.direct_total, m("700 000,00"));
        assert_eq!(v.budgeted.flat_part, m("49 000,00"));
        assert_eq!(v.total_eligible, m("749 000,00"));
        // EU 85 % = 636 650,00; state 10 % = 74 900,00; own takes the rest = 37 450,00.
        assert_eq!(
            (v.eu, v.state, v.own),
            (m("636 650,00"), m("74 900,00"), m("37 450,00"))
        );
        // Drawn 100 000,01 direct + 7 % = 7 000,0007 → 7 000,00; total 107 000,01.
        assert_eq!(v.drawn, m("107 000,01"));
        assert_eq!(v.remaining, m("641 999,99"));
        let personnel = v
            .chapters
            .iter()
            .find(|c| c.chapter == "personnel")
            .unwrap();
        assert_eq!(personnel.per_year, vec![m("300 000,01"), m("300 000,00")]);
        assert_eq!(personnel.drawn, m("100 000,01"));
        // 1 Jan 2026 – 1 Jul 2026 is 182 of 730 days = 24,9 %; drawn 107 000,01 / 749 000,00 = 14,3 %: lag 10,6 p. b.
        assert_eq!(v.drawdown_percent.unwrap().round_dp(1).to_string(), "14.3");
        assert_eq!(v.elapsed_percent.round_dp(1).to_string(), "24.9");
        assert!(
            v.flags.is_empty(),
            "a lag of 10,6 p. b. is within 25: {:?}",
            v.flags
        );
        // Per line, against the line's own year: on 1 Jul 2026, 182 of 365 days of 2026 are gone (49,9 %);
        // line 1.1.1.1/2026 is 33,3 % drawn (100 000,01 of 300 000,01), a lag of 16,5 p. b.: within 25.
        let l2026 = v
            .lines
            .iter()
            .find(|l| l.code == "1.1.1.1" && l.year == 2026)
            .unwrap();
        assert_eq!(
            l2026.elapsed_percent.unwrap().round_dp(1).to_string(),
            "49.9"
        );
        assert_eq!(
            l2026.drawdown_percent.unwrap().round_dp(1).to_string(),
            "33.3"
        );
        assert!(!l2026.lagging);
        let l2027 = v
            .lines
            .iter()
            .find(|l| l.code == "1.1.1.1" && l.year == 2027)
            .unwrap();
        assert_eq!(
            l2027.elapsed_percent.unwrap(),
            rust_decimal::Decimal::ZERO,
            "2027 has not begun"
        );
        let services = v.lines.iter().find(|l| l.code == "1.4.1").unwrap();
        assert!(
            services.lagging,
            "0 % drawn with half of 2026 gone lags by 49,9 p. b."
        );
        // A year later with nothing more spent, the lag is flagged with its numbers.
        let later = budget::view(&db, id, NaiveDate::from_ymd_opt(2027, 7, 1).unwrap())
            .await
            .unwrap();
        let flag = later
            .flags
            .iter()
            .find(|f| f.kind == "drawdown_lag")
            .expect("lag flag");
        assert!(
            flag.message.contains("14,3") && flag.message.contains("74,9"),
            "{}",
            flag.message
        );
    }
);

db_test!(
    expenditure_that_would_overdraw_its_line_is_refused,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        add_line(&db, id, line("1.2.1", "travel", 2026, "10 000,00")).await;
        let l = line_id(&db, id, "1.2.1", 2026).await;
        assert_eq!(
            budget::add_expenditure(&db, id, &spend(l, "C-1", "9 999,99", "1. 2. 2026"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) =
            budget::add_expenditure(&db, id, &spend(l, "C-2", "0,02", "2. 2. 2026"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("amount").unwrap().contains("zbývá 0,01"), "{e:?}");
        let EditOutcome::Invalid(e) =
            budget::add_expenditure(&db, id, &spend(l, "C-1", "0,01", "2. 2. 2026"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("document_number").unwrap().contains("C-1"));
        let EditOutcome::Invalid(e) =
            budget::add_expenditure(&db, id, &spend(l, "", "-5,00", "2. 2. 2026"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("amount").unwrap().contains("číslo dokladu"));
        let EditOutcome::Invalid(e) =
            budget::add_expenditure(&db, id, &spend(l, "C-3", "1,00", "1. 1. 2030"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("paid_on").unwrap().contains("mimo dobu realizace"));
        let EditOutcome::Invalid(e) =
            budget::add_expenditure(&db, id, &spend(l, "C-3", "12,3,4", ""))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("amount").is_some());
        assert!(
            e.get("paid_on").unwrap().contains("datum úhrady"),
            "an expenditure needs its payment date"
        );
        let EditOutcome::Invalid(e) =
            budget::add_expenditure(&db, id, &spend(l, "C-9", "-10 000,00", "3. 2. 2026"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("amount").unwrap().contains("pod nulu"), "{e:?}");
        // A credit note brings room back; only what passed was stored.
        assert_eq!(
            budget::add_expenditure(&db, id, &spend(l, "C-1-D", "-0,99", "3. 2. 2026"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let v = budget::view(&db, id, today()).await.unwrap();
        assert_eq!(v.lines[0].drawn, m("9 999,00"));
    }
);

db_test!(
    budget_line_rules_and_lost_update_protection,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let EditOutcome::Invalid(e) =
            budget::save_line(&db, id, None, &line("1.x", "nope", 2031, "-1"))
                .await
                .unwrap()
        else {
            panic!()
        };
        for f in ["code", "chapter", "year", "amount"] {
            assert!(e.get(f).is_some(), "{f}: {e:?}");
        }
        add_line(&db, id, line("1.1.1.1", "personnel", 2026, "1 000,00")).await;
        let EditOutcome::Invalid(e) =
            budget::save_line(&db, id, None, &line("1.1.1.1", "personnel", 2026, "5,00"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("code").unwrap().contains("už v rozpočtu"));
        let v = budget::view(&db, id, today()).await.unwrap();
        let (lid, ver) = (v.lines[0].id, v.lines[0].version);
        assert_eq!(
            budget::save_line(
                &db,
                id,
                Some((lid, ver)),
                &line("1.1.1.1", "personnel", 2026, "2 000,00")
            )
            .await
            .unwrap(),
            EditOutcome::Saved
        );
        assert!(matches!(
            budget::save_line(
                &db,
                id,
                Some((lid, ver)),
                &line("1.1.1.1", "personnel", 2026, "3 000,00")
            )
            .await
            .unwrap(),
            EditOutcome::Conflict(_)
        ));
        assert_eq!(
            budget::view(&db, id, today()).await.unwrap().lines[0].amount,
            m("2 000,00")
        );
        let EditOutcome::Invalid(e) = budget::save_finance(
            &db,
            id,
            0,
            &FinanceInput {
                indirect_rate: "7".into(),
                eu_share: "85".into(),
                state_share: "10".into(),
                own_share: "4".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap() else {
            panic!()
        };
        assert!(e.get("own_share").unwrap().contains("100"));
    }
);

db_test!(
    largest_amounts_keep_every_haler,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        add_line(
            &db,
            id,
            line("1.1.1.1", "personnel", 2026, "999 999 999 999,99"),
        )
        .await;
        let l = line_id(&db, id, "1.1.1.1", 2026).await;
        assert_eq!(
            budget::add_expenditure(
                &db,
                id,
                &spend(l, "BIG", "999 999 999 999,98", "1. 6. 2026")
            )
            .await
            .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::add_expenditure(&db, id, &spend(l, "SMALL", "0,01", "1. 6. 2026"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let v = budget::view(&db, id, today()).await.unwrap();
        assert_eq!(v.direct_total.to_halere(), 99_999_999_999_999);
        assert_eq!(v.lines[0].drawn.to_halere(), 99_999_999_999_999);
        assert_eq!(
            v.lines[0].amount.to_string(),
            "999\u{a0}999\u{a0}999\u{a0}999,99\u{a0}Kč"
        );
    }
);

db_test!(
    a_sum_of_100000_expenditures_is_exact,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        add_line(
            &db,
            id,
            line("1.1.1.1", "personnel", 2026, "100 000 000,00"),
        )
        .await;
        let l = line_id(&db, id, "1.1.1.1", 2026).await;
        // 100 000 amounts of 0,01 … 1 000,00 Kč cycling over 1..=100 000 haléřů: exact sum by the formula
        // n(n+1)/2 for n = 100 000 = 5 000 050 000 haléřů = 50 000 500,00 Kč.
        let txn = db.begin().await.unwrap();
        let rows: Vec<expenditure::ActiveModel> = (1..=100_000_i64)
            .map(|h| expenditure::ActiveModel {
                project_id: Set(id),
                budget_line_id: Set(l),
                period_id: Set(None),
                document_number: Set(Some(format!("D{h}"))),
                amount_halere: Set(h),
                paid_on: Set(None),
                description: Set(String::new()),
                supplier: Set(String::new()),
                ..Default::default()
            })
            .collect();
        for chunk in rows.chunks(1000) {
            expenditure::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await
                .unwrap();
        }
        txn.commit().await.unwrap();
        let v = budget::view(&db, id, today()).await.unwrap();
        assert_eq!(v.lines[0].drawn, m("50 000 500,00"));
        assert_eq!(v.drawn, m("50 000 500,00"), "no indirect rate set");
    }
);

db_test!(
    achieved_values_give_fulfilment_and_refuse_stale_writes,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        // ZoR 1 (1. 1. – 30. 6. 2026), made with the project by its programme's rule.
        let period = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(id))
            .filter(monitoring_period::Column::Number.eq(1))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            period.end_date,
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
        );
        let eeco01 = indicator::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|i| i.code == "EECO01")
            .unwrap();
        let pi = project_indicator::ActiveModel {
            project_id: Set(id),
            indicator_id: Set(eeco01.id),
            baseline_milli: Set(0),
            target_milli: Set(80_000),
            target_date: Set(NaiveDate::from_ymd_opt(2027, 12, 31).unwrap()),
            version: Set(1),
            ..Default::default()
        }
        .insert(&db)
        .await
        .unwrap();
        let EditOutcome::Invalid(e) =
            monitoring::set_achieved(&db, id, pi.id, period.id, None, "2,5")
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("value").unwrap().contains("celé číslo"));
        assert_eq!(
            monitoring::set_achieved(&db, id, pi.id, period.id, None, "20")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let t = monitoring::indicator_table(&db, id, crate::common::today())
            .await
            .unwrap();
        let row = &t.rows[0];
        assert_eq!(row.cumulative.to_string(), "20");
        assert_eq!(row.fulfilment.unwrap(), rust_decimal::Decimal::from(25));
        let version = row.values[0].unwrap().1;
        assert_eq!(
            monitoring::set_achieved(&db, id, pi.id, period.id, Some(version), "30")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert!(matches!(
            monitoring::set_achieved(&db, id, pi.id, period.id, Some(version), "40")
                .await
                .unwrap(),
            EditOutcome::Conflict(_)
        ));
        assert_eq!(
            monitoring::indicator_table(&db, id, crate::common::today())
                .await
                .unwrap()
                .rows[0]
                .cumulative
                .to_string(),
            "30"
        );
    }
);

db_test!(
    demo_portfolio_has_living_projects_with_a_flag,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let q = ProjectListQuery {
            text: "0002657".into(),
            page: 1,
            per_page: 5,
            ..Default::default()
        };
        let vnp = projects::list(&db, &q).await.unwrap().rows[0].id;
        let today = crate::common::today();
        let b = budget::view(&db, vnp, today).await.unwrap();
        assert!(b.lines.len() >= 5 && !b.drawn.is_zero());
        assert!(
            b.flags.iter().any(|f| f.kind == "drawdown_lag"),
            "{:?}",
            b.flags
        );
        let t = monitoring::indicator_table(&db, vnp, crate::common::today())
            .await
            .unwrap();
        assert!(t.participants > 50 && t.participants_illustrative);
        assert!(
            t.rows.iter().any(|r| r.flag.is_some()),
            "{:#?}",
            t.rows
                .iter()
                .map(|r| (&r.code, r.cumulative, r.target, r.fulfilment))
                .collect::<Vec<_>>()
        );
        let eeco08 = t.rows.iter().find(|r| r.code == "EECO08").unwrap();
        assert!(
            eeco08.computed.iter().flatten().count() > 0,
            "EECO08 computed from records (all VNP participants are 55+)"
        );
        let c = budget::claims(&db, vnp, today).await.unwrap();
        assert!(
            c.claims.iter().any(|x| x.flag.is_some()),
            "an overdue claim"
        );
        // Loading again changes nothing.
        let again = demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        assert_eq!(again, demo::DemoCounts::default());
    }
);

db_test!(
    periods_and_project_indicators_follow_the_rules,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        // The project got ZoR 1–4 by its programme's rule; a period by hand may not overlap them or
        // leave the realisation.
        let EditOutcome::Invalid(e) = monitoring::add_period(&db, id, "1. 6. 2026", "31. 12. 2026")
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(e.get("period_start").unwrap().contains("ZoR 1"));
        let EditOutcome::Invalid(e) = monitoring::add_period(&db, id, "1. 7. 2027", "31. 1. 2028")
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(e.get("period_end").unwrap().contains("době realizace"));
        let t = monitoring::indicator_table(&db, id, crate::common::today())
            .await
            .unwrap();
        assert_eq!(
            t.periods.iter().map(|p| p.number).collect::<Vec<_>>(),
            vec![1, 2, 3, 4]
        );
        let eecr04 = t.available.iter().find(|d| d.code == "EECR04").unwrap().id;
        let input = |target: &str, date: &str| app::dto::ProjectIndicatorInput {
            indicator_id: eecr04,
            baseline: String::new(),
            target: target.into(),
            target_date: date.into(),
        };
        let EditOutcome::Invalid(e) =
            monitoring::add_project_indicator(&db, id, &input("10,5", "31. 12. 2030"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("target").unwrap().contains("celé číslo"));
        assert!(e.get("target_date").unwrap().contains("době realizace"));
        assert_eq!(
            monitoring::add_project_indicator(&db, id, &input("40", "31. 12. 2027"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) =
            monitoring::add_project_indicator(&db, id, &input("40", "31. 12. 2027"))
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("indicator_id").unwrap().contains("už"));
        let t = monitoring::indicator_table(&db, id, crate::common::today())
            .await
            .unwrap();
        assert_eq!(t.rows.len(), 1);
        assert!(!t.available.iter().any(|d| d.code == "EECR04"));
    }
);

db_test!(
    indicator_codebook_can_be_extended_and_corrected,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let defs = monitoring::codebook(&db).await.unwrap();
        assert!(defs.len() >= 25);
        let eecr05 = defs.iter().find(|d| d.code == "EECR05").unwrap();
        assert!(
            !eecr05.code_verified,
            "longer-term result codes are unverified"
        );
        let fix = app::dto::IndicatorDefInput {
            code: "eecr07".into(),
            name_cs: eecr05.name_cs.clone(),
            name_en: eecr05.name_en.clone(),
            unit: "persons".into(),
            kind: "result".into(),
        };
        assert_eq!(
            monitoring::save_indicator_def(&db, Some(eecr05.id), &fix)
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let fixed = monitoring::codebook(&db)
            .await
            .unwrap()
            .into_iter()
            .find(|d| d.id == eecr05.id)
            .unwrap();
        assert_eq!((fixed.code.as_str(), fixed.code_verified), ("EECR07", true));
        let national = app::dto::IndicatorDefInput {
            code: "6 70 01".into(),
            name_cs: "Národní indikátor".into(),
            name_en: String::new(),
            unit: "entities".into(),
            kind: "output".into(),
        };
        assert_eq!(
            monitoring::save_indicator_def(&db, None, &national)
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) = monitoring::save_indicator_def(&db, None, &national)
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(e.get("code").unwrap().contains("už v číselníku"));
        let EditOutcome::Invalid(e) = monitoring::save_indicator_def(
            &db,
            None,
            &app::dto::IndicatorDefInput {
                code: "XYZ".into(),
                ..national
            },
        )
        .await
        .unwrap() else {
            panic!()
        };
        assert!(e.get("code").is_some());
    }
);

db_test!(
    payment_claims_are_numbered_and_decided,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let claim = |amount: &str, date: &str| app::dto::ClaimInput {
            period_id: None,
            claimed: amount.into(),
            submitted_on: date.into(),
        };
        let EditOutcome::Invalid(e) = budget::add_claim(&db, id, &claim("0", "")).await.unwrap()
        else {
            panic!()
        };
        assert!(e.get("claimed").is_some());
        assert_eq!(
            budget::add_claim(&db, id, &claim("100 000,00", "31. 7. 2026"))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::add_claim(&db, id, &claim("50 000,50", ""))
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let v = budget::claims(&db, id, NaiveDate::from_ymd_opt(2026, 8, 1).unwrap())
            .await
            .unwrap();
        assert_eq!(
            v.claims
                .iter()
                .map(|c| (c.number, c.status.as_str()))
                .collect::<Vec<_>>(),
            vec![(1, "submitted"), (2, "draft")]
        );
        assert_eq!(v.claimed_total, m("150 000,50"));
        let first = &v.claims[0];
        let EditOutcome::Invalid(e) = budget::decide_claim(
            &db,
            id,
            first.id,
            first.version,
            "approved",
            "100 000,01",
            "",
        )
        .await
        .unwrap() else {
            panic!()
        };
        assert!(e.get("approved").unwrap().contains("vyšší"));
        assert_eq!(
            budget::decide_claim(
                &db,
                id,
                first.id,
                first.version,
                "approved",
                "99 000,00",
                ""
            )
            .await
            .unwrap(),
            EditOutcome::Saved
        );
        assert!(matches!(
            budget::decide_claim(&db, id, first.id, first.version, "paid", "", "1. 9. 2026")
                .await
                .unwrap(),
            EditOutcome::Conflict(_)
        ));
        // Not overdue 80 days after submission (31. 7.), overdue the day after (the default limit).
        let in_time = budget::claims(&db, id, NaiveDate::from_ymd_opt(2026, 10, 19).unwrap())
            .await
            .unwrap();
        assert!(
            in_time.claims[0].flag.is_none(),
            "{:?}",
            in_time.claims[0].flag
        );
        let late = budget::claims(&db, id, NaiveDate::from_ymd_opt(2026, 10, 20).unwrap())
            .await
            .unwrap();
        assert!(late.claims[0]
            .flag
            .as_ref()
            .unwrap()
            .message
            .contains("není proplacena"));
        assert_eq!(
            budget::decide_claim(
                &db,
                id,
                first.id,
                first.version + 1,
                "paid",
                "",
                "1. 9. 2026"
            )
            .await
            .unwrap(),
            EditOutcome::Saved
        );
        let paid = budget::claims(&db, id, NaiveDate::from_ymd_opt(2026, 10, 15).unwrap())
            .await
            .unwrap();
        assert_eq!(
            (paid.approved_total, paid.paid_total),
            (m("99 000,00"), m("99 000,00"))
        );
        assert!(paid.claims[0].flag.is_none());
    }
);

db_test!(
    settings_change_the_flags,
    |db: DatabaseConnection| async move {
        use app::services::settings;
        let id = project(&db).await;
        add_line(&db, id, line("1.1.1.1", "personnel", 2026, "1 000,00")).await;
        // 1 Jul 2027: 75 % of the time gone, nothing drawn: flagged with the default tolerance of 25 p. b.
        let when = NaiveDate::from_ymd_opt(2027, 7, 1).unwrap();
        assert!(budget::view(&db, id, when)
            .await
            .unwrap()
            .flags
            .iter()
            .any(|f| f.kind == "drawdown_lag"));
        let s = settings::get(&db).await.unwrap();
        assert_eq!(s.drawdown_max_lag_points, "25");
        let EditOutcome::Invalid(e) = settings::save(
            &db,
            &app::dto::SettingsInput {
                drawdown_max_lag_points: "120".into(),
                correction_bands: "0; 60; 25\n50; 70; 10".into(),
                claim_overdue_days: String::new(),
                ..Default::default()
            },
        )
        .await
        .unwrap() else {
            panic!()
        };
        assert!(e.get("drawdown_max_lag_points").is_some() && e.get("correction_bands").is_some());
        let saved = settings::save(
            &db,
            &app::dto::SettingsInput {
                drawdown_max_lag_points: "80".into(),
                correction_bands: "0; 90; 100\n90; ; 0".into(),
                claim_overdue_days: String::new(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(saved, EditOutcome::Saved);
        assert!(
            budget::view(&db, id, when).await.unwrap().flags.is_empty(),
            "80 p. b. tolerated"
        );
        let bands = monitoring::correction_bands(&db).await.unwrap();
        assert_eq!(
            bands.projected_correction(m("1 000,00"), rust_decimal::Decimal::from(89)),
            m("1 000,00")
        );
        assert_eq!(
            settings::get(&db).await.unwrap().correction_bands,
            "0; 90; 100\n90; ; 0"
        );
    }
);

db_test!(
    claims_cannot_exceed_the_budget_and_advances_add_up,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        add_line(&db, id, line("1.1.1.1", "personnel", 2026, "1 000,00")).await;
        let claim = |amount: &str| app::dto::ClaimInput {
            period_id: None,
            claimed: amount.into(),
            submitted_on: "1. 8. 2026".into(),
        };
        assert_eq!(
            budget::add_claim(&db, id, &claim("600,00")).await.unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) = budget::add_claim(&db, id, &claim("400,01")).await.unwrap()
        else {
            panic!()
        };
        assert!(e.get("claimed").unwrap().contains("zbývá 400,00"), "{e:?}");
        assert_eq!(
            budget::add_claim(&db, id, &claim("400,00")).await.unwrap(),
            EditOutcome::Saved
        );
        let EditOutcome::Invalid(e) = budget::add_advance(&db, id, "1. 2. 2026", "-5", "")
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(e.get("advance_amount").is_some());
        assert_eq!(
            budget::add_advance(&db, id, "1. 2. 2026", "250 000,25", "1. záloha")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::add_advance(&db, id, "1. 3. 2026", "0,75", "")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::claims(&db, id, today())
                .await
                .unwrap()
                .advances_total,
            m("250 001,00")
        );
    }
);

db_test!(
    payment_claims_follow_their_workflow,
    |db: DatabaseConnection| async move {
        let id = project(&db).await;
        let claim = app::dto::ClaimInput {
            period_id: None,
            claimed: "1 000,00".into(),
            submitted_on: String::new(),
        };
        assert_eq!(
            budget::add_claim(&db, id, &claim).await.unwrap(),
            EditOutcome::Saved
        );
        let c = budget::claims(&db, id, today()).await.unwrap().claims[0].clone();
        assert_eq!(c.status, "draft");
        let EditOutcome::Invalid(e) =
            budget::decide_claim(&db, id, c.id, c.version, "paid", "", "1. 9. 2026")
                .await
                .unwrap()
        else {
            panic!()
        };
        assert!(e.get("status").unwrap().contains("rozpracovaná"), "{e:?}");
        assert_eq!(
            budget::decide_claim(&db, id, c.id, c.version, "submitted", "", "2. 9. 2026")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::decide_claim(&db, id, c.id, c.version + 1, "returned", "", "3. 9. 2026")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let after = budget::claims(&db, id, today()).await.unwrap();
        assert_eq!(
            (after.claims[0].status.as_str(), after.claims[0].paid_on),
            ("returned", None)
        );
        assert_eq!(after.paid_total, Money::zero());
        assert_eq!(
            budget::decide_claim(&db, id, c.id, c.version + 2, "submitted", "", "10. 9. 2026")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        assert_eq!(
            budget::decide_claim(&db, id, c.id, c.version + 3, "approved", "", "")
                .await
                .unwrap(),
            EditOutcome::Saved
        );
        let approved = budget::claims(&db, id, today()).await.unwrap();
        assert_eq!(
            approved.approved_total,
            m("1 000,00"),
            "approval without an amount approves the whole claim"
        );
    }
);
