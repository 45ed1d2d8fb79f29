//! The tracker's HTTP server as a library: settings, database start-up (connect + migrate), the axum
//! router with the Leptos app, and a `start` that binds a port (0 in tests) and reports the real one.
//! `main.rs` is only the command line around it.

/// mimalloc instead of the system allocator: rendering a page allocates many small strings, and with
/// glibc's allocator a fifth of the server's time went to `malloc`/`free` (perf, issue 13). Declared in
/// the library so that `tracker`, its tests and its benchmarks all run with it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use app::api::AppState;
use app::services::db::{connect, redact_url};
use axum::{http::StatusCode, response::IntoResponse, Router};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use migration::{Migrator, MigratorTrait};
use sea_orm::DatabaseConnection;
use std::net::SocketAddr;
use tower_http::{
    catch_panic::CatchPanicLayer,
    trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer},
};
use tracing::Level;

mod api_v1;
mod calendar;
mod delivery;
pub mod digest;
mod documents;
mod exports;
pub mod kept_pages;
mod routes;
mod settings;
mod upload;
pub mod web;

pub use delivery::{bundle_name, OUTPUT_NAME};
pub use routes::{http_route_list, HttpRoute, RouteAccess};
pub use settings::{
    clock_from_env, ruian_dir_from_env, trusted_proxies_from_env, Settings, StartError,
};

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

#[derive(Clone, axum::extract::FromRef)]
pub struct ServerState {
    pub leptos_options: LeptosOptions,
    pub app: AppState,
    /// Rendered pages kept between requests (see [`kept_pages`]).
    pub kept_pages: kept_pages::KeptPages,
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
        documents: settings.documents.clone(),
        clock: settings.clock,
        dashboards: app::services::portfolio::DashboardCache::default(),
        reads: app::services::read_cache::ReadCache::default(),
    };
    let state = ServerState {
        leptos_options: leptos_options.clone(),
        app: app_state.clone(),
        kept_pages: kept_pages::KeptPages::default(),
        trusted_proxies: std::sync::Arc::new(settings.trusted_proxies.clone()),
    };
    let routes = generate_route_list(app::App);
    let context_state = app_state.clone();
    let (small, large): (Vec<_>, Vec<_>) = routes::http_routes(&import_limits, &settings.documents)
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
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            kept_pages::serve,
        ))
        .layer(axum::middleware::from_fn(web::require_sign_in))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            web::session,
        ))
        .layer(axum::middleware::from_fn(web::csrf))
        .layer(axum::middleware::from_fn(web::security_headers))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(delivery::compression())
        // One log line per request (method, path, status, latency), at INFO.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(Level::INFO))
                .on_request(())
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .with_state(state);
    delivery::static_files(&settings.site_root).merge(pages)
}

/// A server running in the background (used by tests and by `serve`).
pub struct RunningServer {
    pub addr: SocketAddr,
    pub db: DatabaseConnection,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
    imports: app::services::import::jobs::Jobs,
    /// Removes expired import jobs and marks those of dead servers failed, every minute.
    sweeper: Option<tokio::task::JoinHandle<()>>,
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
        if let Some(sweeper) = &self.sweeper {
            sweeper.abort();
        }
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
        if let Some(sweeper) = self.sweeper.take() {
            sweeper.abort();
        }
        let imports = self.imports.shut_down(&self.db, timeout).await;
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
    match imports.recover(&db).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            jobs = n,
            "imports left unfinished by a stopped server marked failed"
        ),
        Err(e) => tracing::warn!(error = %e, "unfinished imports not checked"),
    }
    let sweeper = tokio::spawn({
        let (db, imports) = (db.clone(), imports.clone());
        async move {
            let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
            loop {
                every.tick().await;
                if let Err(e) = imports.sweep(&db).await {
                    tracing::warn!(error = %e, "expired imports not removed");
                }
            }
        }
    });
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
        sweeper: Some(sweeper),
        stop_accepting: Some(stop_accepting),
    })
}
