//! [`RegistrationNumber`]: the *registrační číslo projektu*, the identifier a project gets in the EU funds'
//! monitoring system (MS2021+ for 2021–2027, MS2014+ for 2014–2020), e.g. `CZ.03.01.01/00/22_015/0002653`.
//!
//! Its parts: programme (`03` = OPZ+ / OPZ), priority, specific objective, then the call (*výzva*: the
//! call's year and number, `22_015`, whose full id is `03_22_015`) and a 7-digit serial. The two periods are
//! told apart by the shape, never by the year: the National Recovery Plan uses the old shape in 2023.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// The programming period a registration number's shape belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProgrammePeriod {
    /// 2021–2027 (MS2021+): `CZ.03.01.01/00/22_015/0002653`.
    #[serde(rename = "2021-2027")]
    P2021_2027,
    /// 2014–2020 (MS2014+): `CZ.03.1.48/0.0/0.0/15_010/0000036`.
    #[serde(rename = "2014-2020")]
    P2014_2020,
}

impl ProgrammePeriod {
    /// The stored key (`programme.period`) and serde name, with a hyphen: `"2021-2027"`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::P2021_2027 => "2021-2027",
            Self::P2014_2020 => "2014-2020",
        }
    }

    /// Label for people, with an en dash: `"2021–2027"`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::P2021_2027 => "2021–2027",
            Self::P2014_2020 => "2014–2020",
        }
    }
}

impl fmt::Display for ProgrammePeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A byte range `(start, end)` into the normalised string.
type Span = (u8, u8);

/// A valid, normalised registration number (see the module docs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegistrationNumber {
    value: String,
    period: ProgrammePeriod,
    /// Spans of programme, priority, specific objective, call year, call number, serial.
    parts: [Span; 6],
}

/// One element of a hand-written pattern: a literal, or a run of `min..=max` ASCII digits (captured).
enum Tok {
    Lit(&'static str),
    Digits(usize, usize),
}
use Tok::{Digits as D, Lit as L};

/// `^CZ\.(\d{2})\.(\d{2})\.(\d{2})/(\d{2})/(\d{2})_(\d{3})/(\d{7})$`
#[rustfmt::skip]
const NEW_SHAPE: &[Tok] = &[
    L("CZ."), D(2, 2), L("."), D(2, 2), L("."), D(2, 2), L("/"), D(2, 2), L("/"), D(2, 2), L("_"), D(3, 3),
    L("/"), D(7, 7),
];
/// `^CZ\.(\d{2})\.(\d{1,2})\.(\d{1,2})/\d\.\d/\d\.\d/(\d{2})_(\d{3})/(\d{7})$`
#[rustfmt::skip]
const OLD_SHAPE: &[Tok] = &[
    L("CZ."), D(2, 2), L("."), D(1, 2), L("."), D(1, 2), L("/"), D(1, 1), L("."), D(1, 1), L("/"), D(1, 1),
    L("."), D(1, 1), L("/"), D(2, 2), L("_"), D(3, 3), L("/"), D(7, 7),
];

/// Matches the whole of `s` against `pattern`; gives the spans of the digit runs. Greedy digit runs are
/// exact here because every run is followed by a non-digit literal or the end.
fn match_shape(s: &str, pattern: &[Tok]) -> Option<Vec<Span>> {
    let bytes = s.as_bytes();
    let mut pos = 0usize;
    let mut spans = Vec::new();
    for tok in pattern {
        match tok {
            Tok::Lit(lit) => {
                if !bytes.get(pos..)?.starts_with(lit.as_bytes()) {
                    return None;
                }
                pos += lit.len();
            }
            Tok::Digits(min, max) => {
                let run = bytes
                    .get(pos..)?
                    .iter()
                    .take(*max)
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if run < *min {
                    return None;
                }
                spans.push((u8::try_from(pos).ok()?, u8::try_from(pos + run).ok()?));
                pos += run;
            }
        }
    }
    (pos == bytes.len()).then_some(spans)
}

/// Trim, drop every whitespace character (incl. no-break spaces U+00A0, U+202F) and upper-case a leading `cz.`.
fn normalise(input: &str) -> String {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if compact
        .get(..3)
        .is_some_and(|head| head.eq_ignore_ascii_case("cz."))
    {
        format!("CZ.{}", compact.get(3..).unwrap_or_default())
    } else {
        compact
    }
}

impl RegistrationNumber {
    /// Parses a registration number of either shape, after normalising it (trim, remove inner spaces
    /// including no-break spaces, upper-case a leading `cz.`).
    ///
    /// # Errors
    /// [`DomainError::RegistrationNumberFormat`] when the normalised text has neither shape.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let value = normalise(input);
        let (period, spans) = if let Some(s) = match_shape(&value, NEW_SHAPE) {
            // groups: programme, priority, objective, lower level, year, number, serial
            (
                ProgrammePeriod::P2021_2027,
                [0, 1, 2, 4, 5, 6].map(|i| s.get(i).copied()),
            )
        } else if let Some(s) = match_shape(&value, OLD_SHAPE) {
            // groups: programme, priority, objective, 4 single digits, year, number, serial
            (
                ProgrammePeriod::P2014_2020,
                [0, 1, 2, 7, 8, 9].map(|i| s.get(i).copied()),
            )
        } else {
            return Err(DomainError::RegistrationNumberFormat);
        };
        let mut parts = [(0, 0); 6];
        for (slot, span) in parts.iter_mut().zip(spans) {
            *slot = span.ok_or(DomainError::RegistrationNumberFormat)?;
        }
        Ok(Self {
            value,
            period,
            parts,
        })
    }

