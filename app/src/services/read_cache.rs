//! What nearly every request reads, kept in the process between requests: the signed-in user of a
//! session or an API token, the codebooks of the filters, and pages of the project list.
//!
//! Nothing kept is ever stale: each request reads the database's revisions once (one query, see the
//! migration `m20261206_000001_read_revisions`), and a kept value is used only when it was read under the
//! same revision. The revisions grow in the transaction of every write to the tables behind them
//! (triggers), so a second server process or `psql` invalidates this copy too. What is kept is therefore
//! only a copy: a restart or a second instance loses nothing, and the cache may be dropped at any time.

use super::ServiceError;
use crate::domain::roles::Viewer;
use crate::dto::{Codebooks, ProjectListQuery, ProjectPage};
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, Statement};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// Kept sessions and tokens; beyond this many the cache starts again (a defence against a flood of
/// sign-ins, never a limit on users).
const MAX_USERS: usize = 10_000;
/// Kept pages of the project list.
const MAX_PAGES: usize = 256;
/// An API token's use is recorded at most this often (so a kept token is checked again after it).
const TOKEN_RECHECK: Duration = Duration::from_secs(60);

/// The database's read revisions at the start of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Revisions {
    /// Users, roles, assignments, sessions and tokens.
    pub auth: i64,
    /// Projects and the codebooks the project list and its filters show.
    pub registry: i64,
}

/// Reads both revisions in one query.
///
/// # Errors
/// Database errors.
pub async fn revisions(db: &impl ConnectionTrait) -> Result<Revisions, DbErr> {
    let sql = "SELECT name, revision FROM read_revision";
    let rows = db
        .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?;
    let mut out = Revisions::default();
    for row in rows {
        let name: String = row.try_get("", "name")?;
        let revision: i64 = row.try_get("", "revision")?;
        match name.as_str() {
            "auth" => out.auth = revision,
            "registry" => out.registry = revision,
            _ => {}
        }
    }
    Ok(out)
}

/// A project-list page kept by its query and the projects the viewer may see (`None`: all).
type PageKey = (ProjectListQuery, Option<Vec<i32>>);

#[derive(Default)]
struct Inner {
    /// By the SHA-256 of the session token: the revision, the viewer and when the session expires.
    sessions: HashMap<String, (i64, Viewer, DateTime<Utc>)>,
    /// By the SHA-256 of the API token: the revision, the viewer and when it was checked.
    tokens: HashMap<String, (i64, Viewer, Instant)>,
    codebooks: Option<(i64, Codebooks)>,
    pages: HashMap<PageKey, (i64, ProjectPage)>,
    stats: ReadStats,
}

/// What the cache has done since it was made (for tests).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadStats {
    /// Answers from a kept value.
    pub kept: u64,
    /// Answers read from the database.
    pub read: u64,
}

/// The kept reads of one server process. Cheap to clone (shared).
#[derive(Clone, Default)]
pub struct ReadCache {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for ReadCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadCache").finish_non_exhaustive()
    }
}

fn key_of(token: &str) -> String {
    super::import::sha256_hex(token.as_bytes())
}

impl ReadCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What the cache has done so far.
    #[must_use]
    pub fn stats(&self) -> ReadStats {
        self.lock().stats
    }

    /// Takes a kept value (counting it) or notes a read.
    fn counted<T>(&self, kept: Option<T>) -> Option<T> {
        let mut inner = self.lock();
        if kept.is_some() {
            inner.stats.kept += 1;
        } else {
            inner.stats.read += 1;
        }
        kept
    }

    /// The signed-in user of a session token ([`super::auth::session`]), kept per session.
    ///
    /// # Errors
    /// Database errors.
    pub async fn session_viewer(
        &self,
        db: &impl ConnectionTrait,
        revisions: Revisions,
        token: &str,
    ) -> Result<Option<Viewer>, DbErr> {
        let key = key_of(token);
        let kept = self.lock().sessions.get(&key).and_then(|(rev, v, until)| {
            (*rev == revisions.auth && *until > Utc::now()).then(|| v.clone())
        });
        if let Some(v) = self.counted(kept) {
            return Ok(Some(v));
        }
        let Some((viewer, until)) = super::auth::session(db, token).await? else {
            self.lock().sessions.remove(&key);
            return Ok(None);
        };
        let mut inner = self.lock();
        if inner.sessions.len() >= MAX_USERS {
            inner.sessions.clear();
        }
        inner
            .sessions
            .insert(key, (revisions.auth, viewer.clone(), until));
        Ok(Some(viewer))
    }

    /// The user of an API token ([`super::tokens::bearer_viewer`]), kept per token and checked again
    /// at least once a minute (which records its use).
    ///
    /// # Errors
    /// Database errors.
    pub async fn bearer_viewer(
        &self,
        db: &impl ConnectionTrait,
        revisions: Revisions,
        token: &str,
    ) -> Result<Option<Viewer>, DbErr> {
        let key = key_of(token);
        let kept = self.lock().tokens.get(&key).and_then(|(rev, v, checked)| {
            (*rev == revisions.auth && checked.elapsed() < TOKEN_RECHECK).then(|| v.clone())
        });
        if let Some(v) = self.counted(kept) {
            return Ok(Some(v));
        }
        let Some(viewer) = super::tokens::bearer_viewer(db, token).await? else {
            self.lock().tokens.remove(&key);
            return Ok(None);
        };
        let mut inner = self.lock();
        if inner.tokens.len() >= MAX_USERS {
            inner.tokens.clear();
        }
        inner
            .tokens
            .insert(key, (revisions.auth, viewer.clone(), Instant::now()));
        Ok(Some(viewer))
    }

    /// The codebooks of the filters and forms ([`super::codebooks::codebooks`]).
    ///
    /// # Errors
    /// Database errors.
    pub async fn codebooks(
        &self,
        db: &impl ConnectionTrait,
        revisions: Revisions,
    ) -> Result<Codebooks, ServiceError> {
        let kept = self
            .lock()
            .codebooks
            .as_ref()
            .and_then(|(rev, c)| (*rev == revisions.registry).then(|| c.clone()));
        if let Some(c) = self.counted(kept) {
            return Ok(c);
        }
        let codebooks = super::codebooks::codebooks(db).await?;
        self.lock().codebooks = Some((revisions.registry, codebooks.clone()));
        Ok(codebooks)
    }

    /// One page of the project list as `visible` (`None`: all projects) may see it
    /// ([`super::projects::list_visible`]).
    ///
    /// # Errors
    /// Database errors.
    pub async fn project_page(
        &self,
        db: &impl ConnectionTrait,
        revisions: Revisions,
        query: &ProjectListQuery,
        visible: Option<&[i32]>,
    ) -> Result<ProjectPage, ServiceError> {
        let key = (query.clone(), visible.map(<[i32]>::to_vec));
        let kept = self
            .lock()
            .pages
            .get(&key)
            .and_then(|(rev, p)| (*rev == revisions.registry).then(|| p.clone()));
        if let Some(p) = self.counted(kept) {
            return Ok(p);
        }
        let page = super::projects::list_visible(db, query, visible).await?;
        let mut inner = self.lock();
        if inner.pages.len() >= MAX_PAGES {
            inner.pages.retain(|_, (rev, _)| *rev == revisions.registry);
            if inner.pages.len() >= MAX_PAGES {
                inner.pages.clear();
            }
        }
        inner.pages.insert(key, (revisions.registry, page.clone()));
        Ok(page)
    }
}
