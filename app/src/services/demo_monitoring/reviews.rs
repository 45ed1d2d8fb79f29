//! The demo's report reviews: the ministry's (MPSV) acceptance, questions and returns of the monitoring
//! reports, so that the review workflow is seen on first start.

use crate::services::ServiceError;
use chrono::NaiveDate;
use entity::{monitoring_period, project};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

/// The ministry's review of the demo reports, so that a reviewer sees the workflow on first start: the
/// reports before the last are accepted; the last finished one is under review (VNP, which is behind,
/// with the reviewer's question) or returned for correction (NOE, a missing document).
pub(super) async fn seed_reviews(
    db: &impl ConnectionTrait,
    p: &project::Model,
    today: NaiveDate,
) -> Result<(), ServiceError> {
    use entity::{period_review, review_comment};
    use sea_orm::{ActiveModelTrait, QueryOrder, Set};
    let finished: Vec<monitoring_period::Model> = monitoring_period::Entity::find()
        .filter(monitoring_period::Column::ProjectId.eq(p.id))
        .filter(monitoring_period::Column::EndDate.lt(today))
        .order_by_asc(monitoring_period::Column::Number)
        .all(db)
        .await?;
    let Some((last, earlier)) = finished.split_last() else {
        return Ok(());
    };
    let at = |d: NaiveDate| {
        d.and_hms_opt(10, 0, 0)
            .map_or_else(chrono::Utc::now, |t| t.and_utc())
    };
    let reviewer = "Kontrolor MPSV (ukázková data)";
    for period in earlier {
        period_review::ActiveModel {
            period_id: Set(period.id),
            status: Set("accepted".into()),
            reviewer_id: Set(None),
            updated_at: Set(at(period.end_date + chrono::Duration::days(40))),
            version: Set(1),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let (status, comment) = match p.acronym.as_deref() {
        Some("VNP") => (
            "under_review",
            "Zpráva je v kontrole. Čerpání i plnění EECO01 zaostávají za plánem; připravte prosím \
             zdůvodnění a harmonogram dohnání.",
        ),
        Some("NOE") => (
            "returned",
            "Chybí prezenční listiny ke vzdělávacím aktivitám. Doložte je prosím a zprávu opravte.",
        ),
        _ => return Ok(()),
    };
    let when = at(std::cmp::min(
        last.end_date + chrono::Duration::days(20),
        today,
    ));
    period_review::ActiveModel {
        period_id: Set(last.id),
        status: Set(status.into()),
        reviewer_id: Set(None),
        updated_at: Set(when),
        version: Set(1),
        ..Default::default()
    }
    .insert(db)
    .await?;
    review_comment::ActiveModel {
        period_id: Set(last.id),
        author_id: Set(None),
        author_name: Set(reviewer.into()),
        at: Set(when),
        body: Set(comment.into()),
        status_set: Set(Some(status.into())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
