//! Server functions: thin adapters from the browser to the services. Each one gets the database from
//! the request context, calls one service and maps its error to a user-safe `AppError`.
//! (Authentication and authorisation arrive with the users issue; until then every caller may edit.)

use crate::dto::{
    Codebooks, MunicipalityRef, ProjectDetail, ProjectInput, ProjectListQuery, ProjectPage,
    SaveOutcome,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Shared server state, provided as Leptos context to every server function and page.
#[cfg(feature = "ssr")]
#[derive(Clone)]
pub struct AppState {
    pub db: sea_orm::DatabaseConnection,
    /// Spreadsheet imports running in the background (preview, then commit).
    pub imports: crate::services::import::jobs::Jobs,
    /// Size and row limits of imports.
    pub import_limits: crate::services::import::ImportLimits,
    /// Where documents are stored and how large they may be.
    pub documents: crate::services::documents::DocumentSettings,
    /// Where "today" comes from (the system date, or a fixed one in tests and demonstrations).
    pub clock: crate::services::clock::Clock,
    /// The portfolio dashboards kept between views (refreshed by the database's revisions).
    pub dashboards: crate::services::portfolio::DashboardCache,
    /// Sessions, tokens, codebooks and project-list pages kept between requests (checked against the
    /// database's read revisions on every request).
    pub reads: crate::services::read_cache::ReadCache,
}

#[cfg(feature = "ssr")]
fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// The signed-in user of a request (`None` when not signed in): put into the request's extensions by the
/// server's session middleware, read here from the request parts Leptos provides.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct SignedIn(pub Option<crate::domain::roles::Viewer>);

/// The CSP nonce of the current response (set by the server's security-headers middleware).
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

/// Sets the HTTP status of the server function's response (401, 403) and returns the error.
#[cfg(feature = "ssr")]
fn deny(status: u16, err: AppError) -> AppError {
    if let (Some(options), Ok(code)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        axum::http::StatusCode::from_u16(status),
    ) {
        options.set_status(code);
    }
    err
}

/// The signed-in user, or 401.
#[cfg(feature = "ssr")]
pub fn viewer() -> Result<crate::domain::roles::Viewer, AppError> {
    use_context::<axum::http::request::Parts>()
        .and_then(|p| p.extensions.get::<SignedIn>().cloned())
        .and_then(|s| s.0)
        .ok_or_else(|| deny(401, AppError::Unauthorized))
}

/// The database's read revisions as the server's session middleware read them for this request (read
/// again when a request came without them).
#[cfg(feature = "ssr")]
async fn revisions() -> Result<crate::services::read_cache::Revisions, AppError> {
    let kept = use_context::<axum::http::request::Parts>().and_then(|p| {
        p.extensions
            .get::<crate::services::read_cache::Revisions>()
            .copied()
    });
    match kept {
        Some(r) => Ok(r),
        None => Ok(crate::services::read_cache::revisions(&db()?)
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "reading the read revisions failed");
                AppError::Internal
            })?),
    }
}

/// 403 unless `allowed`.
#[cfg(feature = "ssr")]
fn allow(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(deny(403, AppError::Forbidden))
    }
}

