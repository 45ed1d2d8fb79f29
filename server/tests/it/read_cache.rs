//! What nearly every request reads is kept in the process (issue 13): the signed-in user of a session or
//! token, the codebooks, pages of the project list and the rendered list itself. These tests prove that a kept copy is used, and
//! that it is never stale: a change made anywhere (the app, a second server, `psql`) shows at once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::dto::ProjectListQuery;
use app::services::read_cache::{revisions, ReadCache, ReadStats};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use crate::common::process::{client, serve, sign_in, tracker};
use crate::common::project_with_budget;

const REG: &str = "CZ.03.02.01/00/25_106/0009002";

fn all_on_one_page() -> ProjectListQuery {
    ProjectListQuery::from_params(|k| (k == "na_strance").then(|| "100".to_owned()))
}

async fn names_on_page(cache: &ReadCache, db: &DatabaseConnection) -> Vec<String> {
    let revs = revisions(db).await.unwrap();
    cache
        .project_page(db, revs, &all_on_one_page(), None)
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.name)
        .collect()
}

db_test!(
    a_kept_project_list_is_used_until_a_change_and_shows_it_at_once,
    |db: DatabaseConnection| async move {
        app::services::demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        let id = project_with_budget(&db, REG).await;
        let cache = ReadCache::default();
        let names = names_on_page(&cache, &db).await;
        assert!(
            names.contains(&"Projekt testů importu".to_owned()),
            "{names:?}"
        );
        assert_eq!(names_on_page(&cache, &db).await, names);
        assert_eq!(cache.stats(), ReadStats { kept: 1, read: 1 });

        // A write elsewhere than the list (a budget line) keeps the page.
        let line = app::dto::BudgetLineInput {
            code: "1.1.1.2".into(),
            name: "Odvody".into(),
            chapter: "personnel".into(),
            year: "2026".into(),
            amount: "1 000,00".into(),
            ..Default::default()
        };
        app::services::budget::save_line(&db, id, None, &line)
            .await
            .unwrap();
        names_on_page(&cache, &db).await;
        assert_eq!(cache.stats(), ReadStats { kept: 2, read: 1 });

        // A rename by anybody (here as `psql` would) is seen by the very next read.
        db.execute_unprepared(&format!(
            "UPDATE project SET name = 'Přejmenovaný projekt' WHERE id = {id}"
        ))
        .await
        .unwrap();
        let renamed = names_on_page(&cache, &db).await;
        assert!(
            renamed.contains(&"Přejmenovaný projekt".to_owned()),
            "{renamed:?}"
        );
        assert!(!renamed.contains(&"Projekt testů importu".to_owned()));
        assert_eq!(cache.stats(), ReadStats { kept: 2, read: 2 });

        // So is a renamed beneficiary in the codebooks of the filters.
        let revs = revisions(&db).await.unwrap();
        let before = cache.codebooks(&db, revs).await.unwrap();
        assert_eq!(cache.codebooks(&db, revs).await.unwrap(), before);
        db.execute_unprepared("UPDATE organisation SET name = 'Obec Nová' WHERE ico = '00296244'")
            .await
            .unwrap();
        let revs = revisions(&db).await.unwrap();
        let codebooks = cache.codebooks(&db, revs).await.unwrap();
        assert_eq!(codebooks.beneficiaries.len(), before.beneficiaries.len());
        assert!(
            codebooks
                .beneficiaries
                .iter()
                .any(|b| b.label.contains("Obec Nová")),
            "{:?}",
            codebooks.beneficiaries
        );
    }
);

db_test!(
    read_revisions_migrate_down_and_up_again,
    |db: DatabaseConnection| async move {
        use migration::MigratorTrait;
        // Down through `m20261206_000001_read_revisions` (and the deadlines after it).
        migration::Migrator::down(&db, Some(2)).await.unwrap();
        // Without the triggers, writes still work.
        app::services::demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
            .await
            .unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        let before = revisions(&db).await.unwrap();
        db.execute_unprepared("UPDATE project SET name = name || '.'")
            .await
            .unwrap();
        app::services::demo::ensure_demo_users(&db, "heslo-pro-testy-revizi")
            .await
            .unwrap();
        let after = revisions(&db).await.unwrap();
        assert!(
            after.registry > before.registry && after.auth > before.auth,
            "{before:?} → {after:?}"
        );
    }
);

