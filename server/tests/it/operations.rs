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
    let dir =
        std::env::temp_dir().join(format!("tracker-backup-{}", uuid::Uuid::new_v4().simple()));
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
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
        assert_eq!(
            mode & 0o077,
            0,
            "the copy holds password hashes: only its owner may read it"
        );
    }
    // A second backup to the same file is refused rather than overwriting it.
    let again = tracker(&url, &["backup", copy.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("existuje"));
    // The copy is a working database with the same projects.
    let count = |db: String| {
        tokio::runtime::Runtime::new()
            .unwrap()
            .block_on(async move {
                use sea_orm::{EntityTrait, PaginatorTrait};
                let db = server::open_database(&db).await.unwrap();
                entity::project::Entity::find().count(&db).await.unwrap()
            })
    };
    let original = count(url.clone());
    assert!(original >= 6);
    assert_eq!(
        count(format!("sqlite://{}?mode=rw", copy.display())),
        original
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two instances starting at once on one fresh, empty PostgreSQL database: one migrates, the other
/// waits, and both then serve the same schema.
#[tokio::test]
async fn two_instances_migrate_one_empty_postgresql_database_once() {
    use migration::MigratorTrait;
    use sea_orm::ConnectionTrait;
    let admin_url = std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let admin = sea_orm::Database::connect(&admin_url)
        .await
        .expect("PostgreSQL is required");
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let (a, b) = tokio::join!(server::open_database(&url), server::open_database(&url));
    let (a, b) = (a.expect("first instance"), b.expect("second instance"));
    assert!(migration::Migrator::get_pending_migrations(&a)
        .await
        .unwrap()
        .is_empty());
    let applied = migration::Migrator::get_applied_migrations(&b)
        .await
        .unwrap();
    assert_eq!(
        applied.len(),
        migration::Migrator::migrations().len(),
        "each migration once"
    );
    a.close().await.ok();
    b.close().await.ok();
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .ok();
}