/// Server functions that a user who only reads (a reviewer without another role) may call: they read,
/// or they are the reviewer's own actions (the review of a report, their password). The server refuses
/// every other server function to such a user **before** it reads the request (deny by default), and
/// the security test enumerates the registered functions to prove it; each function still checks its
/// own rights. A new reading function must be added here for reviewers to use it.
#[cfg(feature = "ssr")]
#[must_use]
pub fn read_only_user_may_call(path: &str) -> bool {
    use leptos::server_fn::ServerFn;
    [
        CurrentUser::PATH,
        ListProjects::PATH,
        GetProject::PATH,
        GetCodebooks::PATH,
        SearchMunicipalities::PATH,
        GetIndicatorTable::PATH,
        GetBudget::PATH,
        GetClaims::PATH,
        GetLedger::PATH,
        GetClaimDetail::PATH,
        GetIndicatorCodebook::PATH,
        GetSettings::PATH,
        ProjectHistory::PATH,
        GetDashboard::PATH,
        GetPeriodReview::PATH,
        GetReviewSummaries::PATH,
        SubmitReview::PATH,
        GetReviewQueue::PATH,
        GetDocuments::PATH,
        ChangePassword::PATH,
        SetLanguage::PATH,
        // Deadlines, and one's own calendar feeds and digest (like one's own password).
        GetDeadlines::PATH,
        GetDeadlineCounts::PATH,
        GetNextDeadline::PATH,
        GetAccountDeadlines::PATH,
        CreateCalendarFeed::PATH,
        RevokeCalendarFeed::PATH,
        SetDeadlineDigest::PATH,
    ]
    .contains(&path)
}

/// Sets 404 on a "not found" answer (no other status tells whether the record exists).
#[cfg(feature = "ssr")]
fn not_found_status(err: AppError) -> AppError {
    if matches!(err, AppError::NotFound) {
        deny(404, err)
    } else {
        err
    }
}

/// The signed-in user, if any (for the header and for hiding buttons; the server checks every call).
#[server(input = Json)]
pub async fn current_user() -> Result<Option<crate::domain::roles::Viewer>, AppError> {
    Ok(viewer().ok())
}

#[cfg(feature = "ssr")]
fn db() -> Result<sea_orm::DatabaseConnection, AppError> {
    use_context::<AppState>().map(|s| s.db).ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// One page of the project list.
#[server(input = Json)]
pub async fn list_projects(query: ProjectListQuery) -> Result<ProjectPage, AppError> {
    let v = viewer()?;
    let visible = (!v.sees_all()).then(|| v.projects.clone());
    let (s, revisions) = (state()?, revisions().await?);
    Ok(s.reads
        .project_page(&s.db, revisions, &query, visible.as_deref())
        .await?)
}

/// A project's detail.
#[server(input = Json)]
pub async fn get_project(id: i32) -> Result<ProjectDetail, AppError> {
    allow(viewer()?.can_read(id))?;
    Ok(crate::services::projects::detail(&db()?, id).await?)
}

/// The stored project as the edit form shows it, with its version.
#[server(input = Json)]
pub async fn get_project_input(id: i32) -> Result<(ProjectInput, i32), AppError> {
    allow(viewer()?.can_edit_project(id))?;
    Ok(crate::services::projects::input_of(&db()?, id).await?)
}

/// Creates a project.
#[server(input = Json)]
pub async fn create_project(input: ProjectInput) -> Result<SaveOutcome, AppError> {
    let v = viewer()?;
    allow(v.can_create_project())?;
    let outcome = crate::services::projects::create_as(&db()?, Some(&v), &input).await?;
    if let SaveOutcome::Saved { id } = &outcome {
        if v.has(crate::domain::roles::Role::Manager) {
            crate::services::auth::assign_project(&db()?, v.id, *id)
                .await
                .map_err(|e| AppError::from(crate::services::ServiceError::Db(e)))?;
        }
    }
    Ok(outcome)
}

/// Updates a project that was at `version` when the form was opened.
#[server(input = Json)]
pub async fn update_project(
    id: i32,
    version: i32,
    input: ProjectInput,
) -> Result<SaveOutcome, AppError> {
    let v = viewer()?;
    allow(v.can_edit_project(id))?;
    Ok(crate::services::projects::update_as(&db()?, Some(&v), id, version, &input).await?)
}

/// Archives or restores a project.
#[server(input = Json)]
pub async fn set_project_archived(id: i32, version: i32, archived: bool) -> Result<(), AppError> {
    let v = viewer()?;
    allow(v.can_edit_project(id) || v.is_admin())?;
    Ok(crate::services::projects::set_archived(&db()?, id, version, archived).await?)
}

/// Codebooks for the filters and the form.
#[server(input = Json)]
pub async fn get_codebooks() -> Result<Codebooks, AppError> {
    viewer()?;
    let (s, revisions) = (state()?, revisions().await?);
    Ok(s.reads.codebooks(&s.db, revisions).await?)
}

/// Municipalities whose name starts with `query` (any word, no diacritics needed) or with that code.
#[server(input = Json)]
pub async fn search_municipalities(query: String) -> Result<Vec<MunicipalityRef>, AppError> {
    viewer()?;
    Ok(crate::services::codebooks::search_municipalities(&db()?, &query, 15).await?)
}

/// Today's date on the server by its clock (drawdown against elapsed time is measured to it).
#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    use_context::<AppState>()
        .map(|s| s.clock)
        .unwrap_or_default()
        .today()
}

