//! How the browser gets the app: the bundle under its content-hashed name as static files (with
//! precompressed copies, cached for a year), and on-the-fly compression of pages, JSON and CSV.

use axum::Router;

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
pub(crate) fn static_files(site_root: &std::path::Path) -> Router {
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
pub(crate) fn compression(
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
