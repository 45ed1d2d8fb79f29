//! How the audit trail speaks: one table of every recorded column (entity + column) with the label its
//! form gives it and the kind of its value, and the rules that turn a stored value into the words the
//! pages use (money in Kč, thousandths as decimals, Czech dates, ano/ne, status labels, names of the rows
//! a value refers to). A column missing from the table is shown under its own name, its value as stored.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::domain::{
    budget_line::chapter_label, format_czech_date, format_decimal, words::unit_name, ClaimStatus,
    CostModel, Money, ProjectStatus, ReviewStatus,
};

/// A table whose rows a value may refer to by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Project,
    Organisation,
    Programme,
    Indicator,
    ProjectIndicator,
    Period,
    BudgetLine,
    Claim,
    UnitCost,
    User,
    Expenditure,
}

/// The kind of a recorded value, which decides how it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text as stored.
    Text,
    /// Integer haléře, written in Kč: `1 234 567,89 Kč`.
    Halere,
    /// Integer thousandths of a unit, written as a decimal: `12,5`.
    Milli,
    /// Decimal text (units, percentages without the sign): `1,5`.
    Decimal,
    /// Percent as decimal text: `25 %`.
    Percent,
    /// `YYYY-MM-DD`, written `31. 12. 2025`.
    Date,
    /// An RFC 3339 instant, written in Prague time.
    Instant,
    /// `ano` / `ne`.
    Bool,
    ProjectStatus,
    ClaimStatus,
    ReviewStatus,
    CostModel,
    /// Comma-separated cost model codes.
    CostModels,
    Chapter,
    IndicatorUnit,
    IndicatorKind,
    UnitCostKind,
    ImportStatus,
    /// A list of role codes.
    Roles,
    /// A whole number of days: `80 dní`.
    Days,
    /// A size in bytes, in Czech units: `1,5 MB`.
    Bytes,
    /// A document's detected type (`pdf`), by its Czech name.
    FileKind,
    /// The correction table (JSON): `0–50 %: korekce 100 %; …`.
    CorrectionBands,
    /// The id of a row of the table, written as that row's name.
    Ref(Table),
    /// Never shown (ids, hashes).
    Hidden,
}

/// One recorded column.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub entity: &'static str,
    pub column: &'static str,
    pub label: &'static str,
    pub kind: Kind,
}

pub use super::table::FIELDS;

use Kind as K;

/// The recorded column of `entity`; `None` for a column the table does not know.
#[must_use]
pub fn field(entity: &str, column: &str) -> Option<&'static Field> {
    FIELDS
        .iter()
        .find(|x| x.entity == entity && x.column == column)
        .or_else(|| {
            FIELDS
                .iter()
                .find(|x| x.entity == "*" && x.column == column)
        })
}

/// Where a column stands in the table (its form's order); unknown columns come last.
#[must_use]
pub fn position(entity: &str, column: &str) -> usize {
    FIELDS
        .iter()
        .position(|x| x.entity == entity && x.column == column)
        .or_else(|| {
            FIELDS
                .iter()
                .position(|x| x.entity == "*" && x.column == column)
        })
        .unwrap_or(usize::MAX)
}

/// The label of a column, or its own name when the table does not know it.
#[must_use]
pub fn label<'a>(entity: &str, column: &'a str) -> &'a str {
    field(entity, column).map_or(column, |x| x.label)
}

/// The kind of a column; [`Kind::Text`] when the table does not know it.
#[must_use]
pub fn kind(entity: &str, column: &str) -> Kind {
    field(entity, column).map_or(Kind::Text, |x| x.kind)
}

/// The Czech name of a kind of record (`indicator_value` → `Hodnota indikátoru`); an unknown one as it is.
#[must_use]
pub fn entity_label(entity: &str) -> &str {
    match entity {
        "project" => "Projekt",
        "organisation" => "Příjemce",
        "project_finance" => "Financování projektu",
        "monitoring_period" => "Monitorovací období",
        "project_indicator" => "Indikátor projektu",
        "indicator_value" => "Hodnota indikátoru",
        "budget_line" => "Položka rozpočtu",
        "expenditure" => "Výdaj",
        "payment_claim" => "Žádost o platbu",
        "advance" => "Zálohová platba",
        "period_review" => "Kontrola zprávy",
        "review_comment" => "Komentář ke kontrole",
        "indicator" => "Indikátor v číselníku",
        "programme" => "Program",
        "call" => "Výzva",
        "unit_cost" => "Jednotkový náklad",
        "app_user" => "Uživatel",
        "api_token" => "Token API",
        "calendar_feed" => "Adresa kalendáře",
        "setting" => "Nastavení",
        "import_batch" => "Import",
        "document" => "Dokument",
        other => other,
    }
}