/// The indicator table of a project.
#[server(input = Json)]
pub async fn get_indicator_table(project_id: i32) -> Result<crate::dto::IndicatorTable, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::monitoring::indicator_table(&db()?, project_id, today()).await?)
}

/// Records the value achieved for an indicator in a period.
#[server(input = Json)]
pub async fn set_indicator_value(
    project_id: i32,
    project_indicator_id: i32,
    period_id: i32,
    version: Option<i32>,
    value: String,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_project(project_id))?;
    Ok(crate::services::monitoring::set_achieved(
        &db()?,
        project_id,
        project_indicator_id,
        period_id,
        version,
        &value,
    )
    .await?)
}

/// The budget page of a project.
#[server(input = Json)]
pub async fn get_budget(project_id: i32) -> Result<crate::dto::BudgetView, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::budget::view(&db()?, project_id, today()).await?)
}

/// Adds a budget line (`line` = None) or changes one at its version (`line` = Some((id, version))).
#[server(input = Json)]
pub async fn save_budget_line(
    project_id: i32,
    line: Option<(i32, i32)>,
    input: crate::dto::BudgetLineInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::save_line(&db()?, project_id, line, &input).await?)
}

/// Sets the indirect-cost rate and co-financing shares.
#[server(input = Json)]
pub async fn save_finance(
    project_id: i32,
    version: i32,
    input: crate::dto::FinanceInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::save_finance(&db()?, project_id, version, &input).await?)
}

/// Records an expenditure.
#[server(input = Json)]
pub async fn add_expenditure(
    project_id: i32,
    input: crate::dto::ExpenditureInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::add_expenditure(&db()?, project_id, &input).await?)
}

/// Payment claims and advances.
#[server(input = Json)]
pub async fn get_claims(project_id: i32) -> Result<crate::dto::ClaimsView, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::budget::claims(&db()?, project_id, today()).await?)
}

/// Records a payment claim.
#[server(input = Json)]
pub async fn add_claim(
    project_id: i32,
    input: crate::dto::ClaimInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::add_claim(&db()?, project_id, &input).await?)
}

/// Records the decision on a payment claim.
#[server(input = Json)]
pub async fn decide_claim(
    project_id: i32,
    claim_id: i32,
    version: i32,
    status: String,
    approved: String,
    paid_on: String,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::decide_claim(
        &db()?,
        project_id,
        claim_id,
        version,
        &status,
        &approved,
        &paid_on,
    )
    .await?)
}

/// Adds a monitoring period to a project.
#[server(input = Json)]
pub async fn add_period(
    project_id: i32,
    start: String,
    end: String,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_project(project_id))?;
    Ok(crate::services::monitoring::add_period(&db()?, project_id, &start, &end).await?)
}

/// Adds an indicator to a project.
#[server(input = Json)]
pub async fn add_project_indicator(
    project_id: i32,
    input: crate::dto::ProjectIndicatorInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_project(project_id))?;
    Ok(crate::services::monitoring::add_project_indicator(&db()?, project_id, &input).await?)
}

