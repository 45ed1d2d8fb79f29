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
}

#[cfg(feature = "ssr")]
fn state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the Leptos context");
        AppError::Internal
    })
}

/// Who imports, for the import history (until users and sign-in arrive with the users issue).
#[cfg(feature = "ssr")]
pub const ANONYMOUS_IMPORTER: &str = "webový formulář";

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
    Ok(crate::services::projects::list(&db()?, &query).await?)
}

/// A project's detail.
#[server(input = Json)]
pub async fn get_project(id: i32) -> Result<ProjectDetail, AppError> {
    Ok(crate::services::projects::detail(&db()?, id).await?)
}

/// The stored project as the edit form shows it, with its version.
#[server(input = Json)]
pub async fn get_project_input(id: i32) -> Result<(ProjectInput, i32), AppError> {
    Ok(crate::services::projects::input_of(&db()?, id).await?)
}

/// Creates a project.
#[server(input = Json)]
pub async fn create_project(input: ProjectInput) -> Result<SaveOutcome, AppError> {
    Ok(crate::services::projects::create(&db()?, &input).await?)
}

/// Updates a project that was at `version` when the form was opened.
#[server(input = Json)]
pub async fn update_project(
    id: i32,
    version: i32,
    input: ProjectInput,
) -> Result<SaveOutcome, AppError> {
    Ok(crate::services::projects::update(&db()?, id, version, &input).await?)
}

/// Archives or restores a project.
#[server(input = Json)]
pub async fn set_project_archived(id: i32, version: i32, archived: bool) -> Result<(), AppError> {
    Ok(crate::services::projects::set_archived(&db()?, id, version, archived).await?)
}

/// Codebooks for the filters and the form.
#[server(input = Json)]
pub async fn get_codebooks() -> Result<Codebooks, AppError> {
    Ok(crate::services::codebooks::codebooks(&db()?).await?)
}

/// Municipalities whose name starts with `query` (any word, no diacritics needed) or with that code.
#[server(input = Json)]
pub async fn search_municipalities(query: String) -> Result<Vec<MunicipalityRef>, AppError> {
    Ok(crate::services::codebooks::search_municipalities(&db()?, &query, 15).await?)
}

/// Today's date on the server (drawdown against elapsed time is measured to it).
#[cfg(feature = "ssr")]
fn today() -> chrono::NaiveDate {
    chrono::Utc::now().date_naive()
}

/// The indicator table of a project.
#[server(input = Json)]
pub async fn get_indicator_table(project_id: i32) -> Result<crate::dto::IndicatorTable, AppError> {
    Ok(crate::services::monitoring::indicator_table(&db()?, project_id).await?)
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
    Ok(crate::services::budget::view(&db()?, project_id, today()).await?)
}

/// Adds a budget line (`line` = None) or changes one at its version (`line` = Some((id, version))).
#[server(input = Json)]
pub async fn save_budget_line(
    project_id: i32,
    line: Option<(i32, i32)>,
    input: crate::dto::BudgetLineInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::budget::save_line(&db()?, project_id, line, &input).await?)
}

/// Sets the indirect-cost rate and co-financing shares.
#[server(input = Json)]
pub async fn save_finance(
    project_id: i32,
    version: i32,
    input: crate::dto::FinanceInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::budget::save_finance(&db()?, project_id, version, &input).await?)
}

/// Records an expenditure.
#[server(input = Json)]
pub async fn add_expenditure(
    project_id: i32,
    input: crate::dto::ExpenditureInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::budget::add_expenditure(&db()?, project_id, &input).await?)
}

/// Payment claims and advances.
#[server(input = Json)]
pub async fn get_claims(project_id: i32) -> Result<crate::dto::ClaimsView, AppError> {
    Ok(crate::services::budget::claims(&db()?, project_id, today()).await?)
}

/// Records a payment claim.
#[server(input = Json)]
pub async fn add_claim(
    project_id: i32,
    input: crate::dto::ClaimInput,
) -> Result<crate::dto::EditOutcome, AppError> {
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
    Ok(crate::services::monitoring::add_period(&db()?, project_id, &start, &end).await?)
}

/// Adds an indicator to a project.
#[server(input = Json)]
pub async fn add_project_indicator(
    project_id: i32,
    input: crate::dto::ProjectIndicatorInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::monitoring::add_project_indicator(&db()?, project_id, &input).await?)
}

/// The indicator codebook.
#[server(input = Json)]
pub async fn get_indicator_codebook() -> Result<Vec<crate::dto::IndicatorDefDto>, AppError> {
    Ok(crate::services::monitoring::codebook(&db()?).await?)
}

/// Adds or corrects an indicator of the codebook.
#[server(input = Json)]
pub async fn save_indicator_def(
    id: Option<i32>,
    input: crate::dto::IndicatorDefInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::monitoring::save_indicator_def(&db()?, id, &input).await?)
}

/// The settings of unverified rules.
#[server(input = Json)]
pub async fn get_settings() -> Result<crate::dto::SettingsInput, AppError> {
    Ok(crate::services::settings::get(&db()?).await?)
}

/// Saves the settings of unverified rules.
#[server(input = Json)]
pub async fn save_settings(
    input: crate::dto::SettingsInput,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::settings::save(&db()?, &input).await?)
}

/// Records an advance payment.
#[server(input = Json)]
pub async fn add_advance(
    project_id: i32,
    paid_on: String,
    amount: String,
    note: String,
) -> Result<crate::dto::EditOutcome, AppError> {
    Ok(crate::services::budget::add_advance(&db()?, project_id, &paid_on, &amount, &note).await?)
}

/// A background import: progress, then its report.
#[server(input = Json)]
pub async fn import_job(token: String) -> Result<crate::dto::import::ImportJobView, AppError> {
    state()?.imports.view(&token).ok_or(AppError::NotFound)
}

/// Commits a previewed import (runs in the background; follow it with [`import_job`]).
#[server(input = Json)]
pub async fn commit_import(token: String) -> Result<(), AppError> {
    let s = state()?;
    Ok(s.imports.start_commit(
        s.db.clone(),
        &token,
        s.import_limits,
        ANONYMOUS_IMPORTER.into(),
    )?)
}

/// The import history, newest first.
#[server(input = Json)]
pub async fn import_history() -> Result<Vec<crate::dto::import::ImportSummary>, AppError> {
    crate::services::import::store::history(&db()?, 200)
        .await
        .map_err(|e| crate::services::ServiceError::Db(e).into())
}

/// The stored report of a committed import.
#[server(input = Json)]
pub async fn get_import(id: i32) -> Result<crate::dto::import::ImportReport, AppError> {
    let mut report = crate::services::import::store::stored_report(&db()?, id).await?;
    for sheet in &mut report.sheets {
        let total = sheet.errors.len() + sheet.warnings.len();
        sheet.errors.truncate(500);
        sheet.warnings.truncate(500);
        sheet.issues_omitted =
            u32::try_from(total - sheet.errors.len() - sheet.warnings.len()).unwrap_or(0);
    }
    Ok(report)
}

/// Reverts a committed import as a whole; returns the number of records restored or removed.
#[server(input = Json)]
pub async fn revert_import(id: i32) -> Result<u64, AppError> {
    Ok(crate::services::import::store::revert(&db()?, id).await?)
}
