//! Budget lines: the line form's checks (code, chapter, year within the realisation, an amount or units
//! of a unit cost of the project's call), the cost model's rule on which lines it takes, and saving a line
//! (never below what is already drawn on it).

use super::{finance_of, finish, model_of, project_range, sum, NewBudgetLine, CHAPTERS};
use crate::domain::budget_line::{check_line_amount, check_line_year};
use crate::domain::{CostModel, DateRange, FieldErrors, LineCode, LineKind, LineRefusal, Money};
use crate::dto::{BudgetLineInput, EditOutcome};
use crate::services::{audit, cost_rules, db, ServiceError};
use entity::{budget_line, expenditure};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    TransactionTrait,
};

/// A checked budget line: code, name, chapter, year, amount and (for a simplified line) its units.
struct ValidLine {
    code: LineCode,
    name: String,
    chapter: &'static str,
    year: i32,
    amount: Money,
    units: Option<Decimal>,
}

/// Checks a budget line form by the rules the importer's budget sheet applies too
/// ([`crate::domain::budget_line`]). A line with a unit cost (`unit`) is budgeted as units × rate; any other
/// as an amount.
fn validate_line(
    input: &BudgetLineInput,
    range: &DateRange,
    unit: Option<&crate::dto::UnitCostDto>,
) -> Result<ValidLine, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = e.check("code", LineCode::parse(&input.code));
    let name = input.name.trim().to_string();
    if name.is_empty() {
        e.add("name", "Vyplňte název položky.");
    }
    let chapter = CHAPTERS
        .iter()
        .find(|(c, _)| *c == input.chapter)
        .map(|(c, _)| *c);
    if chapter.is_none() {
        e.add("chapter", "Vyberte kapitolu rozpočtu.");
    }
    // A year that is no number is outside the realisation too.
    let year = e.check(
        "year",
        check_line_year(input.year.trim().parse::<i32>().unwrap_or(i32::MIN), range),
    );
    let (amount, units) = if let Some(u) = unit {
        let units = e.check("units", crate::domain::parse_units(&input.units, false));
        let amount = units.and_then(|n| e.check("units", crate::domain::unit_amount(n, u.rate)));
        (amount, units)
    } else {
        let amount = e
            .check("amount", Money::parse(&input.amount))
            .and_then(|m| e.check("amount", check_line_amount(m)));
        (amount, None)
    };
    match (code, chapter, year, amount) {
        (Some(code), Some(chapter), Some(year), Some(amount)) if e.is_empty() => Ok(ValidLine {
            code,
            name,
            chapter,
            year,
            amount,
            units,
        }),
        _ => Err(e),
    }
}

/// The unit cost a line form names (`unit_cost_id`), which must be one of the project's call; `None` for
/// a line without one.
async fn unit_cost_of_input(
    txn: &DatabaseTransaction,
    project_id: i32,
    unit_cost_id: &str,
) -> Result<Option<crate::dto::UnitCostDto>, ServiceError> {
    if unit_cost_id.trim().is_empty() {
        return Ok(None);
    }
    let refused = || {
        ServiceError::field(
            "unit_cost_id",
            "Vyberte jednotkový náklad nebo jednorázovou částku výzvy tohoto projektu.",
        )
    };
    let id: i32 = unit_cost_id.trim().parse().map_err(|_| refused())?;
    cost_rules::unit_costs_of_project(txn, project_id)
        .await?
        .into_iter()
        .find(|u| u.id == id)
        .map(Some)
        .ok_or_else(refused)
}

/// A budget line of the project, or `NotFound` (also for another project's line).
async fn project_line(
    txn: &DatabaseTransaction,
    project_id: i32,
    line_id: i32,
) -> Result<budget_line::Model, ServiceError> {
    budget_line::Entity::find_by_id(line_id)
        .filter(budget_line::Column::ProjectId.eq(project_id))
        .one(txn)
        .await?
        .ok_or(ServiceError::NotFound)
}

