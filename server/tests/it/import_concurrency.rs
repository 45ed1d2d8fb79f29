//! Imports do not block everyone else: a preview on SQLite runs on a private copy of the database (no
//! write lock held), so other users sign in and save while a large file is checked; reports keep at
//! most a fixed number of issues per sheet and count the rest.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use app::dto::import::MAX_ISSUES_STORED;
use app::dto::ProjectInput;
use app::services::import::snapshot::Snapshot;
use app::services::import::{run, ImportLimits, ImportOptions, Progress};
use leptos::server_fn::ServerFn;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

use crate::common::{row, xlsx};
use crate::http::{multipart, sign_in, spawn_app};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

async fn tables(db: &DatabaseConnection) -> usize {
    db.query_all_raw(Statement::from_string(
        sea_orm::DbBackend::Sqlite,
        "SELECT name FROM sqlite_master WHERE type = 'table'".to_owned(),
    ))
    .await
    .unwrap()
    .len()
}

#[tokio::test]
async fn a_preview_copy_holds_the_whole_database_and_is_removed() {
    let dir = std::env::temp_dir().join(format!("tracker-copy-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for url in [
        "sqlite::memory:".to_owned(),
        format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display()),
    ] {
        let db = server::open_database(&url).await.unwrap();
        let copy = Snapshot::take(&db).await.unwrap();
        assert!(tables(&db).await > 20, "{url}");
        assert_eq!(
            tables(&copy.db).await,
            tables(&db).await,
            "{url}: every table is copied"
        );
        let path = copy.path().to_owned();
        assert!(path.exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the server may read the copy");
        }
        copy.remove().await;
        assert!(!path.exists(), "the copy is removed");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

db_test!(
    a_sheet_full_of_errors_keeps_a_bounded_report,
    |db: DatabaseConnection| async move {
        app::services::demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let mut rows = vec![row(&[
            "Registrační číslo projektu",
            "Kód indikátoru",
            "Období",
            "Dosažená hodnota",
        ])];
        let wrong = MAX_ISSUES_STORED + 500;
        for i in 0..wrong {
            rows.push(row(&[REG, "EECO01", "ZoR 1", &format!("#n:{i}")]));
        }
        let report = run(
            &db,
            Arc::new(xlsx(&[("Indikátory", rows)])),
            "chyby.xlsx",
            ImportLimits::default(),
            &ImportOptions {
                commit: false,
                all_or_nothing: false,
                imported_by: "test".into(),
                viewer: None,
            },
            Arc::new(Progress::default()),
        )
        .await
        .unwrap();
        let sheet = &report.sheets[0];
        assert_eq!(
            sheet.invalid_rows as usize, wrong,
            "the counts stay complete"
        );
        assert_eq!(sheet.errors.len(), MAX_ISSUES_STORED);
        assert_eq!(sheet.issues_omitted as usize, 500, "the rest is counted");
        let text = app::services::import::report_text(&report);
        assert!(
            text.contains("a ještě 500\u{a0}chyb nebo upozornění"),
            "{text}"
        );
    }
);

/// While a 100 000-row sheet is being checked, another user signs in and saves a project edit on
/// SQLite: neither waits for the preview.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn others_sign_in_and_save_during_the_preview_of_a_large_sheet() {
    let (app, _dir) = spawn_app().await;
    crate::common::project_with_budget(&app.db, REG).await;
    let file = crate::common::expenditures_sheet(REG, 100_000);

    let finance = sign_in(&app, "finance@demo.cz").await;
    let (content_type, body) = multipart("velky.xlsx", &file);
    let resp = finance
        .post(format!("{}/importy/nahrat", app.url()))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let token = location
        .strip_prefix("/importy/nahled/")
        .expect(&location)
        .to_owned();
    let job = |client: reqwest::Client, token: String| {
        let url = format!("{}{}", app.url(), app::api::ImportJob::PATH);
        async move {
            let v: serde_json::Value = client
                .post(url)
                .json(&serde_json::json!({ "token": token }))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v
        }
    };
    // Wait until the preview is under way (rows are being applied to the copy).
    for _ in 0..600 {
        let v = job(finance.clone(), token.clone()).await;
        if v["rows_applied"].as_u64().unwrap_or(0) > 0 || !v["running"].as_bool().unwrap_or(false) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(
        job(finance.clone(), token.clone()).await["running"],
        true,
        "the preview is running"
    );

    // Another user signs in and saves an edit of their project meanwhile.
    let manager = sign_in(&app, "manager@demo.cz").await;
    let noe =
        app::services::demo::project_id_by_registration(&app.db, "CZ.03.01.01/00/22_015/0002653")
            .await
            .unwrap()
            .unwrap();
    let (mut edit, version): (ProjectInput, i32) = manager
        .post(format!("{}{}", app.url(), app::api::GetProjectInput::PATH))
        .json(&serde_json::json!({ "id": noe }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    edit.description = "Upraveno během importu.".into();
    let saved = manager
        .post(format!("{}{}", app.url(), app::api::UpdateProject::PATH))
        .json(&serde_json::json!({ "id": noe, "version": version, "input": edit }))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 200, "{}", saved.text().await.unwrap());
    let still = job(finance.clone(), token.clone()).await;
    assert_eq!(
        still["running"], true,
        "the sign-in and the save did not wait for the preview (rows applied: {})",
        still["rows_applied"]
    );
    // The preview then finishes with every row valid, and its copy is gone.
    let mut done = serde_json::Value::Null;
    for _ in 0..1200 {
        done = job(finance.clone(), token.clone()).await;
        if done["running"] == false {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        done["report"]["sheets"][0]["new_rows"], 100_000,
        "{}",
        done["error"]
    );
}
