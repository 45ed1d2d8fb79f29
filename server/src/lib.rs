//! The tracker's HTTP server as a library: settings, database start-up (connect + migrate), the axum
//! router with the Leptos app, and a `start` that binds a port (0 in tests) and reports the real one.
//! `main.rs` is only the command line around it.

use app::api::AppState;
use app::services::clock::Clock;
use app::services::db::{backend_name, connect, redact_url, DEFAULT_DATABASE_URL};
use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Json, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use std::path::PathBuf;
use tower_http::{
    catch_panic::CatchPanicLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

mod api_v1;
mod exports;
pub mod web;

/// The browser bundle's name when the site has no `pkg/bundle-name` (an unhashed build).
pub const OUTPUT_NAME: &str = "tracker";

/// The bundle's content-hashed name (`tracker-<hash>`: `pkg/tracker-<hash>.js`, `…_bg.wasm`, `….css`),
/// as `scripts/build-site.sh` writes it into `pkg/bundle-name`.
#[must_use]
pub fn bundle_name(site_root: &std::path::Path) -> String {
    std::fs::read_to_string(site_root.join("pkg/bundle-name"))
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .unwrap_or_else(|| OUTPUT_NAME.to_owned())
}

/// `/pkg`: the bundle as static files, straight from disk with their precompressed `.br`/`.gz` copies
/// chosen by `Accept-Encoding`, cached for a year (their names change with their content), and none of
/// the per-request work of pages (session, CSRF, CSP).
fn static_files(site_root: &std::path::Path) -> Router {
    use axum::http::{header, HeaderValue};
    use tower_http::set_header::SetResponseHeaderLayer;
    let dir = tower_http::services::ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service("/pkg", dir)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
}

/// Compresses pages, JSON and CSV (brotli or gzip, as the browser accepts), not spreadsheets (`.xlsx` is
/// a zip already) nor anything that is compressed already.
fn compression(
) -> tower_http::compression::CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate};
    tower_http::compression::CompressionLayer::new()
        .br(true)
        .gzip(true)
        .compress_when(
            tower_http::compression::DefaultPredicate::new()
                .and(NotForContentType::const_new(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ))
                .and(NotForContentType::const_new("application/zip")),
        )
}

/// Settings, from the environment with defaults: `DATABASE_URL` (SQLite file `data/tracker.sqlite`),
/// `LEPTOS_SITE_ADDR` (127.0.0.1:3000), `LEPTOS_SITE_ROOT` (`target/site`).
#[derive(Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub site_root: PathBuf,
    /// Where "today" comes from: the system date, or `TRACKER_TODAY` (`2026-07-01`) for tests and
    /// demonstrations that must show the same figures on any day.
    pub clock: Clock,
    /// How long a shutdown waits for requests and import commits in flight
    /// (`TRACKER_SHUTDOWN_TIMEOUT_SECS`, default 30).
    pub shutdown_timeout: std::time::Duration,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`TRACKER_TRUSTED_PROXIES`, comma-separated
    /// addresses); empty: the peer address is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("database_url", &redact_url(&self.database_url))
            .field("site_addr", &self.site_addr)
            .field("site_root", &self.site_root)
            .field("clock", &self.clock)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish()
    }
}

/// A problem that stops the server from starting, with a message saying what to do.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sea_orm::DbErr },
    #[error("cannot migrate the database {url}: {source}")]
    Migrate { url: String, source: sea_orm::DbErr },
    #[error("invalid setting {name}={value}: {reason}")]
    Setting {
        name: &'static str,
        value: String,
        reason: String,
    },
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl Settings {
    /// Reads the settings from the environment.
    ///
    /// # Errors
    /// When `LEPTOS_SITE_ADDR` is not an address.
    pub fn from_env() -> Result<Self, StartError> {
        let addr = std::env::var("LEPTOS_SITE_ADDR").unwrap_or_else(|_| "127.0.0.1:3000".into());
        Ok(Self {
            database_url: std::env::var("DATABASE_URL")
                .ok()
                .filter(|v| !v.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into()),
            site_addr: addr
                .parse()
                .map_err(|e: std::net::AddrParseError| StartError::Setting {
                    name: "LEPTOS_SITE_ADDR",
                    value: addr.clone(),
                    reason: e.to_string(),
                })?,
            site_root: std::env::var("LEPTOS_SITE_ROOT")
                .unwrap_or_else(|_| "target/site".into())
                .into(),
            clock: clock_from_env()?,
            trusted_proxies: trusted_proxies_from_env()?,
            shutdown_timeout: std::time::Duration::from_secs(
                match std::env::var("TRACKER_SHUTDOWN_TIMEOUT_SECS") {
                    Ok(v) => v.trim().parse().map_err(|e: std::num::ParseIntError| {
                        StartError::Setting {
                            name: "TRACKER_SHUTDOWN_TIMEOUT_SECS",
                            value: v.clone(),
                            reason: e.to_string(),
                        }
                    })?,
                    Err(_) => 30,
                },
            ),
        })
    }
}

