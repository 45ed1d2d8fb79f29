//! Deadlines as the browser sees them: one row per deadline with its project, and the filters of
//! `/terminy` (in the URL).

use crate::domain::{DeadlineKind, DeadlineState};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One deadline of a project the viewer may read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRow {
    pub project_id: i32,
    pub acronym: Option<String>,
    pub registration_number: String,
    pub project_name: String,
    pub kind: DeadlineKind,
    /// What is due, e.g. „ZoR 2“, „ŽoP č. 3“.
    pub title: String,
    pub due: NaiveDate,
    pub state: DeadlineState,
    /// Where to act on it.
    pub href: String,
    /// Stable identity (the calendar's UID): kind, project and period or claim.
    pub uid: String,
}

impl DeadlineRow {
    /// The project as one line: „NOE · CZ.03…“ or the registration number alone.
    #[must_use]
    pub fn project_label(&self) -> String {
        self.acronym.as_ref().map_or_else(
            || self.registration_number.clone(),
            |a| format!("{a} · {}", self.registration_number),
        )
    }
}

/// The state filter of `/terminy` that lists everything.
pub const ALL_STATES: &str = "vse";

/// Filters of `/terminy` (`projekt`, `druh`, `stav`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeadlineQuery {
    pub project_id: Option<i32>,
    pub kind: Option<DeadlineKind>,
    /// `None`: what needs attention (overdue and coming within the horizon); [`ALL_STATES`]: everything;
    /// else a [`DeadlineState`] code.
    pub state: Option<String>,
}

impl DeadlineQuery {
    /// Reads the query from URL parameters; anything unparsable is ignored.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| super::param(&get, k);
        Self {
            project_id: non_empty("projekt").and_then(|v| v.parse().ok()),
            kind: non_empty("druh").and_then(|v| DeadlineKind::from_code(&v)),
            state: non_empty("stav")
                .filter(|s| s == ALL_STATES || DeadlineState::from_code(s).is_some()),
        }
    }

    /// The URL query string (without `?`), omitting defaults.
    #[must_use]
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(p) = self.project_id {
            parts.push(("projekt", p.to_string()));
        }
        if let Some(k) = self.kind {
            parts.push(("druh", k.code().to_string()));
        }
        if let Some(s) = &self.state {
            parts.push(("stav", s.clone()));
        }
        super::encode_query(parts)
    }

    /// Whether a deadline in `state` is listed.
    #[must_use]
    pub fn keeps(&self, state: DeadlineState) -> bool {
        match self.state.as_deref() {
            None => matches!(state, DeadlineState::Overdue | DeadlineState::Soon),
            Some(ALL_STATES) => true,
            Some(code) => state.code() == code,
        }
    }
}

/// How many deadlines need attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct DeadlineCounts {
    pub overdue: u64,
    pub soon: u64,
}

/// `/terminy`: the rows of the filters, their counts and the projects to filter by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlinePage {
    pub query: DeadlineQuery,
    pub rows: Vec<DeadlineRow>,
    pub counts: DeadlineCounts,
    /// Projects for the filter: id, label.
    pub projects: Vec<(i32, String)>,
    pub today: NaiveDate,
    pub horizon_days: u32,
}

/// A personal calendar feed as the account page lists it (never its secret after creation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarFeedInfo {
    pub id: i32,
    /// The first characters of the secret, to recognise the address.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked: bool,
}

/// The deadline settings of one's own account (`/ucet`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDeadlines {
    pub feeds: Vec<CalendarFeedInfo>,
    /// Receives the daily e-mail digest (not opted out).
    pub digest: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_the_url() {
        let q = DeadlineQuery {
            project_id: Some(3),
            kind: Some(DeadlineKind::Payment),
            state: Some("po_terminu".into()),
        };
        let s = q.to_query_string();
        assert_eq!(s, "projekt=3&druh=proplaceni&stav=po_terminu");
        let back = DeadlineQuery::from_params(|k| {
            s.split('&')
                .find_map(|kv| kv.strip_prefix(&format!("{k}=")).map(str::to_owned))
        });
        assert_eq!(back, q);
        assert_eq!(
            DeadlineQuery::from_params(|_| Some("nesmysl".into())),
            DeadlineQuery::default()
        );
    }

    #[test]
    fn the_default_filter_keeps_what_needs_attention() {
        let q = DeadlineQuery::default();
        assert!(q.keeps(DeadlineState::Overdue) && q.keeps(DeadlineState::Soon));
        assert!(!q.keeps(DeadlineState::Later) && !q.keeps(DeadlineState::Done));
        let all = DeadlineQuery {
            state: Some(ALL_STATES.into()),
            ..q
        };
        assert!(all.keeps(DeadlineState::Done));
    }
}
