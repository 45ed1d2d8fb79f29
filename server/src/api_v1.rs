//! The read-only JSON API for other systems, version 1 (`/api/v1/…`), described by `/api/v1/openapi.json`.
//!
//! Callers authenticate with a personal API token (`Authorization: Bearer esf_…`); the token acts as its
//! user with the same role and assignment checks as the pages. Amounts, quantities and percentages are
//! decimal strings (`"1234567.89"`), never JSON floats.

use crate::ServerState;
use app::domain::roles::Viewer;
use app::domain::Money;
use app::dto::ProjectListQuery;
use app::services::{budget, demo, monitoring, projects, read_cache};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::HashMap;

fn error(status: StatusCode, message: &str) -> Response {
    let mut r = (status, Json(json!({ "error": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        r.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            header::HeaderValue::from_static("Bearer realm=\"esf-tracker\""),
        );
    }
    r
}

fn internal(e: &impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "API request failed");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Interní chyba serveru; je zapsána v protokolu.",
    )
}

/// The viewer of the request's bearer token, or the 401 response.
async fn bearer(state: &ServerState, headers: &HeaderMap) -> Result<Viewer, Response> {
    bearer_at(state, headers).await.map(|(v, _)| v)
}

/// The viewer of the request's bearer token and the database's read revisions it was checked at, or
/// the 401 response.
async fn bearer_at(
    state: &ServerState,
    headers: &HeaderMap,
) -> Result<(Viewer, read_cache::Revisions), Response> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(token) = token else {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Chybí přístupový token (hlavička Authorization: Bearer …).",
        ));
    };
    let db = &state.app.db;
    let found = match read_cache::revisions(db).await {
        Ok(revisions) => state
            .app
            .reads
            .bearer_viewer(db, revisions, token)
            .await
            .map(|v| v.map(|v| (v, revisions))),
        Err(e) => Err(e),
    };
    match found {
        Ok(Some(found)) => Ok(found),
        Ok(None) => Err(error(
            StatusCode::UNAUTHORIZED,
            "Přístupový token je neplatný nebo zneplatněný.",
        )),
        Err(e) => Err(internal(&e)),
    }
}

fn money(m: Money) -> Value {
    Value::String(m.as_decimal().round_dp(2).to_string())
}

fn decimal(d: Decimal) -> Value {
    Value::String(d.normalize().to_string())
}

/// `GET /api/v1/projects`: one page of the projects the token's user may read, with the dashboard's
/// filters (`stav`, `program`, `vyzva`, `kraj`, `skupina`, `prijemce`, `q`) and `strana`, `na_strance`.
pub async fn list(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
) -> Response {
    let (viewer, revisions) = match bearer_at(&state, &headers).await {
        Ok(found) => found,
        Err(r) => return r,
    };
    let q = ProjectListQuery::from_params(|k| params.get(k).cloned());
    let visible = (!viewer.sees_all()).then(|| viewer.projects.clone());
    let page = state
        .app
        .reads
        .project_page(&state.app.db, revisions, &q, visible.as_deref())
        .await;
    match page {
        Ok(page) => Json(json!({
            "page": page.page,
            "per_page": page.per_page,
            "total": page.total,
            "pages": page.page_count(),
            "items": page.rows.iter().map(|r| json!({
                "registration_number": r.registration_number,
                "name": r.name,
                "acronym": r.acronym,
                "beneficiary": r.beneficiary_name,
                "call_id": r.call_id,
                "status": r.status.code(),
                "start_date": r.start_date,
                "end_date": r.end_date,
                "archived": r.archived,
                "href": format!("/api/v1/projects/{}", app::dto::url_encode(&r.registration_number)),
            })).collect::<Vec<_>>(),
        }))
        .into_response(),
        Err(e) => internal(&e),
    }
}

