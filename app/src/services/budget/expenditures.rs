//! Expenditures: a paid document drawn on a budget line (an amount, or units of the line's unit cost),
//! refused when it would overdraw the line, lie outside the realisation or fall outside the cost model.
//! The form adds one; the ledger edits one or books a correction to it (`expenditure_edits`).

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

/// An expenditure to book (*zaúčtovat*), whoever books it: the expenditure form one at a time, the
/// importer in batches. Its rules (the drawing rule of the cost model, the overdraw check) are checked by
/// the caller before; this is the one place its row is made.
#[derive(Debug, Clone)]
pub struct NewExpenditure<'a> {
    pub project_id: i32,
    pub budget_line_id: i32,
    pub period_id: Option<i32>,
    pub document_number: Option<&'a str>,
    pub amount: Money,
    /// Units drawn on a unit-cost line (the amount is units × rate).
    pub units: Option<rust_decimal::Decimal>,
    pub paid_on: Option<chrono::NaiveDate>,
    pub description: &'a str,
    pub supplier: &'a str,
    /// The import that books it (`None`: the form).
    pub import_id: Option<i32>,
}

impl NewExpenditure<'_> {
    /// The row to insert.
    #[must_use]
    pub fn row(&self) -> expenditure::ActiveModel {
        let m = self.model();
        expenditure::ActiveModel {
            project_id: Set(m.project_id),
            budget_line_id: Set(m.budget_line_id),
            period_id: Set(m.period_id),
            document_number: Set(m.document_number),
            amount_halere: Set(m.amount_halere),
            units: Set(m.units),
            paid_on: Set(m.paid_on),
            description: Set(m.description),
            supplier: Set(m.supplier),
            import_id: Set(m.import_id),
            ..Default::default()
        }
    }

    /// The row as it will be stored (id 0 until it is), for a writer that keeps what it booked.
    #[must_use]
    pub fn model(&self) -> expenditure::Model {
        expenditure::Model {
            id: 0,
            project_id: self.project_id,
            budget_line_id: self.budget_line_id,
            period_id: self.period_id,
            document_number: self.document_number.map(str::to_owned),
            amount_halere: self.amount.to_halere(),
            paid_on: self.paid_on,
            description: self.description.to_owned(),
            supplier: self.supplier.to_owned(),
            import_id: self.import_id,
            units: self.units.map(|u| u.to_string()),
            claim_id: None,
            version: 1,
        }
    }
}

/// An expenditure as typed, parsed field by field.
pub(super) struct Parsed {
    doc: String,
    units: Option<rust_decimal::Decimal>,
    /// Zero while the amount follows from units (computed with the line's rate).
    amount: Money,
    paid_on: Option<chrono::NaiveDate>,
}