/// The indicator codebook.
#[server(input = Json)]
pub async fn get_indicator_codebook() -> Result<Vec<crate::dto::IndicatorDefDto>, AppError> {
    viewer()?;
    Ok(crate::services::monitoring::codebook(&db()?).await?)
}

/// Adds or corrects an indicator of the codebook.
#[server(input = Json)]
pub async fn save_indicator_def(
    id: Option<i32>,
    input: crate::dto::IndicatorDefInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.is_admin())?;
    Ok(crate::services::monitoring::save_indicator_def(&db()?, id, &input).await?)
}

/// The settings of unverified rules.
#[server(input = Json)]
pub async fn get_settings() -> Result<crate::dto::SettingsInput, AppError> {
    viewer()?;
    Ok(crate::services::settings::get(&db()?).await?)
}

/// Saves the settings of unverified rules.
#[server(input = Json)]
pub async fn save_settings(
    input: crate::dto::SettingsInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.is_admin())?;
    Ok(crate::services::settings::save(&db()?, &input).await?)
}

/// Every programme's reporting rule (months per monitoring period).
#[server(input = Json)]
pub async fn get_programme_rules() -> Result<Vec<crate::dto::ProgrammeRuleDto>, AppError> {
    viewer()?;
    Ok(crate::services::programmes::rules(&db()?).await?)
}

/// Saves a programme's reporting rule (admins only).
#[server(input = Json)]
pub async fn save_programme_rule(
    programme_id: i32,
    input: crate::dto::ProgrammeRuleInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.is_admin())?;
    Ok(crate::services::programmes::save_rule(&db()?, programme_id, &input).await?)
}

/// Every call's cost rules (allowed cost models, flat rates) and unit costs.
#[server(input = Json)]
pub async fn get_call_cost_rules() -> Result<Vec<crate::dto::CallCostRulesDto>, AppError> {
    viewer()?;
    Ok(crate::services::cost_rules::list(&db()?).await?)
}

/// Saves a call's cost rules (admins only).
#[server(input = Json)]
pub async fn save_call_cost_rules(
    call_id: i32,
    input: crate::dto::CallCostRulesInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.is_admin())?;
    Ok(crate::services::cost_rules::save_rules(&db()?, call_id, &input).await?)
}

/// Adds a unit cost or lump sum to a call (admins only).
#[server(input = Json)]
pub async fn add_unit_cost(
    call_id: i32,
    input: crate::dto::UnitCostInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.is_admin())?;
    Ok(crate::services::cost_rules::add_unit_cost(&db()?, call_id, &input).await?)
}

/// Records an advance payment.
#[server(input = Json)]
pub async fn add_advance(
    project_id: i32,
    paid_on: String,
    amount: String,
    note: String,
) -> Result<crate::dto::EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::add_advance(&db()?, project_id, &paid_on, &amount, &note).await?)
}

/// A background import: progress, then its report.
#[server(input = Json)]
pub async fn import_job(token: String) -> Result<crate::dto::import::ImportJobView, AppError> {
    let v = viewer()?;
    allow(v.can_import())?;
    let s = state()?;
    s.imports
        .view(&s.db, &token, v.id)
        .await
        .map_err(|e| AppError::from(crate::services::ServiceError::Db(e)))?
        .ok_or(AppError::NotFound)
}

/// Commits a previewed import (runs in the background; follow it with [`import_job`]).
#[server(input = Json)]
pub async fn commit_import(token: String) -> Result<(), AppError> {
    let v = viewer()?;
    allow(v.can_import())?;
    let s = state()?;
    Ok(s.imports
        .start_commit(s.db.clone(), &token, s.import_limits, &v)
        .await?)
}

/// The import history, newest first.
#[server(input = Json)]
pub async fn import_history() -> Result<Vec<crate::dto::import::ImportSummary>, AppError> {
    let v = viewer()?;
    allow(v.can_import())?;
    crate::services::import::history::history(&db()?, 200, Some(&v))
        .await
        .map_err(|e| crate::services::ServiceError::Db(e).into())
}

