//! Indicators: the codebook (ESF+ common indicators), a project's indicators with targets, monitoring
//! periods, achieved values per period (typed in) and values computed from participant records.

use super::ServiceError;
use crate::domain::IndicatorUnit;
use entity::indicator;
use rust_decimal::Decimal;

mod codebook;
mod project_indicators;
mod table;
#[cfg(test)]
mod tests;
mod values;

pub use codebook::*;
pub use project_indicators::*;
pub use table::*;
pub use values::*;

/// The unit of a stored indicator of the codebook.
fn unit_of(def: &indicator::Model) -> Result<IndicatorUnit, ServiceError> {
    IndicatorUnit::from_code(&def.unit)
        .map_err(|e| ServiceError::Unexpected(format!("indicator {}: {e}", def.id)))
}

/// Converts stored thousandths into a quantity.
#[must_use]
pub fn from_milli(milli: i64) -> Decimal {
    Decimal::new(milli, 3).normalize()
}

/// Parses a quantity as typed ("12", "12,5", "1 234"), at most 3 decimal places, not negative.
///
/// # Errors
/// A Czech message saying what is expected.
pub fn parse_quantity(text: &str) -> Result<i64, String> {
    let cleaned: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    let value: Decimal = cleaned
        .parse()
        .map_err(|_| format!("„{}“ není číslo; zadejte např. 12 nebo 12,5.", text.trim()))?;
    if value.is_sign_negative() {
        return Err("Hodnota indikátoru nesmí být záporná.".into());
    }
    if value.scale() > 3 {
        return Err("Zadejte nejvýše 3 desetinná místa.".into());
    }
    value
        .checked_mul(Decimal::from(1000))
        .and_then(|v| v.trunc().to_string().parse::<i64>().ok())
        .ok_or_else(|| "Hodnota je příliš velká.".into())
}
