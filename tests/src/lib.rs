//! Harness for the browser tests: the real server in-process on a random port with a fresh SQLite
//! database holding the demo portfolio, chromedriver on another random port, and a headless Chromium
//! session driven through WebDriver (fantoccini).
//!
//! The browser bundle must be built first (`scripts/build-site.sh`, done by `make test`); its directory
//! comes from `TRACKER_SITE_ROOT` (default `target/site`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::{RunningServer, Settings};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The password of the demo users and of the tests' user in browser tests.
/// The date the browser tests run at, in the server (its clock) and in the demo data: never the real one.
pub fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 7, 1).expect("a valid date")
}

pub const DEMO_PASSWORD: &str = "demo-heslo-pro-testy";
/// The tests' own user (all roles).
pub const TEST_USER: &str = "test@demo.cz";

pub struct Harness {
    pub app: RunningServer,
    pub client: Client,
    driver: Child,
    dir: PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The built site: `TRACKER_SITE_ROOT`, or `target/site`.
pub fn site_root() -> PathBuf {
    let root = std::env::var("TRACKER_SITE_ROOT").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/site"),
        PathBuf::from,
    );
    assert!(
        root.join("pkg/bundle-name").is_file(),
        "the browser bundle is missing in {}: run scripts/build-site.sh (make test does)",
        root.display()
    );
    root
}

async fn start_chromedriver(dir: &std::path::Path) -> (Child, u16) {
    let port = free_port();
    let mut driver =
        Command::new(std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into()))
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(
                std::fs::File::create(dir.join("chromedriver.log"))
                    .map_or_else(|_| Stdio::null(), Stdio::from),
            )
            .spawn()
            .expect(
                "chromedriver is required for the browser tests (Debian package chromium-driver)",
            );
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if reqwest::get(format!("http://127.0.0.1:{port}/status"))
            .await
            .is_ok()
        {
            return (driver, port);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    driver.kill().ok();
    driver.wait().ok();
    panic!("chromedriver did not start on port {port}");
}

/// The app with the demo data and the tests' own user, on a fresh SQLite file in `dir`, serving the site
/// at `site_root` on a random port.
pub async fn start_app(dir: &std::path::Path, site_root: PathBuf) -> RunningServer {
    let url = format!("sqlite://{}?mode=rwc", dir.join("t.sqlite").display());
    let db = server::open_database(&url).await.unwrap();
    app::services::demo::load(
        &db,
        today(),
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/ruian")),
    )
    .await
    .unwrap();
    app::services::demo::ensure_demo_users(&db, DEMO_PASSWORD)
        .await
        .unwrap();
    // The tests' own user: every role, finance for all projects, manager of every demo project.
    let all: Vec<i32> = entity::project::Entity::find()
        .all(&db)
        .await
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    app::services::auth::create_user(
        &db,
        TEST_USER,
        "Testovací uživatel",
        DEMO_PASSWORD,
        &app::domain::roles::Role::ALL,
        &all,
        true,
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    server::start(&Settings {
        database_url: url,
        site_addr: "127.0.0.1:0".parse().unwrap(),
        site_root,
        clock: app::services::clock::Clock::Fixed(today()),
        trusted_proxies: Vec::new(),
        shutdown_timeout: std::time::Duration::from_secs(5),
        documents: app::services::documents::DocumentSettings {
            dir: dir.join("files"),
            ..Default::default()
        },
    })
    .await
    .unwrap()
}

/// chromedriver on a random port and a fresh headless Chromium (its profile, with an empty cache, in
/// `dir`); returns the driver process, its port and the WebDriver session.
pub async fn start_browser(dir: &std::path::Path) -> (Child, u16, Client) {
    let (driver, port) = start_chromedriver(dir).await;
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1000",
                format!("--user-data-dir={}", dir.join("chrome").display()),
            ]
        }
    });
    let client = ClientBuilder::rustls()
        .unwrap()
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("WebDriver session with headless Chromium");
    (driver, port, client)
}

