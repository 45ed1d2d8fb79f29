//! How the browser gets the app: the bundle under content-hashed names as static files, precompressed
//! and cached for a year; pages, JSON and CSV compressed; spreadsheets not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::http::{sign_in, spawn_app};

fn site_root() -> std::path::PathBuf {
    std::env::var("TRACKER_SITE_ROOT").map_or_else(
        |_| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"),
        Into::into,
    )
}

#[tokio::test]
async fn the_bundle_is_static_precompressed_and_immutable() {
    let (app, _dir) = spawn_app().await;
    let name = server::bundle_name(&site_root());
    assert!(name.starts_with("tracker-") && name.len() > 12, "{name}");
    let client = reqwest::Client::new();
    for (file, kind) in [
        (format!("{name}_bg.wasm"), "application/wasm"),
        (format!("{name}.js"), "javascript"),
        (format!("{name}.css"), "text/css"),
    ] {
        let plain = std::fs::metadata(site_root().join("pkg").join(&file))
            .unwrap()
            .len();
        for (accept, encoding) in [("br, gzip", "br"), ("gzip", "gzip")] {
            let resp = client
                .get(format!("{}/pkg/{file}", app.url()))
                .header("accept-encoding", accept)
                .send()
                .await
                .unwrap();
            assert_eq!(resp.status(), 200, "{file}");
            let h = resp.headers().clone();
            assert_eq!(h["content-encoding"], encoding, "{file} for {accept}");
            assert!(
                h["content-type"].to_str().unwrap().contains(kind),
                "{file}: {:?}",
                h["content-type"]
            );
            assert_eq!(
                h["cache-control"], "public, max-age=31536000, immutable",
                "{file}"
            );
            assert!(h.get("set-cookie").is_none() && h.get("content-security-policy").is_none());
            let sent = resp.bytes().await.unwrap().len() as u64;
            assert!(sent < plain, "{file}: {sent} B sent of {plain} B");
        }
        // A client that accepts no compression gets the file as it is.
        let resp = client
            .get(format!("{}/pkg/{file}", app.url()))
            .send()
            .await
            .unwrap();
        assert!(resp.headers().get("content-encoding").is_none());
        assert_eq!(resp.bytes().await.unwrap().len() as u64, plain);
    }
}

#[tokio::test]
async fn pages_json_and_csv_are_compressed_but_spreadsheets_are_not() {
    let (app, _dir) = spawn_app().await;
    let client = sign_in(&app, "admin@demo.cz").await;
    for path in ["/", "/export/projekty.csv"] {
        let resp = client
            .get(format!("{}{path}", app.url()))
            .header("accept-encoding", "br")
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.headers()["content-encoding"], "br", "{path}");
    }
    let resp = client
        .post(format!(
            "{}{}",
            app.url(),
            <app::api::ListProjects as leptos::server_fn::ServerFn>::PATH
        ))
        .header("accept-encoding", "gzip")
        .json(&serde_json::json!({"query": app::dto::ProjectListQuery {
            page: 1,
            per_page: 50,
            ..Default::default()
        }}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-encoding"], "gzip");
    let xlsx = client
        .get(format!("{}/export/projekty.xlsx", app.url()))
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(
        xlsx.headers().get("content-encoding").is_none(),
        "an .xlsx is a zip already"
    );
}
