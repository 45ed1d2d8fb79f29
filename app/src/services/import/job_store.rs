//! Where the background imports of [`super::jobs`] keep their state: the `import_job` and
//! `import_upload` tables. Every server of a deployment reads and writes the same rows, so a job started
//! through one server is polled and committed through another, and a restart forgets nothing that had
//! finished.

use std::sync::atomic::Ordering;

use chrono::{DateTime, Duration, Utc};
use entity::{import_job, import_upload};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use super::Progress;
use crate::dto::import::{ImportJobView, ImportReport};

/// How long a finished job (and its upload) is kept after its last change.
pub const KEEP: Duration = Duration::hours(1);
/// How often a running job shows a sign of life (and its progress) in the database.
pub const HEARTBEAT: std::time::Duration = std::time::Duration::from_secs(2);
/// A job whose process has shown no sign of life for this long is taken for dead.
pub const STALE: Duration = Duration::seconds(20);

pub const RUNNING: &str = "running";
pub const QUEUED: &str = "queued";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// The message of an import whose server stopped before it finished.
pub const DIED: &str = "Server, který import zpracovával, se zastavil dřív, než import doběhl; \
                        nic z něj nebylo uloženo. Nahrajte soubor znovu.";

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn unfinished() -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(import_job::Column::Status.eq(RUNNING))
        .add(import_job::Column::Status.eq(QUEUED))
}

/// A new job, running in `instance`, with its upload.
pub struct NewJob<'a> {
    pub token: &'a str,
    pub owner: i32,
    pub file_name: &'a str,
    pub all_or_nothing: bool,
    pub instance: &'a str,
}

