//! Test support for tests that run the real `tracker` binary as separate processes (graceful shutdown,
//! restarts, two servers on one database).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::http::PASSWORD;

/// `tracker` with the environment of the tests: database `url`, the test date, the demo password.
pub fn tracker(url: &str) -> Command {
    let site = std::env::var("TRACKER_SITE_ROOT")
        .unwrap_or_else(|_| format!("{}/../target/site", env!("CARGO_MANIFEST_DIR")));
    let mut c = Command::new(env!("CARGO_BIN_EXE_tracker"));
    c.env("DATABASE_URL", url)
        .env("TRACKER_TODAY", "2026-07-01")
        .env("TRACKER_DEMO_PASSWORD", PASSWORD)
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:0")
        .env("LEPTOS_SITE_ROOT", site)
        .env("RUST_LOG", "error");
    c
}

/// Starts `tracker serve` on a random port; returns the process and its base URL. Its stderr goes to
/// `stderr_log`.
pub fn serve(url: &str, stderr_log: &Path) -> (Child, String) {
    let mut server = tracker(url)
        .arg("serve")
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(stderr_log).unwrap())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let base = first.trim().rsplit(' ').next().unwrap().to_owned();
    assert!(
        base.starts_with("http://127.0.0.1:"),
        "{first}{}",
        std::fs::read_to_string(stderr_log).unwrap_or_default()
    );
    (server, base)
}

/// Signs `email` in through `base`; returns the session cookie (`name=value`).
pub async fn sign_in(base: &str, email: &str) -> String {
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let signed = anonymous
        .post(format!("{base}/prihlaseni/odeslat"))
        .header("origin", base)
        .form(&[("email", email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    signed.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// A client of the server at `base` with the session `cookie` (and that server's origin, as a browser
/// would send it).
pub fn client(base: &str, cookie: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("cookie", cookie.parse().unwrap());
    headers.insert("origin", base.parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Uploads `bytes` as `file_name` for a preview; returns the job's token.
pub async fn upload(client: &reqwest::Client, base: &str, file_name: &str, bytes: &[u8]) -> String {
    let (content_type, body) = crate::http::multipart(file_name, bytes);
    let resp = client
        .post(format!("{base}/importy/nahrat"))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let location = resp.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/importy/nahled/"), "{location}");
    location.trim_start_matches("/importy/nahled/").to_owned()
}

/// The import job `token` as the browser polls it.
pub async fn job(client: &reqwest::Client, base: &str, token: &str) -> serde_json::Value {
    use leptos::server_fn::ServerFn;
    let resp = client
        .post(format!("{base}{}", app::api::ImportJob::PATH))
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status(),
        200,
        "{}",
        resp.text().await.unwrap_or_default()
    );
    resp.json().await.unwrap()
}

/// Polls the job until it stops running (at most two minutes).
pub async fn finished_job(client: &reqwest::Client, base: &str, token: &str) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    loop {
        let state = job(client, base, token).await;
        if state["running"] != true {
            return state;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the job did not finish: {state}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// Starts the commit of a previewed job.
pub async fn commit(client: &reqwest::Client, base: &str, token: &str) -> reqwest::StatusCode {
    use leptos::server_fn::ServerFn;
    client
        .post(format!("{base}{}", app::api::CommitImport::PATH))
        .json(&serde_json::json!({ "token": token }))
        .send()
        .await
        .unwrap()
        .status()
}
