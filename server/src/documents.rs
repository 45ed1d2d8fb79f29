//! Documents over plain HTTP (issue 15, point 2): multipart uploads from the documents component's
//! forms (a redirect back to the record's page with a notice or a Czech message), new versions,
//! deletion, and downloads with the detected `Content-Type`, a safe `Content-Disposition` and
//! `nosniff`. Every route checks the user's rights before it reads the body; the services check again.

use axum::{
    extract::{Path, Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use serde::Deserialize;

use crate::{upload::see_other, web, ServerState};
use app::domain::documents::{can_attach, content_disposition, Attachment};
use app::domain::roles::Viewer;
use app::services::documents::{self, DocumentSettings, Upload};
use app::services::ServiceError;

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

fn forbidden() -> Response {
    plain(
        StatusCode::FORBIDDEN,
        "K tomuto dokumentu nemáte oprávnění.",
    )
}

fn not_found() -> Response {
    plain(StatusCode::NOT_FOUND, "Dokument nebo záznam nebyl nalezen.")
}

/// The page a document's form came from (where the component lists it).
fn page_of(project_id: i32, to: Attachment) -> String {
    match to {
        Attachment::Project => format!("/projekty/{project_id}"),
        Attachment::Period(p) => format!("/projekty/{project_id}/obdobi/{p}"),
        Attachment::Expenditure(e) => format!("/projekty/{project_id}/vydaje/{e}"),
    }
}

/// Back to the page with a notice code (`nahran`, `verze`, `smazan`) for its status line.
fn back(project_id: i32, to: Attachment, notice: &str) -> Response {
    see_other(&format!(
        "{}?dokumenty={notice}#dokumenty",
        page_of(project_id, to)
    ))
}

/// Back to the page with a message for the form.
fn back_with_error(project_id: i32, to: Attachment, message: &str) -> Response {
    see_other(&format!(
        "{}?dokumenty_chyba={}#dokumenty",
        page_of(project_id, to),
        app::dto::url_encode(message)
    ))
}

/// A service error as a response: 403 and 404 as themselves, a user's mistake back to the form, the
/// rest a 500 with the cause in the log only.
fn failed(e: ServiceError, project_id: i32, to: Attachment) -> Response {
    match e {
        ServiceError::Forbidden => forbidden(),
        ServiceError::NotFound => not_found(),
        ServiceError::Validation(fields) => {
            let text: Vec<&str> = fields.iter().map(|(_, m)| m).collect();
            back_with_error(project_id, to, &text.join(" "))
        }
        ServiceError::Conflict(m) | ServiceError::BadRequest(m) => {
            back_with_error(project_id, to, &m)
        }
        other => {
            tracing::error!(error = %other, "document request failed");
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Dokument se nepodařilo uložit ani načíst; zkuste to prosím znovu.",
            )
        }
    }
}

/// Whether the viewer may write to any record of the project (checked before the body is read).
fn may_write_some(v: &Viewer, project_id: i32) -> bool {
    v.can_answer_review(project_id) || v.can_edit_finance(project_id)
}

/// Reads the `file` field of a multipart body.
async fn read_file(
    request: axum::extract::Request,
    settings: &DocumentSettings,
) -> Result<Upload, String> {
    let mut multipart =
        <axum::extract::Multipart as axum::extract::FromRequest<()>>::from_request(request, &())
            .await
            .map_err(|_| "Vyberte soubor k nahrání.".to_owned())?;
    let cut_off = || {
        format!(
            "Soubor se nepodařilo nahrát: je větší než povolených {} MB, nebo se spojení přerušilo.",
            settings.max_mb()
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| cut_off())? {
        if field.name() == Some("file") {
            let file_name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.map_err(|_| cut_off())?;
            return Ok(Upload {
                file_name,
                bytes: bytes.to_vec(),
            });
        }
    }
    Err("Vyberte soubor k nahrání.".to_owned())
}

/// Where an upload goes: `?obdobi=ID` (a period), `?vydaj=ID` (an expenditure), or the project.
#[derive(Deserialize, Default)]
pub(crate) struct Target {
    obdobi: Option<i32>,
    vydaj: Option<i32>,
}

/// `POST /projekty/{id}/dokumenty[?obdobi=ID|?vydaj=ID]` (multipart `file`): a new document.
pub(crate) async fn upload(
    State(state): State<ServerState>,
    axum::Extension(signed_in): axum::Extension<web::SignedIn>,
    Path(project_id): Path<i32>,
    Query(target): Query<Target>,
    request: axum::extract::Request,
) -> Response {
    let to = match (target.obdobi, target.vydaj) {
        (_, Some(e)) => Attachment::Expenditure(e),
        (Some(p), None) => Attachment::Period(p),
        (None, None) => Attachment::Project,
    };
    let Some(viewer) = signed_in.0.filter(|v| can_attach(v, project_id, to)) else {
        return forbidden();
    };
    let settings = &state.app.documents;
    let file = match read_file(request, settings).await {
        Ok(f) => f,
        Err(m) => return back_with_error(project_id, to, &m),
    };
    match documents::upload(&state.app.db, settings, &viewer, project_id, to, file).await {
        Ok(_) => back(project_id, to, "nahran"),
        Err(e) => failed(e, project_id, to),
    }
}

/// `POST /projekty/{id}/dokumenty/{document}/verze` (multipart `file`): a new version.
pub(crate) async fn replace(
    State(state): State<ServerState>,
    axum::Extension(signed_in): axum::Extension<web::SignedIn>,
    Path((project_id, document_id)): Path<(i32, i32)>,
    request: axum::extract::Request,
) -> Response {
    let Some(viewer) = signed_in.0.filter(|v| may_write_some(v, project_id)) else {
        return forbidden();
    };
    let db = &state.app.db;
    let to = match documents::attachment_of(db, &viewer, project_id, document_id).await {
        Ok((to, _)) if can_attach(&viewer, project_id, to) => to,
        Ok(_) => return forbidden(),
        Err(e) => return failed(e, project_id, Attachment::Project),
    };
    let settings = &state.app.documents;
    let file = match read_file(request, settings).await {
        Ok(f) => f,
        Err(m) => return back_with_error(project_id, to, &m),
    };
    match documents::new_version(db, settings, &viewer, project_id, document_id, file).await {
        Ok(_) => back(project_id, to, "verze"),
        Err(e) => failed(e, project_id, to),
    }
}

/// `POST /projekty/{id}/dokumenty/{document}/smazat`: deletes the document (its uploader or an admin).
pub(crate) async fn delete(
    State(state): State<ServerState>,
    axum::Extension(signed_in): axum::Extension<web::SignedIn>,
    Path((project_id, document_id)): Path<(i32, i32)>,
) -> Response {
    let Some(viewer) = signed_in
        .0
        .filter(|v| v.is_admin() || may_write_some(v, project_id))
    else {
        return forbidden();
    };
    let db = &state.app.db;
    let to = match documents::attachment_of(db, &viewer, project_id, document_id).await {
        Ok((to, _)) => to,
        Err(e) => return failed(e, project_id, Attachment::Project),
    };
    match documents::delete(db, &state.app.documents, &viewer, project_id, document_id).await {
        Ok(()) => back(project_id, to, "smazan"),
        Err(e) => failed(e, project_id, to),
    }
}

/// `GET /projekty/{id}/dokumenty/{document}`: the current version.
pub(crate) async fn download_current(
    state: State<ServerState>,
    signed_in: axum::Extension<web::SignedIn>,
    Path((project_id, document_id)): Path<(i32, i32)>,
) -> Response {
    send(state, signed_in, project_id, document_id, None).await
}

/// `GET /projekty/{id}/dokumenty/{document}/verze/{version}`: an older (or any) version.
pub(crate) async fn download_version(
    state: State<ServerState>,
    signed_in: axum::Extension<web::SignedIn>,
    Path((project_id, document_id, number)): Path<(i32, i32, i32)>,
) -> Response {
    send(state, signed_in, project_id, document_id, Some(number)).await
}

async fn send(
    State(state): State<ServerState>,
    axum::Extension(signed_in): axum::Extension<web::SignedIn>,
    project_id: i32,
    document_id: i32,
    number: Option<i32>,
) -> Response {
    let Some(viewer) = signed_in.0 else {
        return forbidden();
    };
    let settings = &state.app.documents;
    let file = match documents::download(
        &state.app.db,
        settings,
        &viewer,
        project_id,
        document_id,
        number,
    )
    .await
    {
        Ok(f) => f,
        Err(e) => return failed(e, project_id, Attachment::Project),
    };
    match tokio::fs::read(&file.path).await {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, file.kind.mime().to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    content_disposition(&file.file_name),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, path = %file.path.display(), "a stored document file is missing");
            plain(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Soubor dokumentu se na serveru nepodařilo přečíst; obraťte se na správce.",
            )
        }
    }
}
