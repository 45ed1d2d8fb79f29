//! Server functions of the expenditure ledger and of claims built from documents (soupiska dokladů).
//! Reading needs the project's read right; every change needs its finance right, as on the budget page.

use crate::dto::{
    ClaimDetail, CorrectionInput, DocumentPick, EditOutcome, ExpenditureInput, LedgerPage,
    LedgerQuery,
};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
use super::{allow, db, today, viewer};

/// A page of a project's expenditure ledger.
#[server(input = Json)]
pub async fn get_ledger(project_id: i32, query: LedgerQuery) -> Result<LedgerPage, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::budget::ledger(&db()?, project_id, &query).await?)
}

/// Changes an expenditure at its version.
#[server(input = Json)]
pub async fn update_expenditure(
    project_id: i32,
    id: i32,
    version: i32,
    input: ExpenditureInput,
) -> Result<EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(
        crate::services::budget::update_expenditure(&db()?, project_id, id, version, &input)
            .await?,
    )
}

/// Books a correction (credit note) to an expenditure seen at `version`.
#[server(input = Json)]
pub async fn correct_expenditure(
    project_id: i32,
    id: i32,
    version: i32,
    input: CorrectionInput,
) -> Result<EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(
        crate::services::budget::correct_expenditure(&db()?, project_id, id, version, &input)
            .await?,
    )
}

/// Opens a draft payment claim built from documents; returns its id.
#[server(input = Json)]
pub async fn open_claim(project_id: i32, period_id: Option<i32>) -> Result<i32, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(crate::services::budget::open_claim(&db()?, project_id, period_id).await?)
}

/// Puts documents into a draft or returned claim.
#[server(input = Json)]
pub async fn add_claim_documents(
    project_id: i32,
    claim_id: i32,
    version: i32,
    pick: DocumentPick,
) -> Result<EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(
        crate::services::budget::add_documents(&db()?, project_id, claim_id, version, &pick)
            .await?,
    )
}

/// Takes documents out of a draft or returned claim.
#[server(input = Json)]
pub async fn remove_claim_documents(
    project_id: i32,
    claim_id: i32,
    version: i32,
    ids: Vec<i32>,
) -> Result<EditOutcome, AppError> {
    allow(viewer()?.can_edit_finance(project_id))?;
    Ok(
        crate::services::budget::remove_documents(&db()?, project_id, claim_id, version, &ids)
            .await?,
    )
}

/// A claim with its list of documents.
#[server(input = Json)]
pub async fn get_claim_detail(project_id: i32, claim_id: i32) -> Result<ClaimDetail, AppError> {
    allow(viewer()?.can_read(project_id))?;
    Ok(crate::services::budget::claim_detail(&db()?, project_id, claim_id, today()).await?)
}
