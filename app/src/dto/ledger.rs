//! The expenditure ledger (*evidence výdajů*: every paid document of a project) and the list of documents
//! of a payment claim (*soupiska dokladů*).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{encode_query, Choice, DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::domain::{parse_czech_date, Money};

/// Which claim the ledger rows belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum ClaimFilter {
    #[default]
    Any,
    /// Not in any claim yet.
    Unclaimed,
    /// In the claim with this id.
    Claim(i32),
}

/// Where the ledger rows came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum SourceFilter {
    #[default]
    Any,
    /// Typed in the expenditure form.
    Form,
    /// Booked or last changed by the import with this id.
    Import(i32),
}

/// A sortable column of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum LedgerSort {
    #[default]
    PaidOn,
    Document,
    BudgetLine,
    Amount,
    Supplier,
    Period,
}

impl LedgerSort {
    const ALL: [Self; 6] = [
        Self::PaidOn,
        Self::Document,
        Self::BudgetLine,
        Self::Amount,
        Self::Supplier,
        Self::Period,
    ];

    /// The URL code (`datum`, `doklad`, `polozka`, `castka`, `dodavatel`, `obdobi`).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::PaidOn => "datum",
            Self::Document => "doklad",
            Self::BudgetLine => "polozka",
            Self::Amount => "castka",
            Self::Supplier => "dodavatel",
            Self::Period => "obdobi",
        }
    }

    /// The column with this URL code (the default for anything else).
    #[must_use]
    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .unwrap_or_default()
    }
}

/// Filters, order and page of the ledger, read from and written to the URL, so a filtered ledger can be
/// bookmarked, exported and turned into a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LedgerQuery {
    /// Budget line (`budget_line.id`).
    pub line_id: Option<i32>,
    /// Monitoring period (`monitoring_period.id`).
    pub period_id: Option<i32>,
    /// Paid on or after.
    pub from: Option<NaiveDate>,
    /// Paid on or before.
    pub to: Option<NaiveDate>,
    pub claim: ClaimFilter,
    pub source: SourceFilter,
    /// Searched in the document number, description and supplier (without diacritics, any case).
    pub text: String,
    pub sort: LedgerSort,
    pub descending: bool,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
}