/// `TRACKER_TODAY` (a fixed date, `YYYY-MM-DD`) or the system clock.
///
/// # Errors
/// When `TRACKER_TODAY` is set but is not a date.
pub fn clock_from_env() -> Result<Clock, StartError> {
    match std::env::var("TRACKER_TODAY") {
        Ok(v) if !v.trim().is_empty() => chrono::NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
            .map(Clock::Fixed)
            .map_err(|e| StartError::Setting {
                name: "TRACKER_TODAY",
                value: v.clone(),
                reason: e.to_string(),
            }),
        _ => Ok(Clock::System),
    }
}

/// `TRACKER_TRUSTED_PROXIES`: comma-separated IP addresses of reverse proxies.
///
/// # Errors
/// When an entry is not an IP address.
pub fn trusted_proxies_from_env() -> Result<Vec<std::net::IpAddr>, StartError> {
    let v = std::env::var("TRACKER_TRUSTED_PROXIES").unwrap_or_default();
    v.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse()
                .map_err(|e: std::net::AddrParseError| StartError::Setting {
                    name: "TRACKER_TRUSTED_PROXIES",
                    value: v.clone(),
                    reason: e.to_string(),
                })
        })
        .collect()
}

/// Applies pending migrations. On PostgreSQL, where several instances may start at once, under a
/// session-level advisory lock on one dedicated connection: the first instance migrates, the others
/// wait and then find nothing to do. (SQLite serialises writers itself.)
async fn migrate_once(db: &DatabaseConnection, url: &str) -> Result<(), sea_orm::DbErr> {
    use sea_orm::ConnectionTrait;
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    /// An arbitrary key that names "the tracker's migrations" among advisory locks.
    const MIGRATION_LOCK: i64 = 0x0E5F_0001;
    let mut opts = sea_orm::ConnectOptions::new(url.to_owned());
    opts.max_connections(1)
        .min_connections(1)
        .sqlx_logging(false);
    let one = sea_orm::Database::connect(opts).await?;
    one.execute_unprepared(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
        .await?;
    let result = Migrator::up(&one, None).await;
    let _ = one
        .execute_unprepared(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
        .await;
    let _ = one.close().await;
    result
}

/// Connects to the database and applies all pending migrations.
///
/// # Errors
/// When the database cannot be opened or migrated.
pub async fn open_database(url: &str) -> Result<DatabaseConnection, StartError> {
    let db = connect(url).await.map_err(|source| StartError::Open {
        url: redact_url(url),
        source,
    })?;
    migrate_once(&db, url)
        .await
        .map_err(|source| StartError::Migrate {
            url: redact_url(url),
            source,
        })?;
    Ok(db)
}

async fn healthz(State(state): State<ServerState>) -> impl IntoResponse {
    match Migrator::get_applied_migrations(&state.app.db).await {
        Ok(applied) => (
            StatusCode::OK,
            Json(serde_json::json!({
                "status": "ok",
                "database": backend_name(state.app.db.get_database_backend()),
                "migration": applied.last().map(|m| m.name().to_string()),
                "migrations_applied": applied.len(),
            })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(
                    serde_json::json!({ "status": "error", "database": backend_name(state.app.db.get_database_backend()) }),
                ),
            )
        }
    }
}

/// `GET /readyz`: ready to serve when the database answers and every migration this build knows is
/// applied (503 otherwise), for a load balancer's health check; `/healthz` only says the process lives.
async fn readyz(State(state): State<ServerState>) -> impl IntoResponse {
    match Migrator::get_pending_migrations(&state.app.db).await {
        Ok(pending) if pending.is_empty() => (
            StatusCode::OK,
            Json(serde_json::json!({ "status": "ready" })),
        ),
        Ok(pending) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({ "status": "migrating", "pending_migrations": pending.len() })),
        ),
        Err(e) => {
            tracing::error!(error = %e, "readiness check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
        }
    }
}

#[derive(Clone, axum::extract::FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    /// See [`Settings::trusted_proxies`].
    pub trusted_proxies: std::sync::Arc<Vec<std::net::IpAddr>>,
}

