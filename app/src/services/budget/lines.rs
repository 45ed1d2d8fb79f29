//! Budget lines: the line form's checks (code, chapter, year within the realisation, an amount or units
//! of a unit cost of the project's call), the cost model's rule on which lines it takes, and saving a line
//! (never below what is already drawn on it).

use super::{finance_of, finish, model_of, project_range, sum, CHAPTERS};
use crate::domain::{CostModel, DateRange, FieldErrors, LineKind, Money};
use crate::dto::{BudgetLineInput, EditOutcome};
use crate::services::{audit, cost_rules, db, ServiceError};
use chrono::Datelike;
use entity::{budget_line, expenditure};
use rust_decimal::Decimal;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait,
};

/// A checked budget line: code, name, chapter, year, amount and (for a simplified line) its units.
struct ValidLine {
    code: String,
    name: String,
    chapter: String,
    year: i32,
    amount: Money,
    units: Option<Decimal>,
}

/// Checks a budget line form. A line with a unit cost (`unit`) is budgeted as units × rate; any other as
/// an amount.
fn validate_line(
    input: &BudgetLineInput,
    range: &DateRange,
    unit: Option<&crate::dto::UnitCostDto>,
) -> Result<ValidLine, FieldErrors> {
    let mut e = FieldErrors::new();
    let code = input.code.trim().to_string();
    let code_ok = !code.is_empty()
        && code.split('.').all(|part| {
            !part.is_empty() && part.len() <= 3 && part.chars().all(|c| c.is_ascii_digit())
        });
    if !code_ok {
        e.add(
            "code",
            "Kód položky má tvar čísel oddělených tečkou, např. 1.1.1.2.",
        );
    }
    let name = input.name.trim().to_string();
    if name.is_empty() {
        e.add("name", "Vyplňte název položky.");
    }
    if !CHAPTERS.iter().any(|(c, _)| *c == input.chapter) {
        e.add("chapter", "Vyberte kapitolu rozpočtu.");
    }
    let year = match input.year.trim().parse::<i32>() {
        Ok(y) if (range.start().year()..=range.end().year()).contains(&y) => Some(y),
        _ => {
            e.add(
                "year",
                format!(
                    "Rok musí ležet v době realizace ({}–{}).",
                    range.start().year(),
                    range.end().year()
                ),
            );
            None
        }
    };
    let (amount, units) = if let Some(u) = unit {
        let units = e.check("units", crate::domain::parse_units(&input.units, false));
        let amount = units.and_then(|n| e.check("units", crate::domain::unit_amount(n, u.rate)));
        (amount, units)
    } else {
        let amount = match e.check("amount", Money::parse(&input.amount)) {
            Some(m) if m.is_negative() => {
                e.add("amount", "Rozpočet položky nesmí být záporný.");
                None
            }
            other => other,
        };
        (amount, None)
    };
    match (year, amount) {
        (Some(year), Some(amount)) if e.is_empty() => Ok(ValidLine {
            code,
            name,
            chapter: input.chapter.clone(),
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

/// Refuses a line the project's cost model does not take.
async fn check_line_kind(
    txn: &DatabaseTransaction,
    project_id: i32,
    kind: LineKind,
) -> Result<(), ServiceError> {
    let model = model_of(&finance_of(txn, project_id).await?)?;
    if model.allows(kind) {
        Ok(())
    } else {
        let field = if kind == LineKind::Simplified || model == CostModel::Simplified {
            "unit_cost_id"
        } else {
            "chapter"
        };
        Err(ServiceError::field(field, model.lines_rule()))
    }
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

/// Adds a budget line (`line_id` `None`) or changes one that is still at `version`, in one transaction.
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
        check_line_kind(&txn, project_id, LineKind::of(&chapter, unit.is_some())).await?;
        let unit_cost_id = unit.as_ref().map(|u| u.id);
        let units = units.map(|u| u.to_string());
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
                let created = budget_line::ActiveModel {
                    project_id: Set(project_id),
                    code: Set(code),
                    name: Set(name),
                    chapter: Set(chapter),
                    year: Set(year),
                    amount_halere: Set(amount.to_halere()),
                    unit_cost_id: Set(unit_cost_id),
                    units: Set(units),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                audit::created(&txn, "budget_line", created.id, Some(project_id), &created).await?;
            }
            Some((id, version)) => {
                let drawn = sum(expenditure::Entity::find()
                    .filter(expenditure::Column::ProjectId.eq(project_id))
                    .filter(expenditure::Column::BudgetLineId.eq(id))
                    .all(&txn)
                    .await?
                    .into_iter()
                    .map(|e| e.amount_halere))?;
                if amount < drawn {
                    return Err(ServiceError::field(
                        "amount",
                        format!("Na položce je už vyčerpáno {drawn}; rozpočet nemůže být nižší."),
                    ));
                }
                let before = audit::row::<budget_line::Entity>(&txn, id).await?;
                let res = budget_line::Entity::update_many()
                    .col_expr(budget_line::Column::Code, Expr::value(code))
                    .col_expr(budget_line::Column::Name, Expr::value(name))
                    .col_expr(budget_line::Column::Chapter, Expr::value(chapter))
                    .col_expr(budget_line::Column::Year, Expr::value(year))
                    .col_expr(budget_line::Column::AmountHalere, Expr::value(amount.to_halere()))
                    .col_expr(budget_line::Column::UnitCostId, Expr::value(unit_cost_id))
                    .col_expr(budget_line::Column::Units, Expr::value(units))
                    .col_expr(budget_line::Column::Version, Expr::value(version + 1))
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