impl LedgerQuery {
    /// Reads the query from URL parameters (`polozka`, `obdobi`, `od`, `do`, `zadost` (`bez` or an id),
    /// `zdroj` (`formular` or an import number), `q`, `razeni`, `smer`, `strana`, `na_strance`); anything
    /// unparsable is ignored rather than failing the page.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let date = |k: &str| non_empty(k).and_then(|v| parse_czech_date(&v).ok());
        Self {
            line_id: non_empty("polozka").and_then(|v| v.parse().ok()),
            period_id: non_empty("obdobi").and_then(|v| v.parse().ok()),
            from: date("od"),
            to: date("do"),
            claim: match non_empty("zadost").as_deref() {
                Some("bez") => ClaimFilter::Unclaimed,
                Some(v) => v.parse().map_or(ClaimFilter::Any, ClaimFilter::Claim),
                None => ClaimFilter::Any,
            },
            source: match non_empty("zdroj").as_deref() {
                Some("formular") => SourceFilter::Form,
                Some(v) => v.parse().map_or(SourceFilter::Any, SourceFilter::Import),
                None => SourceFilter::Any,
            },
            text: non_empty("q").unwrap_or_default(),
            sort: non_empty("razeni")
                .map(|c| LedgerSort::from_code(&c))
                .unwrap_or_default(),
            descending: non_empty("smer").is_some_and(|v| v == "sestupne"),
            page: non_empty("strana")
                .and_then(|v| v.parse().ok())
                .filter(|p| *p >= 1)
                .unwrap_or(1),
            per_page: non_empty("na_strance")
                .and_then(|v| v.parse().ok())
                .filter(|p| (1..=MAX_PER_PAGE).contains(p))
                .unwrap_or(DEFAULT_PER_PAGE),
        }
    }

    /// The URL query string (without `?`), omitting defaults.
    #[must_use]
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if let Some(l) = self.line_id {
            parts.push(("polozka", l.to_string()));
        }
        if let Some(p) = self.period_id {
            parts.push(("obdobi", p.to_string()));
        }
        if let Some(d) = self.from {
            parts.push(("od", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(d) = self.to {
            parts.push(("do", d.format("%Y-%m-%d").to_string()));
        }
        match self.claim {
            ClaimFilter::Any => {}
            ClaimFilter::Unclaimed => parts.push(("zadost", "bez".into())),
            ClaimFilter::Claim(id) => parts.push(("zadost", id.to_string())),
        }
        match self.source {
            SourceFilter::Any => {}
            SourceFilter::Form => parts.push(("zdroj", "formular".into())),
            SourceFilter::Import(id) => parts.push(("zdroj", id.to_string())),
        }
        if !self.text.is_empty() {
            parts.push(("q", self.text.clone()));
        }
        if self.sort != LedgerSort::default() {
            parts.push(("razeni", self.sort.code().into()));
        }
        if self.descending {
            parts.push(("smer", "sestupne".into()));
        }
        if self.page > 1 {
            parts.push(("strana", self.page.to_string()));
        }
        if self.per_page != DEFAULT_PER_PAGE && self.per_page != 0 {
            parts.push(("na_strance", self.per_page.to_string()));
        }
        encode_query(parts)
    }

    /// The same filters ordered by `column` (ascending first, descending when already ascending by it).
    #[must_use]
    pub fn sorted_by(&self, column: LedgerSort) -> Self {
        Self {
            descending: self.sort == column && !self.descending,
            sort: column,
            page: 1,
            ..self.clone()
        }
    }

    /// The same query on another page.
    #[must_use]
    pub fn with_page(&self, page: u32) -> Self {
        Self {
            page,
            ..self.clone()
        }
    }

    /// Only the filters (every row they match, in the default order): what an export or "select all
    /// filtered" takes.
    #[must_use]
    pub fn filters_only(&self) -> Self {
        Self {
            sort: self.sort,
            descending: self.descending,
            page: 1,
            per_page: 0,
            ..self.clone()
        }
    }
}

/// One expenditure (a paid document) in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerRow {
    pub id: i32,
    pub version: i32,
    pub document_number: Option<String>,
    pub paid_on: Option<NaiveDate>,
    pub budget_line_id: i32,
    /// The line's code (`1.1.1.1`), as the importer reads it.
    pub budget_line_code: String,
    /// `1.1.1.1 Mzdy odborných pracovníků (2026)`.
    pub budget_line: String,
    pub amount: Money,
    /// Units drawn on a unit-cost line (decimal text).
    pub units: Option<String>,
    pub description: String,
    pub supplier: String,
    pub period_number: Option<i32>,
    /// The claim (ŽoP) whose list holds the document: id and number.
    pub claim: Option<(i32, i32)>,
    /// False when the document is in a submitted claim (its list is frozen).
    pub editable: bool,
    /// The import that booked or last changed it (`None`: typed in the form).
    pub import_id: Option<i32>,
}

/// A page of the ledger with the totals of every filtered row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct LedgerPage {
    pub rows: Vec<LedgerRow>,
    /// Rows matching the filters (all pages).
    pub total: u64,
    /// Sum of the amounts of all filtered rows.
    pub sum: Money,
    /// Filtered rows not yet in any claim, and their sum.
    pub unclaimed: u64,
    pub unclaimed_sum: Money,
    pub page: u32,
    pub per_page: u32,
    /// Choices of the filters: budget lines, periods, claims, imports.
    pub lines: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub claims: Vec<Choice>,
    pub imports: Vec<Choice>,
    /// Claims whose list may change (drafts and returned ones), for "add to claim".
    pub open_claims: Vec<Choice>,
    pub registration_number: String,
}

impl LedgerPage {
    /// Number of pages (at least 1).
    #[must_use]
    pub fn page_count(&self) -> u32 {
        let per = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per).max(1)).unwrap_or(u32::MAX)
    }
}

/// Which documents to put into a claim or take out of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentPick {
    /// These expenditures (ids).
    Ids(Vec<i32>),
    /// Every unclaimed expenditure the filters match ("select all filtered").
    Filtered(LedgerQuery),
}

/// A claim with its list of documents (the claim page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimDetail {
    pub claim: super::ClaimDto,
    pub registration_number: String,
    pub documents: Vec<LedgerRow>,
    /// The documents' sum, and the claim's amount under the project's cost model (e.g. personnel + 40 %).
    pub documents_sum: Money,
    pub breakdown: crate::domain::CostBreakdown,
    pub cost_model_label: String,
    pub editable: bool,
}