/// Turns a panic into a plain 500 page: never a stack trace, and the server keeps serving.
fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("a request handler panicked");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!DOCTYPE html><html lang=\"cs\"><meta charset=\"utf-8\"><title>Chyba serveru</title>\
         <h1>Na serveru došlo k chybě</h1><p>Zkuste to prosím znovu. <a href=\"/\">Zpět na seznam projektů</a></p></html>",
    )
        .into_response()
}

/// Redirect after a form post (303 See Other).
fn see_other(location: &str) -> axum::response::Response {
    (
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, location.to_owned())],
    )
        .into_response()
}

fn import_error_redirect(message: &str) -> axum::response::Response {
    let encoded: String = url_encode(message);
    see_other(&format!("/importy?chyba={encoded}"))
}

pub(crate) fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `POST /importy/nahrat` (multipart: `file`, optional `all_or_nothing`): starts a preview in the
/// background and redirects to its page. The file stays in memory under a random token; its name is
/// only displayed.
async fn upload_import(
    State(state): State<ServerState>,
    axum::Extension(signed_in): axum::Extension<web::SignedIn>,
    request: axum::extract::Request,
) -> axum::response::Response {
    let Some(viewer) = signed_in.0.filter(app::domain::roles::Viewer::can_import) else {
        return (
            StatusCode::FORBIDDEN,
            [(
                axum::http::header::CONTENT_TYPE,
                "text/plain; charset=utf-8",
            )],
            "K importu tabulek nemáte oprávnění.",
        )
            .into_response();
    };
    let limits = state.app.import_limits;
    // The rights are checked above, before the body is read.
    let mut multipart =
        match <axum::extract::Multipart as axum::extract::FromRequest<()>>::from_request(
            request,
            &(),
        )
        .await
        {
            Ok(m) => m,
            Err(_) => {
                return import_error_redirect(
                    "Vyberte soubor s tabulkou (.xlsx, .xlsm, .xls nebo .ods).",
                )
            }
        };
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut all_or_nothing = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or_default().to_owned();
                if name == "file" {
                    let file_name = field
                        .file_name()
                        .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).chars().take(200).collect())
                        .unwrap_or_default();
                    match field.bytes().await {
                        Ok(bytes) => file = Some((file_name, bytes.to_vec())),
                        Err(_) => {
                            return import_error_redirect(&format!(
                                "Soubor se nepodařilo nahrát; je větší než povolených {} MB, nebo se spojení přerušilo.",
                                limits.max_bytes / (1024 * 1024)
                            ))
                        }
                    }
                } else if name == "all_or_nothing" {
                    all_or_nothing = true;
                }
            }
            Ok(None) => break,
            Err(_) => {
                return import_error_redirect(&format!(
                    "Soubor se nepodařilo nahrát; je větší než povolených {} MB, nebo se spojení přerušilo.",
                    limits.max_bytes / (1024 * 1024)
                ))
            }
        }
    }
    let Some((file_name, bytes)) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()) else {
        return import_error_redirect("Vyberte soubor s tabulkou (.xlsx, .xlsm, .xls nebo .ods).");
    };
    match state.app.imports.start_preview(
        state.app.db.clone(),
        bytes,
        file_name,
        all_or_nothing,
        limits,
        &viewer,
    ) {
        Ok(token) => see_other(&format!("/importy/nahled/{token}")),
        Err(e) => import_error_redirect(&e.to_string()),
    }
}

/// Who may call an HTTP route (checked by the route's handler or the sign-in middleware).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteAccess {
    /// Anyone: the health check, signing in and out, the API description.
    Public,
    /// A signed-in user (others are sent to the sign-in page).
    SignedIn,
    /// A request with a personal API token (`Authorization: Bearer esf_…`).
    ApiToken,
}