/// The stored report of a committed import.
#[server(input = Json)]
pub async fn get_import(id: i32) -> Result<crate::dto::import::ImportReport, AppError> {
    let v = viewer()?;
    allow(v.can_import())?;
    let mut report = crate::services::import::history::stored_report(&db()?, id, Some(&v))
        .await
        .map_err(|e| not_found_status(e.into()))?;
    report.shorten_issues();
    Ok(report)
}

/// Reverts a committed import as a whole; returns the number of records restored or removed.
#[server(input = Json)]
pub async fn revert_import(id: i32) -> Result<u64, AppError> {
    let v = viewer()?;
    allow(v.can_import())?;
    crate::services::import::history::revert_as(&db()?, id, &v)
        .await
        .map_err(|e| not_found_status(e.into()))
}

/// A project's history (its audit trail), newest first.
#[server(input = Json)]
pub async fn project_history(project_id: i32) -> Result<Vec<crate::dto::AuditEntryDto>, AppError> {
    allow(viewer()?.can_read(project_id))?;
    crate::services::audit::project_history(&db()?, project_id)
        .await
        .map_err(|e| AppError::from(crate::services::ServiceError::Db(e)))
}

/// The whole audit trail, filtered (admins only).
#[server(input = Json)]
pub async fn audit_log(query: crate::dto::AuditQuery) -> Result<crate::dto::AuditPage, AppError> {
    allow(viewer()?.is_admin())?;
    crate::services::audit::page(&db()?, &query)
        .await
        .map_err(|e| AppError::from(crate::services::ServiceError::Db(e)))
}

#[cfg(feature = "ssr")]
fn auth_error(e: crate::services::auth::AuthError) -> AppError {
    use crate::services::auth::AuthError;
    match e {
        AuthError::InvalidCredentials => AppError::BadRequest("Současné heslo nesouhlasí.".into()),
        AuthError::Db(err) => AppError::from(crate::services::ServiceError::Db(err)),
        other => AppError::BadRequest(other.to_string()),
    }
}

/// Changes the signed-in user's password; their other sessions end.
#[server(input = Json)]
pub async fn change_password(old: String, new: String) -> Result<(), AppError> {
    let v = viewer()?;
    let token = use_context::<axum::http::request::Parts>()
        .and_then(|p| {
            p.headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|h| h.to_str().ok())
                .flat_map(|h| h.split(';'))
                .filter_map(|c| c.trim().split_once('='))
                .find(|(k, _)| *k == "tracker_session")
                .map(|(_, t)| t.to_owned())
        })
        .unwrap_or_default();
    crate::services::auth::change_password(&db()?, v.id, &old, &new, &token, chrono::Utc::now())
        .await
        .map_err(auth_error)
}

/// All users (admins only).
#[server(input = Json)]
pub async fn list_users() -> Result<Vec<crate::dto::UserDto>, AppError> {
    allow(viewer()?.is_admin())?;
    crate::services::auth::user_list(&db()?)
        .await
        .map_err(|e| AppError::from(crate::services::ServiceError::Db(e)))
}

/// Creates a user (admins only).
#[server(input = Json)]
pub async fn create_user(input: crate::dto::NewUserInput) -> Result<i32, AppError> {
    allow(viewer()?.is_admin())?;
    crate::services::auth::create_from_input(&db()?, &input)
        .await
        .map_err(auth_error)
}

/// Activates or deactivates a user (admins only, not themselves); deactivation ends their sessions.
#[server(input = Json)]
pub async fn set_user_active(id: i32, active: bool) -> Result<(), AppError> {
    let v = viewer()?;
    allow(v.is_admin() && v.id != id)?;
    crate::services::auth::set_active(&db()?, id, active)
        .await
        .map_err(auth_error)
}

