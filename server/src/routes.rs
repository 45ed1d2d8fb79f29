//! The server's HTTP routes besides the Leptos pages and server functions, in one list that builds the
//! router and that the security test enumerates; the health and readiness checks.

use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Json};
use migration::{Migrator, MigratorTrait};

use crate::{api_v1, documents, exports, upload::upload_import, web, ServerState};
use app::services::db::backend_name;

pub(crate) async fn healthz(State(state): State<ServerState>) -> impl IntoResponse {
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
pub(crate) fn http_routes(
    limits: &app::services::import::ImportLimits,
    files: &app::services::documents::DocumentSettings,
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
    // A document upload's body: the file's limit plus the form around it.
    let document_body = usize::try_from(files.max_bytes)
        .unwrap_or(usize::MAX)
        .saturating_add(64 * 1024);
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
        // A personal calendar feed: the secret in the address is the credential.
        (
            r("/kalendar/{file}", Method::GET, RouteAccess::Public, false),
            get(crate::calendar::feed),
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
        (
            HttpRoute {
                large_body: true,
                ..r(
                    "/projekty/{id}/dokumenty",
                    Method::POST,
                    RouteAccess::SignedIn,
                    true,
                )
            },
            post(documents::upload).layer(axum::extract::DefaultBodyLimit::max(document_body)),
        ),
        (
            HttpRoute {
                large_body: true,
                ..r(
                    "/projekty/{id}/dokumenty/{document}/verze",
                    Method::POST,
                    RouteAccess::SignedIn,
                    true,
                )
            },
            post(documents::replace).layer(axum::extract::DefaultBodyLimit::max(document_body)),
        ),
        (
            r(
                "/projekty/{id}/dokumenty/{document}/smazat",
                Method::POST,
                RouteAccess::SignedIn,
                true,
            ),
            post(documents::delete),
        ),
        (
            r(
                "/projekty/{id}/dokumenty/{document}",
                Method::GET,
                RouteAccess::SignedIn,
                false,
            ),
            get(documents::download_current),
        ),
        (
            r(
                "/projekty/{id}/dokumenty/{document}/verze/{version}",
                Method::GET,
                RouteAccess::SignedIn,
                false,
            ),
            get(documents::download_version),
        ),
    ]
}

/// The server's HTTP routes besides pages and server functions (for the security test).
#[must_use]
pub fn http_route_list() -> Vec<HttpRoute> {
    http_routes(
        &app::services::import::ImportLimits::default(),
        &app::services::documents::DocumentSettings::default(),
    )
    .into_iter()
    .map(|(r, _)| r)
    .collect()
}
