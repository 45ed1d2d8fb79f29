//! Load benchmark (issue 13, point 7): requests per second and p50/p99 latency of the signed-in project
//! list (server-rendered: as a user gets it, which is a kept page when nothing changed, and rendered
//! afresh for every request), of `/api/v1/projects` (JSON, with an API token) and of the stylesheet (a
//! static file of the same server), at 16 and 64 concurrent clients, on SQLite and PostgreSQL.
//!
//! `cargo bench -p server --bench load [-- --seconds 5 --clients 16,64 --accept-encoding br
//! --postgres postgres://postgres@127.0.0.1:5432/test]`
//!
//! The server runs in this process on its own runtime (two worker threads, as `tracker serve` on this
//! machine), with the demo data, on a random port; the clients run on another runtime, each with its own
//! keep-alive connection (like `wrk -cN`), so no external load tool is needed. The site (`target/site`,
//! or `TRACKER_SITE_ROOT`) must be built: `scripts/build-site.sh release`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::time::{Duration, Instant};

use sea_orm::ConnectionTrait;

const PASSWORD: &str = "heslo-pro-zatezovy-test";
/// Numbers the requests that need an address of their own.
static REQUEST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

struct Target {
    name: &'static str,
    path: String,
    headers: Vec<(&'static str, String)>,
    /// Each request with an address of its own (`&n=<counter>`, a parameter the page ignores), so that
    /// no kept page answers it: the cost of rendering the page afresh.
    unique: bool,
}

struct Stats {
    requests: usize,
    rps: f64,
    p50: Duration,
    p99: Duration,
}

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `clients` clients, each on its own connection, request `target` one after another for `seconds`.
async fn load(base: &str, target: &Target, clients: usize, seconds: u64, encoding: &str) -> Stats {
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let url = format!("{base}{}", target.path);
        let unique = target.unique;
        let mut headers = reqwest::header::HeaderMap::new();
        for (k, v) in &target.headers {
            headers.insert(*k, v.parse().unwrap());
        }
        if !encoding.is_empty() {
            headers.insert("accept-encoding", encoding.parse().unwrap());
        }
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .pool_max_idle_per_host(1)
            .build()
            .unwrap();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while Instant::now() < until {
                let t = Instant::now();
                let resp = if unique {
                    let sep = if url.contains('?') { '&' } else { '?' };
                    let n = REQUEST.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    client.get(format!("{url}{sep}n={n}")).send().await.unwrap()
                } else {
                    client.get(&url).send().await.unwrap()
                };
                let status = resp.status();
                let body = resp.bytes().await.unwrap();
                assert!(status.is_success(), "{url}: {status}");
                assert!(!body.is_empty());
                times.push(t.elapsed());
            }
            times
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let elapsed = started.elapsed();
    all.sort_unstable();
    Stats {
        requests: all.len(),
        rps: all.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(&all, 0.5),
        p99: percentile(&all, 0.99),
    }
}

/// Loads the demo data into `url` and serves it from a runtime of its own; returns the base URL and an
/// API token.
fn start_server(url: String, site_root: std::path::PathBuf) -> (String, String) {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let db = server::open_database(&url).await.unwrap();
            let today = chrono::Utc::now().date_naive();
            app::services::demo::load(
                &db,
                today,
                std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ruian")),
            )
            .await
            .unwrap();
            app::services::demo::ensure_demo_users(&db, PASSWORD)
                .await
                .unwrap();
            let (token, _) = app::services::tokens::create(&db, "reviewer@demo.cz", "zatez")
                .await
                .unwrap();
            db.close().await.ok();
            let settings = server::Settings {
                database_url: url,
                site_addr: "127.0.0.1:0".parse().unwrap(),
                site_root,
                clock: app::services::clock::Clock::Fixed(today),
                shutdown_timeout: Duration::from_secs(5),
                trusted_proxies: Vec::new(),
                documents: app::services::documents::DocumentSettings {
                    dir: std::env::temp_dir().join("tracker-load-files"),
                    ..Default::default()
                },
            };
            let running = server::start(&settings).await.unwrap();
            tx.send((running.url(), token)).unwrap();
            running.wait().await.ok();
        });
    });
    rx.recv().unwrap()
}

