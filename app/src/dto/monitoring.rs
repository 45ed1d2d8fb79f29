//! Wire types of the monitoring pages: indicators per period, budget and drawdown, payment claims, flags.
//! Amounts are `Money` (decimal strings on the wire), quantities and percentages `Decimal` strings.

use crate::domain::{FieldErrors, Money};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A warning about a project, with the reason and the numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// `drawdown_lag`, `indicator_short`, `line_overdrawn`, `total_overdrawn`, `claim_overdue`.
    pub kind: String,
    pub message: String,
}

/// A monitoring period (its number is the number of the implementation report, ZoR).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodDto {
    pub id: i32,
    pub number: i32,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
}

/// One indicator of a project with its values per period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorRow {
    pub project_indicator_id: i32,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub baseline: Decimal,
    pub target: Decimal,
    pub target_date: NaiveDate,
    /// Typed-in value per period, in the order of `IndicatorTable::periods`: (value, version).
    pub values: Vec<Option<(Decimal, i32)>>,
    /// Value computed from participant records per period, where the indicator is computable.
    pub computed: Vec<Option<Decimal>>,
    pub cumulative: Decimal,
    /// Cumulative achieved / target, in percent.
    pub fulfilment: Option<Decimal>,
    pub flag: Option<Flag>,
}

/// The indicator table of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorTable {
    pub periods: Vec<PeriodDto>,
    pub rows: Vec<IndicatorRow>,
    pub participants: u32,
    pub participants_illustrative: bool,
    /// All participant indicators computed from the records, by gender.
    pub computed_rows: Vec<ComputedRow>,
    /// Codebook indicators the project does not have yet (for the "add indicator" form).
    pub available: Vec<IndicatorDefDto>,
    /// The day the table was computed for (the forms offer the period running then).
    pub today: NaiveDate,
}

/// A budget line with what was drawn on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetLineDto {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub chapter: String,
    pub year: i32,
    pub amount: Money,
    pub drawn: Money,
    pub version: i32,
    /// Share of the line's year (within the project's realisation) elapsed on `today`, percent; `None`
    /// for a year outside the project.
    pub elapsed_percent: Option<Decimal>,
    /// Drawn / amount, percent; `None` for a zero amount.
    pub drawdown_percent: Option<Decimal>,
    /// The line's drawdown lags behind its year's elapsed time by more than the tolerated points.
    pub lagging: bool,
    /// Personnel, other direct or simplified (decides how the cost model counts it).
    pub kind: crate::domain::LineKind,
    /// The call's unit cost of a simplified line: its id, code, name and unit.
    pub unit_cost: Option<UnitCostDto>,
    /// Units budgeted on a simplified line.
    pub units: Option<Decimal>,
    /// Units drawn on a simplified line.
    pub units_drawn: Option<Decimal>,
    /// The project's cost model does not count this line (left from before a model change).
    pub not_counted: bool,
}

/// A unit cost or lump sum of a call (simplified cost option).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitCostDto {
    pub id: i32,
    pub code: String,
    pub name: String,
    /// What one unit is, e.g. "hodina poradenství".
    pub unit: String,
    /// `unit` (jednotkový náklad) or `lump_sum` (jednorázová částka).
    pub kind: String,
    /// Amount per unit.
    pub rate: Money,
}

/// A unit cost as typed in the call's codebook form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct UnitCostInput {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub kind: String,
    pub rate: String,
}

/// A call's cost rules for the settings page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCostRulesDto {
    /// `call.id`.
    pub id: i32,
    /// The call's code, e.g. 03_22_015.
    pub call_id: String,
    pub name: String,
    pub rules: crate::domain::CallCostRules,
    pub unit_costs: Vec<UnitCostDto>,
}

/// A call's cost rules as typed in the settings form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CallCostRulesInput {
    /// Codes of the allowed cost models.
    pub models: Vec<String>,
    pub max_rate_direct: String,
    pub max_rate_personnel: String,
    pub rate_flat_personnel: String,
}

/// Totals of one chapter, per year and overall.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChapterTotals {
    pub chapter: String,
    pub label: String,
    pub per_year: Vec<Money>,
    pub total: Money,
    pub drawn: Money,
}

/// A point of the drawdown chart: cumulative planned and drawn amounts at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawdownPoint {
    pub date: NaiveDate,
    pub planned: Money,
    pub drawn: Money,
}

/// Everything the budget page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetView {
    pub years: Vec<i32>,
    pub lines: Vec<BudgetLineDto>,
    pub chapters: Vec<ChapterTotals>,
    /// How the project accounts for its costs, and its money summed that way (budgeted).
    pub cost_model: crate::domain::CostModel,
    pub budgeted: crate::domain::CostBreakdown,
    /// The same for what has been drawn.
    pub drawn_breakdown: crate::domain::CostBreakdown,
    /// All budget lines together (whether the model counts them or not).
    pub direct_total: Money,
    pub indirect_rate: Decimal,
    pub total_eligible: Money,
    /// The total eligible expenditure of the legal act (the project's overview shows it).
    pub registered_total: Option<Money>,
    /// What the project's call allows (for the financing form).
    pub call_rules: crate::domain::CallCostRules,
    /// The call's unit costs and lump sums (for lines of a simplified project).
    pub unit_costs: Vec<UnitCostDto>,
    /// Whether anything has been drawn (the cost model can change only while nothing is).
    pub has_expenditure: bool,
    pub eu_share: Decimal,
    pub state_share: Decimal,
    pub own_share: Decimal,
    pub eu: Money,
    pub state: Money,
    pub own: Money,
    pub finance_version: i32,
    pub drawn: Money,
    pub remaining: Money,
    /// Drawn / total eligible, percent.
    pub drawdown_percent: Option<Decimal>,
    /// Share of the project's time elapsed today, percent.
    pub elapsed_percent: Decimal,
    pub series: Vec<DrawdownPoint>,
    pub flags: Vec<Flag>,
    pub amounts_illustrative: bool,
    /// Claimed in payment claims submitted, approved or paid.
    pub claimed: Money,
    /// The date the figures are computed for (the server's today; the browser has no reliable clock).
    pub today: NaiveDate,
}

