//! Imports running in the background for the browser: an upload starts a preview job; the user looks at
//! its progress (rows read / total) and then at its report, and may commit it, which runs the same file
//! again with `commit`. Jobs live in memory for an hour (a preview that nobody commits is simply
//! forgotten); the file is kept in memory under a random token, never on disk under a name the client
//! chose.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::DatabaseConnection;

use super::{run, ImportError, ImportLimits, ImportOptions, Progress};
use crate::domain::roles::Viewer;
use crate::dto::import::{ImportJobView, ImportReport};

/// How long a job is kept.
const KEEP: Duration = Duration::from_secs(3600);
/// Most jobs kept at once (older ones are dropped first).
const MAX_JOBS: usize = 64;

#[derive(Clone)]
enum State {
    Running,
    Done(Box<ImportReport>),
    Failed(String),
}

struct Job {
    /// The user who uploaded it: only they see and commit it.
    owner: i32,
    /// A commit waiting for the commit queue.
    queued: Arc<std::sync::atomic::AtomicBool>,
    file_name: String,
    bytes: Arc<Vec<u8>>,
    all_or_nothing: bool,
    committing: bool,
    progress: Arc<Progress>,
    state: State,
    started: Instant,
}

/// The registry of background imports (cheap to clone; shared by all requests). Commits are stored one
/// at a time (a queue): each holds the database's write lock while it stores, and a second one would
/// only wait for it there, with a timeout; here it waits in the queue and says so.
#[derive(Clone)]
pub struct Jobs {
    inner: Arc<Mutex<HashMap<String, Job>>>,
    commits: Arc<tokio::sync::Semaphore>,
    /// Set when the server shuts down: no new imports, queued commits do not start.
    closing: Arc<std::sync::atomic::AtomicBool>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self {
            inner: Arc::default(),
            commits: Arc::new(tokio::sync::Semaphore::new(1)),
            closing: Arc::default(),
        }
    }
}

/// The message of an import the server did not finish because it shut down.
const SHUT_DOWN: &str = "Server byl vypnut dřív, než import doběhl; nic z něj nebylo uloženo. \
                         Nahrajte soubor znovu.";

fn new_token() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn failure_message(e: &ImportError) -> String {
    if e.is_user_error() {
        e.to_string()
    } else {
        tracing::error!(error = %e, "import job failed");
        "Import selhal kvůli vnitřní chybě serveru; nic nebylo uloženo. Zkuste to znovu.".into()
    }
}

impl Jobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Job>> {
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn prune(map: &mut HashMap<String, Job>) {
        map.retain(|_, j| j.started.elapsed() < KEEP || matches!(j.state, State::Running));
        while map.len() >= MAX_JOBS {
            let oldest = map
                .iter()
                .filter(|(_, j)| !matches!(j.state, State::Running))
                .min_by_key(|(_, j)| j.started)
                .map(|(k, _)| k.clone());
            match oldest {
                Some(k) => {
                    map.remove(&k);
                }
                None => break,
            }
        }
    }

    fn check_open(&self) -> Result<(), ImportError> {
        if self.closing.load(Ordering::SeqCst) {
            Err(ImportError::Busy(
                "Server se právě vypíná; nahrajte soubor za chvíli znovu.".into(),
            ))
        } else {
            Ok(())
        }
    }

    /// Shuts down: refuses new imports, waits up to `timeout` for the commit being stored (one
    /// transaction: it is then whole), and marks every unfinished import failed. Returns whether the
    /// commit finished in time.
    pub async fn shut_down(&self, timeout: Duration) -> bool {
        self.closing.store(true, Ordering::SeqCst);
        let finished = tokio::time::timeout(timeout, self.commits.acquire())
            .await
            .is_ok_and(|p| p.is_ok());
        for job in self.lock().values_mut() {
            if matches!(job.state, State::Running) {
                job.state = State::Failed(SHUT_DOWN.into());
            }
        }
        finished
    }

