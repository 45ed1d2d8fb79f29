//! [`InterventionCode`]: the type of intervention of a project, a code of the "intervention field"
//! dimension (CPR 2021/1060 Annex I, table 1; e.g. `134` for measures improving access to employment),
//! which the list of operations publishes (art. 49(3)(n)). Written with three digits (`001`–`999`); which
//! codes the programme uses is the managing authority's codebook, not a rule here.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// A type-of-intervention code: three ASCII digits, zero-padded (`"98"` → `"098"`), never `000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct InterventionCode(String);

impl InterventionCode {
    /// Parses a code as typed: surrounding spaces removed, then one to three digits, zero-padded.
    ///
    /// # Errors
    /// [`DomainError::InterventionCodeFormat`] for anything else (letters, more digits, `0`).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let t = input.trim();
        if t.is_empty() || t.len() > 3 || !t.chars().all(|c| c.is_ascii_digit()) {
            return Err(DomainError::InterventionCodeFormat);
        }
        let code = format!("{t:0>3}");
        if code == "000" {
            return Err(DomainError::InterventionCodeFormat);
        }
        Ok(Self(code))
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for InterventionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for InterventionCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<InterventionCode> for String {
    fn from(c: InterventionCode) -> Self {
        c.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_three_digits_zero_padded() {
        assert_eq!(InterventionCode::parse(" 134 ").unwrap().as_str(), "134");
        assert_eq!(InterventionCode::parse("98").unwrap().as_str(), "098");
        assert_eq!(InterventionCode::parse("7").unwrap().to_string(), "007");
    }

    #[test]
    fn anything_else_is_refused_with_a_czech_message() {
        for bad in ["", "0", "000", "1345", "13a", "-13", "1 3"] {
            let e = InterventionCode::parse(bad).unwrap_err();
            assert_eq!(e, DomainError::InterventionCodeFormat, "{bad}");
        }
        assert!(DomainError::InterventionCodeFormat
            .to_string()
            .contains("oblasti intervence"));
    }

    #[test]
    fn a_deserialised_code_is_valid() {
        assert!(serde_json::from_str::<InterventionCode>("\"12x\"").is_err());
        let c: InterventionCode = serde_json::from_str("\"147\"").unwrap();
        assert_eq!(c.as_str(), "147");
    }
}
