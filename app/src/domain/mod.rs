//! The domain layer: pure types and rules of the ESF+ / OPZ+ project tracker.
//!
//! Values here are built only by parsers (`parse`, `TryFrom`, serde `try_from`), so holding one means it is
//! valid ("parse, don't validate"). The layer depends only on `serde`, `rust_decimal`, `chrono` and
//! `thiserror`: no leptos, sea-orm or axum, and no `cfg`. It is compiled into both the server and the
//! browser, so the same parser validates a form in the browser and on the server.
//!
//! All user-facing messages ([`DomainError`]'s `Display`) are in Czech.

pub mod age;
pub mod budget_line;
pub mod claim_status;
pub mod cost_model;
pub mod date_range;
pub mod deadlines;
pub mod documents;
pub mod error;
pub mod explained;
pub mod finance;
pub mod formula_guard;
pub mod ico;
pub mod indicator_names;
pub mod indicators;
pub mod intervention;
pub mod lang;
pub mod money;
pub mod municipality_code;
pub mod participants;
pub mod periods;
pub mod personal_data;
pub mod registration_number;
pub mod review_status;
pub mod roles;
pub mod sheet_values;
pub mod status;
pub mod text;
pub mod throttle;
pub mod words;

pub use budget_line::{check_line, LineCode, LineRefusal};
pub use claim_status::ClaimStatus;
pub use cost_model::{
    check_units, parse_units, unit_amount, CallCostRules, CostBase, CostBreakdown, CostModel,
    DrawingRefusal, LineKind,
};
pub use date_range::{format_czech_date, parse_czech_date, DateRange};
pub use deadlines::{DeadlineKind, DeadlineRules, DeadlineState};
pub use error::DomainError;
pub use finance::{
    drawdown_lag, drawdown_share, elapsed_share, format_decimal, format_percent, percent_of,
    remaining, split_cofinancing, would_overdraw, CofinancingSplit, DrawdownRule, DrawdownStatus,
    Flag, FundingShares, Percentage,
};
pub use formula_guard::{guard_formula, unguard_formula};
pub use ico::Ico;
pub use indicators::{
    fulfilment, CorrectionBand, CorrectionBands, IndicatorCode, IndicatorKind, IndicatorUnit,
};
pub use intervention::InterventionCode;
pub use lang::Lang;
pub use money::{Money, ROUNDING};
pub use municipality_code::MunicipalityCode;
pub use participants::{
    ComputedIndicator, CountedAt, ExitSituation, Gender, LabourStatus, ParticipantIndicator,
    ParticipantInput, ParticipantRecord, PARTICIPANT_INDICATORS,
};
pub use periods::{report_periods, ReportPeriodMonths};
pub use registration_number::{ProgrammePeriod, RegistrationNumber};
pub use review_status::{ReviewActor, ReviewStatus};
pub use status::ProjectStatus;
pub use text::fold_for_search;
pub use words::{plural, plural_len};

use serde::{Deserialize, Serialize};

/// Czech error messages keyed by form field name, in the order they were added, so a form can show all of
/// them at once next to their fields. Serialised as a list of `[field, message]` pairs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<(String, String)>);

impl FieldErrors {
    /// No errors yet.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `message` for `field`. A field keeps its first message; later ones for it are ignored.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let field = field.into();
        if self.get(&field).is_none() {
            self.0.push((field, message.into()));
        }
    }

    /// Unwraps a parse result for `field`: the value if it parsed, otherwise records the error's Czech
    /// message under `field` and gives `None`. Lets a form DTO be converted collecting every field's error.
    pub fn check<T>(&mut self, field: &str, result: Result<T, DomainError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.add(field, err.to_string());
                None
            }
        }
    }

    /// True when no field has an error.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of fields with an error.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The message for `field`, if it has one.
    #[must_use]
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }

    /// `(field, message)` pairs in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(f, m)| (f.as_str(), m.as_str()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn field_errors_keep_order_and_first_message() {
        let mut errors = FieldErrors::new();
        assert!(errors.is_empty());
        errors.add("ico", "první");
        errors.add("name", "jméno");
        errors.add("ico", "druhá");
        assert_eq!(errors.len(), 2);
        assert_eq!(errors.get("ico"), Some("první"));
        assert_eq!(errors.get("missing"), None);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["ico", "name"]);
    }

    #[test]
    fn field_errors_check_collects_domain_errors() {
        let mut errors = FieldErrors::new();
        let ok = errors.check("ico", Ico::parse("72496991"));
        let bad = errors.check("amount", Money::parse("abc"));
        assert!(ok.is_some());
        assert!(bad.is_none());
        assert_eq!(
            errors.get("amount"),
            Some(DomainError::MoneyFormat.to_string().as_str())
        );
    }

    #[test]
    fn field_errors_serialise_as_pairs() {
        let mut errors = FieldErrors::new();
        errors.add("ico", "chyba");
        let json = serde_json::to_string(&errors).unwrap();
        assert_eq!(json, r#"[["ico","chyba"]]"#);
        let back: FieldErrors = serde_json::from_str(&json).unwrap();
        assert_eq!(back, errors);
    }
}
