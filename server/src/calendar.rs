//! `GET /kalendar/<secret>.ics`: a user's personal calendar feed of deadlines (RFC 5545), for Outlook and
//! Google Calendar to subscribe to. No session: the secret in the address is the credential (only its
//! hash is stored; see `app::services::deadlines::feeds`); an unknown or revoked one answers 404.

use crate::ServerState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Kalendář nenalezen: adresa je neplatná nebo zneplatněná.",
    )
        .into_response()
}

/// The app's address for links in the events: `TRACKER_PUBLIC_URL` when set, else the request's host.
fn base(headers: &HeaderMap) -> String {
    if let Ok(url) = std::env::var("TRACKER_PUBLIC_URL") {
        if !url.trim().is_empty() {
            return url.trim().trim_end_matches('/').to_owned();
        }
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub(crate) async fn feed(
    State(state): State<ServerState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(secret) = file
        .strip_suffix(".ics")
        .filter(|s| s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()))
    else {
        return not_found();
    };
    let today = state.app.clock.today();
    match app::services::deadlines::feeds::calendar(&state.app.db, secret, &base(&headers), today)
        .await
    {
        Ok(Some(ics)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
                (header::CACHE_CONTROL, "private, max-age=300"),
                (
                    header::CONTENT_DISPOSITION,
                    "inline; filename=\"terminy.ics\"",
                ),
            ],
            ics,
        )
            .into_response(),
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "calendar feed failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Kalendář se nepodařilo sestavit; zkuste to prosím znovu.",
            )
                .into_response()
        }
    }
}