/// `GET /api/v1/projects/{registration number, URL-encoded}`.
pub async fn detail(
    State(state): State<ServerState>,
    headers: HeaderMap,
    Path(registration_number): Path<String>,
) -> Response {
    let viewer = match bearer(&state, &headers).await {
        Ok(v) => v,
        Err(r) => return r,
    };
    let db = &state.app.db;
    let id = match demo::project_id_by_registration(db, registration_number.trim()).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            return error(
                StatusCode::NOT_FOUND,
                "Projekt s tímto registračním číslem není v evidenci.",
            )
        }
        Err(e) => return internal(&e),
    };
    if !viewer.can_read(id) {
        return error(StatusCode::FORBIDDEN, "K tomuto projektu nemáte přístup.");
    }
    let today = state.app.clock.today();
    let (p, b, claims, t) = match (
        projects::detail(db, id).await,
        budget::view(db, id, today).await,
        budget::claims(db, id, today).await,
        monitoring::indicator_table(db, id, today).await,
    ) {
        (Ok(p), Ok(b), Ok(c), Ok(t)) => (p, b, c, t),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), _) | (.., Err(e)) => return internal(&e),
    };
    Json(json!({
        "registration_number": p.registration_number,
        "name": p.name,
        "acronym": p.acronym,
        "status": p.status.code(),
        "beneficiary": { "ico": p.beneficiary_ico, "name": p.beneficiary_name },
        "programme": p.programme,
        "call_id": p.call_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "target_groups": p.target_groups.iter().map(|g| json!({"code": g.value, "name": g.label})).collect::<Vec<_>>(),
        "municipalities": p.municipalities.iter().map(|m| json!({
            "code": m.code, "name": m.name, "district": m.district, "region": m.region,
        })).collect::<Vec<_>>(),
        "budget": {
            "cost_model": b.cost_model.code(),
            "flat_rate_percent": b.cost_model.has_rate().then(|| decimal(b.indirect_rate)),
            "personnel": money(b.budgeted.personnel),
            "other_direct": money(b.budgeted.other_direct),
            "simplified": money(b.budgeted.simplified),
            "flat_part": money(b.budgeted.flat_part),
            "eligible": money(b.budgeted.eligible),
            "not_counted": money(b.budgeted.not_counted),
            "registered_total": p.total_eligible.map(money),
            "budgeted": money(b.total_eligible),
            "drawn": money(b.drawn),
            "paid": money(claims.paid_total),
            "remaining": money(b.remaining),
            "drawdown_percent": b.drawdown_percent.map(|d| decimal(d.round_dp(2))),
            "elapsed_percent": decimal(b.elapsed_percent.round_dp(2)),
        },
        "indicators": t.rows.iter().map(|r| json!({
            "code": r.code,
            "name": r.name,
            "unit": r.unit,
            "baseline": decimal(r.baseline),
            "target": decimal(r.target),
            "target_date": r.target_date,
            "achieved": decimal(r.cumulative),
            "fulfilment_percent": r.fulfilment.map(|f| decimal(f.round_dp(2))),
        })).collect::<Vec<_>>(),
        "flags": b.flags.iter().chain(t.rows.iter().filter_map(|r| r.flag.as_ref()))
            .map(|f| json!({"kind": f.kind, "message": f.message})).collect::<Vec<_>>(),
    }))
    .into_response()
}

/// Unknown paths under `/api/v1/` answer JSON, not the app's HTML page.
pub async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Neznámá adresa API.")
}

