//! The programmes' reporting rules, kept by an admin on `/nastaveni`: how many months one monitoring
//! period (ZoR) lasts (`programme.report_period_months`, 6 by default; the exact OPZ+ rule is
//! unverified [U], so it is a setting). A project's periods are generated from its dates by its
//! programme's rule when it is created and laid out again when its dates change
//! ([`super::projects::periods`]); a changed rule leaves existing periods as they are.

use super::ServiceError;
use crate::domain::{FieldErrors, ReportPeriodMonths};
use crate::dto::{EditOutcome, ProgrammeRuleDto, ProgrammeRuleInput};
use entity::programme;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

/// Every programme with its reporting rule.
///
/// # Errors
/// Database errors.
pub async fn rules(db: &impl ConnectionTrait) -> Result<Vec<ProgrammeRuleDto>, ServiceError> {
    Ok(programme::Entity::find()
        .order_by_desc(programme::Column::Period)
        .order_by_asc(programme::Column::Code)
        .all(db)
        .await?
        .into_iter()
        .map(|p| ProgrammeRuleDto {
            id: p.id,
            period: p.period,
            code: p.code,
            name: p.name,
            report_period_months: ReportPeriodMonths::from_stored(p.report_period_months).get(),
        })
        .collect())
}

/// Saves a programme's reporting rule (audited). Existing periods stay as they are; the rule applies to
/// projects created and dates changed from now on.
///
/// # Errors
/// `NotFound` for an unknown programme; database errors. A rule out of range is `EditOutcome::Invalid`.
pub async fn save_rule(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    programme_id: i32,
    input: &ProgrammeRuleInput,
) -> Result<EditOutcome, ServiceError> {
    let mut e = FieldErrors::new();
    let Some(months) = e.check(
        "report_period_months",
        ReportPeriodMonths::parse(&input.report_period_months),
    ) else {
        return Ok(EditOutcome::Invalid(e));
    };
    let txn = super::db::begin_write(db).await?;
    let before = super::audit::row::<programme::Entity>(&txn, programme_id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    programme::Entity::update_many()
        .col_expr(
            programme::Column::ReportPeriodMonths,
            Expr::value(i32::try_from(months.get()).unwrap_or(6)),
        )
        .filter(programme::Column::Id.eq(programme_id))
        .exec(&txn)
        .await?;
    let after = super::audit::row::<programme::Entity>(&txn, programme_id).await?;
    super::audit::log(
        &txn,
        "update",
        "programme",
        programme_id,
        None,
        Some(before),
        after,
    )
    .await?;
    txn.commit().await?;
    Ok(EditOutcome::Saved)
}
