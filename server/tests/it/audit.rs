//! The audit trail on SQLite and PostgreSQL: each change writes who, when, what and each changed field
//! old → new, in the same transaction as the change (a refused change writes nothing).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::{EditOutcome, ProjectInput, SaveOutcome};
use app::services::audit::{Actor, ACTOR};
use app::services::{demo, projects, settings};
use entity::audit_log;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};

fn input(name: &str) -> ProjectInput {
    ProjectInput {
        registration_number: "CZ.03.02.01/00/25_106/0009101".into(),
        name: name.into(),
        beneficiary_ico: "00296244".into(),
        beneficiary_name: "Obec Liptaň".into(),
        status: "preparation".into(),
        start_date: "1. 1. 2026".into(),
        end_date: "31. 12. 2027".into(),
        total_eligible: "1 000,50".into(),
        ..Default::default()
    }
}

async fn entries(db: &DatabaseConnection, project_id: i32) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::ProjectId.eq(project_id))
        .order_by_asc(audit_log::Column::Id)
        .all(db)
        .await
        .unwrap()
}

db_test!(
    changes_are_on_record_with_old_and_new_values,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let jana = Actor {
            user_id: None,
            email: "jana@mpsv.cz".into(),
        };
        let body = async {
            let SaveOutcome::Saved { id } = projects::create(&db, &input("Původní název"))
                .await
                .unwrap()
            else {
                panic!()
            };
            assert!(matches!(
                projects::update(&db, id, 1, &input("Nový název"))
                    .await
                    .unwrap(),
                SaveOutcome::Saved { .. }
            ));
            // A lost update is refused and leaves no trace.
            let before = audit_log::Entity::find().count(&db).await.unwrap();
            assert!(matches!(
                projects::update(&db, id, 1, &input("Souběžná změna"))
                    .await
                    .unwrap(),
                SaveOutcome::Conflict { .. }
            ));
            assert_eq!(audit_log::Entity::find().count(&db).await.unwrap(), before);
            projects::set_archived(&db, id, 2, true).await.unwrap();
            id
        };
        let id = ACTOR.scope(jana, body).await;
        let log = entries(&db, id).await;
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "update", "archive"]);
        assert!(log
            .iter()
            .all(|e| e.user_email == "jana@mpsv.cz" && e.entity == "project"));
        let update: serde_json::Value = serde_json::from_str(&log[1].changes_json).unwrap();
        assert_eq!(
            update["name"],
            serde_json::json!(["Původní název", "Nový název"])
        );
        assert!(
            update.get("search_folded").is_none() && update.get("version").is_none(),
            "{update}"
        );
        let created: serde_json::Value = serde_json::from_str(&log[0].changes_json).unwrap();
        assert_eq!(
            created["total_eligible_halere"],
            serde_json::json!([null, 100_050])
        );
        let archived: serde_json::Value = serde_json::from_str(&log[2].changes_json).unwrap();
        assert!(archived["archived_at"][0].is_null() && archived["archived_at"][1].is_string());

        // Outside a request (command line, seed data) the system is recorded.
        let outcome = settings::save(
            &db,
            &app::dto::SettingsInput {
                drawdown_max_lag_points: "30".into(),
                correction_bands: "50; 100; 0".into(),
                claim_overdue_days: String::new(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(outcome, EditOutcome::Saved);
        let last = audit_log::Entity::find()
            .order_by_desc(audit_log::Column::Id)
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (last.entity.as_str(), last.user_email.as_str()),
            ("setting", "systém")
        );
        assert!(last.changes_json.contains("drawdown_max_lag_points"));
    }
);
