//! No state in the process (issue 13, points 3 and 4): import jobs and their uploads live in the
//! database, so two `tracker serve` processes on one PostgreSQL share them, a restart keeps the previews
//! that had finished and fails the one that was running, and expired jobs are removed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Child, Command};
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::common::process::{client, commit, finished_job, job, serve, sign_in, tracker, upload};
use crate::common::{expenditures_sheet, project_with_budget};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("tracker-{name}-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// SIGTERM, then waits for the process to exit (it must exit 0).
async fn stop(mut server: Child, log: &std::path::Path) {
    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        status.success(),
        "{status:?}: {}",
        std::fs::read_to_string(log).unwrap_or_default()
    );
}

async fn ledger_shows(client: &reqwest::Client, base: &str, project: i32, document: &str) -> bool {
    let resp = client
        .get(format!("{base}/projekty/{project}/vydaje?q={document}"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap().contains(document)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgresql_share_uploads_previews_and_commits() {
    let pg = crate::common::postgres().await;
    let dir = temp_dir("two");
    let out = tracker(&pg.url).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let project = project_with_budget(&pg.db, REG).await;
    let (log_a, log_b) = (dir.join("a.log"), dir.join("b.log"));
    let (first, a) = serve(&pg.url, &log_a);
    let (second, b) = serve(&pg.url, &log_b);
    assert_ne!(a, b);

    // Signed in through the first server: the session is valid on both.
    let cookie = sign_in(&a, "finance@demo.cz").await;
    let (ca, cb) = (client(&a, &cookie), client(&b, &cookie));
    let token = upload(&ca, &a, "vydaje.xlsx", &expenditures_sheet(REG, 300)).await;

    // The preview made by the first is polled and shown through the second.
    let preview = finished_job(&cb, &b, &token).await;
    assert_eq!(preview["error"], serde_json::Value::Null, "{preview}");
    assert_eq!(preview["committing"], false);
    assert_eq!(preview["report"]["committed"], false);
    assert_eq!(preview["report"]["sheets"][0]["new_rows"], 300, "{preview}");
    let page = cb
        .get(format!("{b}/importy/nahled/{token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("vydaje.xlsx"));

    // Committed through the second; the first refuses to commit it again and shows how it ended.
    assert_eq!(commit(&cb, &b, &token).await, 200);
    assert_ne!(
        commit(&ca, &a, &token).await,
        200,
        "a job is committed once, whichever server is asked"
    );
    let done = finished_job(&ca, &a, &token).await;
    assert_eq!(done["error"], serde_json::Value::Null, "{done}");
    assert_eq!(done["committing"], true);
    assert_eq!(done["report"]["committed"], true, "{done}");
    let stored = entity::expenditure::Entity::find()
        .filter(entity::expenditure::Column::ProjectId.eq(project))
        .count(&pg.db)
        .await
        .unwrap();
    assert_eq!(stored, 300);
    let upload_left = entity::import_upload::Entity::find()
        .count(&pg.db)
        .await
        .unwrap();
    assert_eq!(upload_left, 0, "a committed upload is not kept");

    // The result reads the same through both.
    for (c, base) in [(&ca, &a), (&cb, &b)] {
        assert!(ledger_shows(c, base, project, "D-299").await, "{base}");
    }
    // Another user does not see the job through either server.
    let other = sign_in(&b, "manager@demo.cz").await;
    for base in [&a, &b] {
        use leptos::server_fn::ServerFn;
        let resp = client(base, &other)
            .post(format!("{base}{}", app::api::ImportJob::PATH))
            .json(&serde_json::json!({ "token": token }))
            .send()
            .await
            .unwrap();
        assert_ne!(resp.status(), 200, "{base}");
    }

    stop(first, &log_a).await;
    stop(second, &log_b).await;
    pg.cleanup().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_keeps_finished_previews_and_fails_the_one_that_was_running() {
    let dir = temp_dir("restart");
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    assert!(tracker(&url).arg("demo").output().unwrap().status.success());
    {
        let db = server::open_database(&url).await.unwrap();
        project_with_budget(&db, REG).await;
        db.close().await.unwrap();
    }
    let log = dir.join("1.log");
    let (mut server, base) = serve(&url, &log);
    let cookie = sign_in(&base, "finance@demo.cz").await;
    let c = client(&base, &cookie);
    let finished = upload(&c, &base, "maly.xlsx", &expenditures_sheet(REG, 20)).await;
    assert_eq!(
        finished_job(&c, &base, &finished).await["error"],
        serde_json::Value::Null
    );
    let big = expenditures_sheet(REG, 100_000);
    let running = upload(&c, &base, "velky.xlsx", &big).await;
    assert_eq!(job(&c, &base, &running).await["running"], true);
    // The process dies without a chance to clean up.
    server.kill().unwrap();
    server.wait().unwrap();

    let (server, base) = serve(&url, &dir.join("2.log"));
    let c = client(&base, &cookie);
    let kept = job(&c, &base, &finished).await;
    assert_eq!(kept["running"], false);
    assert_eq!(kept["report"]["sheets"][0]["new_rows"], 20, "{kept}");
    let died = job(&c, &base, &running).await;
    assert_eq!(died["running"], false, "{died}");
    assert!(
        died["error"]
            .as_str()
            .unwrap_or_default()
            .contains("Nahrajte soubor znovu"),
        "{died}"
    );
    assert_eq!(died["report"], serde_json::Value::Null);
    // The kept preview can still be committed after the restart.
    assert_eq!(commit(&c, &base, &finished).await, 200);
    let done = finished_job(&c, &base, &finished).await;
    assert_eq!(done["report"]["committed"], true, "{done}");
    stop(server, &dir.join("2.log")).await;
    let _ = std::fs::remove_dir_all(&dir);
}

db_test!(
    expired_jobs_and_their_uploads_are_removed,
    |db| async move {
        use app::services::import::job_store::{self, NewJob};
        use chrono::TimeZone;
        app::services::demo::ensure_demo_users(&db, crate::http::PASSWORD)
            .await
            .unwrap();
        let owner = entity::app_user::Entity::find()
            .one(&db)
            .await
            .unwrap()
            .unwrap()
            .id;
        let at = chrono::Utc.with_ymd_and_hms(2026, 7, 1, 9, 0, 0).unwrap();
        for (token, instance) in [("a", "dead"), ("b", "alive")] {
            let job = NewJob {
                token,
                owner,
                file_name: "x.xlsx",
                all_or_nothing: false,
                instance,
            };
            job_store::insert(&db, job, vec![1, 2, 3], at)
                .await
                .unwrap();
        }
        // "dead" stopped showing signs of life; "alive" is this process.
        let failed = job_store::fail_dead(&db, "alive", Some(at + chrono::Duration::seconds(30)))
            .await
            .unwrap();
        assert_eq!(failed, 1);
        let a = job_store::get(&db, "a", owner).await.unwrap().unwrap();
        assert_eq!((a.status.as_str(), a.error.is_some()), ("failed", true));
        let b = job_store::get(&db, "b", owner).await.unwrap().unwrap();
        assert_eq!(
            b.status, "running",
            "a running job of a live process stays running"
        );

        // Within the hour nothing goes; after it the failed job and its upload go, the running one stays.
        let removed = job_store::remove_expired(&db, at + chrono::Duration::minutes(30))
            .await
            .unwrap();
        assert_eq!(removed, 0);
        let removed = job_store::remove_expired(&db, at + chrono::Duration::hours(2))
            .await
            .unwrap();
        assert_eq!(removed, 1);
        assert!(job_store::get(&db, "a", owner).await.unwrap().is_none());
        assert!(job_store::upload(&db, "a").await.unwrap().is_none());
        assert!(job_store::upload(&db, "b").await.unwrap().is_some());
    }
);
