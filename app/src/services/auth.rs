//! Users, passwords (argon2id), server-side sessions and sign-in throttling.
//!
//! A session cookie holds a random 244-bit token; the database keeps only its SHA-256, with an expiry.
//! Failed sign-ins are counted per account and per address in a 15-minute window: after 5 failures for
//! an account (whether it exists or not) or 20 from an address, sign-in is refused until the window ends.
//! Messages never say whether an e-mail exists.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

use entity::{app_user, login_throttle, user_project, user_role, user_session};

use crate::domain::roles::{Role, Viewer};

/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 8;
/// Failed sign-ins per account in a window before it is locked for the rest of the window.
pub const MAX_FAILURES_PER_ACCOUNT: i32 = 5;
/// Failed sign-ins per address in a window.
pub const MAX_FAILURES_PER_ADDRESS: i32 = 20;
/// The throttling window.
pub const WINDOW_MINUTES: i64 = 15;
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

/// Hashes a password with argon2id (default parameters: 19 MiB, 2 passes) and a random salt.
///
/// # Errors
/// Only if hashing itself fails.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    use argon2::password_hash::{PasswordHasher, SaltString};
    // 16 random bytes from the OS (a v4 UUID's randomness source) as the salt.
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| AuthError::Invalid(format!("heslo nelze zpracovat: {e}")))?;
    argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AuthError::Invalid(format!("heslo nelze zpracovat: {e}")))
}

/// Checks a password against its stored hash.
#[must_use]
pub fn verify_password(hash: &str, password: &str) -> bool {
    use argon2::password_hash::{PasswordHash, PasswordVerifier};
    PasswordHash::new(hash).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A hash of a random password, verified against when the e-mail is unknown, so that an unknown e-mail
/// takes as long as a wrong password.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&new_token()).unwrap_or_default())
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

/// Creates a user with roles and assigned projects.
///
/// # Errors
/// Invalid e-mail or password, an e-mail already used, database errors.
pub async fn create_user(
    db: &DatabaseConnection,
    email: &str,
    name: &str,
    password: &str,
    roles: &[Role],
    projects: &[i32],
    finance_all: bool,
) -> Result<i32, AuthError> {
    let email = normalise_email(email)?;
    check_password(password)?;
    let hash = hash_password(password)?;
    let txn = db.begin().await?;
    if app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AuthError::EmailTaken(email));
    }
    let now = Utc::now();
    let user = app_user::ActiveModel {
        email: Set(email.clone()),
        name: Set(if name.trim().is_empty() {
            email.clone()
        } else {
            name.trim().to_owned()
        }),
        password_hash: Set(hash),
        active: Set(true),
        finance_all: Set(finance_all),
        created_at: Set(now),
        password_changed_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for role in roles {
        user_role::ActiveModel {
            user_id: Set(user.id),
            role: Set(role.code().to_owned()),
        }
        .insert(&txn)
        .await?;
    }
    for project in projects {
        user_project::ActiveModel {
            user_id: Set(user.id),
            project_id: Set(*project),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(user.id)
}

/// The viewer of an active user.
///
/// # Errors
/// Database errors.
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
    }))
}

/// Failures counted for `key` in the current window; a window that ended starts again.
async fn failures(db: &impl ConnectionTrait, key: &str) -> Result<(i32, i64), DbErr> {
    let now = Utc::now();
    Ok(
        match login_throttle::Entity::find_by_id(key.to_owned())
            .one(db)
            .await?
        {
            Some(t) if now - t.window_start < Duration::minutes(WINDOW_MINUTES) => {
                let left =
                    (t.window_start + Duration::minutes(WINDOW_MINUTES) - now).num_minutes() + 1;
                (t.failures, left)
            }
            _ => (0, 0),
        },
    )
}

