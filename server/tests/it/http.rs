//! HTTP tests against the real server on a random port with a fresh SQLite file and the demo data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use server::{RunningServer, Settings};

pub(crate) const PASSWORD: &str = "demo-heslo-pro-testy";

/// Signs in through the form (with the Origin a browser sends) and returns a client that sends the
/// session cookie and the Origin header, and does not follow redirects.
pub(crate) async fn sign_in(app: &RunningServer, email: &str) -> reqwest::Client {
    let origin = app.url();
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{origin}/prihlaseni/odeslat"))
        .header("origin", &origin)
        .form(&[("email", email), ("password", PASSWORD), ("dalsi", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    let pair = cookie.split(';').next().unwrap().to_owned();
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", pair.parse().unwrap());
    headers.insert("origin", origin.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The settings of a test server on database `url`, with documents stored in `dir/files`.
pub(crate) fn settings(url: String, dir: &std::path::Path) -> Settings {
    Settings {
        database_url: url,
        site_addr: "127.0.0.1:0".parse().unwrap(),
        site_root: std::env::var("TRACKER_SITE_ROOT").map_or_else(
            |_| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"),
            Into::into,
        ),
        clock: app::services::clock::Clock::Fixed(crate::common::today()),
        trusted_proxies: Vec::new(),
        shutdown_timeout: std::time::Duration::from_secs(5),
        documents: app::services::documents::DocumentSettings {
            dir: dir.join("files"),
            ..Default::default()
        },
    }
}

pub(crate) async fn spawn_app() -> (RunningServer, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("tracker-http-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    (spawn_app_in(&url, &dir).await, dir)
}

/// The server on the database at `url` (SQLite or PostgreSQL), with the demo data and users, and its
/// documents in a directory of its own.
pub(crate) async fn spawn_app_on(url: &str) -> RunningServer {
    let dir = std::env::temp_dir().join(format!("tracker-http-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    spawn_app_in(url, &dir).await
}

/// The server on the database at `url`, with the demo data and users, its documents in `dir/files`.
async fn spawn_app_in(url: &str, dir: &std::path::Path) -> RunningServer {
    let db = server::open_database(url).await.unwrap();
    app::services::demo::load(&db, crate::common::today(), &crate::common::ruian_dir())
        .await
        .unwrap();
    app::services::demo::ensure_demo_users(&db, PASSWORD)
        .await
        .unwrap();
    db.close().await.unwrap();
    server::start(&settings(url.to_owned(), dir)).await.unwrap()
}

/// The real server on the database at `url` (migrated on start, nothing loaded), on a free port, with the
/// tests' date and its documents in a directory of its own.
pub(crate) async fn start_on(url: String) -> RunningServer {
    let dir = std::env::temp_dir().join(format!("tracker-http-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    server::start(&settings(url, &dir)).await.unwrap()
}

#[tokio::test]
async fn healthz_names_backend_and_migration() {
    let (app, _dir) = spawn_app().await;
    let resp = reqwest::get(format!("{}/healthz", app.url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "sqlite");
    // The newest migration, applied at start-up.
    let newest = {
        use migration::MigratorTrait;
        migration::Migrator::migrations()
            .last()
            .map(|m| m.name().to_owned())
            .unwrap()
    };
    assert_eq!(body["migration"], newest.as_str());
    assert!(newest.starts_with("m2026"), "{newest}");
}

#[tokio::test]
async fn project_list_is_in_the_server_rendered_html() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "admin@demo.cz").await;
    let resp = client.get(format!("{}/", app.url())).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("Nová etapa"), "NOE missing from SSR HTML");
    assert!(
        html.contains("Věk není překážkou"),
        "VNP missing from SSR HTML"
    );
    assert!(html.contains("CZ.03.01.01/00/22_015/0002653"));
    let bundle = server::bundle_name(&std::path::PathBuf::from(
        std::env::var("TRACKER_SITE_ROOT").unwrap_or_else(|_| "../target/site".into()),
    ));
    assert!(
        bundle.starts_with("tracker-"),
        "a content-hashed bundle: {bundle}"
    );
    assert!(
        html.contains(&format!("/pkg/{bundle}.js")),
        "hydration script missing"
    );
    assert!(
        html.contains(&format!("/pkg/{bundle}.css")),
        "stylesheet missing"
    );
}

#[tokio::test]
async fn filter_in_the_url_filters_the_rendered_list() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "admin@demo.cz").await;
    let html = client
        .get(format!("{}/?q=vek+neni", app.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Věk není překážkou"));
    assert!(!html.contains(">Nová etapa<"));
}

#[tokio::test]
async fn unknown_pages_and_projects_are_friendly_404s() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "admin@demo.cz").await;
    for path in ["/projekty/999999", "/projekty/abc", "/neexistuje"] {
        let resp = client
            .get(format!("{}{path}", app.url()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 404, "{path}");
        let html = resp.text().await.unwrap();
        assert!(html.contains("Stránka nenalezena"), "{path}: {html}");
    }
}

#[tokio::test]
async fn malformed_server_function_calls_get_no_internal_detail() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "admin@demo.cz").await;
    let path = <app::api::CreateProject as leptos::server_fn::ServerFn>::PATH;
    let resp = client
        .post(format!("{}{path}", app.url()))
        .header("content-type", "application/json")
        .body(r#"{"input": {"registration_number": 5}}"#)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_client_error() || resp.status().is_server_error());
    let body = resp.text().await.unwrap();
    for leak in ["SELECT", "sqlx", "panicked", "invalid type", "src/"] {
        assert!(!body.contains(leak), "response leaks {leak}: {body}");
    }
    // The server keeps serving.
    assert_eq!(
        reqwest::get(format!("{}/healthz", app.url()))
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn a_valid_server_function_call_creates_a_project() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "admin@demo.cz").await;
    let path = <app::api::CreateProject as leptos::server_fn::ServerFn>::PATH;
    let input = serde_json::json!({"input": {
        "registration_number": "CZ.03.02.01/00/25_106/0009990", "name": "Přes HTTP", "acronym": "",
        "beneficiary_ico": "00296244", "beneficiary_name": "Město Moravský Beroun", "status": "preparation",
        "start_date": "1. 1. 2026", "end_date": "31. 12. 2026", "description": "", "total_eligible": "0,01",
        "target_groups": [], "municipalities": []
    }});
    let resp = client
        .post(format!("{}{path}", app.url()))
        .json(&input)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: serde_json::Value = resp.json().await.unwrap();
    assert!(body["Saved"]["id"].as_i64().unwrap() > 0, "{body}");
}

pub(crate) fn multipart(file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "----trackerTestBoundary7MA4YWxk";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// Uploads go through `POST /importy/nahrat`: a spreadsheet becomes a preview job; a file that is no
/// spreadsheet, or one over the size limit, ends with a Czech message; the server keeps serving.
#[tokio::test]
async fn upload_starts_a_preview_and_bad_uploads_get_a_message() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "finance@demo.cz").await;
    let upload = |name: &'static str, bytes: Vec<u8>| {
        let client = client.clone();
        let url = format!("{}/importy/nahrat", app.url());
        async move {
            let (content_type, body) = multipart(name, &bytes);
            client
                .post(url)
                .header("content-type", content_type)
                .body(body)
                .send()
                .await
                .unwrap()
        }
    };
    let sheet = common::xlsx(&[(
        "Obce",
        vec![
            common::row(&["Registrační číslo projektu", "Kód obce"]),
            common::row(&["CZ.03.01.01/00/22_015/0002653", "#n:554782"]),
        ],
    )]);
    let resp = upload("../../etc/obce.xlsx", sheet).await;
    assert_eq!(resp.status(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/importy/nahled/"), "{location}");
    // The preview finishes in the background; its page then shows the report (file name only, no path).
    let mut html = String::new();
    for _ in 0..50 {
        html = client
            .get(format!("{}{location}", app.url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if html.contains("Uložit do evidence") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(html.contains("Zapojené obce"), "{html}");
    assert!(
        html.contains("obce.xlsx") && !html.contains("etc/obce"),
        "only the base name is shown"
    );

    // Not a spreadsheet: the preview fails with a message.
    let resp = upload("faktura.pdf", b"%PDF-1.4 not a sheet".to_vec()).await;
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    let mut html = String::new();
    for _ in 0..50 {
        html = client
            .get(format!("{}{location}", app.url()))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if html.contains("import-failed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(html.contains("není tabulka podporovaného typu"), "{html}");

    // Over the size limit (20 MB): refused with a message on the upload page.
    let resp = upload("velky.xlsx", vec![b'x'; 21 * 1024 * 1024]).await;
    assert_eq!(
        resp.status(),
        303,
        "an oversized upload ends in a message, not a bare 413"
    );
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/importy?chyba="), "{location}");
    let html = client
        .get(format!("{}{location}", app.url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("větší než povolených 20 MB"), "{html}");
    // The server still serves.
    let resp = reqwest::get(format!("{}/healthz", app.url()))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
}
