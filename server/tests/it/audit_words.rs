//! A project's history in the user's words (SQLite and PostgreSQL): fields by their form labels, values
//! as the pages write them, references by name, times in Prague time with the zone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::{AuditEntryDto, EditOutcome, ProjectIndicatorInput, ProjectInput, SaveOutcome};
use app::services::{audit, demo, monitoring, projects};
use entity::{indicator, monitoring_period};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

const NB: char = '\u{a0}';

fn input() -> ProjectInput {
    ProjectInput {
        registration_number: "CZ.03.02.01/00/25_106/0009102".into(),
        name: "Věk není překážkou v Liptani".into(),
        acronym: "VNPL".into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "preparation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        total_eligible: "1 234 567,89".into(),
        ..Default::default()
    }
}

fn change<'a>(e: &'a AuditEntryDto, field: &str) -> &'a app::dto::AuditChange {
    e.changes
        .iter()
        .find(|c| c.field == field)
        .unwrap_or_else(|| panic!("no {field} in {e:?}"))
}

db_test!(
    project_history_speaks_the_users_words,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let SaveOutcome::Saved { id } = projects::create(&db, &input()).await.unwrap() else {
            panic!()
        };
        let eeco01 = indicator::Entity::find()
            .filter(indicator::Column::Code.eq("EECO01"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let added = monitoring::add_project_indicator(
            &db,
            id,
            &ProjectIndicatorInput {
                indicator_id: eeco01.id,
                baseline: "0".into(),
                target: "80".into(),
                target_date: "31. 12. 2027".into(),
            },
        )
        .await
        .unwrap();
        assert_eq!(added, EditOutcome::Saved);
        let period = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(id))
            .order_by_asc(monitoring_period::Column::Number)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let table = monitoring::indicator_table(&db, id, crate::common::today())
            .await
            .unwrap();
        let pi = table.rows[0].project_indicator_id;
        let saved = monitoring::set_achieved(&db, id, pi, period.id, None, "12")
            .await
            .unwrap();
        assert_eq!(saved, EditOutcome::Saved);

        let history = audit::project_history(&db, id).await.unwrap();
        let value = history
            .iter()
            .find(|e| e.entity == "Hodnota indikátoru")
            .expect("the value is on record");
        assert_eq!(
            value.record,
            format!("VNPL · EECO01 · ZoR {}", period.number)
        );
        assert_eq!(change(value, "Dosažená hodnota").new, "12");
        assert_eq!(
            change(value, "Období").new,
            format!("VNPL · ZoR {}", period.number)
        );
        assert_eq!(change(value, "Indikátor").new, "VNPL · EECO01");
        assert!(value
            .changes
            .iter()
            .all(|c| c.field != "achieved_milli" && c.field != "Id"));
        assert!(
            value.at.ends_with(" SEČ") || value.at.ends_with(" SELČ"),
            "{}",
            value.at
        );

        let target = history
            .iter()
            .find(|e| e.entity == "Indikátor projektu")
            .unwrap();
        assert_eq!(target.record, "VNPL · EECO01");
        assert_eq!(change(target, "Cílová hodnota").new, "80");
        assert_eq!(change(target, "Cílové datum").new, "31. 12. 2027");
        assert!(change(target, "Indikátor z číselníku")
            .new
            .starts_with("EECO01 "));

        let created = history.iter().find(|e| e.entity == "Projekt").unwrap();
        assert_eq!(created.action, "vytvoření");
        assert_eq!(created.record, "VNPL");
        assert_eq!(created.project.as_deref(), Some("VNPL"));
        assert_eq!(
            change(created, "Celkové způsobilé výdaje").new,
            format!("1{NB}234{NB}567,89{NB}Kč")
        );
        assert_eq!(change(created, "Stav").new, "v přípravě");
        assert_eq!(change(created, "Datum zahájení").new, "1. 1. 2026");
        assert_eq!(change(created, "Částky jsou ilustrativní").new, "ne");
        assert_eq!(
            change(created, "Příjemce").new,
            "Obec Liptaň (IČO 00296244)"
        );
        // No raw column name is left anywhere.
        let text = format!("{history:?}");
        for raw in [
            "_milli",
            "_halere",
            "_id\"",
            "indicator_value",
            "project_indicator",
        ] {
            assert!(!text.contains(raw), "{raw} in {text}");
        }
    }
);

/// Queries the project's history makes on `db`.
async fn queries_for_history(db: &DatabaseConnection, id: i32) -> (usize, usize) {
    let counted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let mut db = db.clone();
    let c = counted.clone();
    db.set_metric_callback(move |_| {
        c.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    });
    let history = audit::project_history(&db, id).await.unwrap();
    (
        counted.load(std::sync::atomic::Ordering::SeqCst),
        history.len(),
    )
}

db_test!(
    project_history_names_rows_with_one_query_per_table,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let SaveOutcome::Saved { id } = projects::create(&db, &input()).await.unwrap() else {
            panic!()
        };
        let eeco01 = indicator::Entity::find()
            .filter(indicator::Column::Code.eq("EECO01"))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let target = |t: &str| ProjectIndicatorInput {
            indicator_id: eeco01.id,
            baseline: "0".into(),
            target: t.into(),
            target_date: "31. 12. 2027".into(),
        };
        monitoring::add_project_indicator(&db, id, &target("80"))
            .await
            .unwrap();
        let periods = monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(id))
            .order_by_asc(monitoring_period::Column::Number)
            .all(&db)
            .await
            .unwrap();
        assert!(periods.len() >= 4, "{periods:?}");
        let pi = monitoring::indicator_table(&db, id, crate::common::today())
            .await
            .unwrap()
            .rows[0]
            .project_indicator_id;
        let set = |period: i32, value: &'static str| {
            let db = db.clone();
            async move {
                monitoring::set_achieved(&db, id, pi, period, None, value)
                    .await
                    .unwrap()
            }
        };
        assert_eq!(set(periods[0].id, "1").await, EditOutcome::Saved);
        let (few, entries_few) = queries_for_history(&db, id).await;
        for p in &periods[1..] {
            assert_eq!(set(p.id, "2").await, EditOutcome::Saved);
        }
        let (many, entries_many) = queries_for_history(&db, id).await;
        assert!(
            entries_many >= entries_few + 3,
            "{entries_few} → {entries_many}"
        );
        assert_eq!(few, many, "the queries do not grow with the entries");
        assert!(few > 0 && many <= 20, "{many} queries");
    }
);
