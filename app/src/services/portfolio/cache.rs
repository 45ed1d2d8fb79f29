//! The dashboard kept between views (see the module documentation of `portfolio` for the design): the
//! last few dashboards by filters, visible projects, order and day, each with the database's revision
//! stamp it was computed at, and one part per project with the project's revision.

use super::load::{self, Scope};
use super::part::ProjectPart;
use super::{assemble, projects, ServiceError, Shared};
use crate::dto::portfolio::{Dashboard, RiskSort};
use crate::dto::ProjectListQuery;
use chrono::NaiveDate;
use entity::project;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{Condition, ConnectionTrait, Statement};
use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Dashboards kept (the least recently viewed one goes first).
const MAX_VIEWS: usize = 24;
/// Changed projects read by id up to this many; more are read through the filter, with the rest.
const BY_ID: usize = 500;

/// The database's revisions: of the codebooks and settings, the sum of all project revisions (each only
/// grows, so the sum grows with every committed change), and the number of projects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    shared: i64,
    projects: i64,
    count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Key {
    query: ProjectListQuery,
    visible: Option<Vec<i32>>,
    risk_sort: RiskSort,
    today: NaiveDate,
}

struct View {
    key: Key,
    stamp: Stamp,
    dashboard: Arc<Dashboard>,
}

#[derive(Default)]
struct Inner {
    /// The shared revision the parts were read under.
    shared: Option<i64>,
    /// Per project id: its revision when its part was read, and the part.
    parts: HashMap<i32, (i64, Arc<ProjectPart>)>,
    views: VecDeque<View>,
    stats: CacheStats,
}

/// What the cache has done since it was made (for tests and logs).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Views answered with a kept dashboard.
    pub kept: u64,
    /// Views computed (in part or in full).
    pub computed: u64,
    /// Project parts read from the database.
    pub projects_read: u64,
}

/// The portfolio dashboards of one server process, kept until the database says they changed. Cheap to
/// clone (shared).
#[derive(Clone, Default)]
pub struct DashboardCache {
    inner: Arc<Mutex<Inner>>,
}

impl std::fmt::Debug for DashboardCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DashboardCache").finish_non_exhaustive()
    }
}

async fn stamp(db: &impl ConnectionTrait) -> Result<Stamp, ServiceError> {
    let sql = "SELECT (SELECT revision FROM dashboard_revision WHERE id = 1) AS shared, \
               (SELECT CAST(COALESCE(SUM(revision), 0) AS BIGINT) FROM project_revision) AS projects, \
               (SELECT CAST(COUNT(*) AS BIGINT) FROM project) AS n";
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await?
        .ok_or_else(|| ServiceError::Unexpected("no dashboard revision".into()))?;
    Ok(Stamp {
        shared: row.try_get("", "shared")?,
        projects: row.try_get("", "projects")?,
        count: row.try_get("", "n")?,
    })
}

/// The ids of the projects `cond` selects with their revisions (0 before their first change).
async fn selection(
    db: &impl ConnectionTrait,
    cond: &Condition,
) -> Result<Vec<(i32, i64)>, ServiceError> {
    let pr = Alias::new("project_revision");
    let q = Query::select()
        .column((project::Entity, project::Column::Id))
        .expr(Func::coalesce([
            Expr::col((pr.clone(), Alias::new("revision"))),
            Expr::val(0i64),
        ]))
        .from(project::Entity)
        .left_join(
            pr.clone(),
            Expr::col((pr, Alias::new("project_id")))
                .equals((project::Entity, project::Column::Id)),
        )
        .cond_where(cond.clone())
        .order_by((project::Entity, project::Column::Id), Order::Asc)
        .to_owned();
    db.query_all(&q)
        .await?
        .iter()
        .map(|r| Ok((r.try_get_by_index(0)?, r.try_get_by_index(1)?)))
        .collect()
}

