//! Attacks on signing in: an open redirect after sign-in, password guessing in parallel (the throttle
//! counts every attempt atomically before the password is checked), a forged `X-Forwarded-For`, CSRF
//! with a non-Bearer `Authorization` header, caching of personal pages, and the audit trail of sign-ins.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use app::services::auth::{self, AuthError};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

use crate::http::{spawn_app, PASSWORD};

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn t0() -> DateTime<Utc> {
    crate::common::today()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_utc()
}

async fn audit_count(db: &DatabaseConnection, action: &str, email: &str) -> u64 {
    entity::audit_log::Entity::find()
        .filter(entity::audit_log::Column::Action.eq(action))
        .filter(entity::audit_log::Column::UserEmail.eq(email))
        .count(db)
        .await
        .unwrap()
}

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    let (app, _dir) = spawn_app().await;
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("/\n/evil.example", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("https://evil.example/", "/"),
        ("/projekty/1?x=1", "/projekty/1?x=1"),
    ] {
        let resp = no_redirects()
            .post(format!("{}/prihlaseni/odeslat", app.url()))
            .header("origin", app.url())
            .form(&[
                ("email", "reviewer@demo.cz"),
                ("password", PASSWORD),
                ("dalsi", next),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 303, "{next:?}");
        assert_eq!(resp.headers()["location"], expected, "{next:?}");
    }
}

db_test!(
    fifty_parallel_guesses_reach_the_password_check_at_most_five_times,
    |db: DatabaseConnection| async move {
        app::services::demo::ensure_demo_users(&db, PASSWORD)
            .await
            .unwrap();
        let email = "finance@demo.cz";
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..50 {
            let db = db.clone();
            // Different addresses: this is about the account's counter.
            tasks.spawn(async move {
                auth::sign_in(&db, email, "spatne-heslo-123", &format!("10.0.0.{i}"), t0()).await
            });
        }
        let (mut wrong, mut throttled) = (0, 0);
        while let Some(r) = tasks.join_next().await {
            match r.unwrap() {
                Err(AuthError::InvalidCredentials) => wrong += 1,
                Err(AuthError::Throttled { .. }) => throttled += 1,
                other => panic!("{other:?}"),
            }
        }
        assert!(wrong <= 5, "{wrong} attempts reached the password check");
        assert_eq!(wrong + throttled, 50);
        assert_eq!(
            audit_count(&db, "sign_in_failed", email).await,
            wrong,
            "each checked attempt is in the audit trail"
        );
        assert_eq!(audit_count(&db, "sign_in_refused", email).await, throttled);
        // The right password is refused too, until the window has passed.
        for later in [
            Duration::zero(),
            Duration::seconds(30),
            Duration::minutes(5),
        ] {
            let r = auth::sign_in(&db, email, PASSWORD, "10.0.1.1", t0() + later).await;
            assert!(
                matches!(r, Err(AuthError::Throttled { .. })),
                "after {later}: {r:?}"
            );
        }
        let r = auth::sign_in(
            &db,
            email,
            PASSWORD,
            "10.0.1.1",
            t0() + Duration::minutes(16),
        )
        .await;
        assert!(r.is_ok(), "{r:?}");
        assert_eq!(audit_count(&db, "sign_in", email).await, 1);
        // A success clears the account's counter: five more tries before the next lock.
        for _ in 0..5 {
            let r = auth::sign_in(&db, email, "x", "10.0.1.2", t0() + Duration::minutes(17)).await;
            assert!(matches!(r, Err(AuthError::InvalidCredentials)), "{r:?}");
        }
    }
);

