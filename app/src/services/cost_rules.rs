//! The cost rules of calls (*výzvy*): which cost models a call allows, its flat rates, and its simplified
//! cost options (unit costs and lump sums). Settings an admin keeps on `/nastaveni`, never constants (the
//! domain notes mark them [U]); a call nobody configured allows every model at the regulation's ceilings.

use super::ServiceError;
use crate::domain::{CallCostRules, CostModel, FieldErrors, Money, Percentage};
use crate::dto::{CallCostRulesDto, CallCostRulesInput, EditOutcome, UnitCostDto, UnitCostInput};
use entity::{call, project, unit_cost};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

/// A call's stored rules; a value that does not parse falls back to the regulation's ceiling.
#[must_use]
pub fn rules_of(c: &call::Model) -> CallCostRules {
    let ceilings = CallCostRules::regulation_ceilings();
    let pct = |text: &str, fallback: Percentage| Percentage::parse(text).unwrap_or(fallback);
    CallCostRules {
        allowed: c
            .cost_models
            .split(',')
            .filter_map(|code| CostModel::from_code(code).ok())
            .collect(),
        max_rate_direct: pct(&c.max_rate_direct, ceilings.max_rate_direct),
        max_rate_personnel: pct(&c.max_rate_personnel, ceilings.max_rate_personnel),
        rate_flat_personnel: pct(&c.rate_flat_personnel, ceilings.rate_flat_personnel),
    }
}

/// The call of a project (by its call code), if it is in the codebook.
async fn call_of_project(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Option<call::Model>, ServiceError> {
    let p = project::Entity::find_by_id(project_id)
        .one(db)
        .await?
        .ok_or(ServiceError::NotFound)?;
    call_by_code(db, &p.call_id).await
}

/// A call by its code (`03_22_015`).
pub(crate) async fn call_by_code(
    db: &impl ConnectionTrait,
    call_code: &str,
) -> Result<Option<call::Model>, ServiceError> {
    Ok(call::Entity::find()
        .filter(call::Column::CallId.eq(call_code))
        .one(db)
        .await?)
}

/// The rules a project's call sets (the regulation's ceilings when its call is not in the codebook).
///
/// # Errors
/// `NotFound` for an unknown project; database errors.
pub async fn rules_of_project(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<CallCostRules, ServiceError> {
    Ok(call_of_project(db, project_id)
        .await?
        .map_or_else(CallCostRules::regulation_ceilings, |c| rules_of(&c)))
}

/// The rules of a call by its code (the regulation's ceilings when it is not in the codebook).
///
/// # Errors
/// Database errors.
pub async fn rules_of_call_code(
    db: &impl ConnectionTrait,
    call_code: &str,
) -> Result<CallCostRules, ServiceError> {
    Ok(call_by_code(db, call_code)
        .await?
        .map_or_else(CallCostRules::regulation_ceilings, |c| rules_of(&c)))
}

fn unit_cost_dto(u: &unit_cost::Model) -> Result<UnitCostDto, ServiceError> {
    Ok(UnitCostDto {
        id: u.id,
        code: u.code.clone(),
        name: u.name.clone(),
        unit: u.unit.clone(),
        kind: u.kind.clone(),
        rate: Money::from_halere(u.rate_halere)
            .map_err(|e| ServiceError::Unexpected(format!("unit cost {}: {e}", u.id)))?,
    })
}

/// The unit costs and lump sums of a project's call.
///
/// # Errors
/// `NotFound` for an unknown project; database errors.
pub async fn unit_costs_of_project(
    db: &impl ConnectionTrait,
    project_id: i32,
) -> Result<Vec<UnitCostDto>, ServiceError> {
    let Some(c) = call_of_project(db, project_id).await? else {
        return Ok(Vec::new());
    };
    unit_costs_of_call(db, c.id).await
}

async fn unit_costs_of_call(
    db: &impl ConnectionTrait,
    call_id: i32,
) -> Result<Vec<UnitCostDto>, ServiceError> {
    unit_cost::Entity::find()
        .filter(unit_cost::Column::CallId.eq(call_id))
        .order_by_asc(unit_cost::Column::Code)
        .all(db)
        .await?
        .iter()
        .map(unit_cost_dto)
        .collect()
}

/// Every call with its rules and unit costs, for the settings page.
///
/// # Errors
/// Database errors.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<CallCostRulesDto>, ServiceError> {
    let calls = call::Entity::find()
        .order_by_asc(call::Column::CallId)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(calls.len());
    for c in calls {
        out.push(CallCostRulesDto {
            id: c.id,
            call_id: c.call_id.clone(),
            name: c.name.clone(),
            rules: rules_of(&c),
            unit_costs: unit_costs_of_call(db, c.id).await?,
        });
    }
    Ok(out)
}

/// Checks the rules form: at least one model, rates as percentages.
fn validate_rules(input: &CallCostRulesInput) -> Result<CallCostRules, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut allowed = Vec::new();
    for code in &input.models {
        if let Some(m) = e.check("models", CostModel::from_code(code)) {
            if !allowed.contains(&m) {
                allowed.push(m);
            }
        }
    }
    allowed.sort();
    if allowed.is_empty() && e.is_empty() {
        e.add(
            "models",
            "Zaškrtněte alespoň jeden model vykazování nákladů.",
        );
    }
    let direct = e.check("max_rate_direct", Percentage::parse(&input.max_rate_direct));
    let personnel = e.check(
        "max_rate_personnel",
        Percentage::parse(&input.max_rate_personnel),
    );
    let flat = e.check(
        "rate_flat_personnel",
        Percentage::parse(&input.rate_flat_personnel),
    );
    match (direct, personnel, flat) {
        (Some(max_rate_direct), Some(max_rate_personnel), Some(rate_flat_personnel))
            if e.is_empty() =>
        {
            Ok(CallCostRules {
                allowed,
                max_rate_direct,
                max_rate_personnel,
                rate_flat_personnel,
            })
        }
        _ => Err(e),
    }
}