impl DashboardCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What the cache has done so far.
    #[must_use]
    pub fn stats(&self) -> CacheStats {
        self.lock().stats
    }

    /// The same as [`super::dashboard`], kept: unchanged data gives the kept dashboard; after a change
    /// only the changed projects are read again.
    ///
    /// # Errors
    /// Database errors; stored data out of range (`Unexpected`).
    #[tracing::instrument(skip(self, db))]
    pub async fn dashboard(
        &self,
        db: &impl ConnectionTrait,
        q: &ProjectListQuery,
        visible: Option<&[i32]>,
        risk_sort: RiskSort,
        today: NaiveDate,
    ) -> Result<Dashboard, ServiceError> {
        let query = q.filters_only();
        let key = Key {
            query: query.clone(),
            visible: visible.map(|v| {
                let mut v = v.to_vec();
                v.sort_unstable();
                v.dedup();
                v
            }),
            risk_sort,
            today,
        };
        // Read before anything it labels: what is read later is at least as new.
        let stamp = stamp(db).await?;
        if let Some(d) = self.kept(&key, stamp) {
            return Ok((*d).clone());
        }
        let cond = projects::filter_condition(&query, visible);
        let selection = selection(db, &cond).await?;
        let (mut parts, stale, current) = self.split(&selection, stamp);
        let loaded = match stale.len() {
            0 => BTreeMap::new(),
            n if n <= BY_ID => load::parts(db, Scope::Ids(&stale)).await?,
            _ => load::parts(db, Scope::Selected(&cond)).await?,
        };
        let shared = Shared::load(db).await?;
        let revision: HashMap<i32, i64> = selection.iter().copied().collect();
        let read = loaded.len() as u64;
        let mut fresh = Vec::new();
        for (id, part) in loaded {
            if let (Some(rev), false) = (revision.get(&id), parts.contains_key(&id)) {
                let part = Arc::new(part);
                parts.insert(id, Arc::clone(&part));
                fresh.push((id, *rev, part));
            }
        }
        {
            let mut inner = self.lock();
            if current && inner.shared == Some(stamp.shared) {
                for (id, rev, part) in fresh {
                    if inner.parts.get(&id).is_none_or(|(r, _)| *r <= rev) {
                        inner.parts.insert(id, (rev, part));
                    }
                }
                // Parts of deleted projects go when there are more parts than projects.
                if i64::try_from(inner.parts.len()).unwrap_or(i64::MAX) > stamp.count {
                    let selected: HashSet<i32> = revision.keys().copied().collect();
                    inner.parts.retain(|id, _| selected.contains(id));
                }
            }
            inner.stats.computed += 1;
            inner.stats.projects_read += read;
        }
        let parts: Vec<Arc<ProjectPart>> = selection
            .iter()
            .filter_map(|(id, _)| parts.get(id).cloned())
            .collect();
        let dashboard = assemble(query, &parts, &shared, risk_sort, today)?;
        let mut inner = self.lock();
        inner.views.retain(|v| v.key != key);
        inner.views.push_back(View {
            key,
            stamp,
            dashboard: Arc::new(dashboard.clone()),
        });
        while inner.views.len() > MAX_VIEWS {
            inner.views.pop_front();
        }
        Ok(dashboard)
    }

    /// The kept dashboard of `key` if it was computed at `stamp`.
    fn kept(&self, key: &Key, stamp: Stamp) -> Option<Arc<Dashboard>> {
        let mut inner = self.lock();
        let i = inner
            .views
            .iter()
            .position(|v| v.key == *key && v.stamp == stamp)?;
        let view = inner.views.remove(i)?;
        let d = Arc::clone(&view.dashboard);
        inner.views.push_back(view);
        inner.stats.kept += 1;
        Some(d)
    }

    /// The kept parts still valid for `selection`, the ids to read again, and whether the parts are of
    /// `stamp`'s shared revision (a view that started before a newer one changed them keeps nothing).
    fn split(
        &self,
        selection: &[(i32, i64)],
        stamp: Stamp,
    ) -> (HashMap<i32, Arc<ProjectPart>>, Vec<i32>, bool) {
        let mut inner = self.lock();
        let current = match inner.shared {
            Some(s) if s > stamp.shared => false,
            Some(s) if s == stamp.shared => true,
            _ => {
                inner.parts.clear();
                inner.shared = Some(stamp.shared);
                true
            }
        };
        let mut kept = HashMap::with_capacity(selection.len());
        let mut stale = Vec::new();
        for (id, rev) in selection {
            match inner.parts.get(id) {
                Some((r, part)) if current && r == rev => {
                    kept.insert(*id, Arc::clone(part));
                }
                _ => stale.push(*id),
            }
        }
        (kept, stale, current)
    }
}
