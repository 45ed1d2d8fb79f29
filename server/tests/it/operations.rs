//! Operating the server: readiness for a load balancer, and an online backup of SQLite that restores.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use crate::http::spawn_app;

#[tokio::test]
async fn readyz_says_ready_once_the_database_is_migrated() {
    let (app, _dir) = spawn_app().await;
    let resp = reqwest::get(format!("{}/readyz", app.url())).await.unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ready");
}

#[test]
fn backup_writes_a_consistent_copy_that_opens_with_the_same_data() {
    let dir = std::env::temp_dir().join(format!("tracker-backup-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let tracker = |db: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_tracker"))
            .args(args)
            .env("DATABASE_URL", db)
            .env("TRACKER_TODAY", "2026-07-01")
            .env("RUST_LOG", "error")
            .output()
            .unwrap()
    };
    assert!(tracker(&url, &["demo"]).status.success());
    let copy = dir.join("zaloha.sqlite");
    let out = tracker(&url, &["backup", copy.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    // A second backup to the same file is refused rather than overwriting it.
    let again = tracker(&url, &["backup", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("existuje"));
    // The copy is a working database with the same projects.
    let count = |db: String| {
        tokio::runtime::Runtime::new().unwrap().block_on(async move {
            use sea_orm::{EntityTrait, PaginatorTrait};
            let db = server::open_database(&db).await.unwrap();
            entity::project::Entity::find().count(&db).await.unwrap()
        })
    };
    let original = count(url.clone());
    assert!(original >= 6);
    assert_eq!(count(format!("sqlite://{}?mode=rw", copy.display())), original);
    let _ = std::fs::remove_dir_all(&dir);
}