/// A budget line as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BudgetLineInput {
    pub code: String,
    pub name: String,
    pub chapter: String,
    pub year: String,
    /// Ignored for a simplified line (its amount is units × rate).
    pub amount: String,
    /// `unit_cost.id` of a simplified line, empty otherwise.
    #[serde(default)]
    pub unit_cost_id: String,
    /// Units of a simplified line.
    #[serde(default)]
    pub units: String,
}

/// Financing parameters as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct FinanceInput {
    /// `domain::CostModel` code; empty keeps the current model.
    #[serde(default)]
    pub cost_model: String,
    pub indirect_rate: String,
    pub eu_share: String,
    pub state_share: String,
    pub own_share: String,
}

/// An expenditure as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ExpenditureInput {
    pub budget_line_id: i32,
    pub document_number: String,
    /// Ignored for a simplified line (units × rate).
    pub amount: String,
    /// Units drawn on a simplified line.
    #[serde(default)]
    pub units: String,
    pub paid_on: String,
    pub description: String,
}

/// A correction (opravný doklad, a credit note) to an expenditure, as typed in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CorrectionInput {
    pub document_number: String,
    /// By how much the correction lowers the expenditure (a positive amount; the sign is implied).
    pub amount: String,
    pub paid_on: String,
    pub description: String,
}

/// A payment claim (ŽoP) for the claims page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimDto {
    pub id: i32,
    pub number: i32,
    pub period_number: Option<i32>,
    pub claimed: Money,
    pub approved: Option<Money>,
    pub submitted_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
    pub status: String,
    pub status_label: String,
    pub flag: Option<Flag>,
    pub version: i32,
    /// The amount follows from a list of documents (soupiska); false: typed as a bare amount.
    pub with_documents: bool,
    /// Documents in the claim's list.
    pub documents: u32,
}

/// Payment claims and advances of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimsView {
    pub claims: Vec<ClaimDto>,
    pub claimed_total: Money,
    pub approved_total: Money,
    pub paid_total: Money,
    pub advances_total: Money,
    pub periods: Vec<PeriodDto>,
}

/// The answer to a small edit (a budget line, a value): saved, or refused with field errors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum EditOutcome {
    Saved,
    Invalid(FieldErrors),
    /// Someone changed the record meanwhile; reload and repeat.
    Conflict(String),
}

/// Budget chapters (kapitoly rozpočtu) of direct costs, in display order: code and Czech label.
/// Indirect costs are not a chapter: they are a flat rate of all direct costs.
pub use crate::domain::budget_line::CHAPTERS;

/// What happens to an expenditure that would overdraw its budget line (shown next to the form).
pub const OVERDRAW_RULE: &str =
    "Výdaj, který by přečerpal rozpočtovou položku, se neuloží: nejdřív je třeba upravit rozpočet (změnou projektu).";

/// A participant indicator computed from the records, per period, broken down by gender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComputedRow {
    pub code: String,
    pub name: String,
    /// Per period (in the order of `IndicatorTable::periods`): total, men, women, other.
    pub per_period: Vec<[u32; 4]>,
}

/// An indicator of the codebook, for the codebook page and the "add indicator" select.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndicatorDefDto {
    pub id: i32,
    pub code: String,
    pub name_cs: String,
    pub name_en: String,
    pub unit: String,
    pub kind: String,
    pub code_verified: bool,
    pub computed: bool,
}

/// An indicator of the codebook as typed in the admin form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct IndicatorDefInput {
    pub code: String,
    pub name_cs: String,
    pub name_en: String,
    pub unit: String,
    pub kind: String,
}

/// A project indicator as typed in the form: which indicator, baseline, target and target date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProjectIndicatorInput {
    pub indicator_id: i32,
    pub baseline: String,
    pub target: String,
    pub target_date: String,
}

/// A payment claim as typed in the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ClaimInput {
    pub period_id: Option<i32>,
    pub claimed: String,
    pub submitted_on: String,
}

/// A programme's reporting rule on the settings page: how many months one monitoring period (ZoR) lasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgrammeRuleDto {
    /// `programme.id`.
    pub id: i32,
    /// "2021-2027" or "2014-2020".
    pub period: String,
    pub code: String,
    pub name: String,
    pub report_period_months: u32,
}

/// A programme's reporting rule as typed in the settings form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ProgrammeRuleInput {
    pub report_period_months: String,
}

/// The settings form: tolerated drawdown lag and the correction bands as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SettingsInput {
    pub drawdown_max_lag_points: String,
    pub correction_bands: String,
    /// Days within which a submitted payment claim should be paid (empty: the default).
    #[serde(default)]
    pub claim_overdue_days: String,
    /// Days after a monitoring period's end within which its ZoR and ŽoP are due (empty: the default).
    #[serde(default)]
    pub report_due_days: String,
    /// Days within which the reviewer checks a submitted ZoR (empty: the default).
    #[serde(default)]
    pub review_due_days: String,
    /// Days after the project's end within which the final report is due (empty: the default).
    #[serde(default)]
    pub final_report_due_days: String,
    /// How far ahead `/terminy` lists what is coming (empty: the default).
    #[serde(default)]
    pub deadline_horizon_days: String,
}
