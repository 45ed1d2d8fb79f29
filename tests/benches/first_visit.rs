//! First visit of the project list as a new user (issue 13, point 7): the bytes the browser transfers
//! and the time until the page is hydrated (clicks work), in headless Chromium with the network
//! throttled (DevTools network conditions: 10 Mbit/s, 40 ms latency by default), with an empty cache;
//! then the same page visited again (everything but the HTML from the cache).
//!
//! `cargo bench -p e2e --bench first_visit [-- --site target/site --runs 3 --mbit 10 --latency 40]`
//!
//! The site must be built (`scripts/build-site.sh release` for the bundle users get; a site built with
//! `debug` shows what the unoptimised bundle costs). The user is signed in by a cookie set before the
//! visit, so the visit is of the project list itself. The time is `performance.mark("hydrated")`, set by
//! the app once hydrated, measured from the start of the navigation.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::time::Duration;

use fantoccini::Locator;

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Bytes transferred (HTML and every resource) and milliseconds until hydrated, of the current page.
async fn visit(client: &fantoccini::Client, url: &str) -> (f64, f64) {
    client.goto(url).await.unwrap();
    client
        .wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::Css("html[data-hydrated='true']"))
        .await
        .expect("the page did not hydrate");
    let out = client
        .execute(
            "const nav = performance.getEntriesByType('navigation')[0];
             const bytes = performance.getEntriesByType('resource')
                 .reduce((s, r) => s + r.transferSize, nav.transferSize);
             const mark = performance.getEntriesByName('hydrated')[0];
             return [bytes, mark ? mark.startTime : -1];",
            vec![],
        )
        .await
        .unwrap();
    let v = out.as_array().unwrap();
    (v[0].as_f64().unwrap(), v[1].as_f64().unwrap())
}

async fn sign_in_cookie(base: &str) -> (String, String) {
    let resp = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/prihlaseni/odeslat"))
        .header("origin", base)
        .form(&[("email", e2e::TEST_USER), ("password", e2e::DEMO_PASSWORD)])
        .send()
        .await
        .unwrap();
    let pair = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let (name, value) = pair.split_once('=').unwrap();
    (name.to_owned(), value.to_owned())
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[tokio::main]
async fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let site = arg(&args, "--site").map_or_else(e2e::site_root, Into::into);
    let runs: usize = arg(&args, "--runs").map_or(3, |v| v.parse().unwrap());
    let mbit: f64 = arg(&args, "--mbit").map_or(10.0, |v| v.parse().unwrap());
    let latency: u64 = arg(&args, "--latency").map_or(40, |v| v.parse().unwrap());
    let dir = std::env::temp_dir().join(format!("tracker-visit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let app = e2e::start_app(&dir, site.clone()).await;
    let base = app.url();
    let (name, value) = sign_in_cookie(&base).await;
    let bundle = server::bundle_name(&site);
    let wasm = std::fs::metadata(site.join(format!("pkg/{bundle}_bg.wasm"))).map_or(0, |m| m.len());
    println!(
        "site {} (wasm {:.0} KiB on disk); {mbit} Mbit/s, {latency} ms; median of {runs} runs, each in a new browser",
        site.display(),
        wasm as f64 / 1024.0
    );
    let (mut cold_kib, mut cold_ms, mut warm_kib, mut warm_ms) = (vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let profile = dir.join(format!("run-{run}"));
        std::fs::create_dir_all(&profile).unwrap();
        let (mut driver, port, client) = e2e::start_browser(&profile).await;
        // On the site's origin (a page without the bundle) to set the session cookie.
        client.goto(&format!("{base}/healthz")).await.unwrap();
        client
            .execute(
                "document.cookie = arguments[0] + '=' + arguments[1] + '; path=/';",
                vec![name.clone().into(), value.clone().into()],
            )
            .await
            .unwrap();
        let session = client.session_id().await.unwrap().unwrap();
        let throughput = (mbit * 1_000_000.0 / 8.0).round();
        let set = reqwest::Client::new()
            .post(format!(
                "http://127.0.0.1:{port}/session/{session}/chromium/network_conditions"
            ))
            .json(&serde_json::json!({ "network_conditions": {
                "offline": false,
                "latency": latency,
                "download_throughput": throughput,
                "upload_throughput": throughput,
            }}))
            .send()
            .await
            .unwrap();
        assert!(
            set.status().is_success(),
            "network conditions not set: {}",
            set.text().await.unwrap_or_default()
        );
        let (bytes, ms) = visit(&client, &format!("{base}/")).await;
        cold_kib.push(bytes / 1024.0);
        cold_ms.push(ms);
        let (bytes, ms) = visit(&client, &format!("{base}/")).await;
        warm_kib.push(bytes / 1024.0);
        warm_ms.push(ms);
        println!(
            "run {}: first visit {:.0} KiB, hydrated after {:.0} ms; again {:.0} KiB, {:.0} ms",
            run + 1,
            cold_kib[run],
            cold_ms[run],
            warm_kib[run],
            warm_ms[run]
        );
        client.close().await.ok();
        driver.kill().ok();
        driver.wait().ok();
    }
    println!(
        "median: first visit {:.0} KiB, hydrated after {:.2} s; visit again {:.0} KiB, {:.2} s",
        median(cold_kib),
        median(cold_ms) / 1000.0,
        median(warm_kib),
        median(warm_ms) / 1000.0
    );
    app.stop();
    std::fs::remove_dir_all(&dir).ok();
}