impl Harness {
    /// Starts the app with the demo data and a fresh headless Chromium.
    pub async fn start() -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter("info,sqlx=warn")
                .with_test_writer()
                .try_init();
        }
        let dir =
            std::env::temp_dir().join(format!("tracker-e2e-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let app = start_app(&dir, site_root()).await;
        let (driver, _, client) = start_browser(&dir).await;
        let h = Self {
            app,
            client,
            driver,
            dir,
        };
        h.sign_in(TEST_USER, DEMO_PASSWORD).await;
        h
    }

    /// Signs in through the sign-in form and waits for the project list.
    pub async fn sign_in(&self, email: &str, password: &str) {
        self.client
            .goto(&format!("{}/prihlaseni", self.app.url()))
            .await
            .unwrap();
        self.fill(
            "form[data-testid='sign-in-form'] input[name='email']",
            email,
        )
        .await;
        self.fill(
            "form[data-testid='sign-in-form'] input[name='password']",
            password,
        )
        .await;
        self.find("form[data-testid='sign-in-form'] button[type='submit']")
            .await
            .click()
            .await
            .unwrap();
        self.wait_for_path(|p| !p.starts_with("/prihlaseni")).await;
    }

    /// Clicks the element `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.unwrap();
    }

    /// Signs out with the header's button and waits for the sign-in page.
    pub async fn sign_out(&self) {
        self.find("[data-testid='user-menu'] button")
            .await
            .click()
            .await
            .unwrap();
        self.wait_for_path(|p| p.starts_with("/prihlaseni")).await;
    }

    /// Signs out and in again as `email` (a demo user).
    pub async fn sign_in_as(&self, email: &str) {
        self.wait_hydrated().await;
        self.sign_out().await;
        self.sign_in(email, DEMO_PASSWORD).await;
    }

    /// Submits the sign-in form with a wrong password and waits for the message.
    pub async fn sign_in_expect_error(&self, email: &str, password: &str) {
        self.client
            .goto(&format!("{}/prihlaseni", self.app.url()))
            .await
            .unwrap();
        self.fill(
            "form[data-testid='sign-in-form'] input[name='email']",
            email,
        )
        .await;
        self.fill(
            "form[data-testid='sign-in-form'] input[name='password']",
            password,
        )
        .await;
        self.find("form[data-testid='sign-in-form'] button[type='submit']")
            .await
            .click()
            .await
            .unwrap();
        self.find("[data-testid='sign-in-error']").await;
    }

    /// Assigns a project (created in a test through the services) to the tests' user.
    pub async fn assign(&self, project_id: i32) {
        let user = entity::app_user::Entity::find()
            .filter(entity::app_user::Column::Email.eq(TEST_USER))
            .one(&self.app.db)
            .await
            .unwrap()
            .unwrap();
        app::services::auth::assign_project(&self.app.db, user.id, project_id)
            .await
            .unwrap();
    }

    /// Opens `path` and waits until the page is hydrated (clicks are handled by the app).
    pub async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{path}", self.app.url()))
            .await
            .unwrap();
        self.wait_hydrated().await;
    }

    /// Waits for the marker that only the hydrated app sets.
    pub async fn wait_hydrated(&self) {
        self.client
            .wait()
            .at_most(Duration::from_secs(30))
            .for_element(Locator::Css("html[data-hydrated='true']"))
            .await
            .expect("the page did not hydrate (is the wasm bundle built?)");
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Replaces the text of an input.
    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    /// The visible text of the page body.
    pub async fn body_text(&self) -> String {
        self.find("body").await.text().await.unwrap()
    }

    /// Polls `check` on the page text until it holds (10 s at most).
    pub async fn wait_until_text(&self, what: &str, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let text = self.body_text().await;
            if check(&text) {
                return text;
            }
            if Instant::now() > deadline {
                panic!("timed out waiting for {what}; page text:\n{text}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The text of the error shown next to form field `field` (empty when none).
    pub async fn field_error(&self, field: &str) -> String {
        self.find(&format!("p.field-error[data-field='{field}']"))
            .await
            .text()
            .await
            .unwrap()
    }

    pub async fn current_path(&self) -> String {
        let url = self.client.current_url().await.unwrap();
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits until the browser is at a path for which `check` holds.
    pub async fn wait_for_path(&self, check: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let path = self.current_path().await;
            if check(&path) {
                return path;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for navigation; at {path}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Fails when the app panicked in the browser at any point of the test.
    pub async fn assert_no_panic(&self) {
        let panicked = self
            .client
            .find(Locator::Css("html[data-panicked='true']"))
            .await
            .is_ok();
        assert!(
            !panicked,
            "the app panicked in the browser (see the console)"
        );
    }

    /// Writes a file into the test's temporary directory (e.g. a spreadsheet to upload) and returns its path.
    pub fn write_file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    pub async fn close(self) {
        self.assert_no_panic().await;
        self.client.clone().close().await.ok();
    }
}

/// Stops chromedriver (and with it Chromium) and the server even when a test fails half-way.
impl Drop for Harness {
    fn drop(&mut self) {
        self.driver.kill().ok();
        self.driver.wait().ok();
        self.app.stop();
        std::fs::remove_dir_all(&self.dir).ok();
    }
}