    /// Refuses a new job when the server or the user already runs as many as the limits allow.
    fn check_capacity(
        map: &HashMap<String, Job>,
        limits: &ImportLimits,
        owner: i32,
    ) -> Result<(), ImportError> {
        let running = map.values().filter(|j| matches!(j.state, State::Running));
        let (all, own) = running.fold((0_u32, 0_u32), |(a, o), j| {
            (a + 1, o + u32::from(j.owner == owner))
        });
        if own >= limits.max_jobs_per_user {
            return Err(ImportError::Busy(format!(
                "Právě vám běží {own} importy, víc než {} najednou spustit nelze. Počkejte, až \
                 některý doběhne, a nahrajte soubor znovu.",
                limits.max_jobs_per_user
            )));
        }
        if all >= limits.max_jobs {
            return Err(ImportError::Busy(
                "Server právě zpracovává nejvíc importů najednou, kolik smí. Zkuste to prosím za \
                 chvíli znovu."
                    .into(),
            ));
        }
        Ok(())
    }

    /// Starts a preview of an uploaded file; returns the job's token.
    ///
    /// # Errors
    /// [`ImportError::Busy`] when the server or the user already runs as many imports as allowed.
    pub fn start_preview(
        &self,
        db: DatabaseConnection,
        bytes: Vec<u8>,
        file_name: String,
        all_or_nothing: bool,
        limits: ImportLimits,
        viewer: &Viewer,
    ) -> Result<String, ImportError> {
        let token = new_token();
        let bytes = Arc::new(bytes);
        let progress = Arc::new(Progress::default());
        {
            let mut map = self.lock();
            Self::prune(&mut map);
            self.check_open()?;
            Self::check_capacity(&map, &limits, viewer.id)?;
            map.insert(
                token.clone(),
                Job {
                    owner: viewer.id,
                    queued: Arc::default(),
                    file_name: file_name.clone(),
                    bytes: Arc::clone(&bytes),
                    all_or_nothing,
                    committing: false,
                    progress: Arc::clone(&progress),
                    state: State::Running,
                    started: Instant::now(),
                },
            );
        }
        let options = ImportOptions {
            commit: false,
            all_or_nothing,
            imported_by: viewer.email.clone(),
            viewer: Some(viewer.clone()),
        };
        self.spawn(
            token.clone(),
            db,
            bytes,
            file_name,
            limits,
            options,
            progress,
            None,
        );
        Ok(token)
    }

