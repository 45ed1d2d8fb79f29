//! The review of implementation reports (ZoR, *zpráva o realizaci*) beyond one period's status: what a
//! report contains, the team's resubmission, and the reviewers' queue (`/kontroly`).

use crate::domain::{Money, ReviewStatus};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One project indicator in a period's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodIndicatorRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// Achieved in this period (`None`: nothing typed in for it).
    pub in_period: Option<Decimal>,
    /// Achieved in this and every earlier period.
    pub cumulative: Decimal,
    pub target: Decimal,
    /// `cumulative / target × 100`, `None` for a zero target.
    pub fulfilment: Option<Decimal>,
}

/// A payment claim (ŽoP) of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodClaimRow {
    pub id: i32,
    pub number: i32,
    pub status_label: String,
    pub claimed: Money,
    pub submitted_on: Option<NaiveDate>,
}

/// What a period's report contains besides the comments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PeriodContents {
    pub indicators: Vec<PeriodIndicatorRow>,
    /// Expenditures paid within the period's dates: how many and their sum.
    pub expenditure_count: u64,
    pub expenditure_sum: Money,
    pub claims: Vec<PeriodClaimRow>,
}

/// The team's resubmission of a returned report: the answer is required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ResubmitInput {
    pub answer: String,
    /// The review's version the team saw.
    pub version: i32,
}

/// Filters of the review queue, as in the URL of `/kontroly` (`stav`, `q`, `program`, `strana`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReviewQueueQuery {
    /// A status code, or [`ALL_OPEN`] for every open review (what the dashboard card counts); `None`:
    /// every report waiting for a reviewer (under review or resubmitted).
    pub status: Option<String>,
    /// Text in the project's acronym, name or registration number (without diacritics).
    pub text: String,
    pub programme_id: Option<i32>,
    /// 1-based page.
    pub page: u32,
}

/// The queue's status filter for every open review: under review, returned or resubmitted.
pub const ALL_OPEN: &str = "otevrene";

/// Rows per page of the review queue.
pub const REVIEW_QUEUE_PER_PAGE: u32 = 25;

impl ReviewQueueQuery {
    /// Reads the query from URL parameters; anything unparsable is ignored.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Self {
            status: non_empty("stav")
                .filter(|s| s == ALL_OPEN || ReviewStatus::from_code(s).is_ok()),
            text: non_empty("q").unwrap_or_default(),
            programme_id: non_empty("program").and_then(|v| v.parse().ok()),
            page: non_empty("strana")
                .and_then(|v| v.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
        }
    }

    /// The URL query string (without `?`), omitting defaults.
    #[must_use]
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(s) = &self.status {
            parts.push(("stav", s.clone()));
        }
        if !self.text.is_empty() {
            parts.push(("q", self.text.clone()));
        }
        if let Some(p) = self.programme_id {
            parts.push(("program", p.to_string()));
        }
        if self.page > 1 {
            parts.push(("strana", self.page.to_string()));
        }
        super::encode_query(parts)
    }

    /// The same filters on another page.
    #[must_use]
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }
}

/// One report in the review queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueueRow {
    pub project_id: i32,
    pub acronym: Option<String>,
    pub project_name: String,
    pub registration_number: String,
    pub period_id: i32,
    pub period_number: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: String,
    pub status_label: String,
    /// When the report came into its status (submitted, resubmitted, returned).
    pub since: NaiveDate,
    /// Whole days from `since` to the app's today (never negative).
    pub days_waiting: i64,
}

/// One page of the review queue, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewQueuePage {
    pub query: ReviewQueueQuery,
    pub rows: Vec<ReviewQueueRow>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
    /// Programmes for the filter: id, name.
    pub programmes: Vec<(i32, String)>,
    /// The viewer may act on the reports (a reviewer); others see the state only.
    pub may_review: bool,
}

/// Whole days a report has waited since `since`, on `today` (0 for a date in the future).
#[must_use]
pub fn days_waiting(since: NaiveDate, today: NaiveDate) -> i64 {
    (today - since).num_days().max(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trips_through_the_url() {
        let q = ReviewQueueQuery {
            status: Some("resubmitted".into()),
            text: "Věk není".into(),
            programme_id: Some(2),
            page: 3,
        };
        let s = q.to_query_string();
        assert_eq!(
            s,
            "stav=resubmitted&q=V%C4%9Bk%20nen%C3%AD&program=2&strana=3"
        );
        let parsed = ReviewQueueQuery::from_params(|k| match k {
            "stav" => Some("resubmitted".into()),
            "q" => Some(" Věk není ".into()),
            "program" => Some("2".into()),
            "strana" => Some("3".into()),
            _ => None,
        });
        assert_eq!(parsed, q);
        let junk = ReviewQueueQuery::from_params(|k| match k {
            "stav" => Some("hotovo".into()),
            "strana" => Some("0".into()),
            _ => None,
        });
        assert_eq!(
            junk,
            ReviewQueueQuery {
                page: 1,
                ..Default::default()
            }
        );
        assert_eq!(ReviewQueueQuery::default().to_query_string(), "");
        let open = ReviewQueueQuery::from_params(|k| (k == "stav").then(|| ALL_OPEN.into()));
        assert_eq!(open.status.as_deref(), Some(ALL_OPEN));
    }

    #[test]
    fn days_waiting_counts_whole_days_and_never_goes_negative() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        assert_eq!(days_waiting(d(6, 1), d(7, 1)), 30);
        assert_eq!(days_waiting(d(7, 1), d(7, 1)), 0);
        assert_eq!(days_waiting(d(7, 2), d(7, 1)), 0);
    }
}