async fn sign_in(base: &str) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let resp = client
        .post(format!("{base}/prihlaseni/odeslat"))
        .header("origin", base)
        .form(&[("email", "reviewer@demo.cz"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn measure(
    backend: &str,
    (base, token): &(String, String),
    clients: &[usize],
    seconds: u64,
    encoding: &str,
) {
    let cookie = sign_in(base).await;
    let page = reqwest::Client::new()
        .get(format!("{base}/"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let css = page
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/pkg/") && h.ends_with(".css"))
        .expect("the page links its stylesheet (is the site built?)")
        .to_owned();
    let targets = [
        Target {
            name: "static CSS",
            path: css,
            headers: Vec::new(),
            unique: false,
        },
        Target {
            name: "project list (SSR)",
            path: "/".into(),
            headers: vec![("cookie", cookie.clone())],
            unique: false,
        },
        Target {
            name: "list rendered afresh",
            path: "/".into(),
            headers: vec![("cookie", cookie.clone())],
            unique: true,
        },
        Target {
            name: "/api/v1/projects",
            path: "/api/v1/projects".into(),
            headers: vec![("authorization", format!("Bearer {token}"))],
            unique: false,
        },
    ];
    for &c in clients {
        let mut static_rps = 0.0;
        for target in &targets {
            let s = load(base, target, c, seconds, encoding).await;
            if target.name == "static CSS" {
                static_rps = s.rps;
            }
            println!(
                "{backend:10} | {:20} | {c:7} | {:8} | {:8.0} | {:7.1} | {:7.1} | {:5.0} %",
                target.name,
                s.requests,
                s.rps,
                s.p50.as_secs_f64() * 1000.0,
                s.p99.as_secs_f64() * 1000.0,
                100.0 * s.rps / static_rps
            );
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: u64 = arg(&args, "--seconds").map_or(5, |v| v.parse().unwrap());
    let clients: Vec<usize> = arg(&args, "--clients")
        .unwrap_or_else(|| "16,64".into())
        .split(',')
        .map(|c| c.trim().parse().unwrap())
        .collect();
    let encoding = arg(&args, "--accept-encoding").unwrap_or_default();
    let pg = arg(&args, "--postgres").or_else(|| std::env::var("TEST_POSTGRES_URL").ok());
    let site_root: std::path::PathBuf = std::env::var("TRACKER_SITE_ROOT").map_or_else(
        |_| format!("{}/../target/site", env!("CARGO_MANIFEST_DIR")).into(),
        Into::into,
    );
    println!(
        "{seconds} s per figure; Accept-Encoding: {}",
        if encoding.is_empty() {
            "(none)"
        } else {
            &encoding
        }
    );
    println!("backend    | target               | clients | requests |      rps | p50 ms  | p99 ms  | vs static");

    let dir = std::env::temp_dir().join(format!("tracker-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.join("load.sqlite").display());
    let server = start_server(url, site_root.clone());
    measure("SQLite", &server, &clients, seconds, &encoding).await;

    if let Some(admin_url) = pg {
        let admin = sea_orm::Database::connect(&admin_url).await.unwrap();
        let name = format!("load_{}", std::process::id());
        admin
            .execute_unprepared(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        let prefix = admin_url
            .rsplit_once('/')
            .map_or(admin_url.as_str(), |(b, _)| b)
            .to_owned();
        let server = start_server(format!("{prefix}/{name}"), site_root);
        measure("PostgreSQL", &server, &clients, seconds, &encoding).await;
        admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await
            .ok();
    }
    std::fs::remove_dir_all(&dir).ok();
    std::process::exit(0);
}
