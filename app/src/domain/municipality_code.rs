//! [`MunicipalityCode`]: the *kód obce*, the RÚIAN code of a Czech municipality (*obec*; = LAU2), e.g.
//! Praha 554782, Děčín 562335.
//!
//! Six digits starting with 5; the last is a check digit: weights 6, 5, 4, 3, 2 on the first five digits,
//! r = sum mod 11, check = (11 − r) mod 10. Every municipality passes; codes of *parts* of municipalities
//! do not follow this rule and are not municipality codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// A valid municipality code (kód obce). Serialised as a JSON number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct MunicipalityCode(u32);

impl MunicipalityCode {
    /// Parses a code as text: `"562335"`, also with a zero fraction as spreadsheets write it (`"562335.0"`).
    /// Surrounding whitespace is ignored.
    ///
    /// # Errors
    /// [`DomainError::MunicipalityCodeFormat`] unless it is six digits starting with 5;
    /// [`DomainError::MunicipalityCodeChecksum`] when the check digit is wrong.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim();
        let digits = match s.split_once('.') {
            Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => int,
            Some(_) => return Err(DomainError::MunicipalityCodeFormat),
            None => s,
        };
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::MunicipalityCodeFormat);
        }
        let code: u32 = digits
            .parse()
            .map_err(|_| DomainError::MunicipalityCodeFormat)?;
        Self::new(code)
    }

    /// Checks a code held as a number (e.g. from the database).
    ///
    /// # Errors
    /// [`DomainError::MunicipalityCodeFormat`] unless it is in 500000..=599999;
    /// [`DomainError::MunicipalityCodeChecksum`] when the check digit is wrong.
    pub fn new(code: u32) -> Result<Self, DomainError> {
        if !(500_000..=599_999).contains(&code) {
            return Err(DomainError::MunicipalityCodeFormat);
        }
        // (place value, weight) of the first five digits
        let sum: u32 = [
            (100_000u32, 6u32),
            (10_000, 5),
            (1_000, 4),
            (100, 3),
            (10, 2),
        ]
        .iter()
        .map(|&(place, weight)| code / place % 10 * weight)
        .sum();
        let expected = u8::try_from((11 - sum % 11) % 10).unwrap_or(0);
        if u32::from(expected) == code % 10 {
            Ok(Self(code))
        } else {
            Err(DomainError::MunicipalityCodeChecksum { code, expected })
        }
    }

    /// The code as a number, e.g. `554782`.
    #[must_use]
    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for MunicipalityCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for MunicipalityCode {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<u32> for MunicipalityCode {
    type Error = DomainError;
    fn try_from(code: u32) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl From<MunicipalityCode> for u32 {
    fn from(code: MunicipalityCode) -> Self {
        code.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const REAL: [u32; 7] = [554782, 562335, 567027, 579891, 554821, 535532, 597716];

    #[test]
    fn accepts_real_municipalities() {
        for code in REAL {
            assert_eq!(
                MunicipalityCode::parse(&code.to_string()).unwrap().value(),
                code
            );
            assert_eq!(MunicipalityCode::new(code).unwrap().value(), code);
        }
    }

    #[test]
    fn accepts_spreadsheet_float_text_and_spaces() {
        assert_eq!(MunicipalityCode::parse("562335.0").unwrap().value(), 562335);
        assert_eq!(
            MunicipalityCode::parse(" 562335.00 ").unwrap().value(),
            562335
        );
    }

    #[test]
    fn rejects_malformed_codes() {
        for bad in [
            "", "56233", "5623350", "462335", "062335", "56233a", "562335.", "562335.5", "5 62335",
            "-562335",
        ] {
            assert_eq!(
                MunicipalityCode::parse(bad),
                Err(DomainError::MunicipalityCodeFormat),
                "{bad:?}"
            );
        }
        assert_eq!(
            MunicipalityCode::new(62335),
            Err(DomainError::MunicipalityCodeFormat)
        );
        assert_eq!(
            MunicipalityCode::new(600000),
            Err(DomainError::MunicipalityCodeFormat)
        );
    }

    #[test]
    fn rejects_wrong_check_digit_naming_the_expected_one() {
        let err = MunicipalityCode::parse("562336").unwrap_err();
        assert_eq!(
            err,
            DomainError::MunicipalityCodeChecksum {
                code: 562336,
                expected: 5
            }
        );
        assert_eq!(
            err.to_string(),
            "Kód obce 562336 nemá platnou kontrolní číslici (očekávána 5)"
        );
        for code in REAL {
            let wrong = code - code % 10 + (code % 10 + 1) % 10;
            assert!(matches!(
                MunicipalityCode::new(wrong),
                Err(DomainError::MunicipalityCodeChecksum { .. })
            ));
        }
    }

    #[test]
    fn serde_is_a_checked_number() {
        let code = MunicipalityCode::new(554782).unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "554782");
        assert_eq!(
            serde_json::from_str::<MunicipalityCode>("554782").unwrap(),
            code
        );
        assert!(serde_json::from_str::<MunicipalityCode>("554783").is_err());
        assert_eq!(code.to_string(), "554782");
        assert_eq!("554782".parse::<MunicipalityCode>().unwrap(), code);
    }
}
