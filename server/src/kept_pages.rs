//! Rendered pages kept between requests: the project list (`/`), the page nearly everyone opens first
//! and again after every visit elsewhere, is rendered once per user, address and state of the data, and
//! served again from memory (measured in issue 13: rendering, not the database, was then most of its
//! cost).
//!
//! A kept page is served only while nothing it shows has changed: its key holds the user, the address,
//! the day of the app's clock and the database's read revisions of the request (see
//! [`app::services::read_cache`]), which every write to users, roles, sessions, projects or codebooks
//! bumps in its own transaction, also from another server process. Only pages whose every input is
//! covered by those revisions may be listed in [`KEPT`]. Each response still gets its own CSP nonce: the
//! page is kept in pieces around the nonce it was rendered with.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use app::api::{CspNonce, SignedIn};
use app::services::read_cache::Revisions;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use crate::ServerState;

/// The pages that may be kept: their content follows only from the user, the address, the day and the
/// read revisions (the project list: projects, codebooks, the signed-in user).
const KEPT: [&str; 1] = ["/"];
/// Kept pages at most; beyond it the cache starts again.
const MAX_PAGES: usize = 1_000;
/// A page larger than this is not kept.
const MAX_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone, PartialEq, Eq, Hash)]
struct Key {
    user: i32,
    address: String,
    today: NaiveDate,
    revisions: (i64, i64),
}

struct Page {
    headers: HeaderMap,
    /// The body split at the nonce it was rendered with.
    pieces: Vec<Bytes>,
}

/// The kept pages of one server process (a copy only: dropping it loses nothing).
#[derive(Clone, Default)]
pub struct KeptPages {
    inner: Arc<Mutex<HashMap<Key, Arc<Page>>>>,
}

fn split_at_nonce(body: &[u8], nonce: &[u8]) -> Vec<Bytes> {
    let mut pieces = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.windows(nonce.len()).position(|w| w == nonce) {
        pieces.push(Bytes::copy_from_slice(&rest[..i]));
        rest = &rest[i + nonce.len()..];
    }
    pieces.push(Bytes::copy_from_slice(rest));
    pieces
}

fn respond(page: &Page, nonce: &str) -> Response {
    let mut body = Vec::with_capacity(page.pieces.iter().map(Bytes::len).sum::<usize>() + 256);
    for (i, piece) in page.pieces.iter().enumerate() {
        if i > 0 {
            body.extend_from_slice(nonce.as_bytes());
        }
        body.extend_from_slice(piece);
    }
    let mut response = (StatusCode::OK, Body::from(body)).into_response();
    *response.headers_mut() = page.headers.clone();
    response
}

/// Serves a kept page, or renders it and keeps it (a `200` HTML answer to a signed-in `GET` of a page
/// in [`KEPT`]); every other request passes through.
pub async fn serve(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let (Some(user), Some(revisions), Some(nonce)) = (
        req.extensions()
            .get::<SignedIn>()
            .and_then(|s| s.0.as_ref().map(|v| v.id)),
        req.extensions().get::<Revisions>().copied(),
        req.extensions().get::<CspNonce>().map(|n| n.0.clone()),
    ) else {
        return next.run(req).await;
    };
    if req.method() != Method::GET || !KEPT.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let key = Key {
        user,
        address: req.uri().to_string(),
        today: state.app.clock.today(),
        revisions: (revisions.auth, revisions.registry),
    };
    let pages = &state.kept_pages.inner;
    let kept = pages
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .get(&key)
        .cloned();
    if let Some(page) = kept {
        return respond(&page, &nonce);
    }
    let response = next.run(req).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK || !html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BYTES).await else {
        tracing::error!("a page to keep could not be read whole");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            "Stránku se nepodařilo sestavit.",
        )
            .into_response();
    };
    let mut headers = parts.headers.clone();
    headers.remove(header::CONTENT_LENGTH);
    headers.remove(header::TRANSFER_ENCODING);
    let page = Arc::new(Page {
        headers,
        pieces: split_at_nonce(&bytes, nonce.as_bytes()),
    });
    {
        let mut pages = pages.lock().unwrap_or_else(PoisonError::into_inner);
        if pages.len() >= MAX_PAGES {
            pages.retain(|k, _| k.revisions == key.revisions);
            if pages.len() >= MAX_PAGES {
                pages.clear();
            }
        }
        pages.insert(key, page);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_split_at_every_nonce_and_joined_with_another() {
        let pieces = split_at_nonce(
            b"<script nonce=\"abc\">x</script><s nonce=\"abc\"/>",
            b"abc",
        );
        assert_eq!(pieces.len(), 3);
        let page = Page {
            headers: HeaderMap::new(),
            pieces,
        };
        let joined: Vec<u8> = page
            .pieces
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                let mut v = if i > 0 { b"XYZ".to_vec() } else { Vec::new() };
                v.extend_from_slice(p);
                v
            })
            .collect();
        assert_eq!(
            joined,
            b"<script nonce=\"XYZ\">x</script><s nonce=\"XYZ\"/>"
        );
        assert_eq!(split_at_nonce(b"no nonce here", b"abc").len(), 1);
    }
}
