//! Graceful shutdown: SIGTERM during an import commit lets the commit finish (or leaves nothing of it),
//! and the server exits 0.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::common::process::{client, commit, finished_job, job, serve, sign_in, tracker, upload};

const REG: &str = "CZ.03.02.01/00/25_106/0009001";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_commit_stores_it_whole_and_exits_cleanly() {
    let dir = std::env::temp_dir().join(format!("tracker-stop-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    assert!(tracker(&url).arg("demo").output().unwrap().status.success());
    let project = {
        let db = server::open_database(&url).await.unwrap();
        let id = crate::common::project_with_budget(&db, REG).await;
        db.close().await.unwrap();
        id
    };

    let (mut server, base) = serve(&url, &dir.join("stderr.log"));
    let client = client(&base, &sign_in(&base, "finance@demo.cz").await);
    let sheet = crate::common::expenditures_sheet(REG, 100_000);
    let token = upload(&client, &base, "velky.xlsx", &sheet).await;
    finished_job(&client, &base, &token).await;
    assert_eq!(commit(&client, &base, &token).await, 200);
    let state = job(&client, &base, &token).await;
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