pub(super) fn parse_input(input: &ExpenditureInput) -> Result<Parsed, FieldErrors> {
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
    // The form and the API need the payment date (a spreadsheet row may leave it empty: see the
    // monitoring sheets); an imported row without one gets it when it is next edited.
    let paid_on = if input.paid_on.trim().is_empty() {
        e.add("paid_on", "Vyplňte datum úhrady, např. 15. 3. 2026.");
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
    match amount.filter(|_| e.is_empty()) {
        Some(amount) => Ok(Parsed {
            doc,
            units,
            amount,
            paid_on,
        }),
        None => Err(e),
    }
}

/// Books `p` on its line, as a new expenditure or in place of `existing`: the realisation, the cost
/// model's drawing rule, one document number per line and no overdrawing. Returns the stored row.
pub(super) async fn book(
    txn: &DatabaseTransaction,
    project_id: i32,
    input: &ExpenditureInput,
    p: &Parsed,
    existing: Option<&expenditure::Model>,
) -> Result<expenditure::Model, ServiceError> {
    let range = project_range(txn, project_id).await?;
    if let Some(d) = p.paid_on {
        if !range.contains(d) {
            return Err(ServiceError::field(
                "paid_on",
                format!(
                    "Datum úhrady {} leží mimo dobu realizace ({range}).",
                    format_czech_date(d)
                ),
            ));
        }
    }
    let line = budget_line::Entity::find_by_id(input.budget_line_id)
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .one(txn)
        .await?
        .ok_or_else(|| {
            ServiceError::field(
                "budget_line_id",
                "Vyberte položku rozpočtu tohoto projektu.",
            )
        })?;
    let model = model_of(&finance_of(txn, project_id).await?)?;
    let kind = LineKind::of(&line.chapter, line.unit_cost_id.is_some());
    if let Err(refusal) = model.check_drawing(kind, p.units.is_some()) {
        let field = match refusal {
            crate::domain::DrawingRefusal::OutsideModel(_) => "budget_line_id",
            _ => "units",
        };
        return Err(ServiceError::field(field, refusal.message()));
    }
    let amount = match (line.unit_cost_id, p.units) {
        (Some(uc), Some(n)) => {
            let rate = entity::unit_cost::Entity::find_by_id(uc)
                .one(txn)
                .await?
                .ok_or_else(|| ServiceError::Unexpected(format!("unit cost {uc} missing")))?
                .rate_halere;
            crate::domain::unit_amount(n, money(rate)?)
                .map_err(|err| ServiceError::field("units", err.to_string()))?
        }
        _ => p.amount,
    };
    // Lock the line (PostgreSQL row lock; SQLite holds the write lock already), so two expenditures
    // entered at once cannot both pass the overdraw check.
    budget_line::Entity::update_many()
        .col_expr(
            budget_line::Column::Version,
            Expr::col(budget_line::Column::Version).add(1),
        )
        .filter(budget_line::Column::Id.eq(line.id))
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .exec(txn)
        .await?;
    let on_line: Vec<expenditure::Model> = expenditure::Entity::find()
        .filter(expenditure::Column::ProjectId.eq(project_id))
        .filter(expenditure::Column::BudgetLineId.eq(line.id))
        .all(txn)
        .await?
        .into_iter()
        .filter(|x| existing.is_none_or(|e| e.id != x.id))
        .collect();
    let doc = p.doc.as_str();
    if !doc.is_empty()
        && on_line
            .iter()
            .any(|x| x.document_number.as_deref() == Some(doc))
    {
        return Err(ServiceError::field(
            "document_number",
            format!("Doklad {doc} už je na této položce zaúčtován."),
        ));
    }
    let drawn = sum(on_line.iter().map(|x| x.amount_halere))?;
    let budget = money(line.amount_halere)?;
    if i128::from(drawn.to_halere()) + i128::from(amount.to_halere()) < 0 {
        return Err(ServiceError::field(
            "amount",
            format!(
                "Opravný doklad {amount} by snížil čerpání položky pod nulu (vyčerpáno {drawn})."
            ),
        ));
    }
    if crate::domain::would_overdraw(budget, drawn, amount) {
        let left = budget
            .checked_sub(drawn)
            .map_err(|err| ServiceError::Unexpected(err.to_string()))?;
        return Err(ServiceError::field(
            "amount",
            format!(
                "Výdaj {amount} by přečerpal položku {} {} (rozpočet {budget}, vyčerpáno {drawn}, zbývá {left}).",
                line.code, line.name
            ),
        ));
    }
    let period_id = match p.paid_on {
        Some(d) => monitoring_period::Entity::find()
            .filter(monitoring_period::Column::ProjectId.eq(project_id))
            .filter(monitoring_period::Column::StartDate.lte(d))
            .filter(monitoring_period::Column::EndDate.gte(d))
            .one(txn)
            .await?
            .map(|p| p.id),
        None => None,
    };
    let new = NewExpenditure {
        project_id,
        budget_line_id: line.id,
        period_id,
        document_number: (!doc.is_empty()).then_some(doc),
        amount,
        units: p.units,
        paid_on: p.paid_on,
        description: input.description.trim(),
        supplier: existing.map_or("", |e| e.supplier.as_str()),
        import_id: existing.and_then(|e| e.import_id),
    };
    let Some(old) = existing else {
        let created = new.row().insert(txn).await?;
        audit::created(txn, "expenditure", created.id, Some(project_id), &created).await?;
        return Ok(created);
    };
    let m = new.model();
    let before = audit::row::<expenditure::Entity>(txn, old.id).await?;
    let res = expenditure::Entity::update_many()
        .col_expr(
            expenditure::Column::BudgetLineId,
            Expr::value(m.budget_line_id),
        )
        .col_expr(expenditure::Column::PeriodId, Expr::value(m.period_id))
        .col_expr(
            expenditure::Column::DocumentNumber,
            Expr::value(m.document_number),
        )
        .col_expr(
            expenditure::Column::AmountHalere,
            Expr::value(m.amount_halere),
        )
        .col_expr(expenditure::Column::Units, Expr::value(m.units))
        .col_expr(expenditure::Column::PaidOn, Expr::value(m.paid_on))
        .col_expr(expenditure::Column::Description, Expr::value(m.description))
        .col_expr(expenditure::Column::Version, Expr::value(old.version + 1))
        .filter(expenditure::Column::Id.eq(old.id))
        .filter(expenditure::Column::Version.eq(old.version))
        .exec(txn)
        .await?;
    if res.rows_affected != 1 {
        return Err(super::expenditure_edits::stale());
    }
    let after = audit::row::<expenditure::Entity>(txn, old.id).await?;
    audit::log(
        txn,
        "update",
        "expenditure",
        old.id,
        Some(project_id),
        before,
        after,
    )
    .await?;
    if let Some(c) = old.claim_id {
        super::claim_documents::recompute(txn, project_id, c).await?;
    }
    expenditure::Entity::find_by_id(old.id)
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)
}

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
    let p = match parse_input(input) {
        Ok(p) => p,
        Err(e) => return Ok(EditOutcome::Invalid(e)),
    };
    let txn = db::begin_write(db).await?;
    let r = book(&txn, project_id, input, &p, None).await.map(|_| ());
    finish(txn, r).await
}
