//! HTTP security around the app: the session (cookie → signed-in user in the request), sign-in and
//! sign-out, access to pages only when signed in, CSRF protection of every state-changing request, and
//! security headers with a per-response CSP nonce for the hydration script.

use app::services::auth;
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use std::net::SocketAddr;

use crate::ServerState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "tracker_session";

pub use app::api::{CspNonce, SignedIn};

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Whether the request came over HTTPS (directly or through a proxy that says so).
fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Reads the session cookie and puts the signed-in user (or `None`) into the request.
pub async fn session(State(state): State<ServerState>, mut req: Request, next: Next) -> Response {
    let viewer = match cookie(req.headers(), SESSION_COOKIE) {
        Some(token) => auth::session_viewer(&state.app.db, &token)
            .await
            .unwrap_or_else(|e| {
                tracing::error!(error = %e, "session lookup failed");
                None
            }),
        None => None,
    };
    let actor = viewer.as_ref().map_or_else(
        || app::services::audit::Actor::system("nepřihlášený"),
        app::services::audit::Actor::from,
    );
    req.extensions_mut().insert(SignedIn(viewer));
    app::services::audit::ACTOR
        .scope(actor, next.run(req))
        .await
}

fn public_path(path: &str) -> bool {
    path == "/prihlaseni"
        || path == "/prihlaseni/odeslat"
        || path == "/healthz"
        || path.starts_with("/pkg/")
        || path == "/favicon.ico"
        || path.starts_with("/api/v1/")
}

/// Pages need a signed-in user: others are sent to the sign-in page (server functions answer 401).
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let signed_in = req
        .extensions()
        .get::<SignedIn>()
        .is_some_and(|s| s.0.is_some());
    let path = req.uri().path().to_owned();
    if signed_in || public_path(&path) {
        return next.run(req).await;
    }
    if path.starts_with("/api/") {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            "Nejste přihlášeni.",
        )
            .into_response();
    }
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(|| "/".to_owned(), ToString::to_string);
    redirect(&format!("/prihlaseni?dalsi={}", crate::url_encode(&target)))
}

/// Refuses a state-changing request (anything but GET, HEAD, OPTIONS) that does not come from a page of
/// this site: its `Origin` must be this site, or, without `Origin`, `Sec-Fetch-Site` must say
/// `same-origin`. Requests authenticated by an API token (no cookie) are not exposed to CSRF.
pub async fn csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    let bearer_only =
        headers.contains_key(header::AUTHORIZATION) && !headers.contains_key(header::COOKIE);
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let same_origin = match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(origin) => origin == format!("http://{host}") || origin == format!("https://{host}"),
        None => headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v == "same-origin"),
    };
    if same_origin || bearer_only {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "cross-site request refused");
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Požadavek nepřišel ze stránky této aplikace (ochrana proti CSRF); akci zopakujte z aplikace.",
    )
        .into_response()
}

/// Security headers on every response, with a fresh CSP nonce for the inline hydration script.
pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = app::services::auth::new_token()[..32].to_owned();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(req).await;
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    );
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    response
}

fn redirect(location: &str) -> Response {
    (
        StatusCode::SEE_OTHER,
        [(header::LOCATION, location.to_owned())],
    )
        .into_response()
}

/// A relative path inside the app to continue to after signing in (never another site).
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

/// The sign-in form's fields.
#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    dalsi: Option<String>,
}

/// `POST /prihlaseni/odeslat`: signs in and sets the session cookie, or goes back with a message.
pub async fn sign_in(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.dalsi.as_deref());
    match auth::sign_in(
        &state.app.db,
        &form.email,
        &form.password,
        &peer.ip().to_string(),
    )
    .await
    {
        Ok((token, _)) => {
            let cookie = session_cookie(&token, auth::SESSION_HOURS * 3600, is_https(&headers));
            let mut response = redirect(&next);
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                response.headers_mut().insert(header::SET_COOKIE, v);
            }
            response
        }
        Err(e) => {
            let message = match e {
                auth::AuthError::Db(err) => {
                    tracing::error!(error = %err, "sign-in failed");
                    "Přihlášení se nepodařilo kvůli chybě serveru; zkuste to znovu.".to_owned()
                }
                other => other.to_string(),
            };
            redirect(&format!(
                "/prihlaseni?chyba={}&dalsi={}",
                crate::url_encode(&message),
                crate::url_encode(&next)
            ))
        }
    }
}

/// `POST /odhlaseni`: ends the session and clears the cookie.
pub async fn sign_out(State(state): State<ServerState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        if let Err(e) = auth::sign_out(&state.app.db, &token).await {
            tracing::error!(error = %e, "sign-out failed");
        }
    }
    let mut response = redirect("/prihlaseni");
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0, is_https(&headers))) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