    fn part(&self, i: usize) -> &str {
        self.parts
            .get(i)
            .and_then(|&(a, b)| self.value.get(usize::from(a)..usize::from(b)))
            .unwrap_or("")
    }

    /// The normalised text, e.g. `"CZ.03.01.01/00/22_015/0002653"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// The period the shape belongs to.
    #[must_use]
    pub fn period(&self) -> ProgrammePeriod {
        self.period
    }

    /// Programme code, e.g. `"03"` (OPZ+ / OPZ).
    #[must_use]
    pub fn programme_code(&self) -> &str {
        self.part(0)
    }

    /// Priority code as written: `"01"` (2021–2027) or `"1"` (2014–2020).
    #[must_use]
    pub fn priority_code(&self) -> &str {
        self.part(1)
    }

    /// Specific objective (third group) as written, e.g. `"01"` or `"48"`.
    #[must_use]
    pub fn specific_objective_code(&self) -> &str {
        self.part(2)
    }

    /// Two-digit year of the call (*výzva*), e.g. `"22"`.
    #[must_use]
    pub fn call_year(&self) -> &str {
        self.part(3)
    }

    /// Three-digit number of the call within its year, e.g. `"015"`.
    #[must_use]
    pub fn call_number(&self) -> &str {
        self.part(4)
    }

    /// Full call id: programme, year and number, e.g. `"03_22_015"` or `"03_15_010"`.
    #[must_use]
    pub fn call_id(&self) -> String {
        format!(
            "{}_{}_{}",
            self.programme_code(),
            self.call_year(),
            self.call_number()
        )
    }

    /// Seven-digit serial of the project, e.g. `"0002653"`.
    #[must_use]
    pub fn serial(&self) -> &str {
        self.part(5)
    }
}

impl fmt::Display for RegistrationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.value)
    }
}

