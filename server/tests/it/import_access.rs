//! Import history and stored reports are shown only to the uploader, admins and users who may read every
//! project the import touched; anyone else gets "not found" (no existence oracle), also for a revert.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::domain::roles::Viewer;
use app::dto::{ProjectInput, SaveOutcome};
use app::services::import::{history, run, ImportError, ImportLimits, ImportOptions, Progress};
use app::services::{auth, codebooks, demo, projects};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use crate::common::{row, xlsx};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

async fn viewer_of(db: &DatabaseConnection, email: &str) -> Viewer {
    let user = entity::app_user::Entity::find()
        .filter(entity::app_user::Column::Email.eq(email))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    auth::viewer(db, user.id).await.unwrap().unwrap()
}

db_test!(
    an_import_is_seen_only_by_its_uploader_admins_and_readers_of_all_its_projects,
    |db: DatabaseConnection| async move {
        demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        demo::ensure_demo_users(&db, "heslo-pro-testy-123")
            .await
            .unwrap();
        codebooks::import_ruian(&db, &crate::common::ruian_dir(), crate::common::today())
            .await
            .unwrap();
        let input = ProjectInput {
            registration_number: REG.into(),
            name: "Projekt jiného týmu".into(),
            beneficiary_ico: "00296244".into(),
            beneficiary_name: "Obec Liptaň".into(),
            status: "realisation".into(),
            start_date: "1. 1. 2026".into(),
            end_date: "31. 12. 2027".into(),
            ..Default::default()
        };
        let SaveOutcome::Saved { id: project_id } = projects::create(&db, &input).await.unwrap()
        else {
            panic!()
        };
        let finance = viewer_of(&db, "finance@demo.cz").await;
        let manager = viewer_of(&db, "manager@demo.cz").await;
        let reviewer = viewer_of(&db, "reviewer@demo.cz").await;
        let admin = viewer_of(&db, "admin@demo.cz").await;
        assert!(
            !manager.can_read(project_id),
            "the manager is not on this project"
        );

        let file = xlsx(&[(
            "Obce",
            vec![
                row(&["Registrační číslo projektu", "Kód obce", "Název obce"]),
                row(&[REG, "#n:597571", "Liptaň"]),
            ],
        )]);
        let report = run(
            &db,
            Arc::new(file),
            "obce.xlsx",
            ImportLimits::default(),
            &ImportOptions {
                commit: true,
                all_or_nothing: false,
                imported_by: finance.email.clone(),
                viewer: Some(finance.clone()),
            },
            Arc::new(Progress::default()),
        )
        .await
        .unwrap();
        assert!(report.committed, "{report:?}");
        let import_id = report.import_id.unwrap();
        let touched: Vec<i32> = entity::import_project::Entity::find()
            .filter(entity::import_project::Column::ImportId.eq(import_id))
            .all(&db)
            .await
            .unwrap()
            .iter()
            .map(|r| r.project_id)
            .collect();
        assert_eq!(
            touched,
            vec![project_id],
            "the import records the project it touched"
        );

        for (who, v, sees) in [
            ("uploader", &finance, true),
            ("admin", &admin, true),
            ("reviewer (reads every project)", &reviewer, true),
            ("manager of another project", &manager, false),
        ] {
            let listed = history::history(&db, 100, Some(v))
                .await
                .unwrap()
                .iter()
                .any(|h| h.id == import_id);
            assert_eq!(listed, sees, "{who}: listed");
            let shown = history::stored_report(&db, import_id, Some(v)).await;
            assert_eq!(shown.is_ok(), sees, "{who}: report {shown:?}");
            if !sees {
                assert!(
                    matches!(shown, Err(ImportError::NotFound)),
                    "{who}: {shown:?}"
                );
                // The same answer as for an import that does not exist.
                assert!(matches!(
                    history::stored_report(&db, import_id + 1000, Some(v)).await,
                    Err(ImportError::NotFound)
                ));
                assert!(matches!(
                    history::revert_as(&db, import_id, v).await,
                    Err(ImportError::NotFound)
                ));
            }
        }
        // The reviewer may see it but not revert someone else's import; the uploader may.
        assert!(matches!(
            history::revert_as(&db, import_id, &reviewer).await,
            Err(ImportError::RevertBlocked(_))
        ));
        history::revert_as(&db, import_id, &finance).await.unwrap();
    }
);
