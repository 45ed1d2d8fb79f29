//! [`Ico`]: the *IČO* (identifikační číslo osoby), the 8-digit identification number of a Czech legal
//! entity or entrepreneur (e.g. Úřad práce ČR 72496991). Leading zeros are part of it (`00296244`).
//!
//! Check digit: weights 8, 7, 6, 5, 4, 3, 2 on the first seven digits, r = sum mod 11,
//! check = (11 − r) mod 10. Very old IČOs may fail the check; this type refuses them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// A valid IČO: exactly 8 ASCII digits with a correct check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Ico(String);

/// The check digit the first seven digits require (each `digits[i]` is 0–9).
fn expected_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .zip([8u32, 7, 6, 5, 4, 3, 2])
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let r = sum % 11;
    // r <= 10, so the result is 0..=9 and fits u8.
    u8::try_from((11 - r) % 10).unwrap_or(0)
}

/// Removes whitespace (incl. no-break spaces) and gives the digits' values, or `None` on any other char.
fn digits_of(input: &str) -> Option<Vec<u8>> {
    input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(10).and_then(|d| u8::try_from(d).ok()))
        .collect()
}

impl Ico {
    /// Parses an IČO typed in a form: spaces (incl. no-break) are removed, then exactly 8 digits must remain.
    ///
    /// # Errors
    /// [`DomainError::IcoFormat`] unless exactly 8 digits remain; [`DomainError::IcoChecksum`] (with the
    /// expected check digit) when the check digit is wrong.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        match digits_of(input) {
            Some(digits) if digits.len() == 8 => Self::from_digits(&digits),
            _ => Err(DomainError::IcoFormat),
        }
    }

    /// Parses an IČO from an imported spreadsheet, where leading zeros are often lost: 1 to 8 digits are
    /// accepted and zero-padded to 8 (`"496991"` → `"00496991"`). Not for forms: use [`Ico::parse`] there.
    ///
    /// # Errors
    /// [`DomainError::IcoLenientFormat`] unless 1 to 8 digits remain after removing spaces;
    /// [`DomainError::IcoChecksum`] when the padded number's check digit is wrong.
    pub fn parse_lenient(input: &str) -> Result<Self, DomainError> {
        match digits_of(input) {
            Some(digits) if (1..=8).contains(&digits.len()) => {
                let mut padded = vec![0u8; 8 - digits.len()];
                padded.extend(digits);
                Self::from_digits(&padded)
            }
            _ => Err(DomainError::IcoLenientFormat),
        }
    }

    /// `digits` has exactly 8 values 0–9.
    fn from_digits(digits: &[u8]) -> Result<Self, DomainError> {
        let text: String = digits.iter().map(|&d| char::from(b'0' + d)).collect();
        let expected = expected_check_digit(digits.get(..7).unwrap_or_default());
        if digits.get(7) == Some(&expected) {
            Ok(Self(text))
        } else {
            Err(DomainError::IcoChecksum {
                ico: text,
                expected,
            })
        }
    }

    /// The eight digits, e.g. `"00296244"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ico {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Ico {
    type Err = DomainError;
    /// Same as [`Ico::parse`] (strict).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Ico {
    type Error = DomainError;
    /// Same as [`Ico::parse`] (strict).
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Ico> for String {
    fn from(ico: Ico) -> Self {
        ico.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_icos() {
        for ok in ["72496991", "00296244", "00064581", "25596641"] {
            assert_eq!(Ico::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn removes_spaces_and_no_break_spaces() {
        assert_eq!(Ico::parse(" 724 96 991 ").unwrap().as_str(), "72496991");
        assert_eq!(
            Ico::parse("002\u{a0}96\u{202f}244").unwrap().as_str(),
            "00296244"
        );
    }

    #[test]
    fn strict_parse_requires_eight_digits() {
        for bad in [
            "",
            "296244",
            "0029624",
            "002962440",
            "7249699a",
            "72-496991",
            "72496991.0",
            "IČO",
        ] {
            assert_eq!(Ico::parse(bad), Err(DomainError::IcoFormat), "{bad:?}");
        }
    }

    #[test]
    fn lenient_parse_zero_pads_short_numbers() {
        assert_eq!(Ico::parse_lenient("64581").unwrap().as_str(), "00064581");
        // padded first, then checked: 00496991 has a wrong check digit
        assert_eq!(
            Ico::parse_lenient("496991"),
            Err(DomainError::IcoChecksum {
                ico: "00496991".into(),
                expected: 5
            })
        );
        assert_eq!(Ico::parse_lenient("296244").unwrap().as_str(), "00296244");
        assert_eq!(
            Ico::parse_lenient(" 72496991 ").unwrap().as_str(),
            "72496991"
        );
        for bad in ["", "123456789", "12a", "64581.0"] {
            assert_eq!(
                Ico::parse_lenient(bad),
                Err(DomainError::IcoLenientFormat),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn bad_check_digit_names_the_expected_one() {
        let err = Ico::parse("72496992").unwrap_err();
        assert_eq!(
            err,
            DomainError::IcoChecksum {
                ico: "72496992".into(),
                expected: 1
            }
        );
        assert_eq!(
            err.to_string(),
            "IČO 72496992 nemá platnou kontrolní číslici (očekávána 1)"
        );
        assert_eq!(
            Ico::parse("00296245"),
            Err(DomainError::IcoChecksum {
                ico: "00296245".into(),
                expected: 4
            })
        );
        assert!(matches!(
            Ico::parse_lenient("296245"),
            Err(DomainError::IcoChecksum { .. })
        ));
        assert!(matches!(
            Ico::parse("12345678"),
            Err(DomainError::IcoChecksum { .. })
        ));
    }

    #[test]
    fn every_prefix_has_exactly_one_valid_check_digit() {
        for prefix in ["0000000", "7249699", "1234567", "9999999", "0000001"] {
            let valid = (0..10)
                .filter(|d| Ico::parse(&format!("{prefix}{d}")).is_ok())
                .count();
            assert_eq!(valid, 1, "{prefix}");
        }
    }

    #[test]
    fn serde_round_trip_validates() {
        let ico = Ico::parse("00064581").unwrap();
        let json = serde_json::to_string(&ico).unwrap();
        assert_eq!(json, r#""00064581""#);
        assert_eq!(serde_json::from_str::<Ico>(&json).unwrap(), ico);
        assert!(serde_json::from_str::<Ico>(r#""00064582""#).is_err());
        assert_eq!("00064581".parse::<Ico>().unwrap(), ico);
        assert_eq!(
            Ico::try_from(String::from("00064581")).unwrap().to_string(),
            "00064581"
        );
    }
}
