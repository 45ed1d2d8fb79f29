//! Imports running in the background for the browser: an upload starts a preview job; the user looks at
//! its progress (rows read / total) and then at its report, and may commit it, which runs the same file
//! again with `commit`.
//!
//! The jobs and their files live in the database ([`super::job_store`]), not in this process: every
//! server of a deployment polls, shows and commits any job, and a restart keeps the previews that had
//! finished. A running job writes its progress and a sign of life every [`job_store::HEARTBEAT`]; one
//! whose process has been silent for [`job_store::STALE`] is marked failed by whichever server sees it,
//! so no job is left "running" after its server died. This process keeps only what cannot be shared:
//! the live progress counters of the jobs it runs itself and its commit queue. Finished jobs and their
//! uploads are removed an hour after their last change by [`Jobs::sweep`], which the server runs on a
//! schedule.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use sea_orm::{DatabaseConnection, DbBackend, DbErr};

use super::job_store::{self, NewJob};
use super::{run, ImportError, ImportLimits, ImportOptions, Progress};
use crate::domain::roles::Viewer;
use crate::dto::import::ImportJobView;

/// A job this process runs: its live counters.
#[derive(Clone, Default)]
struct Live {
    progress: Arc<Progress>,
    /// A commit waiting for the commit queue.
    queued: Arc<AtomicBool>,
}

struct Inner {
    /// This process among the servers of a deployment.
    instance: String,
    live: Mutex<HashMap<String, Live>>,
    /// Commits of this process are stored one at a time: each holds the database's write lock while it
    /// stores (on SQLite), and a second would only wait for it there, with a timeout; here it waits in
    /// the queue and says so.
    commits: Arc<tokio::sync::Semaphore>,
    /// Set when the server shuts down: no new imports, queued commits do not start.
    closing: AtomicBool,
}

/// The background imports of this process (cheap to clone; shared by all requests).
#[derive(Clone)]
pub struct Jobs {
    inner: Arc<Inner>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self {
            inner: Arc::new(Inner {
                instance: uuid::Uuid::new_v4().simple().to_string(),
                live: Mutex::default(),
                commits: Arc::new(tokio::sync::Semaphore::new(1)),
                closing: AtomicBool::new(false),
            }),
        }
    }
}

/// The message of an import the server did not finish because it shut down.
const SHUT_DOWN: &str = "Server byl vypnut dřív, než import doběhl; nic z něj nebylo uloženo. \
                         Nahrajte soubor znovu.";

fn failure_message(e: &ImportError) -> String {
    if e.is_user_error() {
        e.to_string()
    } else {
        tracing::error!(error = %e, "import job failed");
        "Import selhal kvůli vnitřní chybě serveru; nic nebylo uloženo. Zkuste to znovu.".into()
    }
}

/// Refuses a new job when the servers or the user already run as many as the limits allow.
fn check_capacity((all, own): (u64, u64), limits: &ImportLimits) -> Result<(), ImportError> {
    if own >= u64::from(limits.max_jobs_per_user) {
        return Err(ImportError::Busy(format!(
            "Právě vám běží {}, víc než {} najednou spustit nelze. Počkejte, až \
             některý doběhne, a nahrajte soubor znovu.",
            crate::domain::plural(own, ["import", "importy", "importů"]),
            limits.max_jobs_per_user
        )));
    }
    if all >= u64::from(limits.max_jobs) {
        return Err(ImportError::Busy(
            "Server právě zpracovává nejvíc importů najednou, kolik smí. Zkuste to prosím za \
             chvíli znovu."
                .into(),
        ));
    }
    Ok(())
}

/// Runs `work` while the job shows a sign of life (and its progress) in the database. On SQLite a
/// commit holds the write lock, so its signs of life would only wait for it: they are skipped (one
/// server per SQLite file; the browser then reads the live counters of this process).
async fn with_heartbeat<T>(
    db: &DatabaseConnection,
    token: &str,
    status: &str,
    progress: &Progress,
    skip: bool,
    work: impl std::future::Future<Output = T>,
) -> T {
    let mut work = std::pin::pin!(work);
    let mut tick = tokio::time::interval(job_store::HEARTBEAT);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            out = &mut work => return out,
            _ = tick.tick(), if !skip => {
                if let Err(e) = job_store::beat(db, token, status, progress, Utc::now()).await {
                    tracing::debug!(error = %e, "import progress not stored");
                }
            }
        }
    }
}

