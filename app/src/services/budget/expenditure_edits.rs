//! Changes to a booked expenditure from the ledger: an edit at the row's version by the same rules as a
//! new one, and a correction (*opravný doklad*, a credit note) on the same line. A document in a submitted
//! claim is frozen with the claim's list.

use super::expenditures::{book, parse_input};
use super::{finish, money};
use crate::domain::{FieldErrors, Money};
use crate::dto::{CorrectionInput, EditOutcome, ExpenditureInput};
use crate::services::{db, ServiceError};
use entity::expenditure;
use sea_orm::{ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait};

pub(super) fn stale() -> ServiceError {
    ServiceError::Conflict("Výdaj mezitím změnil někdo jiný. Načtěte stránku znovu.".into())
}

/// The project's expenditure `id` at `version`, if it may change (not in a submitted claim).
async fn changeable(
    txn: &DatabaseTransaction,
    project_id: i32,
    id: i32,
    version: i32,
) -> Result<expenditure::Model, ServiceError> {
    let e = expenditure::Entity::find_by_id(id)
        .filter(expenditure::Column::ProjectId.eq(project_id))
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if e.version != version {
        return Err(stale());
    }
    if let Some(c) = e.claim_id {
        let claim = entity::payment_claim::Entity::find_by_id(c)
            .one(txn)
            .await?;
        if let Some(claim) = claim.filter(|c| {
            crate::domain::ClaimStatus::from_code(&c.status).is_ok_and(|s| !s.documents_editable())
        }) {
            return Err(ServiceError::Conflict(format!(
                "Doklad je v podané žádosti o platbu č. {}; její soupiska se už nemění. Opravte jej \
                 opravným dokladem, nebo až bude žádost vrácena k opravě.",
                claim.number
            )));
        }
    }
    Ok(e)
}

/// Changes an expenditure at `version` by the same rules as a new one. A document in a submitted claim
/// cannot change (conflict); one in a draft or returned claim changes the claim's amount with it.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn update_expenditure(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    id: i32,
    version: i32,
    input: &ExpenditureInput,
) -> Result<EditOutcome, ServiceError> {
    let p = match parse_input(input) {
        Ok(p) => p,
        Err(e) => return Ok(EditOutcome::Invalid(e)),
    };
    let txn = db::begin_write(db).await?;
    let r = async {
        let old = changeable(&txn, project_id, id, version).await?;
        book(&txn, project_id, input, &p, Some(&old))
            .await
            .map(|_| ())
    }
    .await;
    finish(txn, r).await
}

/// Books a correction (*opravný doklad*, a credit note) to expenditure `id` seen at `version`: a negative
/// amount on the same line, with its own document number, at most the original amount.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn correct_expenditure(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    id: i32,
    version: i32,
    input: &CorrectionInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let reduce = e
        .check("amount", Money::parse(&input.amount))
        .map(Money::abs);
    if reduce.is_some_and(Money::is_zero) {
        e.add("amount", "Zadejte, o kolik opravný doklad snižuje výdaj.");
    }
    if input.document_number.trim().is_empty() {
        e.add(
            "document_number",
            "Opravný doklad musí mít své číslo dokladu.",
        );
    }
    let Some(reduce) = reduce.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = db::begin_write(db).await?;
    let r = async {
        let original = expenditure::Entity::find_by_id(id)
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .one(&txn)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if original.version != version {
            return Err(stale());
        }
        if reduce.to_halere() > original.amount_halere {
            return Err(ServiceError::field(
                "amount",
                format!(
                    "Opravný doklad může snížit výdaj nejvýše o jeho částku {}.",
                    money(original.amount_halere)?
                ),
            ));
        }
        let description = if input.description.trim().is_empty() {
            format!(
                "Opravný doklad k dokladu {}",
                original.document_number.as_deref().unwrap_or("bez čísla")
            )
        } else {
            input.description.trim().to_owned()
        };
        let as_input = ExpenditureInput {
            budget_line_id: original.budget_line_id,
            document_number: input.document_number.trim().to_owned(),
            amount: format!("-{}", reduce.as_decimal()),
            units: String::new(),
            paid_on: input.paid_on.clone(),
            description,
        };
        let p = parse_input(&as_input).map_err(ServiceError::Validation)?;
        book(&txn, project_id, &as_input, &p, None)
            .await
            .map(|_| ())
    }
    .await;
    finish(txn, r).await
}
