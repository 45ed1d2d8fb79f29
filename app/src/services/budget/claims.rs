//! Payment claims (ŽoP, žádost o platbu: the beneficiary's claim for reimbursement of its expenditure)
//! and advances (zálohy): the claims page with its overdue flags, a new claim (never beyond the total
//! eligible expenditure), the managing authority's decision on a claim, and a received advance.

use super::overdue::{claim_overdue_days, overdue_claim_flag};
use super::{finish, money, project_range, sum};
use crate::domain::{parse_czech_date, FieldErrors, Money};
use crate::dto::{ClaimDto, ClaimsView, EditOutcome};
use crate::services::{audit, db, ServiceError};
use chrono::NaiveDate;
use entity::{advance, expenditure, monitoring_period, payment_claim};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use std::collections::BTreeMap;

/// The status of a stored claim (the workflow is [`crate::domain::ClaimStatus`]).
fn claim_status(c: &payment_claim::Model) -> Result<crate::domain::ClaimStatus, ServiceError> {
    crate::domain::ClaimStatus::from_code(&c.status)
        .map_err(|e| ServiceError::Unexpected(format!("claim {}: {e}", c.id)))
}

/// The claim as the claims page shows it (`periods`: period id → number).
fn claim_view(
    c: &payment_claim::Model,
    periods: &BTreeMap<i32, i32>,
    documents: usize,
    (today, limit_days): (NaiveDate, i64),
) -> Result<ClaimDto, ServiceError> {
    Ok(ClaimDto {
        id: c.id,
        number: c.number,
        period_number: c.period_id.and_then(|p| periods.get(&p).copied()),
        claimed: money(c.claimed_halere)?,
        approved: c.approved_halere.map(money).transpose()?,
        submitted_on: c.submitted_on,
        paid_on: c.paid_on,
        status: c.status.clone(),
        status_label: claim_status(c)?.label().into(),
        version: c.version,
        flag: overdue_claim_flag(c, today, limit_days),
        with_documents: c.with_documents,
        documents: u32::try_from(documents).unwrap_or(u32::MAX),
    })
}

/// [`claim_view`] with the periods of a loaded ledger context.
pub(crate) fn claim_dto(
    c: &payment_claim::Model,
    ctx: &super::ledger::LedgerContext,
    documents: usize,
    today: (NaiveDate, i64),
) -> Result<ClaimDto, ServiceError> {
    let periods: BTreeMap<i32, i32> = ctx.periods.iter().map(|p| (p.id, p.number)).collect();
    claim_view(c, &periods, documents, today)
}

/// Refuses a period that is not the project's (field `period_id`).
pub(crate) async fn check_period(
    txn: &DatabaseTransaction,
    project_id: i32,
    period_id: Option<i32>,
) -> Result<(), ServiceError> {
    if let Some(pid) = period_id {
        monitoring_period::Entity::find_by_id(pid)
            .filter(monitoring_period::Column::ProjectId.eq(project_id))
            .one(txn)
            .await?
            .ok_or_else(|| ServiceError::field("period_id", "Vyberte období tohoto projektu."))?;
    }
    Ok(())
}

/// The number of the project's next claim.
pub(crate) async fn next_number(
    txn: &DatabaseTransaction,
    project_id: i32,
) -> Result<i32, ServiceError> {
    let existing = payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.eq(project_id))
        .all(txn)
        .await?;
    Ok(existing.iter().map(|c| c.number).max().unwrap_or(0) + 1)
}