impl Jobs {
    fn live(&self) -> std::sync::MutexGuard<'_, HashMap<String, Live>> {
        self.inner
            .live
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn check_open(&self) -> Result<(), ImportError> {
        if self.inner.closing.load(Ordering::SeqCst) {
            Err(ImportError::Busy(
                "Server se právě vypíná; nahrajte soubor za chvíli znovu.".into(),
            ))
        } else {
            Ok(())
        }
    }

    /// At the start of a server: marks failed the jobs whose server died. On SQLite (one server per
    /// file) that is every unfinished job at once; on PostgreSQL, where other servers may be running
    /// theirs, only those silent for [`job_store::STALE`].
    ///
    /// # Errors
    /// Database errors.
    pub async fn recover(&self, db: &DatabaseConnection) -> Result<u64, DbErr> {
        let before = match db.get_database_backend() {
            DbBackend::Sqlite => None,
            _ => Some(Utc::now() - job_store::STALE),
        };
        job_store::fail_dead(db, &self.inner.instance, before).await
    }

    /// What the server runs on a schedule: jobs of dead servers marked failed, finished jobs and their
    /// uploads removed once kept for [`job_store::KEEP`].
    ///
    /// # Errors
    /// Database errors.
    pub async fn sweep(&self, db: &DatabaseConnection) -> Result<u64, DbErr> {
        let now = Utc::now();
        job_store::fail_dead(db, &self.inner.instance, Some(now - job_store::STALE)).await?;
        job_store::remove_expired(db, now).await
    }

    /// Shuts down: refuses new imports, waits up to `timeout` for the commit being stored (one
    /// transaction: it is then whole), and marks every unfinished import of this process failed.
    /// Returns whether the commit finished in time.
    pub async fn shut_down(&self, db: &DatabaseConnection, timeout: Duration) -> bool {
        self.inner.closing.store(true, Ordering::SeqCst);
        let finished = tokio::time::timeout(timeout, self.inner.commits.acquire())
            .await
            .is_ok_and(|p| p.is_ok());
        if let Err(e) = job_store::fail_instance(db, &self.inner.instance, SHUT_DOWN).await {
            tracing::warn!(error = %e, "unfinished imports not marked failed");
        }
        finished
    }

    /// Starts a preview of an uploaded file; returns the job's token.
    ///
    /// # Errors
    /// [`ImportError::Busy`] when the servers or the user already run as many imports as allowed;
    /// database errors.
    pub async fn start_preview(
        &self,
        db: DatabaseConnection,
        bytes: Vec<u8>,
        file_name: String,
        all_or_nothing: bool,
        limits: ImportLimits,
        viewer: &Viewer,
    ) -> Result<String, ImportError> {
        self.check_open()?;
        check_capacity(job_store::running(&db, viewer.id).await?, &limits)?;
        let token = uuid::Uuid::new_v4().simple().to_string();
        let job = NewJob {
            token: &token,
            owner: viewer.id,
            file_name: &file_name,
            all_or_nothing,
            instance: &self.inner.instance,
        };
        let bytes = Arc::new(bytes);
        job_store::insert(&db, job, bytes.to_vec(), Utc::now()).await?;
        let options = ImportOptions {
            commit: false,
            all_or_nothing,
            imported_by: viewer.email.clone(),
            viewer: Some(viewer.clone()),
        };
        self.spawn(db, token.clone(), bytes, file_name, limits, options, None);
        Ok(token)
    }

