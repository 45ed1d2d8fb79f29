//! Graceful shutdown: SIGTERM during an import commit lets the commit finish (or leaves nothing of it),
//! and the server exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use leptos::server_fn::ServerFn;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::http::{multipart, PASSWORD};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_commit_stores_it_whole_and_exits_cleanly() {
    let dir = std::env::temp_dir().join(format!("tracker-stop-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let site = std::env::var("TRACKER_SITE_ROOT")
        .unwrap_or_else(|_| format!("{}/../target/site", env!("CARGO_MANIFEST_DIR")));
    let tracker = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tracker"));
        c.env("DATABASE_URL", &url)
            .env("TRACKER_TODAY", "2026-07-01")
            .env("TRACKER_DEMO_PASSWORD", PASSWORD)
            .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
            .env("LEPTOS_SITE_ROOT", &site)
            .env("RUST_LOG", "error");
        c
    };
    assert!(tracker().arg("demo").output().unwrap().status.success());
    let project = {
        let db = server::open_database(&url).await.unwrap();
        let id = crate::common::project_with_budget(&db, REG).await;
        db.close().await.unwrap();
        id
    };

    let mut server = tracker()
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(dir.join("stderr.log")).unwrap())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");

    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed = anonymous
        .post(format!("{base}/prihlaseni/odeslat"))
        .header("origin", &base)
        .form(&[("email", "finance@demo.cz"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = signed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    headers.insert("origin", base.parse().unwrap());
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    let (content_type, body) = multipart(
        "velky.xlsx",
        &crate::common::expenditures_sheet(REG, 100_000),
    );
    let resp = client
        .post(format!("{base}/importy/nahrat"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let token = resp.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/importy/nahled/")
        .to_owned();
    let job = || async {
        client
            .post(format!("{base}{}", app::api::ImportJob::PATH))
            .json(&serde_json::json!({ "token": token }))
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    while job().await["running"] == true {
        assert!(Instant::now() < deadline, "the preview did not finish");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let committed = client
        .post(format!("{base}{}", app::api::CommitImport::PATH))
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(committed.status(), 200);
    let state = job().await;
    assert_eq!(
        (state["committing"].clone(), state["running"].clone()),
        (serde_json::json!(true), serde_json::json!(true)),
        "the commit is running when the server is told to stop"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopped_at = Instant::now();
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(
            stopped_at.elapsed() < Duration::from_secs(60),
            "the server did not stop"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(
        status.success(),
        "exit status {status:?}: {}",
        std::fs::read_to_string(dir.join("stderr.log")).unwrap_or_default()
    );

    // The commit is whole (or absent), never a part of it.
    let db = server::open_database(&url).await.unwrap();
    let stored = entity::expenditure::Entity::find()
        .filter(entity::expenditure::Column::ProjectId.eq(project))
        .count(&db)
        .await
        .unwrap();
    let imports = entity::import_batch::Entity::find()
        .filter(entity::import_batch::Column::Status.eq("committed"))
        .count(&db)
        .await
        .unwrap();
    assert!(
        (stored, imports) == (100_000, 1) || (stored, imports) == (0, 0),
        "{stored} expenditures stored by {imports} imports"
    );
    assert_eq!(
        stored, 100_000,
        "the server waited for the commit in flight"
    );
    db.close().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
