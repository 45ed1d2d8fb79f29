//! Personal API tokens for other systems (`Authorization: Bearer esf_…`). A token is shown once when it
//! is created; only its SHA-256 is stored, with its first characters to recognise it in a list. A token
//! acts as its user, with the user's roles and project assignments; revoking it or deactivating the user
//! stops it at once.

use super::audit;
use super::auth::{new_token, sha256_hex, viewer, AuthError};
use crate::domain::roles::Viewer;
use chrono::Utc;
use entity::{api_token, app_user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

/// Prefix of every token, so that a leaked one is recognisable (e.g. by secret scanners).
pub const TOKEN_PREFIX: &str = "esf_";

pub use crate::dto::TokenInfo;

/// Creates a token for the user with `email`, named `name`; returns the token (shown once) and its id.
///
/// # Errors
/// `NotFound` for an unknown or inactive user, `Invalid` for an empty name; database errors.
pub async fn create(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    email: &str,
    name: &str,
) -> Result<(String, i32), AuthError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AuthError::Invalid(
            "Pojmenujte token (nejvýše 100 znaků), např. „Datový sklad MPSV“.".into(),
        ));
    }
    let txn = db.begin().await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.trim().to_lowercase()))
        .one(&txn)
        .await?
        .filter(|u| u.active)
        .ok_or(AuthError::NotFound)?;
    let token = format!("{TOKEN_PREFIX}{}", new_token());
    let row = api_token::ActiveModel {
        user_id: Set(user.id),
        name: Set(name.to_string()),
        token_hash: Set(sha256_hex(&token)),
        prefix: Set(token.chars().take(12).collect()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::log(
        &txn,
        "create",
        "api_token",
        row.id,
        None,
        None,
        Some(
            [
                (
                    "user".to_string(),
                    serde_json::Value::from(user.email.clone()),
                ),
                (
                    "name".to_string(),
                    serde_json::Value::from(row.name.clone()),
                ),
                (
                    "prefix".to_string(),
                    serde_json::Value::from(row.prefix.clone()),
                ),
            ]
            .into_iter()
            .collect(),
        ),
    )
    .await?;
    txn.commit().await?;
    Ok((token, row.id))
}

/// Revokes a token (kept in the list as revoked).
///
/// # Errors
/// `NotFound`; database errors.
pub async fn revoke(
    db: &impl TransactionTrait<Transaction = DatabaseTransaction>,
    id: i32,
) -> Result<(), AuthError> {
    let txn = db.begin().await?;
    let t = api_token::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AuthError::NotFound)?;
    if t.revoked_at.is_none() {
        let mut am: api_token::ActiveModel = t.clone().into();
        am.revoked_at = Set(Some(Utc::now()));
        am.update(&txn).await?;
        audit::log(
            &txn,
            "update",
            "api_token",
            id,
            None,
            Some(
                [("revoked".to_string(), false.into())]
                    .into_iter()
                    .collect(),
            ),
            Some([("revoked".to_string(), true.into())].into_iter().collect()),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// All tokens, newest first.
///
/// # Errors
/// Database errors.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<TokenInfo>, DbErr> {
    let users: std::collections::BTreeMap<i32, String> = app_user::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.email))
        .collect();
    Ok(api_token::Entity::find()
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id,
            user_email: users.get(&t.user_id).cloned().unwrap_or_default(),
            name: t.name,
            prefix: t.prefix,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
            revoked: t.revoked_at.is_some(),
        })
        .collect())
}

/// The viewer a bearer token stands for: `None` for an unknown, malformed or revoked token or an
/// inactive user. Records when it was last used (at most once a minute).
///
/// # Errors
/// Database errors.
pub async fn bearer_viewer(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<Viewer>, DbErr> {
    let Some(rest) = token.strip_prefix(TOKEN_PREFIX) else {
        return Ok(None);
    };
    if rest.len() != 64 || !rest.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(t) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
        .filter(|t| t.revoked_at.is_none())
    else {
        return Ok(None);
    };
    let now = Utc::now();
    if t.last_used_at.is_none_or(|l| (now - l).num_seconds() >= 60) {
        let user_id = t.user_id;
        let mut am: api_token::ActiveModel = t.into();
        am.last_used_at = Set(Some(now));
        am.update(db).await?;
        return viewer(db, user_id).await;
    }
    viewer(db, t.user_id).await
}
