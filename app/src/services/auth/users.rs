//! User administration: creating users with their roles and projects, deactivating them, assigning
//! projects, and the users page's list.

#[allow(clippy::wildcard_imports)]
use super::*;

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
    let hash = crate::services::passwords::hash(password)
        .await
        .map_err(|e| AuthError::Invalid(e.to_string()))?;
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

/// Sets the language of the interface a user chose (`/ucet`), with the audit trail.
///
/// # Errors
/// An unknown user; database errors.
pub async fn set_language(
    db: &DatabaseConnection,
    user_id: i32,
    lang: crate::domain::Lang,
) -> Result<(), AuthError> {
    let txn = db.begin().await?;
    let user = app_user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or(AuthError::NotFound)?;
    let before = user.language.clone();
    if before != lang.code() {
        let mut am: app_user::ActiveModel = user.into();
        am.language = Set(lang.code().to_owned());
        am.update(&txn).await?;
        crate::services::audit::record(
            &txn,
            &crate::services::audit::current(),
            "update",
            "app_user",
            user_id,
            None,
            serde_json::json!({"language": [before, lang.code()]}),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
