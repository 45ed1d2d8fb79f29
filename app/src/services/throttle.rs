//! The stored side of throttling ([`crate::domain::throttle`]): one row per key (`email:…`, `ip:…`,
//! `pw:<user id>`), counted under a row lock so that concurrent attempts are counted one by one and each
//! decision sees every attempt before it.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait,
    QuerySelect, Set,
};

use entity::login_throttle;

use crate::domain::throttle::{count_attempt, Attempt, ThrottlePolicy, ThrottleState};

/// Counts an attempt for `key` at `now` and decides it, in one transaction that holds the key's row
/// (PostgreSQL: `SELECT … FOR UPDATE`; SQLite: the write lock taken at `BEGIN IMMEDIATE`).
///
/// # Errors
/// Database errors.
pub async fn attempt(
    db: &DatabaseConnection,
    key: &str,
    policy: &ThrottlePolicy,
    now: DateTime<Utc>,
) -> Result<Attempt, DbErr> {
    let txn = super::db::begin_write(db).await?;
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        key: Set(key.to_owned()),
        failures: Set(0),
        window_start: Set(now),
        locked_until: Set(None),
    })
    .on_conflict(
        OnConflict::column(login_throttle::Column::Key)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    let mut find = login_throttle::Entity::find_by_id(key.to_owned());
    if txn.get_database_backend() == DbBackend::Postgres {
        find = find.lock_exclusive();
    }
    let row = find
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(key.to_owned()))?;
    let stored = (row.failures > 0 || row.locked_until.is_some()).then_some(ThrottleState {
        attempts: row.failures,
        window_start: row.window_start,
        locked_until: row.locked_until,
    });
    let (next, decision) = count_attempt(policy, stored, now);
    if Some(next) != stored {
        login_throttle::ActiveModel {
            key: Set(key.to_owned()),
            failures: Set(next.attempts),
            window_start: Set(next.window_start),
            locked_until: Set(next.locked_until),
        }
        .update(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(decision)
}

/// Forgets the attempts of `key` (after a successful sign-in, for the account).
///
/// # Errors
/// Database errors.
pub async fn clear(db: &impl ConnectionTrait, key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(key.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

/// Gives back one attempt of `key` (a successful sign-in from an address shared by many users, such
/// as an office's NAT, does not count against the others).
///
/// # Errors
/// Database errors.
pub async fn give_back(db: &DatabaseConnection, key: &str) -> Result<(), DbErr> {
    let txn = super::db::begin_write(db).await?;
    let mut find = login_throttle::Entity::find_by_id(key.to_owned());
    if txn.get_database_backend() == DbBackend::Postgres {
        find = find.lock_exclusive();
    }
    if let Some(row) = find.one(&txn).await? {
        if row.failures > 0 && row.locked_until.is_none() {
            let mut am: login_throttle::ActiveModel = row.clone().into();
            am.failures = Set(row.failures - 1);
            am.update(&txn).await?;
        }
    }
    txn.commit().await
}
