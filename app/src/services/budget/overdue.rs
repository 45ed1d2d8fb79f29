//! When a payment claim is overdue: unpaid a set number of days after submission (a setting).

use super::ServiceError;
use crate::domain::format_czech_date;
use crate::dto::Flag;
use chrono::NaiveDate;
use entity::payment_claim;
use sea_orm::{ConnectionTrait, EntityTrait};

/// Days after submission within which a claim should be paid, unless the setting `claim_overdue_days`
/// says otherwise: 80 days in 2021–2027 (CPR 2021/1060 art. 74(1)(b)), unverified [U].
pub const DEFAULT_CLAIM_OVERDUE_DAYS: i64 = 80;

/// The payment limit of claims in days (setting `claim_overdue_days`).
///
/// # Errors
/// Database errors.
pub async fn claim_overdue_days(db: &impl ConnectionTrait) -> Result<i64, ServiceError> {
    Ok(
        entity::setting::Entity::find_by_id("claim_overdue_days".to_string())
            .one(db)
            .await?
            .and_then(|s| s.value.trim().parse().ok())
            .unwrap_or(DEFAULT_CLAIM_OVERDUE_DAYS),
    )
}

/// The flag of a submitted or approved claim still unpaid `limit_days` after submission.
pub(crate) fn overdue_claim_flag(
    c: &payment_claim::Model,
    today: NaiveDate,
    limit_days: i64,
) -> Option<Flag> {
    let submitted = c.submitted_on?;
    let days = (today - submitted).num_days();
    let overdue = c.paid_on.is_none()
        && crate::domain::ClaimStatus::from_code(&c.status)
            .is_ok_and(crate::domain::ClaimStatus::awaits_payment)
        && days > limit_days;
    overdue.then(|| Flag {
        kind: "claim_overdue".into(),
        message: format!(
            "ŽoP č. {} podaná {} není proplacena ani po {days} dnech (lhůta {}).",
            c.number,
            format_czech_date(submitted),
            crate::domain::plural(
                u64::try_from(limit_days).unwrap_or_default(),
                crate::domain::words::nouns::DAY
            ),
        ),
    })
}
