//! Users, passwords (argon2id), server-side sessions and sign-in throttling.
//!
//! A session cookie holds a random 244-bit token; the database keeps only its SHA-256, with an expiry.
//! Sign-in attempts are counted per account and per address before the password is checked, with
//! growing locks after 5 attempts for an account (whether it exists or not) or 20 from an address
//! ([`crate::domain::throttle`]). Messages never say whether an e-mail exists. Sign-ins, failures,
//! refusals, sign-outs and password changes are in the audit trail.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

use entity::{app_user, user_project, user_role, user_session};

use super::throttle;
use crate::domain::roles::{Role, Viewer};
use crate::domain::throttle::{minutes_left, Attempt, ThrottlePolicy};

/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 8;
/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Why an authentication request failed. `Display` is the Czech message for the user.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("Neplatný e-mail nebo heslo.")]
    InvalidCredentials,
    #[error("Příliš mnoho neúspěšných pokusů o přihlášení; zkuste to znovu za {minutes} min.")]
    Throttled { minutes: i64 },
    #[error("{0}")]
    Invalid(String),
    #[error("Uživatel s e-mailem {0} už existuje.")]
    EmailTaken(String),
    #[error("Uživatel nenalezen.")]
    NotFound,
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

pub(crate) fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Hashes a password with argon2id and a random salt, on the calling thread (see
/// [`super::passwords`] for the request path, which uses the blocking pool).
///
/// # Errors
/// Only if hashing itself fails.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    super::passwords::hash_now(password).map_err(|e| AuthError::Invalid(e.to_string()))
}

/// Checks a password against its stored hash, on the calling thread.
#[must_use]
pub fn verify_password(hash: &str, password: &str) -> bool {
    super::passwords::verify_now(hash, password)
}

/// The rules for a new password.
///
/// # Errors
/// A Czech message saying what is missing.
pub fn check_password(password: &str) -> Result<(), AuthError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AuthError::Invalid(format!(
            "Heslo musí mít alespoň {MIN_PASSWORD_CHARS} znaků."
        )));
    }
    Ok(())
}

fn normalise_email(email: &str) -> Result<String, AuthError> {
    let e = email.trim().to_lowercase();
    let valid = e.len() <= 254
        && e.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty() && domain.contains('.') && !domain.starts_with('.')
        })
        && !e.chars().any(char::is_whitespace);
    if valid {
        Ok(e)
    } else {
        Err(AuthError::Invalid(
            "Zadejte platný e-mail, např. jana.novakova@mpsv.cz.".into(),
        ))
    }
}

/// A random token (two v4 UUIDs: 244 random bits), hex.
#[must_use]
pub fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

pub async fn viewer(db: &impl ConnectionTrait, user_id: i32) -> Result<Option<Viewer>, DbErr> {
    let Some(user) = app_user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .filter(|u| u.active)
    else {
        return Ok(None);
    };
    let roles = user_role::Entity::find()
        .filter(user_role::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|r| Role::parse(&r.role))
        .collect();
    let projects = user_project::Entity::find()
        .filter(user_project::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| p.project_id)
        .collect();
    Ok(Some(Viewer {
        id: user.id,
        email: user.email,
        name: user.name,
        roles,
        projects,
        finance_all: user.finance_all,
        lang: crate::domain::Lang::from_code(&user.language).unwrap_or_default(),
    }))
}

/// Records a sign-in event (success, failure, refusal, sign-out, password change) in the audit trail:
/// who (the account, when it exists), from where, and what happened; never a password.
async fn audit_auth(
    db: &impl ConnectionTrait,
    action: &str,
    user: Option<&app_user::Model>,
    email: &str,
    address: &str,
) -> Result<(), DbErr> {
    let actor = crate::services::audit::Actor {
        user_id: user.map(|u| u.id),
        email: email.to_owned(),
    };
    crate::services::audit::record(
        db,
        &actor,
        action,
        "app_user",
        user.map_or_else(String::new, |u| u.id.to_string()),
        None,
        serde_json::json!({ "address": [null, address] }),
    )
    .await
}