/// How a value that refers to a row is named: `(table, id)` → the row's name, `None` when unknown.
pub trait Names {
    fn name(&self, table: Table, id: i64) -> Option<String>;
}

/// Text of a stored value as it is, for unknown columns and values that do not fit their kind.
#[must_use]
pub fn raw(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn int(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::String(s) => s.trim().parse().ok(),
        Value::Number(n) => n.to_string().parse().ok(),
        _ => None,
    }
}

/// Haléře in Kč, exact: `123456789` → `1 234 567,89 Kč` (no-break spaces).
#[must_use]
pub fn halere_text(h: i64) -> String {
    Money::from_halere(h).map_or_else(
        |_| format!("{}\u{a0}Kč", format_decimal(Decimal::new(h, 2))),
        |m| m.to_string(),
    )
}

/// Thousandths as a decimal: `12500` → `12,5`.
#[must_use]
pub fn milli_text(m: i64) -> String {
    format_decimal(Decimal::new(m, 3))
}

/// A code by its Czech label; `None` when the kind has no labels. An unknown code stays as it is.
fn enum_text(kind: Kind, code: &str) -> Option<String> {
    let label: Option<&str> = match kind {
        K::ProjectStatus => ProjectStatus::from_code(code)
            .ok()
            .map(ProjectStatus::label),
        K::ClaimStatus => ClaimStatus::from_code(code).ok().map(ClaimStatus::label),
        K::ReviewStatus => ReviewStatus::from_code(code).ok().map(ReviewStatus::label),
        K::CostModel => CostModel::from_code(code).ok().map(CostModel::label),
        K::Chapter => Some(chapter_label(code)),
        K::IndicatorUnit => Some(unit_name(code)),
        K::IndicatorKind => match code {
            "output" => Some("výstup"),
            "result" => Some("výsledek"),
            _ => None,
        },
        K::UnitCostKind => match code {
            "unit" => Some("jednotkový náklad"),
            "lump_sum" => Some("jednorázová částka"),
            _ => None,
        },
        K::ImportStatus => match code {
            "committed" => Some("uložen"),
            "reverted" => Some("vrácen"),
            _ => None,
        },
        _ => return None,
    };
    Some(label.unwrap_or(code).to_owned())
}

/// The value as the pages write it. Null is empty; a value that does not fit its kind is shown as stored.
#[must_use]
pub fn value_text(kind: Kind, v: &Value, names: &impl Names) -> String {
    if v.is_null() {
        return String::new();
    }
    let text = match kind {
        K::Text | K::Hidden => None,
        K::Halere => int(v).map(halere_text),
        K::Milli => int(v).map(milli_text),
        K::Decimal => decimal(v).map(format_decimal),
        K::Percent => decimal(v).map(|d| format!("{}\u{a0}%", format_decimal(d))),
        K::Date => v
            .as_str()
            .and_then(|s| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            .map(format_czech_date),
        K::Instant => v
            .as_str()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|t| super::time::prague(t.to_utc())),
        K::Bool => v.as_bool().map(|b| if b { "ano" } else { "ne" }.to_owned()),
        K::Roles => v.as_array().map(|a| {
            a.iter()
                .map(|r| {
                    let code = raw(r);
                    crate::domain::roles::Role::parse(&code)
                        .map_or(code, |role| role.label().to_owned())
                })
                .collect::<Vec<_>>()
                .join(", ")
        }),
        K::CostModels => v.as_str().map(|s| {
            s.split(',')
                .filter(|c| !c.trim().is_empty())
                .map(|c| enum_text(K::CostModel, c.trim()).unwrap_or_default())
                .collect::<Vec<_>>()
                .join("; ")
        }),
        K::Ref(table) => int(v).and_then(|id| names.name(table, id)),
        K::Bytes => int(v)
            .and_then(|b| u64::try_from(b).ok())
            .map(crate::domain::documents::format_size),
        K::FileKind => v
            .as_str()
            .and_then(crate::domain::documents::FileKind::from_code)
            .map(|k| k.label().to_owned()),
        K::Days => int(v)
            .and_then(|d| u64::try_from(d).ok())
            .map(|d| crate::domain::plural(d, crate::domain::words::nouns::DAY)),
        K::CorrectionBands => v
            .as_str()
            .and_then(|s| serde_json::from_str::<crate::domain::CorrectionBands>(s).ok())
            .map(|bands| {
                bands
                    .bands()
                    .iter()
                    .map(|b| format!("{}: korekce {}", b.label(), b.correction_percent))
                    .collect::<Vec<_>>()
                    .join("; ")
            }),
        other => v.as_str().and_then(|s| enum_text(other, s)),
    };
    text.unwrap_or_else(|| raw(v))
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
