//! Downloads (`/export/…`) for signed-in users: the filtered project list, the dashboard figures and the
//! open-data list of operations (`seznam-operaci`), and a project's indicator table and budget, as
//! `.xlsx` or `.csv`. The same filters and access rules as the
//! pages: a user gets only the projects they may read.

use crate::web::SignedIn;
use crate::ServerState;
use app::domain::roles::Viewer;
use app::dto::portfolio::RiskSort;
use app::dto::ProjectListQuery;
use app::services::export::{self, Table};
use app::services::{budget, export_tables, monitoring, open_data, ServiceError};
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use std::collections::HashMap;

/// A refused or failed export answers with a page (the browser opened the link as a page), with the
/// message and a way back.
fn text(status: StatusCode, message: &str) -> Response {
    let title = if status == StatusCode::FORBIDDEN {
        "Export není dostupný"
    } else {
        "Export se nepodařil"
    };
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        format!(
            "<!DOCTYPE html><html lang=\"cs\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{title}</title></head><body style=\"font-family: system-ui, sans-serif; \
             max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5\">\
             <main><h1>{title}</h1><p role=\"alert\">{escaped}</p>\
             <p><a href=\"/\">Zpět na seznam projektů</a></p>\
             </main></body></html>"
        ),
    )
        .into_response()
}

fn failed(e: &ServiceError) -> Response {
    match e {
        ServiceError::NotFound => text(StatusCode::NOT_FOUND, "Projekt nebyl nalezen."),
        other => {
            tracing::error!(error = %other, "export failed");
            text(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Export se nepodařil. Zkuste to prosím znovu; chyba je zapsána v protokolu serveru.",
            )
        }
    }
}

/// `name.xlsx` / `name.csv` → (name, is_xlsx).
fn split_file(file: &str) -> Option<(&str, bool)> {
    if let Some(stem) = file.strip_suffix(".xlsx") {
        Some((stem, true))
    } else {
        file.strip_suffix(".csv").map(|stem| (stem, false))
    }
}

fn download(tables: &[Table], stem: &str, xlsx: bool) -> Response {
    let today = chrono::Utc::now().date_naive();
    let (body, mime, ext) = if xlsx {
        match export::xlsx(tables) {
            Ok(b) => (
                b,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "xlsx",
            ),
            Err(e) => return failed(&e),
        }
    } else {
        (
            export::csv(tables).into_bytes(),
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{stem}-{today}.{ext}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

#[allow(clippy::result_large_err)] // the error is the response itself, built once per request
fn signed_in(s: &SignedIn) -> Result<Viewer, Response> {
    s.0.clone()
        .ok_or_else(|| text(StatusCode::UNAUTHORIZED, "Přihlaste se prosím."))
}

/// `GET /export/{projekty|prehled|seznam-operaci}.{xlsx|csv}?<list filters>`.
pub async fn portfolio_export(
    State(state): State<ServerState>,
    Extension(session): Extension<SignedIn>,
    Path(file): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let viewer = match signed_in(&session) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let Some((what, xlsx)) = split_file(&file) else {
        return text(StatusCode::NOT_FOUND, "Takový export neexistuje.");
    };
    let q = ProjectListQuery::from_params(|k| params.get(k).cloned());
    let visible = (!viewer.sees_all()).then(|| viewer.projects.clone());
    let db = &state.app.db;
    let tables = match what {
        "projekty" => export_tables::project_list(db, &q, visible.as_deref())
            .await
            .map(|t| vec![t]),
        "seznam-operaci" => open_data::operations(db, &q, visible.as_deref())
            .await
            .map(|t| vec![t]),
        "prehled" => state
            .app
            .dashboards
            .dashboard(
                db,
                &q,
                visible.as_deref(),
                RiskSort::default(),
                state.app.clock.today(),
            )
            .await
            .map(|d| export_tables::dashboard(&d)),
        _ => return text(StatusCode::NOT_FOUND, "Takový export neexistuje."),
    };
    match tables {
        Ok(t) => download(&t, what, xlsx),
        Err(e) => failed(&e),
    }
}

/// `GET /export/projekty/{id}/{indikatory|rozpocet|vydaje|soupiska-N}.{xlsx|csv}` (`vydaje` takes the
/// ledger's filters as its query).
pub async fn project_export(
    State(state): State<ServerState>,
    Extension(session): Extension<SignedIn>,
    Path((id, file)): Path<(i32, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let viewer = match signed_in(&session) {
        Ok(v) => v,
        Err(r) => return r,
    };
    if !viewer.can_read(id) {
        return text(StatusCode::FORBIDDEN, "K tomuto projektu nemáte přístup.");
    }
    let Some((what, xlsx)) = split_file(&file) else {
        return text(StatusCode::NOT_FOUND, "Takový export neexistuje.");
    };
    let db = &state.app.db;
    let stem = match app::services::projects::detail(db, id).await {
        Ok(p) => format!("{what}-{}", export::file_stem(&p.registration_number)),
        Err(e) => return failed(&e),
    };
    let tables = match what {
        "indikatory" => monitoring::indicator_table(db, id, state.app.clock.today())
            .await
            .map(|t| vec![export_tables::indicators(&t)]),
        "rozpocet" => budget::view(db, id, state.app.clock.today())
            .await
            .map(|b| export_tables::budget(&b)),
        "vydaje" => {
            let q = app::dto::LedgerQuery::from_params(|k| params.get(k).cloned());
            budget::ledger_export(db, id, &q).await.map(|t| vec![t])
        }
        other => match other
            .strip_prefix("soupiska-")
            .and_then(|n| n.parse::<i32>().ok())
        {
            Some(number) => budget::claim_export(db, id, number).await.map(|t| vec![t]),
            None => return text(StatusCode::NOT_FOUND, "Takový export neexistuje."),
        },
    };
    match tables {
        Ok(t) => download(&t, &stem, xlsx),
        Err(e) => failed(&e),
    }
}