async fn record_failure(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    let now = Utc::now();
    match login_throttle::Entity::find_by_id(key.to_owned())
        .one(db)
        .await?
    {
        Some(t) if now - t.window_start < Duration::minutes(WINDOW_MINUTES) => {
            let mut am: login_throttle::ActiveModel = t.clone().into();
            am.failures = Set(t.failures + 1);
            am.update(db).await?;
        }
        Some(t) => {
            let mut am: login_throttle::ActiveModel = t.into();
            am.failures = Set(1);
            am.window_start = Set(now);
            am.update(db).await?;
        }
        None => {
            login_throttle::ActiveModel {
                key: Set(key.to_owned()),
                failures: Set(1),
                window_start: Set(now),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Signs in: returns a new session token (for the cookie) and the viewer.
///
/// # Errors
/// [`AuthError::InvalidCredentials`] for a wrong e-mail or password or an inactive user (one message for
/// all); [`AuthError::Throttled`] after too many failures; database errors.
pub async fn sign_in(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    address: &str,
) -> Result<(String, Viewer), AuthError> {
    let email = email.trim().to_lowercase();
    let account_key = format!("email:{}", email.chars().take(254).collect::<String>());
    let address_key = format!("ip:{address}");
    let (account_failures, account_left) = failures(db, &account_key).await?;
    let (address_failures, address_left) = failures(db, &address_key).await?;
    if account_failures >= MAX_FAILURES_PER_ACCOUNT {
        return Err(AuthError::Throttled {
            minutes: account_left,
        });
    }
    if address_failures >= MAX_FAILURES_PER_ADDRESS {
        return Err(AuthError::Throttled {
            minutes: address_left,
        });
    }
    let user = app_user::Entity::find()
        .filter(app_user::Column::Email.eq(email.clone()))
        .one(db)
        .await?;
    let ok = match &user {
        Some(u) => verify_password(&u.password_hash, password) && u.active,
        None => {
            let _ = verify_password(dummy_hash(), password);
            false
        }
    };
    let Some(user) = user.filter(|_| ok) else {
        record_failure(db, &account_key).await?;
        record_failure(db, &address_key).await?;
        tracing::info!(address, "failed sign-in");
        return Err(AuthError::InvalidCredentials);
    };
    login_throttle::Entity::delete_by_id(account_key)
        .exec(db)
        .await?;
    let token = new_token();
    let now = Utc::now();
    user_session::ActiveModel {
        token_hash: Set(sha256_hex(&token)),
        user_id: Set(user.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::hours(SESSION_HOURS)),
        ..Default::default()
    }
    .insert(db)
    .await?;
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
    viewer(db, session.user_id).await
}

/// Ends a session.
///
/// # Errors
/// Database errors.
pub async fn sign_out(db: &impl ConnectionTrait, token: &str) -> Result<(), DbErr> {
    user_session::Entity::delete_many()
        .filter(user_session::Column::TokenHash.eq(sha256_hex(token)))
        .exec(db)
        .await?;
    Ok(())
}

/// Changes a user's own password (the old one must match); ends the user's other sessions.
///
/// # Errors
/// [`AuthError::InvalidCredentials`] for a wrong old password, a too weak new one, database errors.
pub async fn change_password(
    db: &DatabaseConnection,
    user_id: i32,
    old: &str,
    new: &str,
    keep_token: &str,
) -> Result<(), AuthError> {
    let user = app_user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AuthError::NotFound)?;
    if !verify_password(&user.password_hash, old) {
        return Err(AuthError::InvalidCredentials);
    }
    check_password(new)?;
    let hash = hash_password(new)?;
    let txn = db.begin().await?;
    let mut am: app_user::ActiveModel = user.into();
    am.password_hash = Set(hash);
    am.password_changed_at = Set(Utc::now());
    am.update(&txn).await?;
    user_session::Entity::delete_many()
        .filter(user_session::Column::UserId.eq(user_id))
        .filter(user_session::Column::TokenHash.ne(sha256_hex(keep_token)))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Activates or deactivates a user; deactivation ends all their sessions.
///
/// # Errors
/// [`AuthError::NotFound`], database errors.
pub async fn set_active(
    db: &DatabaseConnection,
    user_id: i32,
    active: bool,
) -> Result<(), AuthError> {
    let txn = db.begin().await?;
    let user = app_user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AuthError::NotFound)?;
    let mut am: app_user::ActiveModel = user.into();
    am.active = Set(active);
    am.update(&txn).await?;
    if !active {
        user_session::Entity::delete_many()
            .filter(user_session::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
    }
    crate::services::audit::record(
        &txn,
        &crate::services::audit::current(),
        if active { "restore" } else { "archive" },
        "app_user",
        user_id,
        None,
        serde_json::json!({"active": [!active, active]}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// All users with their roles, for the admin page.
///
/// # Errors
/// Database errors.
pub async fn users(db: &impl ConnectionTrait) -> Result<Vec<(app_user::Model, Vec<Role>)>, DbErr> {
    let roles = user_role::Entity::find().all(db).await?;
    Ok(app_user::Entity::find()
        .order_by_asc(app_user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(|u| {
            let r = roles
                .iter()
                .filter(|r| r.user_id == u.id)
                .filter_map(|r| Role::parse(&r.role))
                .collect();
            (u, r)
        })
        .collect())
}

/// Assigns a project to a user (idempotent).
///
/// # Errors
/// Database errors.
pub async fn assign_project(
    db: &impl ConnectionTrait,
    user_id: i32,
    project_id: i32,
) -> Result<(), DbErr> {
    let exists = user_project::Entity::find_by_id((user_id, project_id))
        .one(db)
        .await?
        .is_some();
    if !exists {
        user_project::ActiveModel {
            user_id: Set(user_id),
            project_id: Set(project_id),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Users with roles and assigned projects, for the admin page.
///
/// # Errors
/// Database errors.
pub async fn user_list(db: &impl ConnectionTrait) -> Result<Vec<crate::dto::UserDto>, DbErr> {
    let assignments = user_project::Entity::find().all(db).await?;
    let projects: std::collections::HashMap<i32, String> = entity::project::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.registration_number))
        .collect();
    Ok(users(db)
        .await?
        .into_iter()
        .map(|(u, roles)| crate::dto::UserDto {
            projects: assignments
                .iter()
                .filter(|a| a.user_id == u.id)
                .filter_map(|a| projects.get(&a.project_id).cloned())
                .collect(),
            id: u.id,
            email: u.email,
            name: u.name,
            roles,
            active: u.active,
            finance_all: u.finance_all,
        })
        .collect())
}

/// Creates a user from the admin form: roles by code, projects by registration number.
///
/// # Errors
/// [`AuthError::Invalid`] with a Czech message for the form; database errors.
pub async fn create_from_input(
    db: &DatabaseConnection,
    input: &crate::dto::NewUserInput,
) -> Result<i32, AuthError> {
    let roles: Vec<Role> = input.roles.iter().filter_map(|r| Role::parse(r)).collect();
    if roles.is_empty() {
        return Err(AuthError::Invalid("Zvolte alespoň jednu roli.".into()));
    }
    let mut ids = Vec::new();
    for reg in input
        .projects
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        let id = crate::services::demo::project_id_by_registration(db, reg)
            .await?
            .ok_or_else(|| AuthError::Invalid(format!("Projekt {reg} není v evidenci.")))?;
        ids.push(id);
    }
    let id = create_user(
        db,
        &input.email,
        &input.name,
        &input.password,
        &roles,
        &ids,
        input.finance_all,
    )
    .await?;
    crate::services::audit::record(
        db,
        &crate::services::audit::current(),
        "create",
        "app_user",
        id,
        None,
        serde_json::json!({"email": [null, input.email.trim().to_lowercase()], "roles": [null, roles.iter().map(|r| r.code()).collect::<Vec<_>>()]}),
    )
    .await?;
    Ok(id)
}