    /// Commits a previewed file (runs it again with `commit`), whichever server made the preview.
    ///
    /// # Errors
    /// [`ImportError::NotFound`] for an unknown or expired token; [`ImportError::RevertBlocked`] for a
    /// job that is not a finished preview; database errors.
    pub async fn start_commit(
        &self,
        db: DatabaseConnection,
        token: &str,
        limits: ImportLimits,
        viewer: &Viewer,
    ) -> Result<(), ImportError> {
        let job = job_store::get(&db, token, viewer.id)
            .await?
            .ok_or(ImportError::NotFound)?;
        self.check_open()?;
        check_capacity(job_store::running(&db, viewer.id).await?, &limits)?;
        let bytes = job_store::upload(&db, token).await?;
        let claimed = match bytes {
            Some(_) => {
                job_store::claim_commit(&db, token, viewer.id, &self.inner.instance, Utc::now())
                    .await?
            }
            None => false,
        };
        let (Some(bytes), true) = (bytes, claimed) else {
            return Err(ImportError::RevertBlocked(
                "Tento import už běží nebo byl uložen; obnovte stránku.".into(),
            ));
        };
        let options = ImportOptions {
            commit: true,
            all_or_nothing: job.all_or_nothing,
            imported_by: viewer.email.clone(),
            viewer: Some(viewer.clone()),
        };
        // The commit queue's turn, taken now when it is free: a commit accepted before a shutdown
        // began then runs to its end (the shutdown waits for it), never failed for a race with it.
        let turn = self.inner.commits.clone().try_acquire_owned().ok();
        self.spawn(
            db,
            token.to_owned(),
            Arc::new(bytes),
            job.file_name,
            limits,
            options,
            turn,
        );
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn spawn(
        &self,
        db: DatabaseConnection,
        token: String,
        bytes: Arc<Vec<u8>>,
        file_name: String,
        limits: ImportLimits,
        options: ImportOptions,
        turn: Option<tokio::sync::OwnedSemaphorePermit>,
    ) {
        let live = Live::default();
        self.live().insert(token.clone(), live.clone());
        let jobs = self.clone();
        tokio::spawn(async move {
            let commit = options.commit;
            let progress = Arc::clone(&live.progress);
            // A commit waits for the previous one; a preview runs at once (it does not lock anything).
            let waited = commit && turn.is_none();
            let _permit = if waited {
                live.queued.store(true, Ordering::Relaxed);
                let queue = jobs.inner.commits.clone().acquire_owned();
                let permit =
                    with_heartbeat(&db, &token, job_store::QUEUED, &progress, false, queue).await;
                live.queued.store(false, Ordering::Relaxed);
                permit.ok()
            } else {
                turn
            };
            // A commit that waited in the queue does not start once the server is shutting down.
            let outcome = if waited && jobs.inner.closing.load(Ordering::SeqCst) {
                Err(SHUT_DOWN.to_owned())
            } else {
                let skip = commit && db.get_database_backend() == DbBackend::Sqlite;
                if skip {
                    let _ = job_store::beat(&db, &token, job_store::RUNNING, &progress, Utc::now())
                        .await;
                }
                // In its own task, so that a panic ends as a failed job (never one "running" for ever).
                let work = tokio::spawn({
                    let (db, progress) = (db.clone(), Arc::clone(&progress));
                    async move { run(&db, bytes, &file_name, limits, &options, progress).await }
                });
                let running = job_store::RUNNING;
                match with_heartbeat(&db, &token, running, &progress, skip, work).await {
                    Ok(Ok(report)) => Ok(report),
                    Ok(Err(e)) => Err(failure_message(&e)),
                    Err(e) => {
                        tracing::error!(error = %e, "import job panicked");
                        Err(failure_message(&ImportError::Unexpected(e.to_string())))
                    }
                }
            };
            let stored = job_store::finish(
                &db,
                &token,
                &progress,
                outcome.as_ref().map_err(String::as_str),
                Utc::now(),
            )
            .await;
            if let Err(e) = stored {
                tracing::error!(error = %e, "the outcome of an import job was not stored");
            }
            jobs.live().remove(&token);
        });
    }

    /// What the browser shows for a job (`None`: no such job of this user). A job whose server died is
    /// marked failed first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn view(
        &self,
        db: &DatabaseConnection,
        token: &str,
        viewer_id: i32,
    ) -> Result<Option<ImportJobView>, DbErr> {
        let Some(mut job) = job_store::get(db, token, viewer_id).await? else {
            return Ok(None);
        };
        let unfinished = job.status == job_store::RUNNING || job.status == job_store::QUEUED;
        let now = Utc::now();
        if unfinished
            && job.instance.as_deref() != Some(self.inner.instance.as_str())
            && job.heartbeat_at < now - job_store::STALE
        {
            job_store::fail_dead(db, &self.inner.instance, Some(now - job_store::STALE)).await?;
            let Some(again) = job_store::get(db, token, viewer_id).await? else {
                return Ok(None);
            };
            job = again;
        }
        let live = self.live().get(token).cloned();
        Ok(Some(job_store::view(
            job,
            live.as_ref()
                .map(|l| (l.progress.as_ref(), l.queued.load(Ordering::Relaxed))),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn running_imports_are_limited_per_user_and_in_total() {
        let limits = ImportLimits {
            max_jobs: 3,
            max_jobs_per_user: 2,
            ..ImportLimits::default()
        };
        assert!(check_capacity((1, 1), &limits).is_ok());
        let full = check_capacity((2, 2), &limits);
        assert!(
            matches!(&full, Err(ImportError::Busy(m)) if m.contains("najednou")),
            "{:?}",
            full.err()
        );
        assert!(
            check_capacity((2, 0), &limits).is_ok(),
            "another user may start one"
        );
        assert!(
            matches!(check_capacity((3, 0), &limits), Err(ImportError::Busy(_))),
            "the servers are full"
        );
    }
}