/// The field of the line form a refusal belongs to.
fn refusal_field(refusal: LineRefusal, kind: LineKind) -> &'static str {
    match refusal {
        LineRefusal::OutsideModel(model)
            if kind == LineKind::Simplified || model == CostModel::Simplified =>
        {
            "unit_cost_id"
        }
        LineRefusal::OutsideModel(_) => "chapter",
        LineRefusal::BelowDrawn { .. } => "amount",
    }
}

/// Adds a budget line (`line_id` `None`) or changes one that is still at `version`, in one transaction.
/// The line is checked and written by [`NewBudgetLine`], as the importer's budget sheet does; a changed
/// line is detached from the import that last wrote it.
///
/// # Errors
/// `NotFound`; database errors. Input problems are `EditOutcome::Invalid`, a concurrent change
/// `EditOutcome::Conflict`.
pub async fn save_line(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    line_id: Option<(i32, i32)>,
    input: &BudgetLineInput,
) -> Result<EditOutcome, ServiceError> {
    let txn = db::begin_write(db).await?;
    let r = async {
        let range = project_range(&txn, project_id).await?;
        // A changed line must be this project's before anything else is read about it.
        if let Some((id, _)) = line_id {
            project_line(&txn, project_id, id).await?;
        }
        let unit = unit_cost_of_input(&txn, project_id, &input.unit_cost_id).await?;
        let ValidLine { code, name, chapter, year, amount, units } =
            validate_line(input, &range, unit.as_ref()).map_err(ServiceError::Validation)?;
        let line = NewBudgetLine {
            project_id,
            code: &code,
            name: &name,
            chapter,
            year,
            amount,
            unit_cost_id: unit.as_ref().map(|u| u.id),
            units,
            import_id: None,
        };
        let model = model_of(&finance_of(&txn, project_id).await?)?;
        let drawn = match line_id {
            Some((id, _)) => sum(expenditure::Entity::find()
                .filter(expenditure::Column::ProjectId.eq(project_id))
                .filter(expenditure::Column::BudgetLineId.eq(id))
                .all(&txn)
                .await?
                .into_iter()
                .map(|e| e.amount_halere))?,
            None => Money::zero(),
        };
        line.check(model, drawn)
            .map_err(|r| ServiceError::field(refusal_field(r, line.kind()), r.message()))?;
        let dup = budget_line::Entity::find()
            .filter(budget_line::Column::ProjectId.eq(project_id))
            .filter(budget_line::Column::Code.eq(code.as_str()))
            .filter(budget_line::Column::Year.eq(year));
        let dup = match line_id {
            Some((id, _)) => dup.filter(budget_line::Column::Id.ne(id)),
            None => dup,
        };
        if dup.count(&txn).await? > 0 {
            return Err(ServiceError::field("code", format!("Položka {code} pro rok {year} už v rozpočtu je.")));
        }
        match line_id {
            None => {
                let created = line.row().insert(&txn).await?;
                audit::created(&txn, "budget_line", created.id, Some(project_id), &created).await?;
            }
            Some((id, version)) => {
                let before = audit::row::<budget_line::Entity>(&txn, id).await?;
                let res = budget_line::Entity::update_many()
                    .set(line.change(id, version))
                    .filter(budget_line::Column::Id.eq(id))
                    .filter(budget_line::Column::ProjectId.eq(project_id))
                    .filter(budget_line::Column::Version.eq(version))
                    .exec(&txn)
                    .await?;
                if res.rows_affected != 1 {
                    return Err(ServiceError::Conflict(
                        "Položku mezitím změnil někdo jiný. Načtěte stránku znovu a změnu zopakujte.".into(),
                    ));
                }
                let after = audit::row::<budget_line::Entity>(&txn, id).await?;
                audit::log(&txn, "update", "budget_line", id, Some(project_id), before, after).await?;
            }
        }
        Ok(())
    }
    .await;
    finish(txn, r).await
}
