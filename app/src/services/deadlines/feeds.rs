//! Personal calendar feeds (`/kalendar/<secret>.ics`) and the choice of the e-mail digest, both of the
//! signed-in user's own account. A feed's secret is shown once when it is created; only its SHA-256 is
//! stored (as for API tokens), with its first characters to recognise it. Revoking it, or deactivating
//! the user, stops it at once.

use super::ServiceError;
use crate::domain::roles::Viewer;
use crate::dto::deadlines::{AccountDeadlines, CalendarFeedInfo};
use crate::services::audit;
use crate::services::auth::{new_token, sha256_hex, viewer};
use chrono::{NaiveDate, Utc};
use entity::{calendar_feed, digest_opt_out};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

/// At most this many feeds not revoked per user.
const MAX_ACTIVE_FEEDS: usize = 5;

/// The account's feeds (newest first) and whether it receives the digest.
///
/// # Errors
/// Database errors.
pub async fn account(
    db: &impl ConnectionTrait,
    user_id: i32,
) -> Result<AccountDeadlines, ServiceError> {
    let feeds = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .order_by_desc(calendar_feed::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|f| CalendarFeedInfo {
            id: f.id,
            prefix: f.prefix,
            created_at: f.created_at,
            revoked: f.revoked_at.is_some(),
        })
        .collect();
    let opted_out = digest_opt_out::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .is_some();
    Ok(AccountDeadlines {
        feeds,
        digest: !opted_out,
    })
}

/// Creates a feed for `user_id`; returns its secret (shown once).
///
/// # Errors
/// `BadRequest` beyond [`MAX_ACTIVE_FEEDS`] active feeds; database errors.
pub async fn create(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    user_id: i32,
) -> Result<String, ServiceError> {
    let txn = db.begin().await?;
    let active = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::UserId.eq(user_id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .all(&txn)
        .await?
        .len();
    if active >= MAX_ACTIVE_FEEDS {
        return Err(ServiceError::BadRequest(format!(
            "Platných adres kalendáře může být nejvýše {MAX_ACTIVE_FEEDS}; nejprve některou zneplatněte."
        )));
    }
    let secret = new_token();
    let row = calendar_feed::ActiveModel {
        user_id: Set(user_id),
        secret_hash: Set(sha256_hex(&secret)),
        prefix: Set(secret.chars().take(8).collect()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let after = [("prefix".to_string(), serde_json::Value::from(row.prefix))];
    audit::log(
        &txn,
        "create",
        "calendar_feed",
        row.id,
        None,
        None,
        Some(after.into_iter().collect()),
    )
    .await?;
    txn.commit().await?;
    Ok(secret)
}

/// Revokes `user_id`'s own feed `id` (kept in the list as revoked).
///
/// # Errors
/// `NotFound` for a feed of somebody else or none; database errors.
pub async fn revoke(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    user_id: i32,
    id: i32,
) -> Result<(), ServiceError> {
    let txn = db.begin().await?;
    let feed = calendar_feed::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .filter(|f| f.user_id == user_id)
        .ok_or(ServiceError::NotFound)?;
    if feed.revoked_at.is_none() {
        let mut am: calendar_feed::ActiveModel = feed.into();
        am.revoked_at = Set(Some(Utc::now()));
        am.update(&txn).await?;
        let flag = |v: bool| Some([("revoked".to_string(), v.into())].into_iter().collect());
        audit::log(
            &txn,
            "update",
            "calendar_feed",
            id,
            None,
            flag(false),
            flag(true),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Turns the daily e-mail digest on or off for `user_id`.
///
/// # Errors
/// Database errors.
pub async fn set_digest(
    db: &impl ConnectionTrait,
    user_id: i32,
    on: bool,
) -> Result<(), ServiceError> {
    if on {
        digest_opt_out::Entity::delete_by_id(user_id)
            .exec(db)
            .await?;
    } else {
        digest_opt_out::Entity::insert(digest_opt_out::ActiveModel {
            user_id: Set(user_id),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(digest_opt_out::Column::UserId)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// The user of a feed's secret: `None` for an unknown or revoked secret or an inactive user.
///
/// # Errors
/// Database errors.
pub async fn owner(
    db: &impl ConnectionTrait,
    secret: &str,
) -> Result<Option<Viewer>, ServiceError> {
    let Some(feed) = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::SecretHash.eq(sha256_hex(secret)))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(viewer(db, feed.user_id).await?)
}

/// The calendar of the feed `secret` (iCalendar text) on `today`, with links to `base`: every deadline
/// of the projects its user may read. `None` when the secret is unknown or revoked.
///
/// # Errors
/// As [`super::all`].
pub async fn calendar(
    db: &impl ConnectionTrait,
    secret: &str,
    base: &str,
    today: NaiveDate,
) -> Result<Option<String>, ServiceError> {
    let Some(v) = owner(db, secret).await? else {
        return Ok(None);
    };
    let visible = (!v.sees_all()).then(|| v.projects.clone());
    let (rows, _) = super::all(db, visible.as_deref(), today).await?;
    let name = format!("Termíny ESF+ ({})", v.name);
    Ok(Some(super::ics::calendar(&name, &rows, base, today)))
}
