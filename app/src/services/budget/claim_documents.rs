//! A payment claim built from documents (*soupiska dokladů*): the finance officer opens a draft claim,
//! picks expenditures not yet claimed into it (by hand or every one the ledger's filters match), and the
//! claim's amount follows from its documents and the project's cost model (for the 40 % model: direct
//! personnel costs + 40 %). A document is in at most one claim; a submitted claim's list is frozen; a
//! returned claim's list may change again.

use super::ledger::{filtered, LedgerContext};
use super::{breakdown, finance_of, finish, model_of, pct, sum, ServiceError};
use crate::domain::{ClaimStatus, CostBreakdown, LineKind};
use crate::dto::{ClaimDetail, ClaimFilter, DocumentPick, EditOutcome};
use crate::services::{audit, db};
use entity::{budget_line, expenditure, payment_claim};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    Set, TransactionTrait,
};
use std::collections::HashMap;

/// What the documents `docs` amount to under the project's cost model.
pub(crate) async fn documents_breakdown(
    db: &impl ConnectionTrait,
    project_id: i32,
    docs: &[expenditure::Model],
) -> Result<CostBreakdown, ServiceError> {
    let fin = finance_of(db, project_id).await?;
    let lines: HashMap<i32, LineKind> = budget_line::Entity::find()
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, LineKind::of(&l.chapter, l.unit_cost_id.is_some())))
        .collect();
    breakdown(
        model_of(&fin)?,
        pct(&fin.indirect_rate)?,
        docs.iter().map(|e| {
            (
                lines
                    .get(&e.budget_line_id)
                    .copied()
                    .unwrap_or(LineKind::OtherDirect),
                e.amount_halere,
            )
        }),
    )
}

/// The documents of a claim.
pub(crate) async fn documents_of(
    db: &impl ConnectionTrait,
    claim_id: i32,
) -> Result<Vec<expenditure::Model>, ServiceError> {
    Ok(expenditure::Entity::find()
        .filter(expenditure::Column::ClaimId.eq(claim_id))
        .all(db)
        .await?)
}

/// Sets a claim's amount to what its documents amount to (a claim built from documents only).
pub(crate) async fn recompute(
    txn: &DatabaseTransaction,
    project_id: i32,
    claim_id: i32,
) -> Result<(), ServiceError> {
    let docs = documents_of(txn, claim_id).await?;
    let b = documents_breakdown(txn, project_id, &docs).await?;
    payment_claim::Entity::update_many()
        .col_expr(
            payment_claim::Column::ClaimedHalere,
            Expr::value(b.eligible.to_halere()),
        )
        .filter(payment_claim::Column::Id.eq(claim_id))
        .filter(payment_claim::Column::WithDocuments.eq(true))
        .exec(txn)
        .await?;
    Ok(())
}