    /// Commits a previewed file (runs it again with `commit`).
    ///
    /// # Errors
    /// [`ImportError::NotFound`] for an unknown or expired token, or a job that is not previewed.
    pub fn start_commit(
        &self,
        db: DatabaseConnection,
        token: &str,
        limits: ImportLimits,
        viewer: &Viewer,
    ) -> Result<(), ImportError> {
        let (bytes, file_name, all_or_nothing, progress, queued) = {
            let mut map = self.lock();
            if map.get(token).is_none_or(|j| j.owner != viewer.id) {
                return Err(ImportError::NotFound);
            }
            self.check_open()?;
            Self::check_capacity(&map, &limits, viewer.id)?;
            let job = map
                .get_mut(token)
                .filter(|j| j.owner == viewer.id)
                .ok_or(ImportError::NotFound)?;
            if job.committing || !matches!(job.state, State::Done(_)) {
                return Err(ImportError::RevertBlocked(
                    "Tento import už běží nebo byl uložen; obnovte stránku.".into(),
                ));
            }
            job.committing = true;
            job.state = State::Running;
            job.progress = Arc::new(Progress::default());
            (
                Arc::clone(&job.bytes),
                job.file_name.clone(),
                job.all_or_nothing,
                Arc::clone(&job.progress),
                Arc::clone(&job.queued),
            )
        };
        let options = ImportOptions {
            commit: true,
            all_or_nothing,
            imported_by: viewer.email.clone(),
            viewer: Some(viewer.clone()),
        };
        self.spawn(
            token.to_owned(),
            db,
            bytes,
            file_name,
            limits,
            options,
            progress,
            Some(queued),
        );
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn spawn(
        &self,
        token: String,
        db: DatabaseConnection,
        bytes: Arc<Vec<u8>>,
        file_name: String,
        limits: ImportLimits,
        options: ImportOptions,
        progress: Arc<Progress>,
        commit_queue: Option<Arc<std::sync::atomic::AtomicBool>>,
    ) {
        let jobs = self.clone();
        tokio::spawn(async move {
            // A commit waits for the previous one; a preview runs at once (it does not lock anything).
            let _permit = match &commit_queue {
                Some(queued) => {
                    queued.store(true, Ordering::Relaxed);
                    let permit = jobs.commits.clone().acquire_owned().await.ok();
                    queued.store(false, Ordering::Relaxed);
                    permit
                }
                None => None,
            };
            if jobs.closing.load(Ordering::SeqCst) {
                if let Some(job) = jobs.lock().get_mut(&token) {
                    job.state = State::Failed(SHUT_DOWN.into());
                }
                return;
            }
            // In its own task, so that a panic ends as a failed job (never one "running" for ever).
            let work = tokio::spawn(async move {
                run(&db, bytes, &file_name, limits, &options, progress).await
            });
            let state = match work.await {
                Ok(Ok(report)) => State::Done(Box::new(report)),
                Ok(Err(e)) => State::Failed(failure_message(&e)),
                Err(e) => {
                    tracing::error!(error = %e, "import job panicked");
                    State::Failed(failure_message(&ImportError::Unexpected(e.to_string())))
                }
            };
            if let Some(job) = jobs.lock().get_mut(&token) {
                job.state = state;
            }
        });
    }

    /// What the browser shows for a job.
    #[must_use]
    pub fn view(&self, token: &str, viewer_id: i32) -> Option<ImportJobView> {
        let map = self.lock();
        let job = map.get(token).filter(|j| j.owner == viewer_id)?;
        let mut view = ImportJobView {
            token: token.to_owned(),
            file_name: job.file_name.clone(),
            all_or_nothing: job.all_or_nothing,
            committing: job.committing,
            running: matches!(job.state, State::Running),
            queued: job.queued.load(Ordering::Relaxed),
            rows_read: job.progress.rows_read.load(Ordering::Relaxed),
            rows_applied: job.progress.rows_applied.load(Ordering::Relaxed),
            rows_total: job.progress.rows_total.load(Ordering::Relaxed),
            report: None,
            error: None,
        };
        match &job.state {
            State::Running => {}
            State::Failed(m) => view.error = Some(m.clone()),
            State::Done(report) => {
                let mut report = (**report).clone();
                report.shorten_issues();
                view.report = Some(report);
            }
        }
        Some(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(owner: i32, state: State) -> Job {
        Job {
            owner,
            queued: Arc::default(),
            file_name: "x.xlsx".into(),
            bytes: Arc::default(),
            all_or_nothing: false,
            committing: false,
            progress: Arc::default(),
            state,
            started: Instant::now(),
        }
    }

    #[test]
    fn running_imports_are_limited_per_user_and_in_total() {
        let limits = ImportLimits {
            max_jobs: 3,
            max_jobs_per_user: 2,
            ..ImportLimits::default()
        };
        let mut map = HashMap::new();
        map.insert("a".into(), job(1, State::Running));
        map.insert("b".into(), job(1, State::Failed(String::new())));
        assert!(
            Jobs::check_capacity(&map, &limits, 1).is_ok(),
            "a finished job does not count"
        );
        map.insert("c".into(), job(1, State::Running));
        let full = Jobs::check_capacity(&map, &limits, 1);
        assert!(
            matches!(&full, Err(ImportError::Busy(m)) if m.contains("najednou")),
            "{:?}",
            full.err()
        );
        assert!(
            Jobs::check_capacity(&map, &limits, 2).is_ok(),
            "another user may start one"
        );
        map.insert("d".into(), job(2, State::Running));
        assert!(
            matches!(
                Jobs::check_capacity(&map, &limits, 3),
                Err(ImportError::Busy(_))
            ),
            "the server is full"
        );
    }
}