impl FromStr for RegistrationNumber {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegistrationNumber {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegistrationNumber> for String {
    fn from(r: RegistrationNumber) -> Self {
        r.value
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rn(s: &str) -> RegistrationNumber {
        RegistrationNumber::parse(s).unwrap()
    }

    #[test]
    fn parses_2021_2027_numbers_into_parts() {
        let r = rn("CZ.03.01.01/00/22_015/0002653");
        assert_eq!(r.period(), ProgrammePeriod::P2021_2027);
        assert_eq!(r.period().label(), "2021–2027");
        assert_eq!(r.programme_code(), "03");
        assert_eq!(r.priority_code(), "01");
        assert_eq!(r.specific_objective_code(), "01");
        assert_eq!(r.call_year(), "22");
        assert_eq!(r.call_number(), "015");
        assert_eq!(r.call_id(), "03_22_015");
        assert_eq!(r.serial(), "0002653");
        assert_eq!(rn("CZ.03.01.01/00/22_015/0002657").serial(), "0002657");
        let r = rn("CZ.03.02.01/00/25_106/0006125");
        assert_eq!(
            (r.priority_code(), r.call_id().as_str()),
            ("02", "03_25_106")
        );
        assert_eq!(rn("CZ.03.02.01/00/24_065/0004961").call_id(), "03_24_065");
    }

    #[test]
    fn parses_2014_2020_numbers_into_parts() {
        let r = rn("CZ.03.1.48/0.0/0.0/15_010/0000036");
        assert_eq!(r.period(), ProgrammePeriod::P2014_2020);
        assert_eq!(r.period().label(), "2014–2020");
        assert_eq!(r.programme_code(), "03");
        assert_eq!(r.priority_code(), "1");
        assert_eq!(r.specific_objective_code(), "48");
        assert_eq!(r.call_id(), "03_15_010");
        assert_eq!(r.serial(), "0000036");
        let r = rn("CZ.03.1.48/0.0/0.0/15_121/0000597");
        assert_eq!(
            (r.call_year(), r.call_number(), r.serial()),
            ("15", "121", "0000597")
        );
    }

    #[test]
    fn period_is_told_by_shape_not_year() {
        let r = rn("CZ.31.2.0/0.0/0.0/23_090/0010634");
        assert_eq!(r.period(), ProgrammePeriod::P2014_2020);
        assert_eq!(r.call_id(), "31_23_090");
        assert_eq!(r.specific_objective_code(), "0");
    }

    #[test]
    fn period_code_is_the_stored_key_and_the_serde_name() {
        for (period, code, label) in [
            (ProgrammePeriod::P2021_2027, "2021-2027", "2021–2027"),
            (ProgrammePeriod::P2014_2020, "2014-2020", "2014–2020"),
        ] {
            assert_eq!(period.code(), code);
            assert_eq!(period.label(), label);
            assert_eq!(
                serde_json::to_string(&period).unwrap(),
                format!("\"{code}\"")
            );
        }
    }

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(
            rn(" cz.03.01.01/00/22_015/0002653 ").as_str(),
            "CZ.03.01.01/00/22_015/0002653"
        );
        assert_eq!(
            rn("CZ.03.01.01/00/\u{a0}22_015 /\u{202f}0002653").as_str(),
            "CZ.03.01.01/00/22_015/0002653"
        );
        assert_eq!(
            rn("Cz.03.1.48 / 0.0 / 0.0 / 15_010 / 0000036").as_str(),
            "CZ.03.1.48/0.0/0.0/15_010/0000036"
        );
    }

    #[test]
    fn rejects_malformed_numbers() {
        for bad in [
            "",
            "   ",
            "CZ",
            "CZ.03.01.01/00/22_015",
            "CZ.03.01.01/00/22_015/000265",
            "CZ.03.01.01/00/22_015/00026533",
            "CZ.3.01.01/00/22_015/0002653",
            "CZ.03.01.1/00/22_015/0002653",
            "CZ.03.01.01/0/22_015/0002653",
            "CZ.03.01.01/00/22_15/0002653",
            "CZ.03.01.01/00/2022_015/0002653",
            "CZ.03.01.01/00/22-015/0002653",
            "CZ.03.01.01/00/22_015/000265A",
            "CZ.03.01.01/00/22_015/0002653x",
            "CZ.03.01.01/00/22_015/0002653/",
            "XCZ.03.01.01/00/22_015/0002653",
            "SK.03.01.01/00/22_015/0002653",
            "CZ,03.01.01/00/22_015/0002653",
            "CZ.03.123.48/0.0/0.0/15_010/0000036",
            "CZ.03.1.48/0.00/0.0/15_010/0000036",
            "CZ.03.1.48/0.0/15_010/0000036",
            "CZ.03.1.48/0.0/0.0/15_010/0000036 1",
            "cz.03.01.01/00/22_015/0002653\u{0301}",
        ] {
            assert_eq!(
                RegistrationNumber::parse(bad),
                Err(DomainError::RegistrationNumberFormat),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn error_message_shows_both_shapes() {
        let msg = RegistrationNumber::parse("x").unwrap_err().to_string();
        assert_eq!(
            msg,
            "Registrační číslo musí mít tvar CZ.03.01.01/00/22_015/0002653 (2021–2027) \
             nebo CZ.03.1.48/0.0/0.0/15_010/0000036 (2014–2020)"
        );
    }

    #[test]
    fn conversions_and_serde_validate() {
        let r: RegistrationNumber = "cz.03.01.01/00/22_015/0002653".parse().unwrap();
        assert_eq!(r.to_string(), "CZ.03.01.01/00/22_015/0002653");
        assert_eq!(
            RegistrationNumber::try_from(String::from(r.clone())).unwrap(),
            r
        );
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#""CZ.03.01.01/00/22_015/0002653""#);
        assert_eq!(
            serde_json::from_str::<RegistrationNumber>(&json).unwrap(),
            r
        );
        assert!(serde_json::from_str::<RegistrationNumber>(r#""CZ.03""#).is_err());
        assert!(rn("CZ.03.01.01/00/22_015/0002653") < rn("CZ.03.01.01/00/22_015/0002657"));
    }
}