/// Opens a new draft claim built from documents, numbered after the last one; returns its id.
///
/// # Errors
/// `NotFound`; a period of another project (field `period_id`); database errors.
pub async fn open_claim(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    period_id: Option<i32>,
) -> Result<i32, ServiceError> {
    let txn = db::begin_write(db).await?;
    let r = async {
        super::project_range(&txn, project_id).await?;
        super::claims::check_period(&txn, project_id, period_id).await?;
        let number = super::claims::next_number(&txn, project_id).await?;
        let created = payment_claim::ActiveModel {
            project_id: Set(project_id),
            number: Set(number),
            period_id: Set(period_id),
            claimed_halere: Set(0),
            status: Set(ClaimStatus::Draft.code().into()),
            version: Set(1),
            with_documents: Set(true),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::created(
            &txn,
            "payment_claim",
            created.id,
            Some(project_id),
            &created,
        )
        .await?;
        Ok(created.id)
    }
    .await;
    match r {
        Ok(id) => {
            txn.commit().await?;
            Ok(id)
        }
        Err(e) => {
            txn.rollback().await?;
            Err(e)
        }
    }
}

/// The claim at `version`, if its list of documents may change.
async fn editable_claim(
    txn: &DatabaseTransaction,
    project_id: i32,
    claim_id: i32,
    version: i32,
) -> Result<payment_claim::Model, ServiceError> {
    let c = payment_claim::Entity::find_by_id(claim_id)
        .filter(payment_claim::Column::ProjectId.eq(project_id))
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    if c.version != version {
        return Err(ServiceError::Conflict(
            "Žádost mezitím změnil někdo jiný. Načtěte stránku znovu.".into(),
        ));
    }
    let status = ClaimStatus::from_code(&c.status)
        .map_err(|e| ServiceError::Unexpected(format!("claim {claim_id}: {e}")))?;
    if !c.with_documents {
        return Err(ServiceError::field(
            "claim",
            format!(
                "ŽoP č. {} je zapsaná bez soupisky dokladů; doklady do ní nelze přidávat.",
                c.number
            ),
        ));
    }
    if !status.documents_editable() {
        return Err(ServiceError::field(
            "claim",
            format!(
                "ŽoP č. {} je {}: její soupiska dokladů se už nemění (změnit ji lze jen u rozpracované \
                 nebo vrácené žádosti).",
                c.number,
                status.label()
            ),
        ));
    }
    Ok(c)
}

/// Raises a claim's version after its list changed, and records the change.
async fn touched(
    txn: &DatabaseTransaction,
    project_id: i32,
    c: &payment_claim::Model,
) -> Result<(), ServiceError> {
    let before = audit::row::<payment_claim::Entity>(txn, c.id).await?;
    recompute(txn, project_id, c.id).await?;
    payment_claim::Entity::update_many()
        .col_expr(payment_claim::Column::Version, Expr::value(c.version + 1))
        .filter(payment_claim::Column::Id.eq(c.id))
        .exec(txn)
        .await?;
    let after = audit::row::<payment_claim::Entity>(txn, c.id).await?;
    audit::log(
        txn,
        "update",
        "payment_claim",
        c.id,
        Some(project_id),
        before,
        after,
    )
    .await?;
    Ok(())
}

/// Puts documents into a draft or returned claim. Documents already in a claim are refused (a document
/// is in at most one claim); with [`DocumentPick::Filtered`], every unclaimed document the filters match
/// is taken.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_documents(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    claim_id: i32,
    version: i32,
    pick: &DocumentPick,
) -> Result<EditOutcome, ServiceError> {
    let txn = db::begin_write(db).await?;
    let r = async {
        let c = editable_claim(&txn, project_id, claim_id, version).await?;
        let ids: Vec<i32> = match pick {
            DocumentPick::Ids(ids) => ids.clone(),
            DocumentPick::Filtered(q) => {
                let q = crate::dto::LedgerQuery {
                    claim: ClaimFilter::Unclaimed,
                    ..q.filters_only()
                };
                let ctx = LedgerContext::load(&txn, project_id).await?;
                filtered(&txn, project_id, &q, &ctx)
                    .await?
                    .into_iter()
                    .map(|e| e.id)
                    .collect()
            }
        };
        if ids.is_empty() {
            return Err(ServiceError::field("documents", "Vyberte aspoň jeden doklad."));
        }
        let docs = expenditure::Entity::find()
            .filter(expenditure::Column::Id.is_in(ids.clone()))
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .all(&txn)
            .await?;
        if docs.len() != ids.len() {
            return Err(ServiceError::field("documents", "Některý z vybraných dokladů k projektu nepatří."));
        }
        if let Some(taken) = docs.iter().find(|d| d.claim_id.is_some()) {
            let other = taken.claim_id.and_then(|c| (c != claim_id).then_some(c));
            let number = match other {
                Some(o) => payment_claim::Entity::find_by_id(o).one(&txn).await?.map(|c| c.number),
                None => Some(c.number),
            };
            return Err(ServiceError::Conflict(format!(
                "Doklad {} už je v ŽoP č. {}; jeden doklad může být jen v jedné žádosti. Načtěte stránku znovu.",
                taken.document_number.as_deref().unwrap_or("bez čísla"),
                number.unwrap_or_default()
            )));
        }
        let res = expenditure::Entity::update_many()
            .col_expr(expenditure::Column::ClaimId, Expr::value(claim_id))
            .filter(expenditure::Column::Id.is_in(ids.clone()))
            .filter(expenditure::Column::ClaimId.is_null())
            .exec(&txn)
            .await?;
        if res.rows_affected != ids.len() as u64 {
            return Err(ServiceError::Conflict(
                "Některý doklad mezitím zařadil do žádosti někdo jiný. Načtěte stránku znovu.".into(),
            ));
        }
        touched(&txn, project_id, &c).await
    }
    .await;
    finish(txn, r).await
}

