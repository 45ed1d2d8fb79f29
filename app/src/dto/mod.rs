//! Plain data that crosses the wire between the browser and the server functions. Never an entity and
//! never anything secret; amounts as `Money` (decimal strings), dates as ISO dates.

pub mod deadlines;
pub mod documents;
pub mod import;
mod ledger;
mod monitoring;
pub mod portfolio;
pub mod review;
pub use ledger::*;
pub use monitoring::*;

use crate::domain::{FieldErrors, ProjectStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Columns of the project list that can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum SortColumn {
    #[default]
    RegistrationNumber,
    Acronym,
    Name,
    Beneficiary,
    Call,
    Status,
    StartDate,
    EndDate,
}

impl SortColumn {
    /// All sortable columns with their URL code.
    pub const ALL: [(SortColumn, &'static str); 8] = [
        (SortColumn::RegistrationNumber, "cislo"),
        (SortColumn::Acronym, "akronym"),
        (SortColumn::Name, "nazev"),
        (SortColumn::Beneficiary, "prijemce"),
        (SortColumn::Call, "vyzva"),
        (SortColumn::Status, "stav"),
        (SortColumn::StartDate, "zahajeni"),
        (SortColumn::EndDate, "ukonceni"),
    ];

    /// The code used in the URL (`?razeni=nazev`).
    #[must_use]
    pub fn code(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("cislo", |(_, code)| code)
    }

    /// Parses a URL code; unknown codes fall back to the default order.
    #[must_use]
    pub fn from_code(code: &str) -> Self {
        Self::ALL
            .iter()
            .find(|(_, c)| *c == code)
            .map_or(SortColumn::default(), |(col, _)| *col)
    }
}

/// Default and maximum page sizes of the project list.
pub const DEFAULT_PER_PAGE: u32 = 20;
pub const MAX_PER_PAGE: u32 = 100;

/// What the project list shows: filters, order and page. Built from the URL query so that every view of
/// the list has a link that can be shared.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct ProjectListQuery {
    pub text: String,
    pub status: Option<String>,
    pub programme_id: Option<i32>,
    pub call_id: Option<String>,
    pub region_code: Option<i32>,
    /// Code of a target group (cílová skupina) the project serves.
    pub target_group: Option<String>,
    /// The beneficiary (příjemce), by `organisation.id`.
    pub beneficiary_id: Option<i32>,
    pub include_archived: bool,
    pub sort: SortColumn,
    pub descending: bool,
    /// 1-based page number.
    pub page: u32,
    pub per_page: u32,
}

impl ProjectListQuery {
    /// Reads the query from URL parameters (`q`, `stav`, `program`, `vyzva`, `kraj`, `skupina`, `prijemce`,
    /// `archiv`, `razeni`,
    /// `smer`, `strana`, `na_strance`); anything unparsable is ignored rather than failing the page.
    pub fn from_params(get: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        Self {
            text: non_empty("q").unwrap_or_default(),
            status: non_empty("stav"),
            programme_id: non_empty("program").and_then(|v| v.parse().ok()),
            call_id: non_empty("vyzva"),
            region_code: non_empty("kraj").and_then(|v| v.parse().ok()),
            target_group: non_empty("skupina"),
            beneficiary_id: non_empty("prijemce").and_then(|v| v.parse().ok()),
            include_archived: non_empty("archiv").is_some_and(|v| v == "1" || v == "on"),
            sort: non_empty("razeni")
                .map(|c| SortColumn::from_code(&c))
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

    /// The URL query string of this query (without `?`), omitting defaults.
    #[must_use]
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if !self.text.is_empty() {
            parts.push(("q", self.text.clone()));
        }
        if let Some(s) = &self.status {
            parts.push(("stav", s.clone()));
        }
        if let Some(p) = self.programme_id {
            parts.push(("program", p.to_string()));
        }
        if let Some(c) = &self.call_id {
            parts.push(("vyzva", c.clone()));
        }
        if let Some(r) = self.region_code {
            parts.push(("kraj", r.to_string()));
        }
        if let Some(t) = &self.target_group {
            parts.push(("skupina", t.clone()));
        }
        if let Some(b) = self.beneficiary_id {
            parts.push(("prijemce", b.to_string()));
        }
        if self.include_archived {
            parts.push(("archiv", "1".into()));
        }
        if self.sort != SortColumn::default() {
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

    /// The same query ordered by `column`: ascending first, descending when already ascending by it.
    #[must_use]
    pub fn sorted_by(&self, column: SortColumn) -> Self {
        Self {
            descending: self.sort == column && !self.descending,
            sort: column,
            page: 1,
            ..self.clone()
        }
    }

    /// Only the filters (no text search, order or page): what the dashboard and exports share with the list.
    #[must_use]
    pub fn filters_only(&self) -> Self {
        Self {
            status: self.status.clone(),
            programme_id: self.programme_id,
            call_id: self.call_id.clone(),
            region_code: self.region_code,
            target_group: self.target_group.clone(),
            beneficiary_id: self.beneficiary_id,
            text: self.text.clone(),
            include_archived: self.include_archived,
            ..Self::default()
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
}

/// A URL parameter of a list page, trimmed; `None` when missing or empty.
pub fn param(get: &impl Fn(&str) -> Option<String>, key: &str) -> Option<String> {
    get(key)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// `key=value` pairs joined with `&`, values percent-encoded: the URL query of a list page.
#[must_use]
pub fn encode_query(parts: Vec<(&str, String)>) -> String {
    parts
        .into_iter()
        .map(|(k, v)| format!("{k}={}", url_encode(&v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass through).
#[must_use]
pub fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One row of the project list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRow {
    pub id: i32,
    pub registration_number: String,
    pub acronym: Option<String>,
    pub name: String,
    pub beneficiary_name: String,
    pub call_id: String,
    pub status: ProjectStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub archived: bool,
}

/// One page of the project list, with the total count for the pager.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectPage {
    pub rows: Vec<ProjectRow>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

impl ProjectPage {
    /// Number of pages (at least 1).
    #[must_use]
    pub fn page_count(&self) -> u32 {
        let per = u64::from(self.per_page.max(1));
        u32::try_from(self.total.div_ceil(per).max(1)).unwrap_or(u32::MAX)
    }
}

/// A municipality (obec) with its district (okres) and region (kraj), for display and pickers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MunicipalityRef {
    /// Kód obce (ČSÚ/RÚIAN code, 6 digits).
    pub code: i32,
    pub name: String,
    pub district: String,
    pub region: String,
}

/// An item of a codebook for selects: value and label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The codebooks a project form and the list filters need, loaded once per page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Codebooks {
    pub programmes: Vec<Choice>,
    pub calls: Vec<Choice>,
    pub regions: Vec<Choice>,
    pub target_groups: Vec<Choice>,
    /// Organisations that are the beneficiary of at least one project.
    pub beneficiaries: Vec<Choice>,
}

/// Everything the detail page shows about a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDetail {
    pub id: i32,
    pub version: i32,
    pub registration_number: String,
    pub name: String,
    pub acronym: Option<String>,
    pub beneficiary_ico: String,
    pub beneficiary_name: String,
    /// The beneficiary is a natural person.
    pub beneficiary_natural_person: bool,
    pub programme: String,
    pub period: String,
    pub priority: String,
    pub specific_objective_code: String,
    pub call_id: String,
    pub call_name: Option<String>,
    pub status: ProjectStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub description: String,
    /// Type of intervention (CPR Annex I), three digits.
    pub intervention_code: Option<String>,
    pub total_eligible: Option<crate::domain::Money>,
    pub amounts_illustrative: bool,
    pub archived: bool,
    pub target_groups: Vec<Choice>,
    pub municipalities: Vec<MunicipalityRef>,
    pub updated_at: String,
}

/// The project form as typed: every field a string, so that what the user typed survives a round trip
/// and errors can be shown next to it. Converted to a `ValidProject` by `forms::validate_project`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProjectInput {
    pub registration_number: String,
    pub name: String,
    pub acronym: String,
    pub beneficiary_ico: String,
    pub beneficiary_name: String,
    pub status: String,
    pub start_date: String,
    pub end_date: String,
    pub description: String,
    pub total_eligible: String,
    pub target_groups: Vec<String>,
    pub municipalities: Vec<MunicipalityRef>,
    /// The cost model (`domain::CostModel` code) chosen when the project is created; empty for the default
    /// (real costs + flat rate of indirect costs). Ignored on edit: the budget page changes it while
    /// nothing is drawn.
    #[serde(default)]
    pub cost_model: String,
    /// The beneficiary is a natural person: the open-data list of operations shows neither its name nor
    /// its IČO.
    #[serde(default)]
    pub beneficiary_natural_person: bool,
    /// Type of intervention (CPR 2021/1060 Annex I, intervention field), e.g. `134`; empty when unknown.
    #[serde(default)]
    pub intervention_code: String,
}

/// The answer to a save: saved, refused with field errors, or refused because someone else saved first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)] // built once per save; boxing would only obscure the wire type
pub enum SaveOutcome {
    Saved {
        id: i32,
    },
    Invalid(FieldErrors),
    /// The record changed since the form was opened: `stored` is what is in the database now, at
    /// `stored_version`. The user decides: take the stored version, or overwrite it with theirs.
    Conflict {
        stored: ProjectInput,
        stored_version: i32,
    },
}

/// A personal API token as listed (never the secret itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub id: i32,
    pub user_email: String,
    pub name: String,
    /// The first characters of the token, to recognise it.
    pub prefix: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    pub revoked: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_query_round_trips_through_the_url() {
        let q = ProjectListQuery {
            text: "Nová etapa".into(),
            status: Some("realisation".into()),
            region_code: Some(60),
            sort: SortColumn::Name,
            descending: true,
            page: 3,
            per_page: 50,
            ..Default::default()
        };
        let qs = q.to_query_string();
        assert_eq!(
            qs,
            "q=Nov%C3%A1%20etapa&stav=realisation&kraj=60&razeni=nazev&smer=sestupne&strana=3&na_strance=50"
        );
        let pairs: Vec<(String, String)> = qs
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                (k.to_string(), v.replace("%20", " ").replace("%C3%A1", "á"))
            })
            .collect();
        let back = ProjectListQuery::from_params(|k| {
            pairs.iter().find(|(pk, _)| pk == k).map(|(_, v)| v.clone())
        });
        assert_eq!(back, q);
    }

    #[test]
    fn list_query_ignores_garbage_and_clamps_page_size() {
        let q = ProjectListQuery::from_params(|k| match k {
            "strana" => Some("-4".into()),
            "na_strance" => Some("100000".into()),
            "program" => Some("x".into()),
            "razeni" => Some("'; drop table project".into()),
            _ => None,
        });
        assert_eq!(q.page, 1);
        assert_eq!(q.per_page, DEFAULT_PER_PAGE);
        assert_eq!(q.programme_id, None);
        assert_eq!(q.sort, SortColumn::RegistrationNumber);
    }

    #[test]
    fn sorting_by_the_same_column_toggles_direction_and_resets_page() {
        let q = ProjectListQuery {
            page: 4,
            ..Default::default()
        };
        let by_name = q.sorted_by(SortColumn::Name);
        assert!(!by_name.descending);
        assert_eq!(by_name.page, 1);
        assert!(by_name.sorted_by(SortColumn::Name).descending);
        assert!(
            !by_name
                .sorted_by(SortColumn::Name)
                .sorted_by(SortColumn::Name)
                .descending
        );
    }

    #[test]
    fn page_count_rounds_up() {
        let p = |total| ProjectPage {
            rows: vec![],
            total,
            page: 1,
            per_page: 20,
        };
        assert_eq!(p(0).page_count(), 1);
        assert_eq!(p(20).page_count(), 1);
        assert_eq!(p(21).page_count(), 2);
    }
}

/// One entry of the audit trail, for display: everything already in the user's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntryDto {
    pub id: i32,
    /// Prague date and time with the zone (`30. 11. 2026 14:05 SEČ`).
    pub at: String,
    pub user: String,
    /// Czech label of the action (`vytvoření`, `změna`, …).
    pub action: String,
    /// Czech name of the kind of record (`Hodnota indikátoru`).
    pub entity: String,
    /// The record's name (`VNP · EECO01 · ZoR 8`); empty when it has none.
    pub record: String,
    pub project_id: Option<i32>,
    /// The project's acronym (or registration number).
    pub project: Option<String>,
    pub changes: Vec<AuditChange>,
}

/// One changed field of an audit entry: its form's label and the old and new value as the pages write
/// them (empty for none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A filter of the audit trail (admin page); empty fields filter nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct AuditQuery {
    pub user_email: String,
    pub project_id: Option<i32>,
    /// `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub page: u32,
}

/// One page of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntryDto>,
    pub total: u64,
    pub page: u32,
    pub per_page: u32,
}

/// A user as the admin page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDto {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub roles: Vec<crate::domain::roles::Role>,
    pub active: bool,
    pub finance_all: bool,
    /// Registration numbers of the assigned projects.
    pub projects: Vec<String>,
}

/// A new user as typed by an admin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub password: String,
    /// Role codes (`admin`, `manager`, `finance`, `reviewer`).
    pub roles: Vec<String>,
    /// Registration numbers, separated by commas, semicolons or lines.
    pub projects: String,
    pub finance_all: bool,
}
