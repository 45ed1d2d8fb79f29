//! Advances (zálohy): payments the beneficiary received ahead of its claims.

use super::project_range;
use crate::domain::{parse_czech_date, FieldErrors, Money};
use crate::dto::EditOutcome;
use crate::services::{audit, db, ServiceError};
use entity::advance;
use sea_orm::{ActiveModelTrait, DatabaseTransaction, Set, TransactionTrait};

/// Records an advance payment (záloha) received by the beneficiary.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_advance(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    paid_on: &str,
    amount: &str,
    note: &str,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let date = e.check("advance_paid_on", parse_czech_date(paid_on));
    let amount = match e.check("advance_amount", Money::parse(amount)) {
        Some(m) if m.is_negative() || m.is_zero() => {
            e.add("advance_amount", "Záloha musí být kladná.");
            None
        }
        other => other,
    };
    let (Some(date), Some(amount)) = (date, amount) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = db::begin_write(db).await?;
    project_range(&txn, project_id).await?;
    let created = advance::ActiveModel {
        project_id: Set(project_id),
        paid_on: Set(date),
        amount_halere: Set(amount.to_halere()),
        note: Set(note.trim().to_string()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::created(&txn, "advance", created.id, Some(project_id), &created).await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}
