//! Expenditures: a paid document drawn on a budget line (an amount, or units of the line's unit cost),
//! refused when it would overdraw the line, lie outside the realisation or fall outside the cost model.

use super::{finance_of, finish, model_of, money, project_range, sum};
use crate::domain::{format_czech_date, parse_czech_date, FieldErrors, LineKind, Money};
use crate::dto::{EditOutcome, ExpenditureInput};
use crate::services::{audit, db, ServiceError};
use entity::{budget_line, expenditure, monitoring_period};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};

/// Records an expenditure on a budget line. One that would overdraw the line is refused (see
/// [`OVERDRAW_RULE`](super::OVERDRAW_RULE)); a document number may be used once per line.
///
/// # Errors
/// `NotFound`; database errors.
pub async fn add_expenditure(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    input: &ExpenditureInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let doc = input.document_number.trim().to_string();
    // Units drawn on a simplified line: the amount follows from the line's unit cost (in the transaction).
    let units = if input.units.trim().is_empty() {
        None
    } else {
        e.check(
            "units",
            crate::domain::parse_units(&input.units, !doc.is_empty()),
        )
    };
    let amount = if units.is_some() {
        Some(Money::zero())
    } else if input.units.trim().is_empty() {
        e.check("amount", Money::parse(&input.amount))
    } else {
        None
    };
    let paid_on = if input.paid_on.trim().is_empty() {
        None
    } else {
        e.check("paid_on", parse_czech_date(&input.paid_on))
    };
    if let Some(a) = amount.filter(|_| units.is_none()) {
        if a.is_negative() && doc.is_empty() {
            e.add(
                "amount",
                "Záporná částka (opravný doklad) musí mít číslo dokladu.",
            );
        }
        if a.is_zero() {
            e.add("amount", "Částka výdaje nesmí být nulová.");
        }
    }
    let Some(amount) = amount.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = db::begin_write(db).await?;
    let r = async {
        let range = project_range(&txn, project_id).await?;
        if let Some(d) = paid_on {
            if !range.contains(d) {
                return Err(ServiceError::field(
                    "paid_on",
                    format!("Datum úhrady {} leží mimo dobu realizace ({range}).", format_czech_date(d)),
                ));
            }
        }
        let line = budget_line::Entity::find_by_id(input.budget_line_id)
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .one(&txn)
            .await?
            .ok_or_else(|| ServiceError::field("budget_line_id", "Vyberte položku rozpočtu tohoto projektu."))?;
        let model = model_of(&finance_of(&txn, project_id).await?)?;
        let kind = LineKind::of(&line.chapter, line.unit_cost_id.is_some());
        if let Err(refusal) = model.check_drawing(kind, units.is_some()) {
            let field = match refusal {
                crate::domain::DrawingRefusal::OutsideModel(_) => "budget_line_id",
                _ => "units",
            };
            return Err(ServiceError::field(field, refusal.message()));
        }
        let amount = match (line.unit_cost_id, units) {
            (Some(uc), Some(n)) => {
                let rate = entity::unit_cost::Entity::find_by_id(uc)
                    .one(&txn)
                    .await?
                    .ok_or_else(|| ServiceError::Unexpected(format!("unit cost {uc} missing")))?
                    .rate_halere;
                crate::domain::unit_amount(n, money(rate)?).map_err(|err| ServiceError::field("units", err.to_string()))?
            }
            _ => amount,
        };
        // Lock the line (PostgreSQL row lock; SQLite holds the write lock already), so two expenditures
        // entered at once cannot both pass the overdraw check.
        budget_line::Entity::update_many()
            .col_expr(budget_line::Column::Version, Expr::col(budget_line::Column::Version).add(1))
            .filter(budget_line::Column::Id.eq(line.id))
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .exec(&txn)
            .await?;
        let on_line = expenditure::Entity::find()
            .filter(expenditure::Column::ProjectId.eq(project_id))
            .filter(expenditure::Column::BudgetLineId.eq(line.id))
            .all(&txn)
            .await?;
        if !doc.is_empty() && on_line.iter().any(|x| x.document_number.as_deref() == Some(doc.as_str())) {
            return Err(ServiceError::field("document_number", format!("Doklad {doc} už je na této položce zaúčtován.")));
        }
        let drawn = sum(on_line.iter().map(|x| x.amount_halere))?;
        let budget = money(line.amount_halere)?;
        if i128::from(drawn.to_halere()) + i128::from(amount.to_halere()) < 0 {
            return Err(ServiceError::field(
                "amount",
                format!("Opravný doklad {amount} by snížil čerpání položky pod nulu (vyčerpáno {drawn})."),
            ));
        }
        if crate::domain::would_overdraw(budget, drawn, amount) {
            let left = budget.checked_sub(drawn).map_err(|err| ServiceError::Unexpected(err.to_string()))?;
            return Err(ServiceError::field(
                "amount",
                format!(
                    "Výdaj {amount} by přečerpal položku {} {} (rozpočet {budget}, vyčerpáno {drawn}, zbývá {left}).",
                    line.code, line.name
                ),
            ));
        }
        let period_id = match paid_on {
            Some(d) => monitoring_period::Entity::find()
                .filter(monitoring_period::Column::ProjectId.eq(project_id))
                .filter(monitoring_period::Column::StartDate.lte(d))
                .filter(monitoring_period::Column::EndDate.gte(d))
                .one(&txn)
                .await?
                .map(|p| p.id),
            None => None,
        };
        let created = expenditure::ActiveModel {
            project_id: Set(project_id),
            budget_line_id: Set(line.id),
            period_id: Set(period_id),
            document_number: Set((!doc.is_empty()).then_some(doc.clone())),
            amount_halere: Set(amount.to_halere()),
            units: Set(units.map(|u| u.to_string())),
            paid_on: Set(paid_on),
            description: Set(input.description.trim().to_string()),
            supplier: Set(String::new()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::created(&txn, "expenditure", created.id, Some(project_id), &created).await?;
        Ok(())
    }
    .await;
    finish(txn, r).await
}