/// An HTTP route of the server besides the Leptos pages and server functions.
#[derive(Clone, Debug)]
pub struct HttpRoute {
    /// The axum path, e.g. `/export/projekty/{id}/{file}`.
    pub path: &'static str,
    pub method: axum::http::Method,
    pub access: RouteAccess,
    /// Whether the route changes data.
    pub changes_data: bool,
    /// Uploads: a body larger than the 2 MB of every other request.
    pub large_body: bool,
}

/// Every HTTP route with its handler. The router is built from this list, and the security test
/// enumerates it ([`http_route_list`]), so a route added here is tested for its access check.
fn http_routes(
    limits: &app::services::import::ImportLimits,
) -> Vec<(HttpRoute, axum::routing::MethodRouter<ServerState>)> {
    use axum::http::Method;
    use axum::routing::post;
    let r = |path, method, access, changes_data| HttpRoute {
        path,
        method,
        access,
        changes_data,
        large_body: false,
    };
    vec![
        (
            r("/healthz", Method::GET, RouteAccess::Public, false),
            get(healthz),
        ),
        (
            r("/readyz", Method::GET, RouteAccess::Public, false),
            get(readyz),
        ),
        (
            r(
                "/prihlaseni/odeslat",
                Method::POST,
                RouteAccess::Public,
                false,
            ),
            post(web::sign_in),
        ),
        (
            r("/odhlaseni", Method::POST, RouteAccess::Public, false),
            post(web::sign_out),
        ),
        (
            r("/export/{file}", Method::GET, RouteAccess::SignedIn, false),
            get(exports::portfolio_export),
        ),
        (
            r(
                "/export/projekty/{id}/{file}",
                Method::GET,
                RouteAccess::SignedIn,
                false,
            ),
            get(exports::project_export),
        ),
        (
            r(
                "/api/v1/openapi.json",
                Method::GET,
                RouteAccess::Public,
                false,
            ),
            get(api_v1::openapi),
        ),
        (
            r(
                "/api/v1/projects",
                Method::GET,
                RouteAccess::ApiToken,
                false,
            ),
            get(api_v1::list),
        ),
        (
            r(
                "/api/v1/projects/{registration_number}",
                Method::GET,
                RouteAccess::ApiToken,
                false,
            ),
            get(api_v1::detail),
        ),
        // An unknown API address: a JSON 404 for anyone (it holds no data).
        (
            r("/api/v1/{*rest}", Method::GET, RouteAccess::Public, false),
            get(api_v1::not_found),
        ),
        (
            HttpRoute {
                large_body: true,
                ..r("/importy/nahrat", Method::POST, RouteAccess::SignedIn, true)
            },
            // Read as a stream with a limit, so that an oversized file ends in a Czech message (a
            // redirect back to the form) rather than a bare 413.
            post(upload_import).layer(axum::extract::DefaultBodyLimit::max(
                usize::try_from(limits.max_bytes)
                    .unwrap_or(usize::MAX)
                    .saturating_add(64 * 1024),
            )),
        ),
    ]
}

/// The server's HTTP routes besides pages and server functions (for the security test).
#[must_use]
pub fn http_route_list() -> Vec<HttpRoute> {
    http_routes(&app::services::import::ImportLimits::default())
        .into_iter()
        .map(|(r, _)| r)
        .collect()
}

/// The whole HTTP application.
pub fn router(db: DatabaseConnection, settings: &Settings) -> Router {
    router_with_jobs(db, settings, app::services::import::jobs::Jobs::default())
}