/// `GET /api/v1/openapi.json`: the OpenAPI 3.0 description (public: it holds no data).
pub async fn openapi() -> Response {
    let filters: Vec<Value> = [
        ("q", "Hledaný text (název, akronym, registrační číslo, příjemce, IČO)", "string"),
        ("stav", "Stav projektu: preparation, realisation, finished, closed", "string"),
        ("program", "Program (id z číselníku)", "integer"),
        ("vyzva", "Výzva, např. 03_22_015", "string"),
        ("kraj", "Kraj (kód RÚIAN, např. 60 = Ústecký)", "integer"),
        ("skupina", "Cílová skupina (kód)", "string"),
        ("prijemce", "Příjemce (id organizace)", "integer"),
        ("strana", "Stránka, od 1", "integer"),
        ("na_strance", "Počet na stránce, 1–100 (výchozí 20)", "integer"),
    ]
    .iter()
    .map(|(name, description, ty)| {
        json!({"name": name, "in": "query", "required": false, "description": description, "schema": {"type": ty}})
    })
    .collect();
    let amount = json!({"type": "string", "pattern": "^-?[0-9]+\\.[0-9]{2}$", "description": "Částka v Kč jako desetinný řetězec"});
    let dec = json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$", "description": "Desetinné číslo jako řetězec"});
    let err = json!({"description": "Chyba", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    Json(json!({
        "openapi": "3.0.3",
        "info": {
            "title": "ESF+ Portfolio Tracker API",
            "version": "1.0.0",
            "description": "Čtení projektů OPZ/OPZ+ pro jiné systémy. Přihlášení osobním tokenem (Authorization: Bearer …), který vytvoří administrátor. Částky jsou desetinné řetězce, nikdy čísla s plovoucí čárkou."
        },
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {
            "/api/v1/projects": {"get": {
                "summary": "Seznam projektů (stránkovaný, s filtry přehledu)",
                "operationId": "listProjects",
                "parameters": filters,
                "responses": {
                    "200": {"description": "Stránka projektů", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProjectPage"}}}},
                    "401": err.clone()
                }
            }},
            "/api/v1/projects/{registration_number}": {"get": {
                "summary": "Projekt s indikátory, rozpočtem, cílovými skupinami a obcemi",
                "operationId": "getProject",
                "parameters": [{"name": "registration_number", "in": "path", "required": true,
                    "description": "Registrační číslo, URL-kódované (lomítka jako %2F), např. CZ.03.01.01%2F00%2F22_015%2F0002653",
                    "schema": {"type": "string"}}],
                "responses": {
                    "200": {"description": "Projekt", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Project"}}}},
                    "401": err.clone(), "403": err.clone(), "404": err
                }
            }}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "Osobní API token (esf_…)"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "ProjectSummary": {"type": "object", "required": ["registration_number", "name", "status", "href"], "properties": {
                    "registration_number": {"type": "string"}, "name": {"type": "string"},
                    "acronym": {"type": "string", "nullable": true}, "beneficiary": {"type": "string"},
                    "call_id": {"type": "string"}, "status": {"type": "string"},
                    "start_date": {"type": "string", "format": "date"}, "end_date": {"type": "string", "format": "date"},
                    "archived": {"type": "boolean"}, "href": {"type": "string"}
                }},
                "ProjectPage": {"type": "object", "required": ["page", "per_page", "total", "items"], "properties": {
                    "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"},
                    "pages": {"type": "integer"},
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/ProjectSummary"}}
                }},
                "Indicator": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"}, "unit": {"type": "string"},
                    "baseline": dec.clone(), "target": dec.clone(), "target_date": {"type": "string", "format": "date"},
                    "achieved": dec.clone(), "fulfilment_percent": {"allOf": [dec.clone()], "nullable": true}
                }},
                "Budget": {"type": "object", "properties": {
                    "cost_model": {"type": "string", "enum": ["flat_indirect_direct", "flat_indirect_personnel", "flat_40_personnel", "simplified"],
                        "description": "How the project accounts for its costs: (a) flat rate of indirect costs on all direct costs, (b) on direct personnel costs, (c) 40 % of direct personnel costs covering all other costs, (d) unit costs and lump sums"},
                    "flat_rate_percent": {"allOf": [dec.clone()], "nullable": true},
                    "personnel": amount.clone(), "other_direct": amount.clone(), "simplified": amount.clone(),
                    "flat_part": amount.clone(), "eligible": amount.clone(), "not_counted": amount.clone(),
                    "registered_total": {"allOf": [amount.clone()], "nullable": true},
                    "budgeted": amount.clone(), "drawn": amount.clone(), "paid": amount.clone(), "remaining": amount,
                    "drawdown_percent": {"allOf": [dec.clone()], "nullable": true}, "elapsed_percent": dec
                }},
                "Project": {"type": "object", "required": ["registration_number", "name", "budget", "indicators"], "properties": {
                    "registration_number": {"type": "string"}, "name": {"type": "string"},
                    "acronym": {"type": "string", "nullable": true}, "status": {"type": "string"},
                    "beneficiary": {"type": "object", "properties": {"ico": {"type": "string"}, "name": {"type": "string"}}},
                    "programme": {"type": "string"}, "call_id": {"type": "string"},
                    "start_date": {"type": "string", "format": "date"}, "end_date": {"type": "string", "format": "date"},
                    "target_groups": {"type": "array", "items": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}}},
                    "municipalities": {"type": "array", "items": {"type": "object", "properties": {
                        "code": {"type": "integer"}, "name": {"type": "string"}, "district": {"type": "string"}, "region": {"type": "string"}}}},
                    "budget": {"$ref": "#/components/schemas/Budget"},
                    "indicators": {"type": "array", "items": {"$ref": "#/components/schemas/Indicator"}},
                    "flags": {"type": "array", "items": {"type": "object", "properties": {"kind": {"type": "string"}, "message": {"type": "string"}}}}
                }}
            }
        }
    }))
    .into_response()
}
