//! `POST /importy/nahrat`: a spreadsheet upload that starts an import preview in the background.

use axum::{extract::State, http::StatusCode, response::IntoResponse};

use crate::{web, ServerState};

/// Redirect after a form post (303 See Other).
pub(crate) fn see_other(location: &str) -> axum::response::Response {
    (
        StatusCode::SEE_OTHER,
        [(axum::http::header::LOCATION, location.to_owned())],
    )
        .into_response()
}

fn import_error_redirect(message: &str) -> axum::response::Response {
    let encoded: String = app::dto::url_encode(message);
    see_other(&format!("/importy?chyba={encoded}"))
}

/// `POST /importy/nahrat` (multipart: `file`, optional `all_or_nothing`): starts a preview in the
/// background and redirects to its page. The file stays in memory under a random token; its name is
/// only displayed.
pub(crate) async fn upload_import(
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
    match state
        .app
        .imports
        .start_preview(
            state.app.db.clone(),
            bytes,
            file_name,
            all_or_nothing,
            limits,
            &viewer,
        )
        .await
    {
        Ok(token) => see_other(&format!("/importy/nahled/{token}")),
        Err(e) => import_error_redirect(&e.to_string()),
    }
}
