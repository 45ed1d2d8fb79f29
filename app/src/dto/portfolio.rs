//! The ministry's view of the whole portfolio: totals, charts, the map of regions and the risk list, for
//! the projects a filter selects.

use super::{Flag, ProjectListQuery};
use crate::domain::Money;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The portfolio dashboard (`/prehled`) for one filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    /// The filter the figures are for (order and page ignored).
    pub query: ProjectListQuery,
    pub totals: PortfolioTotals,
    /// Cumulative planned and drawn expenditure at the end of each quarter.
    pub series: Vec<PortfolioPoint>,
    /// Per ESF+ indicator code: the targets and achieved values of all selected projects added up.
    pub indicators: Vec<IndicatorFigure>,
    /// Per kraj, in NUTS 3 order; projects without a participating municipality are in `unplaced`.
    pub regions: Vec<RegionFigure>,
    /// Budget of projects with no participating municipality (not placed on the map).
    pub unplaced_budget: Money,
    pub unplaced_projects: u64,
    /// Projects with at least one flag.
    pub risks: Vec<RiskRow>,
    /// The day the time-based figures refer to.
    pub today: NaiveDate,
}

/// The headline figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct PortfolioTotals {
    pub projects: u64,
    /// Total eligible expenditure: a project's budget lines plus flat-rate indirect costs, or the registered
    /// total where it has no budget lines yet.
    pub eligible: Money,
    /// Expenditure drawn, with the flat-rate indirect costs on it.
    pub drawn: Money,
    /// Amounts of paid payment claims.
    pub paid: Money,
    /// Participant records (people reached).
    pub participants: u64,
    /// Distinct participating municipalities.
    pub municipalities: u64,
    /// Projects with at least one flag.
    pub at_risk: u64,
    /// Monitoring periods under review or returned for correction.
    pub reviews_open: u64,
}

impl PortfolioTotals {
    /// Drawn as a percentage of eligible, when there is a budget.
    #[must_use]
    pub fn drawdown_percent(&self) -> Option<Decimal> {
        (!self.eligible.is_zero())
            .then(|| self.drawn.as_decimal() * Decimal::ONE_HUNDRED / self.eligible.as_decimal())
    }
}

/// A point of the portfolio's drawdown chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioPoint {
    pub date: NaiveDate,
    pub planned: Money,
    /// `None` after today.
    pub drawn: Option<Money>,
}

/// One indicator code across the selected projects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorFigure {
    pub code: String,
    pub name: String,
    pub unit: String,
    /// Projects that committed to it.
    pub projects: u64,
    pub target: Decimal,
    pub achieved: Decimal,
    /// Achieved ÷ target × 100, when there is a target.
    pub fulfilment: Option<Decimal>,
}

/// One kraj (NUTS 3 region).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionFigure {
    /// RÚIAN code of the kraj.
    pub code: i32,
    pub name: String,
    /// NUTS 3 code, e.g. CZ042.
    pub nuts3: String,
    /// Projects with at least one participating municipality in the kraj.
    pub projects: u64,
    /// Participating municipalities in the kraj (a municipality counts once however many projects).
    pub municipalities: u64,
    /// The budgets of the projects, each split among the kraje in proportion to its participating
    /// municipalities there (largest remainder, so the parts add up to the haléř).
    pub budget: Money,
}

/// A project with at least one flag, with its figures for sorting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRow {
    pub project_id: i32,
    pub registration_number: String,
    pub acronym: Option<String>,
    pub name: String,
    pub eligible: Money,
    pub drawdown_percent: Option<Decimal>,
    pub elapsed_percent: Decimal,
    /// Projected financial correction for indicators short of target: the largest of the corrections of
    /// its indicators (they are not added up).
    pub correction: Money,
    pub flags: Vec<Flag>,
}

/// Orders of the risk list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum RiskSort {
    /// Largest lag of drawdown behind elapsed time first.
    #[default]
    Lag,
    /// Largest projected correction first.
    Correction,
    /// Most flags first.
    Flags,
    /// By registration number.
    Registration,
}

impl RiskSort {
    /// All orders with their URL code and Czech label.
    pub const ALL: [(RiskSort, &'static str, &'static str); 4] = [
        (RiskSort::Lag, "zpozdeni", "Zpoždění čerpání"),
        (RiskSort::Correction, "korekce", "Hrozící korekce"),
        (RiskSort::Flags, "pocet", "Počet upozornění"),
        (RiskSort::Registration, "cislo", "Registrační číslo"),
    ];

    /// URL code.
    #[must_use]
    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _, _)| *s == self)
            .map_or("zpozdeni", |(_, c, _)| c)
    }

    /// From a URL code; unknown codes give the default.
    #[must_use]
    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, c, _)| *c == code)
            .map_or(Self::default(), |(s, _, _)| *s)
    }

    /// Sorts the risk rows in this order (ties by registration number).
    pub fn sort(self, rows: &mut [RiskRow]) {
        rows.sort_by(|a, b| {
            let lag =
                |r: &RiskRow| r.elapsed_percent - r.drawdown_percent.unwrap_or(r.elapsed_percent);
            let primary = match self {
                RiskSort::Lag => lag(b).cmp(&lag(a)),
                RiskSort::Correction => b.correction.cmp(&a.correction),
                RiskSort::Flags => b.flags.len().cmp(&a.flags.len()),
                RiskSort::Registration => std::cmp::Ordering::Equal,
            };
            primary.then_with(|| a.registration_number.cmp(&b.registration_number))
        });
    }
}

/// A monitoring period's review (the ministry's check of the implementation report).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodReviewView {
    pub project_id: i32,
    pub registration_number: String,
    pub project_name: String,
    pub period_id: i32,
    pub period_number: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// `None` until a reviewer opens the review.
    pub status: Option<String>,
    pub status_label: String,
    /// Optimistic-locking version of the review (0 before it exists).
    pub version: i32,
    pub comments: Vec<ReviewCommentDto>,
    /// Statuses the viewer may set next (empty for a viewer who may not review).
    pub next_statuses: Vec<(String, String)>,
    /// The viewer may add a comment (reviewers, and the project's team, to answer).
    pub can_comment: bool,
    /// The viewer is the project's team and the report is returned: they may resubmit it with an answer.
    pub can_resubmit: bool,
    /// What the report contains: indicators against targets, expenditures and claims of the period.
    pub contents: super::review::PeriodContents,
}

/// A comment on a monitoring period's review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCommentDto {
    pub author: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub body: String,
    /// The status the comment set, if it changed it.
    pub status_label: Option<String>,
}

/// What a reviewer (or the project's manager) submits on a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ReviewInput {
    pub comment: String,
    /// New status code, or empty to comment only.
    pub status: String,
    pub version: i32,
}

/// Review status of each monitoring period of a project, for the project page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodReviewSummary {
    pub period_id: i32,
    pub number: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub status: Option<String>,
    pub status_label: String,
    pub comments: u64,
}