db_test!(
    locks_grow_with_further_attempts_instead_of_a_fixed_lock_out,
    |db: DatabaseConnection| async move {
        app::services::demo::ensure_demo_users(&db, PASSWORD)
            .await
            .unwrap();
        let email = "admin@demo.cz";
        for _ in 0..5 {
            let _ = auth::sign_in(&db, email, "x", "10.0.0.1", t0()).await;
        }
        let Err(AuthError::Throttled { minutes }) =
            auth::sign_in(&db, email, "x", "10.0.0.1", t0()).await
        else {
            panic!("the sixth attempt is refused")
        };
        assert_eq!(minutes, 1, "the first lock is short");
        // The admin can sign in a minute later if nobody keeps trying ...
        let mut at = t0() + Duration::seconds(61);
        let Err(AuthError::Throttled { minutes }) =
            auth::sign_in(&db, email, "x", "10.0.0.1", at).await
        else {
            panic!("a wrong attempt after the lock locks again")
        };
        assert_eq!(minutes, 2, "... and every further attempt doubles the lock");
        at += Duration::minutes(2) + Duration::seconds(1);
        let Err(AuthError::Throttled { minutes }) =
            auth::sign_in(&db, email, "x", "10.0.0.1", at).await
        else {
            panic!()
        };
        assert_eq!(minutes, 4);
    }
);

db_test!(
    password_changes_are_throttled_and_audited,
    |db: DatabaseConnection| async move {
        app::services::demo::ensure_demo_users(&db, PASSWORD)
            .await
            .unwrap();
        let (_, viewer) = auth::sign_in(&db, "manager@demo.cz", PASSWORD, "10.0.0.1", t0())
            .await
            .unwrap();
        for _ in 0..5 {
            let r =
                auth::change_password(&db, viewer.id, "spatne", "nove-dlouhe-heslo-1", "", t0())
                    .await;
            assert!(matches!(r, Err(AuthError::InvalidCredentials)), "{r:?}");
        }
        let r =
            auth::change_password(&db, viewer.id, PASSWORD, "nove-dlouhe-heslo-1", "", t0()).await;
        assert!(matches!(r, Err(AuthError::Throttled { .. })), "{r:?}");
        assert_eq!(
            audit_count(&db, "password_failed", "manager@demo.cz").await,
            5
        );
        let later = t0() + Duration::minutes(16);
        auth::change_password(&db, viewer.id, PASSWORD, "nove-dlouhe-heslo-1", "", later)
            .await
            .unwrap();
        assert_eq!(
            audit_count(&db, "password_change", "manager@demo.cz").await,
            1
        );
    }
);