async fn status(c: &reqwest::Client, url: String) -> u16 {
    c.get(url).send().await.unwrap().status().as_u16()
}

async fn list_html(c: &reqwest::Client, base: &str) -> String {
    let resp = c.get(format!("{base}/")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_keep_users_and_lists_but_never_show_them_stale() {
    let pg = crate::common::postgres().await;
    let dir = std::env::temp_dir().join(format!("tracker-reads-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = tracker(&pg.url).arg("demo").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = project_with_budget(&pg.db, REG).await;
    let (mut first, a) = serve(&pg.url, &dir.join("a.log"));
    let (mut second, b) = serve(&pg.url, &dir.join("b.log"));

    let cookie = sign_in(&a, "reviewer@demo.cz").await;
    let (ca, cb) = (client(&a, &cookie), client(&b, &cookie));
    for _ in 0..2 {
        assert!(list_html(&ca, &a).await.contains("Projekt testů importu"));
        assert!(list_html(&cb, &b).await.contains("Projekt testů importu"));
    }
    // A kept page still gets a nonce of its own, the one its CSP header allows.
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let resp = ca.get(format!("{a}/")).send().await.unwrap();
        let csp = resp.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_owned();
        let html = resp.text().await.unwrap();
        assert!(html.contains(&format!("nonce=\"{nonce}\"")), "{nonce}");
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1]);
    let (token, _) = app::services::tokens::create(&pg.db, "reviewer@demo.cz", "test")
        .await
        .unwrap();
    let api = |base: &str| format!("{base}/api/v1/projects?na_strance=100");
    let bearer = |t: &str| {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert("authorization", format!("Bearer {t}").parse().unwrap());
        reqwest::Client::builder()
            .default_headers(h)
            .build()
            .unwrap()
    };
    let by_token = bearer(&token);
    assert_eq!(status(&by_token, api(&a)).await, 200);
    assert_eq!(status(&by_token, api(&b)).await, 200);

    // Renamed through the first server's database connection (or `psql`): both show it at once.
    pg.db
        .execute_unprepared(&format!(
            "UPDATE project SET name = 'Přejmenovaný projekt' WHERE id = {id}"
        ))
        .await
        .unwrap();
    for (c, base) in [(&ca, &a), (&cb, &b)] {
        let html = list_html(c, base).await;
        assert!(html.contains("Přejmenovaný projekt"), "{base}");
        assert!(!html.contains("Projekt testů importu"), "{base}");
    }
    let json: serde_json::Value = by_token
        .get(api(&b))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(json.to_string().contains("Přejmenovaný projekt"));

    // A revoked token is refused by both at once.
    let token_id = app::services::tokens::list(&pg.db).await.unwrap()[0].id;
    app::services::tokens::revoke(&pg.db, token_id)
        .await
        .unwrap();
    assert_eq!(status(&by_token, api(&a)).await, 401);
    assert_eq!(status(&by_token, api(&b)).await, 401);

    // Signed out through the first: the second refuses the session at once.
    let out = ca.post(format!("{a}/odhlaseni")).send().await.unwrap();
    assert!(out.status().is_redirection(), "{}", out.status());
    for (c, base) in [(&ca, &a), (&cb, &b)] {
        let resp = c.get(format!("{base}/")).send().await.unwrap();
        assert_eq!(resp.status(), 303, "{base}");
        assert!(resp.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/prihlaseni"));
    }

    // A user switched off (here by `psql`) is refused by both at once, though signed in again.
    let cookie = sign_in(&b, "reviewer@demo.cz").await;
    let (ca, cb) = (client(&a, &cookie), client(&b, &cookie));
    assert!(list_html(&ca, &a).await.contains("Přejmenovaný projekt"));
    assert!(list_html(&cb, &b).await.contains("Přejmenovaný projekt"));
    pg.db
        .execute_unprepared("UPDATE app_user SET active = false WHERE email = 'reviewer@demo.cz'")
        .await
        .unwrap();
    for (c, base) in [(&ca, &a), (&cb, &b)] {
        assert_eq!(status(c, format!("{base}/")).await, 303, "{base}");
    }

    first.kill().ok();
    second.kill().ok();
    first.wait().ok();
    second.wait().ok();
    pg.cleanup().await;
}
