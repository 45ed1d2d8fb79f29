//! HTTP security around the app: the session (cookie → signed-in user in the request), sign-in and
//! sign-out, access to pages only when signed in, CSRF protection of every state-changing request, and
//! security headers with a per-response CSP nonce for the hydration script.

use app::services::{auth, read_cache};
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
        Some(token) => {
            let db = &state.app.db;
            let found = match read_cache::revisions(db).await {
                Ok(revisions) => {
                    req.extensions_mut().insert(revisions);
                    state.app.reads.session_viewer(db, revisions, &token).await
                }
                Err(e) => Err(e),
            };
            found.unwrap_or_else(|e| {
                tracing::error!(error = %e, "session lookup failed");
                None
            })
        }
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
        || path == "/readyz"
        || path.starts_with("/pkg/")
        || path == "/favicon.ico"
        || path.starts_with("/api/v1/")
        || path.starts_with("/kalendar/")
}

/// Whether a signed-in user only reads: no role but reviewer.
fn reads_only(v: &app::domain::roles::Viewer) -> bool {
    v.roles
        .iter()
        .all(|r| *r == app::domain::roles::Role::Reviewer)
}

/// Pages need a signed-in user: others are sent to the sign-in page (server functions answer 401). A
/// user who only reads gets 403 from every server function not meant for them
/// ([`app::api::read_only_user_may_call`]) before the function reads the request.
pub async fn require_sign_in(req: Request, next: Next) -> Response {
    let viewer = req.extensions().get::<SignedIn>().and_then(|s| s.0.clone());
    let path = req.uri().path().to_owned();
    if let Some(v) = &viewer {
        let server_function = path.starts_with("/api/") && !path.starts_with("/api/v1/");
        if server_function && reads_only(v) && !app::api::read_only_user_may_call(&path) {
            tracing::warn!(
                path,
                user = v.id,
                "server function refused to a read-only user"
            );
            // The same body as the function's own refusal, so the browser shows the same message.
            return (
                StatusCode::FORBIDDEN,
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::to_string(&app::error::AppError::Forbidden).unwrap_or_default(),
            )
                .into_response();
        }
    }
    if viewer.is_some() || public_path(&path) {
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
    redirect(&format!(
        "/prihlaseni?dalsi={}",
        app::dto::url_encode(&target)
    ))
}

/// Refuses a state-changing request (anything but GET, HEAD, OPTIONS) that does not come from a page of
/// this site: its `Origin` must be this site, or, without `Origin`, `Sec-Fetch-Site` must say
/// `same-origin`. Only requests to the JSON API authenticated by a `Bearer` token (and no cookie) are
/// exempt: a browser does not add such a header to a cross-site request.
pub async fn csrf(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    // Only the token-authenticated JSON API is exempt: a `Bearer` token, no cookie, under `/api/v1/`.
    let bearer_only = req.uri().path().starts_with("/api/v1/")
        && headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.len() > 7 && v[..7].eq_ignore_ascii_case("bearer "))
        && !headers.contains_key(header::COOKIE);
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

/// Whether a response may carry personal or project data and must not be stored by a browser or proxy:
/// pages, server functions, exports and the JSON API (everything but the static bundle).
fn personal(path: &str, response: &Response) -> bool {
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    html || path.starts_with("/api/")
        || path.starts_with("/export/")
        || path.starts_with("/importy")
        || path.contains("/dokumenty")
}

/// Security headers on every response, with a fresh CSP nonce for the inline hydration script;
/// `Cache-Control: no-store` on everything that may carry personal data; HSTS over HTTPS.
pub async fn security_headers(mut req: Request, next: Next) -> Response {
    let nonce = app::services::auth::new_token()[..32].to_owned();
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let path = req.uri().path().to_owned();
    let https = is_https(req.headers());
    let mut response = next.run(req).await;
    if personal(&path, &response) && !path.starts_with("/pkg/") {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        response.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
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

/// A path of this site to continue to after signing in, or `/`: only a same-site absolute path with no
/// control or whitespace characters (browsers drop a tab or newline, turning `/\t/evil.example` into
/// `//evil.example`), no backslash (read as `/` by browsers), no `//` prefix and so no scheme or host.
#[must_use]
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2048
                && !n
                    .chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == '\\') =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The client's address: the peer, or, when the peer is a configured trusted proxy
/// (`TRACKER_TRUSTED_PROXIES`), the nearest address in `X-Forwarded-For` that is not itself a trusted
/// proxy, read from the right (the entries a trusted proxy appended). Entries to the left of that are
/// the client's own words and never used; an entry that is not an address ends the walk at the last
/// trusted hop. A header from anyone else is ignored, so a client cannot choose its own address.
#[must_use]
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    let is_trusted = |a: &std::net::IpAddr| {
        let a = a.to_canonical();
        trusted.iter().any(|t| t.to_canonical() == a)
    };
    if !is_trusted(&peer) {
        return peer.to_canonical();
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut hop = peer;
    for entry in entries.iter().rev() {
        match entry.parse::<std::net::IpAddr>() {
            Ok(a) if is_trusted(&a) => hop = a,
            Ok(a) => return a.to_canonical(),
            Err(_) => break,
        }
    }
    hop.to_canonical()
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
    let address = client_address(peer.ip(), &headers, &state.trusted_proxies);
    match auth::sign_in(
        &state.app.db,
        &form.email,
        &form.password,
        &address.to_string(),
        chrono::Utc::now(),
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
                app::dto::url_encode(&message),
                app::dto::url_encode(&next)
            ))
        }
    }
}

/// `POST /odhlaseni`: ends the session and clears the cookie.
pub async fn sign_out(
    State(state): State<ServerState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let address = client_address(peer.ip(), &headers, &state.trusted_proxies);
        if let Err(e) = auth::sign_out(&state.app.db, &token, &address.to_string()).await {
            tracing::error!(error = %e, "sign-out failed");
        }
    }
    let mut response = redirect("/prihlaseni");
    if let Ok(v) = HeaderValue::from_str(&session_cookie("", 0, is_https(&headers))) {
        response.headers_mut().insert(header::SET_COOKIE, v);
    }
    response
}