#[tokio::test]
async fn parallel_guesses_over_http_are_throttled_and_a_forged_forwarded_for_does_not_help() {
    let (app, _dir) = spawn_app().await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..30 {
        let url = app.url();
        tasks.spawn(async move {
            // A client that is not a trusted proxy cannot choose its address.
            let resp = no_redirects()
                .post(format!("{url}/prihlaseni/odeslat"))
                .header("origin", &url)
                .header("x-forwarded-for", format!("192.0.2.{i}"))
                .form(&[
                    ("email", "finance@demo.cz"),
                    ("password", "spatne-heslo-123"),
                ])
                .send()
                .await
                .unwrap();
            resp.headers()["location"].to_str().unwrap().to_owned()
        });
    }
    let mut invalid = 0;
    while let Some(location) = tasks.join_next().await {
        let location = location.unwrap();
        if location.contains("Neplatn") || location.contains("Neplatn%C3%BD") {
            invalid += 1;
        } else {
            assert!(location.contains("P%C5%99%C3%ADli%C5%A1"), "{location}");
        }
    }
    assert!(invalid <= 5, "{invalid} guesses reached the password check");
    let resp = no_redirects()
        .post(format!("{}/prihlaseni/odeslat", app.url()))
        .header("origin", app.url())
        .form(&[("email", "finance@demo.cz"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let location = resp.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("/prihlaseni?chyba="),
        "the right password is refused too: {location}"
    );
}

#[tokio::test]
async fn csrf_exemption_is_only_for_bearer_tokens_on_the_json_api() {
    let (app, _dir) = spawn_app().await;
    for auth_header in ["Basic eDp5", "Bearer esf_x"] {
        let resp = no_redirects()
            .post(format!("{}{}", app.url(), <app::api::SaveSettings as leptos::server_fn::ServerFn>::PATH))
            .header("authorization", auth_header)
            .json(&serde_json::json!({"input": {"drawdown_max_lag_points": "20", "correction_bands": "50; 100; 0"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 403, "{auth_header}");
        assert!(resp.text().await.unwrap().contains("CSRF"), "{auth_header}");
    }
}

#[tokio::test]
async fn personal_pages_are_not_stored_and_https_gets_hsts() {
    let (app, _dir) = spawn_app().await;
    let client = crate::http::sign_in(&app, "admin@demo.cz").await;
    let page = client.get(format!("{}/", app.url())).send().await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-store");
    assert!(
        page.headers().get("strict-transport-security").is_none(),
        "plain HTTP"
    );
    let f = client
        .post(format!(
            "{}{}",
            app.url(),
            <app::api::CurrentUser as leptos::server_fn::ServerFn>::PATH
        ))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(f.status(), 200);
    assert_eq!(f.headers()["cache-control"], "no-store");
    let https = client
        .get(format!("{}/", app.url()))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    assert!(https.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .starts_with("max-age="));
    // Sign-in and sign-out are in the audit trail.
    let resp = client
        .post(format!("{}/odhlaseni", app.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(audit_count(&app.db, "sign_in", "admin@demo.cz").await, 1);
    assert_eq!(audit_count(&app.db, "sign_out", "admin@demo.cz").await, 1);
}

#[test]
fn only_same_site_paths_are_followed_after_sign_in() {
    for ok in ["/", "/projekty/3?tab=rozpocet", "/importy/5#x", "/a:b"] {
        assert_eq!(server::web::safe_next(Some(ok)), ok);
    }
    for bad in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r/evil.example",
        "/ /evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\/evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/\u{0}x",
        "/\u{a0}/evil.example",
        "",
    ] {
        assert_eq!(server::web::safe_next(Some(bad)), "/", "{bad:?}");
    }
    assert_eq!(server::web::safe_next(None), "/");
}

#[test]
fn forwarded_addresses_count_only_from_trusted_proxies() {
    let proxy: std::net::IpAddr = "10.0.0.1"
        .parse()
        .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    let client: std::net::IpAddr = "203.0.113.7"
        .parse()
        .unwrap_or(std::net::Ipv4Addr::LOCALHOST.into());
    let mut h = axum::http::HeaderMap::new();
    h.insert(
        "x-forwarded-for",
        axum::http::HeaderValue::from_static("198.51.100.1, 203.0.113.7"),
    );
    assert_eq!(
        server::web::client_address(client, &h, &[proxy]),
        client,
        "untrusted peer: header ignored"
    );
    assert_eq!(
        server::web::client_address(proxy, &h, &[proxy]),
        client,
        "nearest untrusted address"
    );
    assert_eq!(
        server::web::client_address(proxy, &axum::http::HeaderMap::new(), &[proxy]),
        proxy
    );
    // A client that writes an invalid entry after its chosen address cannot make that address count:
    // the proxy appends the real one, which is read from the right.
    let mut forged = axum::http::HeaderMap::new();
    forged.insert(
        "x-forwarded-for",
        axum::http::HeaderValue::from_static("198.51.100.9, x, 203.0.113.7"),
    );
    assert_eq!(
        server::web::client_address(proxy, &forged, &[proxy]),
        client
    );
    let mut garbage = axum::http::HeaderMap::new();
    garbage.insert(
        "x-forwarded-for",
        axum::http::HeaderValue::from_static("198.51.100.9, x"),
    );
    assert_eq!(
        server::web::client_address(proxy, &garbage, &[proxy]),
        proxy,
        "the last trusted hop"
    );
    // An IPv4 proxy seen as an IPv4-mapped IPv6 peer is still the proxy.
    let mapped: std::net::IpAddr = "::ffff:10.0.0.1".parse().unwrap_or(proxy);
    assert_eq!(server::web::client_address(mapped, &h, &[proxy]), client);
}