/// Payment claims and advances of a project.
///
/// # Errors
/// Database errors.
pub async fn claims(
    db: &impl ConnectionTrait,
    project_id: i32,
    today: NaiveDate,
) -> Result<ClaimsView, ServiceError> {
    let period_rows = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(project_id))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let periods: BTreeMap<i32, i32> = period_rows.iter().map(|p| (p.id, p.number)).collect();
    let rows = payment_claim::Entity::find()
        .filter(payment_claim::Column::ProjectId.eq(project_id))
        .order_by_asc(payment_claim::Column::Number)
        .all(db)
        .await?;
    let advances = advance::Entity::find()
        .filter(advance::Column::ProjectId.eq(project_id))
        .all(db)
        .await?;
    let mut doc_counts: BTreeMap<i32, usize> = BTreeMap::new();
    for claim_id in expenditure::Entity::find()
        .select_only()
        .column(expenditure::Column::ClaimId)
        .filter(expenditure::Column::ProjectId.eq(project_id))
        .filter(expenditure::Column::ClaimId.is_not_null())
        .into_tuple::<Option<i32>>()
        .all(db)
        .await?
        .into_iter()
        .flatten()
    {
        *doc_counts.entry(claim_id).or_default() += 1;
    }
    let limit = claim_overdue_days(db).await?;
    let claims = rows
        .iter()
        .map(|c| {
            claim_view(
                c,
                &periods,
                doc_counts.get(&c.id).copied().unwrap_or(0),
                (today, limit),
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ClaimsView {
        claimed_total: sum(rows.iter().map(|c| c.claimed_halere))?,
        approved_total: sum(rows.iter().filter_map(|c| c.approved_halere))?,
        paid_total: sum(rows
            .iter()
            .filter(|c| c.paid_on.is_some())
            .map(|c| c.approved_halere.unwrap_or(c.claimed_halere)))?,
        advances_total: sum(advances.iter().map(|a| a.amount_halere))?,
        claims,
        periods: period_rows
            .into_iter()
            .map(|p| crate::dto::PeriodDto {
                id: p.id,
                number: p.number,
                start_date: p.start_date,
                end_date: p.end_date,
            })
            .collect(),
    })
}

/// Records a payment claim (ŽoP) typed as a bare amount, without a list of documents ("bez soupisky": a
/// claim made before the project kept its documents here), numbered after the last one, as submitted (or
/// a draft without a date). The amount is what the beneficiary claimed, never beyond the total eligible
/// expenditure. Claims built from documents are opened by [`super::open_claim`].
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_claim(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    input: &crate::dto::ClaimInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let claimed = match e.check("claimed", Money::parse(&input.claimed)) {
        Some(m) if m.is_negative() || m.is_zero() => {
            e.add("claimed", "Nárokovaná částka musí být kladná.");
            None
        }
        other => other,
    };
    let submitted = if input.submitted_on.trim().is_empty() {
        None
    } else {
        e.check("submitted_on", parse_czech_date(&input.submitted_on))
    };
    let Some(claimed) = claimed.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = db::begin_write(db).await?;
    let r = async {
        project_range(&txn, project_id).await?;
        check_period(&txn, project_id, input.period_id).await?;
        let existing = payment_claim::Entity::find()
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .all(&txn)
            .await?;
        let last = existing.iter().map(|c| c.number).max().unwrap_or(0);
        // Claims may not exceed the total eligible expenditure of the budget (when there is one).
        let total = super::page::total_eligible(&txn, project_id).await?;
        let mut counted = Vec::new();
        for c in &existing {
            if claim_status(c)?.counts_as_claimed() {
                counted.push(c.claimed_halere);
            }
        }
        let claimed_before = sum(counted)?;
        let after = claimed_before.checked_add(claimed).map_err(|err| ServiceError::field("claimed", err.to_string()))?;
        if !total.is_zero() && after > total {
            return Err(ServiceError::field(
                "claimed",
                format!(
                    "Žádost by přesáhla celkové způsobilé výdaje {total}: dosud nárokováno {claimed_before}, zbývá {}.",
                    total.checked_sub(claimed_before).unwrap_or_default()
                ),
            ));
        }
        let created = payment_claim::ActiveModel {
            project_id: Set(project_id),
            number: Set(last + 1),
            period_id: Set(input.period_id),
            claimed_halere: Set(claimed.to_halere()),
            approved_halere: Set(None),
            submitted_on: Set(submitted),
            paid_on: Set(None),
            status: Set(if submitted.is_some() {
                crate::domain::ClaimStatus::Submitted
            } else {
                crate::domain::ClaimStatus::Draft
            }
            .code()
            .into()),
            version: Set(1),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::created(&txn, "payment_claim", created.id, Some(project_id), &created).await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}

/// Records the managing authority's decision on a claim: approved (with the approved amount, at most the
/// claimed one), paid (on a date), or returned for correction.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn decide_claim(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    claim_id: i32,
    version: i32,
    status: &str,
    approved: &str,
    paid_on: &str,
) -> Result<EditOutcome, ServiceError> {
    use crate::domain::ClaimStatus;
    let mut e = FieldErrors::new();
    let next = ClaimStatus::from_code(status)
        .ok()
        .filter(|s| *s != ClaimStatus::Draft);
    if next.is_none() {
        e.add(
            "status",
            "Vyberte: podána, schválena, proplacena, nebo vrácena k opravě.",
        );
    }
    let approved = if approved.trim().is_empty() {
        None
    } else {
        e.check("approved", Money::parse(approved))
    };
    let date = if paid_on.trim().is_empty() {
        None
    } else {
        e.check("paid_on", parse_czech_date(paid_on))
    };
    if matches!(next, Some(ClaimStatus::Paid | ClaimStatus::Submitted))
        && date.is_none()
        && e.get("paid_on").is_none()
    {
        e.add(
            "paid_on",
            if next == Some(ClaimStatus::Paid) {
                "Zadejte datum proplacení."
            } else {
                "Zadejte datum podání."
            },
        );
    }
    let Some(next) = next.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = db::begin_write(db).await?;
    let r = async {
        let c = payment_claim::Entity::find_by_id(claim_id)
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .one(&txn)
            .await?
            .ok_or(ServiceError::NotFound)?;
        if let Err(err) = claim_status(&c)?.transition(next) {
            return Err(ServiceError::field("status", err.to_string()));
        }
        // A claim built from documents is submitted with what its documents amount to, then frozen.
        let c = if next == ClaimStatus::Submitted && c.with_documents {
            if super::claim_documents::documents_of(&txn, claim_id)
                .await?
                .is_empty()
            {
                return Err(ServiceError::field(
                    "status",
                    "Žádost nemá v soupisce žádný doklad: zařaďte doklady v evidenci výdajů.",
                ));
            }
            super::claim_documents::recompute(&txn, project_id, claim_id).await?;
            payment_claim::Entity::find_by_id(claim_id)
                .one(&txn)
                .await?
                .ok_or(ServiceError::NotFound)?
        } else {
            c
        };
        // Approving without an amount approves the whole claim.
        let approved = match next {
            ClaimStatus::Approved => Some(approved.map_or(c.claimed_halere, Money::to_halere)),
            ClaimStatus::Paid => c.approved_halere.or(Some(c.claimed_halere)),
            _ => None,
        };
        if approved.is_some_and(|a| a > c.claimed_halere || a < 0) {
            return Err(ServiceError::field(
                "approved",
                "Schválená částka nesmí být záporná ani vyšší než nárokovaná.",
            ));
        }
        let paid = (next == ClaimStatus::Paid).then_some(date).flatten();
        let submitted = if next == ClaimStatus::Submitted {
            date
        } else {
            c.submitted_on
        };
        let before = audit::row::<payment_claim::Entity>(&txn, claim_id).await?;
        let res = payment_claim::Entity::update_many()
            .col_expr(payment_claim::Column::Status, Expr::value(next.code()))
            .col_expr(payment_claim::Column::ApprovedHalere, Expr::value(approved))
            .col_expr(payment_claim::Column::PaidOn, Expr::value(paid))
            .col_expr(payment_claim::Column::SubmittedOn, Expr::value(submitted))
            .col_expr(payment_claim::Column::Version, Expr::value(version + 1))
            .filter(payment_claim::Column::Id.eq(claim_id))
            .filter(payment_claim::Column::ProjectId.eq(project_id))
            .filter(payment_claim::Column::Version.eq(version))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(ServiceError::Conflict(
                "Žádost mezitím změnil někdo jiný. Načtěte stránku znovu.".into(),
            ));
        }
        let after = audit::row::<payment_claim::Entity>(&txn, claim_id).await?;
        audit::log(
            &txn,
            "update",
            "payment_claim",
            claim_id,
            Some(project_id),
            before,
            after,
        )
        .await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}