/// The whole HTTP application with the given registry of background imports (so that the caller can
/// wait for them when it shuts down).
pub fn router_with_jobs(
    db: DatabaseConnection,
    settings: &Settings,
    imports: app::services::import::jobs::Jobs,
) -> Router {
    let leptos_options = LeptosOptions::builder()
        .output_name(bundle_name(&settings.site_root))
        .site_root(settings.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .site_addr(settings.site_addr)
        .build();
    let import_limits = app::services::import::ImportLimits::from_env();
    let app_state = AppState {
        db,
        imports,
        import_limits,
        clock: settings.clock,
    };
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: app_state.clone(),
        trusted_proxies: std::sync::Arc::new(settings.trusted_proxies.clone()),
    };
    let routes = generate_route_list(app::App);
    let context_state = app_state.clone();
    let (small, large): (Vec<_>, Vec<_>) = http_routes(&import_limits)
        .into_iter()
        .partition(|(r, _)| !r.large_body);
    let mut router = Router::new();
    for (route, handler) in small {
        router = router.route(route.path, handler);
    }
    let mut uploads = Router::new();
    for (route, handler) in large {
        uploads = uploads.route(route.path, handler);
    }
    let pages = router
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = leptos_options.clone();
                move || app::shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<ServerState, _>(
            app::shell,
        ))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            2 * 1024 * 1024,
        ))
        // Uploads have their own, larger body limit (set on their route).
        .merge(uploads)
        // Innermost first: pages need a session, which the session layer reads from the cookie; the CSRF
        // check sees every state-changing request; every response gets the security headers.
        .layer(axum::middleware::from_fn(web::require_sign_in))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::session,
        ))
        .layer(axum::middleware::from_fn(web::csrf))
        .layer(axum::middleware::from_fn(web::security_headers))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(compression())
        // One log line per request (method, path, status, latency), at INFO.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state);
    static_files(&settings.site_root).merge(pages)
}

/// A server running in the background (used by tests and by `serve`).
pub struct RunningServer {
    pub addr: SocketAddr,
    pub db: DatabaseConnection,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
    imports: app::services::import::jobs::Jobs,
    stop_accepting: Option<tokio::sync::oneshot::Sender<()>>,
}

impl RunningServer {
    /// The base URL, e.g. `http://127.0.0.1:41234`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Waits until the server stops.
    ///
    /// # Errors
    /// When serving failed.
    pub async fn wait(self) -> std::io::Result<()> {
        self.handle.await.map_err(std::io::Error::other)?
    }

    /// Stops the server.
    pub fn stop(&self) {
        self.handle.abort();
    }

    /// Shuts down gracefully: stops accepting connections, lets the requests in flight finish, waits
    /// for an import commit that is being stored (each is one transaction: whole or absent), marks
    /// every other unfinished import failed, and closes the database. Waits at most `timeout` for each
    /// of the two; returns whether everything finished in time.
    pub async fn shut_down(mut self, timeout: std::time::Duration) -> bool {
        if let Some(stop) = self.stop_accepting.take() {
            let _ = stop.send(());
        }
        let served = tokio::time::timeout(timeout, &mut self.handle)
            .await
            .is_ok();
        if !served {
            tracing::warn!("requests still running at shutdown were cut off");
            self.handle.abort();
        }
        let imports = self.imports.shut_down(timeout).await;
        // Closing waits for every connection in use: not longer than the timeout either.
        match tokio::time::timeout(timeout, self.db.close()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "closing the database"),
            Err(_) => tracing::warn!("database connections still in use at shutdown"),
        }
        served && imports
    }
}

/// Opens and migrates the database, binds `settings.site_addr` (port 0 picks a free one) and serves.
///
/// # Errors
/// When the database cannot be opened or migrated, or the address cannot be bound.
pub async fn start(settings: &Settings) -> Result<RunningServer, StartError> {
    let db = open_database(&settings.database_url).await?;
    let listener = tokio::net::TcpListener::bind(settings.site_addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: settings.site_addr,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| StartError::Bind {
        addr: settings.site_addr,
        source,
    })?;
    let imports = app::services::import::jobs::Jobs::default();
    let app = router_with_jobs(
        db.clone(),
        &Settings {
            site_addr: addr,
            ..settings.clone()
        },
        imports.clone(),
    );
    let (stop_accepting, stopped) = tokio::sync::oneshot::channel::<()>();
    // No Nagle delay: a response written as headers, then body would otherwise wait for the client's
    // delayed ACK (40 ms a request on Linux), whatever the server's speed.
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::debug!(error = %e, "TCP_NODELAY not set");
        }
    });
    let handle = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = stopped.await;
        })
        .await
    });
    tracing::info!(%addr, database = %redact_url(&settings.database_url), "serving");
    Ok(RunningServer {
        addr,
        db,
        handle,
        imports,
        stop_accepting: Some(stop_accepting),
    })
}