/// Takes documents out of a draft or returned claim.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn remove_documents(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    claim_id: i32,
    version: i32,
    ids: &[i32],
) -> Result<EditOutcome, ServiceError> {
    let txn = db::begin_write(db).await?;
    let r = async {
        let c = editable_claim(&txn, project_id, claim_id, version).await?;
        expenditure::Entity::update_many()
            .col_expr(
                expenditure::Column::ClaimId,
                Expr::value(Option::<i32>::None),
            )
            .filter(expenditure::Column::Id.is_in(ids.to_vec()))
            .filter(expenditure::Column::ClaimId.eq(claim_id))
            .exec(&txn)
            .await?;
        touched(&txn, project_id, &c).await
    }
    .await;
    finish(txn, r).await
}

/// A claim with its documents (the claim page).
///
/// # Errors
/// `NotFound`; database errors.
pub async fn claim_detail(
    db: &impl ConnectionTrait,
    project_id: i32,
    claim_id: i32,
    today: chrono::NaiveDate,
) -> Result<ClaimDetail, ServiceError> {
    let ctx = LedgerContext::load(db, project_id).await?;
    let c = ctx.claim(claim_id).ok_or(ServiceError::NotFound)?.clone();
    let mut docs = documents_of(db, claim_id).await?;
    docs.sort_by_key(|e| (e.paid_on, e.id));
    let b = documents_breakdown(db, project_id, &docs).await?;
    let fin = finance_of(db, project_id).await?;
    let status = ClaimStatus::from_code(&c.status)
        .map_err(|e| ServiceError::Unexpected(format!("claim {claim_id}: {e}")))?;
    Ok(ClaimDetail {
        claim: super::claims::claim_dto(
            &c,
            &ctx,
            docs.len(),
            (today, super::overdue::claim_overdue_days(db).await?),
        )?,
        registration_number: ctx.registration_number.clone(),
        documents_sum: sum(docs.iter().map(|e| e.amount_halere))?,
        documents: docs.iter().map(|e| ctx.row(e)).collect::<Result<_, _>>()?,
        breakdown: b,
        cost_model_label: model_of(&fin)?.label().into(),
        editable: c.with_documents && status.documents_editable(),
    })
}

/// The list of documents of claim number `number` as an export table (the ledger's columns, so it
/// imports back as expenditures).
///
/// # Errors
/// `NotFound`; database errors.
pub async fn claim_export(
    db: &impl ConnectionTrait,
    project_id: i32,
    number: i32,
) -> Result<crate::services::export::Table, ServiceError> {
    let ctx = LedgerContext::load(db, project_id).await?;
    let c = ctx
        .claims
        .iter()
        .find(|c| c.number == number)
        .ok_or(ServiceError::NotFound)?;
    let mut docs = documents_of(db, c.id).await?;
    docs.sort_by_key(|e| (e.paid_on, e.id));
    let rows: Vec<_> = docs.iter().map(|e| ctx.row(e)).collect::<Result<_, _>>()?;
    let mut t = super::ledger::export_table(&ctx.registration_number, &rows);
    t.name = format!("Soupiska ŽoP {number}");
    Ok(t)
}