/// Signs in at `now`: returns a new session token (for the cookie) and the viewer.
///
/// Every attempt is counted for the account and for the client address before the password is
/// checked ([`crate::domain::throttle`]); a refused attempt never reaches the password check. Each
/// success, failure and refusal is in the audit trail.
///
/// # Errors
/// [`AuthError::InvalidCredentials`] for a wrong e-mail or password or an inactive user (one message for
/// all); [`AuthError::Throttled`] after too many attempts; database errors.
pub async fn sign_in(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    address: &str,
    now: DateTime<Utc>,
) -> Result<(String, Viewer), AuthError> {
    let email: String = email.trim().to_lowercase().chars().take(254).collect();
    let account_key = format!("email:{email}");
    let address_key = crate::domain::throttle::address_key(address);
    let account = throttle::attempt(db, &account_key, &ThrottlePolicy::ACCOUNT, now).await?;
    let from_address = throttle::attempt(db, &address_key, &ThrottlePolicy::ADDRESS, now).await?;
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .one(db)
        .await?;
    for decision in [account, from_address] {
        if let Attempt::Refused { until } = decision {
            audit_auth(db, "sign_in_refused", user.as_ref(), &email, address).await?;
            tracing::info!(address, "sign-in refused by throttling");
            return Err(AuthError::Throttled {
                minutes: minutes_left(until, now),
            });
        }
    }
    let ok = match &user {
        Some(u) => super::passwords::verify(&u.password_hash, password).await && u.active,
        None => {
            let _ = super::passwords::verify_dummy(password).await;
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        audit_auth(db, "sign_in_failed", None, &email, address).await?;
        tracing::info!(address, "failed sign-in");
        return Err(AuthError::InvalidCredentials);
    };
    throttle::clear(db, &account_key).await?;
    throttle::give_back(db, &address_key).await?;
    let token = new_token();
    user_session::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(SESSION_HOURS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit_auth(db, "sign_in", Some(&user), &email, address).await?;
    let viewer = viewer(db, user.id)
        .await?
        .ok_or(AuthError::InvalidCredentials)?;
    Ok((token, viewer))
}

/// The viewer of a session token, if the session is valid and the user active.
///
/// # Errors
/// Database errors.
pub async fn session_viewer(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<Viewer>, DbErr> {
    Ok(session(db, token).await?.map(|(v, _)| v))
}

/// The viewer of a session token and when the session expires, if it is valid and the user active.
///
/// # Errors
/// Database errors.
pub async fn session(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<(Viewer, DateTime<Utc>)>, DbErr> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let Some(session) = user_session::Entity::find()
        .filter(user_session::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if session.expires_at <= Utc::now() {
        user_session::Entity::delete_by_id(session.id)
            .exec(db)
            .await?;
        return Ok(None);
    }
    Ok(viewer(db, session.user_id)
        .await?
        .map(|v| (v, session.expires_at)))
}

/// Ends a session (recorded in the audit trail).
///
/// # Errors
/// Database errors.
pub async fn sign_out(db: &impl ConnectionTrait, token: &str, address: &str) -> Result<(), DbErr> {
    let session = user_session::Entity::find()
        .filter(user_session::Column::TokenHash.eq(sha256_hex(token)))
        .one(db)
        .await?;
    let Some(session) = session else {
        return Ok(());
    };
    user_session::Entity::delete_by_id(session.id)
        .exec(db)
        .await?;
    let user = app_user::Entity::find_by_id(session.user_id)
        .one(db)
        .await?;
    let email = user.as_ref().map(|u| u.email.clone()).unwrap_or_default();
    audit_auth(db, "sign_out", user.as_ref(), &email, address).await
}

/// Changes a user's own password (the old one must match); ends the user's other sessions. Attempts are
/// throttled like sign-ins (per user), and every change, failure and refusal is in the audit trail.
///
/// # Errors
/// [`AuthError::InvalidCredentials`] for a wrong old password, [`AuthError::Throttled`], a too weak new
/// one, database errors.
pub async fn change_password(
    db: &DatabaseConnection,
    user_id: i32,
    old: &str,
    new: &str,
    keep_token: &str,
    now: DateTime<Utc>,
) -> Result<(), AuthError> {
    let user = app_user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AuthError::NotFound)?;
    let key = format!("pw:{user_id}");
    if let Attempt::Refused { until } =
        throttle::attempt(db, &key, &ThrottlePolicy::ACCOUNT, now).await?
    {
        audit_auth(db, "password_refused", Some(&user), &user.email, "").await?;
        return Err(AuthError::Throttled {
            minutes: minutes_left(until, now),
        });
    }
    if !super::passwords::verify(&user.password_hash, old).await {
        audit_auth(db, "password_failed", Some(&user), &user.email, "").await?;
        return Err(AuthError::InvalidCredentials);
    }
    check_password(new)?;
    let hash = super::passwords::hash(new)
        .await
        .map_err(|e| AuthError::Invalid(e.to_string()))?;
    let txn = db.begin().await?;
    let email = user.email.clone();
    let audited = user.clone();
    let mut am: app_user::ActiveModel = user.into();
    am.password_hash = Set(hash);
    am.password_changed_at = Set(now);
    am.update(&txn).await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::TokenHash.ne(sha256_hex(keep_token)))
        .exec(&txn)
        .await?;
    audit_auth(&txn, "password_change", Some(&audited), &email, "").await?;
    txn.commit().await?;
    throttle::clear(db, &key).await?;
    Ok(())
}

mod users;
pub use users::*;