/// Saves a call's cost rules (audited). Projects keep their model and rate; a project outside the new
/// rules is refused only at its next change of financing.
///
/// # Errors
/// `NotFound` for an unknown call; database errors.
pub async fn save_rules(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    call_id: i32,
    input: &CallCostRulesInput,
) -> Result<EditOutcome, ServiceError> {
    let rules = match validate_rules(input) {
        Ok(r) => r,
        Err(e) => return Ok(EditOutcome::Invalid(e)),
    };
    let txn = super::db::begin_write(db).await?;
    let before = super::audit::row::<call::Entity>(&txn, call_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let codes: Vec<&str> = rules.allowed.iter().map(|m| m.code()).collect();
    call::Entity::update_many()
        .col_expr(call::Column::CostModels, Expr::value(codes.join(",")))
        .col_expr(
            call::Column::MaxRateDirect,
            Expr::value(rules.max_rate_direct.value().to_string()),
        )
        .col_expr(
            call::Column::MaxRatePersonnel,
            Expr::value(rules.max_rate_personnel.value().to_string()),
        )
        .col_expr(
            call::Column::RateFlatPersonnel,
            Expr::value(rules.rate_flat_personnel.value().to_string()),
        )
        .filter(call::Column::Id.eq(call_id))
        .exec(&txn)
        .await?;
    let after = super::audit::row::<call::Entity>(&txn, call_id).await?;
    super::audit::log(&txn, "update", "call", call_id, None, Some(before), after).await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}

/// Adds a unit cost or lump sum to a call (audited). Codes are unique within a call.
///
/// # Errors
/// `NotFound` for an unknown call; database errors.
pub async fn add_unit_cost(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    call_id: i32,
    input: &UnitCostInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let code = input.code.trim().to_owned();
    if code.is_empty() || code.chars().count() > 20 {
        e.add(
            "code",
            "Zadejte kód jednotkového nákladu (nejvýše 20 znaků), např. JN-01.",
        );
    }
    if input.name.trim().is_empty() {
        e.add(
            "name",
            "Zadejte název, např. Hodina individuálního poradenství.",
        );
    }
    if input.unit.trim().is_empty() {
        e.add("unit", "Zadejte jednotku, např. hodina, účastník, kurz.");
    }
    if !matches!(input.kind.as_str(), "unit" | "lump_sum") {
        e.add(
            "kind",
            "Vyberte druh: jednotkový náklad, nebo jednorázová částka.",
        );
    }
    let rate = match e.check("rate", Money::parse(&input.rate)) {
        Some(r) if r.is_negative() || r.is_zero() => {
            e.add("rate", "Sazba musí být kladná částka, např. 450,00.");
            None
        }
        r => r,
    };
    let Some(rate) = rate.filter(|_| e.is_empty()) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    call::Entity::find_by_id(call_id)
        .one(&txn)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let created = unit_cost::ActiveModel {
        call_id: Set(call_id),
        code: Set(code.clone()),
        name: Set(input.name.trim().to_owned()),
        unit: Set(input.unit.trim().to_owned()),
        kind: Set(input.kind.clone()),
        rate_halere: Set(rate.to_halere()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|err| ServiceError::unique_to_field(err, "code", format!("Kód {code} už výzva má.")));
    let created = match created {
        Ok(c) => c,
        Err(ServiceError::Validation(f)) => return Ok(EditOutcome::Invalid(f)),
        Err(other) => return Err(other),
    };
    super::audit::created(&txn, "unit_cost", created.id, None, &created).await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}