/// The portfolio dashboard for the list filters in `query`, over the projects the viewer may read.
#[server(input = Json)]
pub async fn get_dashboard(
    query: ProjectListQuery,
    risk_sort: crate::dto::portfolio::RiskSort,
) -> Result<crate::dto::portfolio::Dashboard, AppError> {
    let v = viewer()?;
    let visible = (!v.sees_all()).then(|| v.projects.clone());
    let s = state()?;
    Ok(s.dashboards
        .dashboard(&s.db, &query, visible.as_deref(), risk_sort, today())
        .await?)
}

/// A monitoring period's review: status, comments, and what the viewer may do.
#[server(input = Json)]
pub async fn get_period_review(
    project_id: i32,
    period_id: i32,
) -> Result<crate::dto::portfolio::PeriodReviewView, AppError> {
    let v = viewer()?;
    allow(v.can_read(project_id))?;
    Ok(crate::services::review::view(&db()?, &v, project_id, period_id).await?)
}

/// Review status of each monitoring period of a project.
#[server(input = Json)]
pub async fn get_review_summaries(
    project_id: i32,
) -> Result<Vec<crate::dto::portfolio::PeriodReviewSummary>, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::review::summaries(&db()?, project_id).await?)
}

/// A reviewer sets a period's review status and/or comments; the project's manager answers.
#[server(input = Json)]
pub async fn submit_review(
    project_id: i32,
    period_id: i32,
    input: crate::dto::portfolio::ReviewInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    let v = viewer()?;
    let may_set_status = v.can_review();
    let may_comment = may_set_status || v.can_edit_project(project_id);
    allow(may_comment && (input.status.trim().is_empty() || may_set_status))?;
    let r = crate::services::review::submit(&db()?, &v, project_id, period_id, &input).await;
    Ok(match r {
        Ok(()) => crate::dto::EditOutcome::Saved,
        Err(crate::services::ServiceError::Validation(f)) => crate::dto::EditOutcome::Invalid(f),
        Err(crate::services::ServiceError::Conflict(m)) => crate::dto::EditOutcome::Conflict(m),
        Err(e) => return Err(e.into()),
    })
}

/// All API tokens (admins only).
#[server(input = Json)]
pub async fn list_api_tokens() -> Result<Vec<crate::dto::TokenInfo>, AppError> {
    allow(viewer()?.is_admin())?;
    crate::services::tokens::list(&db()?)
        .await
        .map_err(|e| AppError::from(crate::services::ServiceError::Db(e)))
}

/// Creates an API token for a user (admins only); the token is returned once, never stored.
#[server(input = Json)]
pub async fn create_api_token(email: String, name: String) -> Result<String, AppError> {
    allow(viewer()?.is_admin())?;
    crate::services::tokens::create(&db()?, &email, &name)
        .await
        .map(|(token, _)| token)
        .map_err(|e| match e {
            crate::services::auth::AuthError::NotFound => AppError::BadRequest(
                "Uživatel s tímto e-mailem neexistuje nebo je deaktivovaný.".into(),
            ),
            other => auth_error(other),
        })
}

/// Revokes an API token (admins only).
#[server(input = Json)]
pub async fn revoke_api_token(id: i32) -> Result<(), AppError> {
    allow(viewer()?.is_admin())?;
    crate::services::tokens::revoke(&db()?, id)
        .await
        .map_err(auth_error)
}

mod documents;
pub use documents::*;
mod ledger;
pub use ledger::*;
mod review;
pub use review::*;

/// Sets the signed-in user's language of the interface (`cs` or `en`).
#[server(input = Json)]
pub async fn set_language(code: String) -> Result<(), AppError> {
    let v = viewer()?;
    let lang = crate::domain::Lang::from_code(&code)
        .ok_or_else(|| AppError::BadRequest("Neznámý jazyk.".into()))?;
    crate::services::auth::set_language(&db()?, v.id, lang)
        .await
        .map_err(auth_error)
}
mod deadlines;
pub use deadlines::*;
