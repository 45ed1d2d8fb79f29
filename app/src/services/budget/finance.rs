//! A project's financing: the cost model (how its costs are reported), the flat rate of indirect costs and
//! the co-financing shares (EU, state budget, beneficiary's own), as set on the budget page or when a
//! project is created.

use super::{finance_of, finish, model_of, project_range};
use crate::domain::{CostModel, FieldErrors, FundingShares, Percentage};
use crate::dto::{EditOutcome, FinanceInput};
use crate::services::{audit, cost_rules, db, ServiceError};
use entity::{expenditure, project_finance};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    Set, TransactionTrait,
};

/// Sets the cost model, its flat rate and the co-financing shares (they must add up to 100 %). The call
/// decides which models and rates are allowed; the model can change only while nothing is drawn. An empty
/// rate is the call's default for the model (40 % for model c, none otherwise).
///
/// # Errors
/// `NotFound`; database errors.
pub async fn save_finance(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    project_id: i32,
    version: i32,
    input: &FinanceInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let model = if input.cost_model.trim().is_empty() {
        Some(None)
    } else {
        e.check("cost_model", CostModel::from_code(&input.cost_model))
            .map(Some)
    };
    let rate = if input.indirect_rate.trim().is_empty() {
        Some(None)
    } else {
        e.check("indirect_rate", Percentage::parse(&input.indirect_rate))
            .map(Some)
    };
    let eu = e.check("eu_share", Percentage::parse(&input.eu_share));
    let state = e.check("state_share", Percentage::parse(&input.state_share));
    let own = e.check("own_share", Percentage::parse(&input.own_share));
    let (Some(model), Some(rate), Some(eu), Some(state), Some(own)) = (model, rate, eu, state, own)
    else {
        return Ok(EditOutcome::Invalid(e));
    };
    let shares = match FundingShares::new(eu, state, own) {
        Ok(s) => s,
        Err(err) => {
            e.add("own_share", err.to_string());
            return Ok(EditOutcome::Invalid(e));
        }
    };
    let txn = db::begin_write(db).await?;
    let r = async {
        project_range(&txn, project_id).await?;
        let current = finance_of(&txn, project_id).await?;
        let conflict = || {
            ServiceError::Conflict(
                "Parametry financování mezitím změnil někdo jiný. Načtěte stránku znovu.".into(),
            )
        };
        if current.version != version {
            return Err(conflict());
        }
        let current_model = model_of(&current)?;
        let model = model.unwrap_or(current_model);
        let rules = cost_rules::rules_of_project(&txn, project_id).await?;
        let rate = rate.unwrap_or_else(|| rules.default_rate(model));
        if model != current_model {
            let drawn = expenditure::Entity::find()
                .filter(expenditure::Column::ProjectId.eq(project_id))
                .count(&txn)
                .await?;
            if drawn > 0 {
                return Err(ServiceError::field(
                    "cost_model",
                    "Model vykazování nákladů lze změnit jen dokud projekt nic nečerpal; projekt už má zaúčtované výdaje.",
                ));
            }
        }
        if let Err(err) = rules.check(model, rate) {
            let field = match err {
                crate::domain::DomainError::CostModelNotAllowed { .. } => "cost_model",
                _ => "indirect_rate",
            };
            return Err(ServiceError::field(field, err.to_string()));
        }
        let before = audit::row::<project_finance::Entity>(&txn, project_id).await?;
        if version == 0 {
            project_finance::ActiveModel {
                project_id: Set(project_id),
                cost_model: Set(model.code().into()),
                indirect_rate: Set(rate.value().to_string()),
                eu_share: Set(shares.eu().value().to_string()),
                state_share: Set(shares.state().value().to_string()),
                own_share: Set(shares.own().value().to_string()),
                version: Set(1),
            }
            .insert(&txn)
            .await
            .map_err(|e| match e.sql_err() {
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => conflict(),
                _ => ServiceError::Db(e),
            })?;
        } else {
            let res = project_finance::Entity::update_many()
                .col_expr(project_finance::Column::CostModel, Expr::value(model.code()))
                .col_expr(
                    project_finance::Column::IndirectRate,
                    Expr::value(rate.value().to_string()),
                )
                .col_expr(
                    project_finance::Column::EuShare,
                    Expr::value(shares.eu().value().to_string()),
                )
                .col_expr(
                    project_finance::Column::StateShare,
                    Expr::value(shares.state().value().to_string()),
                )
                .col_expr(
                    project_finance::Column::OwnShare,
                    Expr::value(shares.own().value().to_string()),
                )
                .col_expr(project_finance::Column::Version, Expr::value(version + 1))
                .filter(project_finance::Column::ProjectId.eq(project_id))
                .filter(project_finance::Column::Version.eq(version))
                .exec(&txn)
                .await?;
            if res.rows_affected != 1 {
                return Err(conflict());
            }
        }
        let after = audit::row::<project_finance::Entity>(&txn, project_id).await?;
        let action = if before.is_some() { "update" } else { "create" };
        audit::log(
            &txn,
            action,
            "project_finance",
            project_id,
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

/// The financing of a project created with a cost model: the model and the call's default rate for it
/// (audited). Refused at the form's `cost_model` field when the call does not allow the model.
///
/// # Errors
/// `Validation`; database errors.
pub async fn start_finance(
    txn: &DatabaseTransaction,
    project_id: i32,
    call_code: &str,
    model: CostModel,
) -> Result<(), ServiceError> {
    let rules = cost_rules::rules_of_call_code(txn, call_code).await?;
    let rate = rules.default_rate(model);
    rules
        .check(model, rate)
        .map_err(|e| ServiceError::field(crate::forms::field::COST_MODEL, e.to_string()))?;
    let created = project_finance::ActiveModel {
        project_id: Set(project_id),
        cost_model: Set(model.code().into()),
        indirect_rate: Set(rate.value().to_string()),
        eu_share: Set("100".into()),
        state_share: Set("0".into()),
        own_share: Set("0".into()),
        version: Set(1),
    }
    .insert(txn)
    .await?;
    audit::created(
        txn,
        "project_finance",
        project_id,
        Some(project_id),
        &created,
    )
    .await?;
    Ok(())
}