/// Stores a new running job and its file (one transaction).
pub async fn insert(
    db: &sea_orm::DatabaseConnection,
    job: NewJob<'_>,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    import_job::Entity::insert(import_job::ActiveModel {
        token: Set(job.token.to_owned()),
        owner_id: Set(job.owner),
        file_name: Set(job.file_name.to_owned()),
        all_or_nothing: Set(job.all_or_nothing),
        committing: Set(false),
        status: Set(RUNNING.into()),
        rows_read: Set(0),
        rows_applied: Set(0),
        rows_total: Set(0),
        report: Set(None),
        error: Set(None),
        instance: Set(Some(job.instance.to_owned())),
        heartbeat_at: Set(now),
        created_at: Set(now),
        expires_at: Set(now + KEEP),
    })
    .exec_without_returning(&txn)
    .await?;
    import_upload::Entity::insert(import_upload::ActiveModel {
        token: Set(job.token.to_owned()),
        bytes: Set(bytes),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await
}

/// Imports running or waiting to commit, in all servers and of `owner`.
pub async fn running(db: &impl ConnectionTrait, owner: i32) -> Result<(u64, u64), DbErr> {
    let all = import_job::Entity::find()
        .filter(unfinished())
        .count(db)
        .await?;
    let own = import_job::Entity::find()
        .filter(unfinished())
        .filter(import_job::Column::OwnerId.eq(owner))
        .count(db)
        .await?;
    Ok((all, own))
}

/// The job `token` of `owner`.
pub async fn get(
    db: &impl ConnectionTrait,
    token: &str,
    owner: i32,
) -> Result<Option<import_job::Model>, DbErr> {
    import_job::Entity::find_by_id(token.to_owned())
        .filter(import_job::Column::OwnerId.eq(owner))
        .one(db)
        .await
}

/// Turns a previewed job of `owner` into a commit waiting in `instance`'s queue. False when the job is
/// not a finished preview (already committing or committed, failed, or another server took it first):
/// one conditional update, so two servers never commit the same job.
pub async fn claim_commit(
    db: &impl ConnectionTrait,
    token: &str,
    owner: i32,
    instance: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let res = import_job::Entity::update_many()
        .col_expr(import_job::Column::Status, Expr::value(QUEUED))
        .col_expr(import_job::Column::Committing, Expr::value(true))
        .col_expr(import_job::Column::Instance, Expr::value(instance))
        .col_expr(import_job::Column::RowsRead, Expr::value(0_i64))
        .col_expr(import_job::Column::RowsApplied, Expr::value(0_i64))
        .col_expr(import_job::Column::Report, Expr::value(None::<String>))
        .col_expr(import_job::Column::HeartbeatAt, Expr::value(now))
        .col_expr(import_job::Column::ExpiresAt, Expr::value(now + KEEP))
        .filter(import_job::Column::Token.eq(token))
        .filter(import_job::Column::OwnerId.eq(owner))
        .filter(import_job::Column::Status.eq(DONE))
        .filter(import_job::Column::Committing.eq(false))
        .exec(db)
        .await?;
    Ok(res.rows_affected == 1)
}

/// The uploaded file of `token`, while it is kept.
pub async fn upload(db: &impl ConnectionTrait, token: &str) -> Result<Option<Vec<u8>>, DbErr> {
    Ok(import_upload::Entity::find_by_id(token.to_owned())
        .one(db)
        .await?
        .map(|u| u.bytes))
}

/// An update that stores `progress` and a sign of life at `now`.
fn with_progress(
    update: sea_orm::UpdateMany<import_job::Entity>,
    progress: &Progress,
    now: DateTime<Utc>,
) -> sea_orm::UpdateMany<import_job::Entity> {
    let rows = |n: &std::sync::atomic::AtomicU64| Expr::value(count(n.load(Ordering::Relaxed)));
    update
        .col_expr(import_job::Column::RowsRead, rows(&progress.rows_read))
        .col_expr(
            import_job::Column::RowsApplied,
            rows(&progress.rows_applied),
        )
        .col_expr(import_job::Column::RowsTotal, rows(&progress.rows_total))
        .col_expr(import_job::Column::HeartbeatAt, Expr::value(now))
}

/// A sign of life of a running job, with its progress (and `status`: a queued commit starts running).
pub async fn beat(
    db: &impl ConnectionTrait,
    token: &str,
    status: &str,
    progress: &Progress,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    with_progress(import_job::Entity::update_many(), progress, now)
        .col_expr(import_job::Column::Status, Expr::value(status))
        .filter(import_job::Column::Token.eq(token))
        .filter(unfinished())
        .exec(db)
        .await
        .map(drop)
}

/// Stores how a job ended: its report, or why it failed. A finished commit's upload is removed (the
/// import history keeps what it stored).
pub async fn finish(
    db: &sea_orm::DatabaseConnection,
    token: &str,
    progress: &Progress,
    outcome: Result<&ImportReport, &str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let (status, report, error) = match outcome {
        Ok(report) => {
            let mut report = report.clone();
            report.shorten_issues();
            let json = serde_json::to_string(&report).map_err(|e| DbErr::Custom(e.to_string()))?;
            (DONE, Some(json), None)
        }
        Err(message) => (FAILED, None, Some(message.to_owned())),
    };
    let txn = db.begin().await?;
    let job = import_job::Entity::find_by_id(token.to_owned())
        .one(&txn)
        .await?;
    with_progress(import_job::Entity::update_many(), progress, now)
        .col_expr(import_job::Column::Status, Expr::value(status))
        .col_expr(import_job::Column::Report, Expr::value(report))
        .col_expr(import_job::Column::Error, Expr::value(error))
        .col_expr(import_job::Column::Instance, Expr::value(None::<String>))
        .col_expr(import_job::Column::ExpiresAt, Expr::value(now + KEEP))
        .filter(import_job::Column::Token.eq(token))
        .exec(&txn)
        .await?;
    if job.is_some_and(|j| j.committing) && status == DONE {
        import_upload::Entity::delete_by_id(token.to_owned())
            .exec(&txn)
            .await?;
    }
    txn.commit().await
}

/// Marks failed, with `message`, the unfinished jobs that `instance` runs (at shutdown).
pub async fn fail_instance(
    db: &impl ConnectionTrait,
    instance: &str,
    message: &str,
) -> Result<u64, DbErr> {
    let res = import_job::Entity::update_many()
        .col_expr(import_job::Column::Status, Expr::value(FAILED))
        .col_expr(import_job::Column::Error, Expr::value(message))
        .col_expr(import_job::Column::Instance, Expr::value(None::<String>))
        .filter(import_job::Column::Instance.eq(instance))
        .filter(unfinished())
        .exec(db)
        .await?;
    Ok(res.rows_affected)
}

/// Marks failed the unfinished jobs of other processes that have shown no sign of life since `before`
/// (their server died). With `before = None`, every unfinished job of another process (at the start
/// of the one server of a SQLite file).
pub async fn fail_dead(
    db: &impl ConnectionTrait,
    own_instance: &str,
    before: Option<DateTime<Utc>>,
) -> Result<u64, DbErr> {
    let mut update = import_job::Entity::update_many()
        .col_expr(import_job::Column::Status, Expr::value(FAILED))
        .col_expr(import_job::Column::Error, Expr::value(DIED))
        .col_expr(import_job::Column::Instance, Expr::value(None::<String>))
        .filter(unfinished())
        .filter(
            sea_orm::Condition::any()
                .add(import_job::Column::Instance.ne(own_instance))
                .add(import_job::Column::Instance.is_null()),
        );
    if let Some(before) = before {
        update = update.filter(import_job::Column::HeartbeatAt.lt(before));
    }
    Ok(update.exec(db).await?.rows_affected)
}

/// Removes finished jobs (and their uploads) kept past their time.
pub async fn remove_expired(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let expired = || {
        import_job::Entity::find()
            .filter(import_job::Column::ExpiresAt.lt(now))
            .filter(import_job::Column::Status.is_in([DONE, FAILED]))
    };
    // The uploads first (no reliance on the foreign key's cascade, off by default in SQLite).
    let tokens: Vec<String> = expired()
        .all(db)
        .await?
        .into_iter()
        .map(|j| j.token)
        .collect();
    if tokens.is_empty() {
        return Ok(0);
    }
    import_upload::Entity::delete_many()
        .filter(import_upload::Column::Token.is_in(tokens.clone()))
        .exec(db)
        .await?;
    Ok(import_job::Entity::delete_many()
        .filter(import_job::Column::Token.is_in(tokens))
        .exec(db)
        .await?
        .rows_affected)
}

/// What the browser shows of a stored job; `live` is the progress of a job this process runs (fresher
/// than the stored one).
#[must_use]
pub fn view(job: import_job::Model, live: Option<(&Progress, bool)>) -> ImportJobView {
    let unsigned = |n: i64| u64::try_from(n).unwrap_or(0);
    let mut view = ImportJobView {
        token: job.token,
        file_name: job.file_name,
        all_or_nothing: job.all_or_nothing,
        committing: job.committing,
        running: job.status == RUNNING || job.status == QUEUED,
        queued: job.status == QUEUED,
        rows_read: unsigned(job.rows_read),
        rows_applied: unsigned(job.rows_applied),
        rows_total: unsigned(job.rows_total),
        report: None,
        error: job.error,
    };
    if let (true, Some((progress, queued))) = (view.running, live) {
        view.queued = queued;
        view.rows_read = progress.rows_read.load(Ordering::Relaxed);
        view.rows_applied = progress.rows_applied.load(Ordering::Relaxed);
        view.rows_total = progress.rows_total.load(Ordering::Relaxed);
    }
    if job.status == DONE {
        match job
            .report
            .as_deref()
            .map(serde_json::from_str::<ImportReport>)
        {
            Some(Ok(report)) => view.report = Some(report),
            _ => {
                view.error =
                    Some("Výsledek importu se nepodařilo načíst; nahrajte soubor znovu.".into());
            }
        }
    }
    view
}
