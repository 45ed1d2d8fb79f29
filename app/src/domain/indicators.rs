//! Indicators (*indikátory*) of a project: their codes, the kind of value they count, how far a target is
//! fulfilled (*plnění*) and the correction (*korekce*, a cut of the grant) that missing a target may bring.
//!
//! Czech terms:
//! - *indikátor výstupu* (output indicator, ESF+ codes `EECO..`): what the project delivered, e.g. the
//!   number of participants, counted when they **enter**;
//! - *indikátor výsledku* (result indicator, `EECR..`): what it achieved, counted when participants
//!   **leave**;
//! - *NČI*, *Národní číselník indikátorů*: the national codebook of indicators, with numeric codes printed
//!   in groups, e.g. `6 00 00` *Celkový počet účastníků* (OPZ 2014–2020);
//! - *cílová hodnota* (target value) and *dosažená hodnota* (achieved value);
//! - *finanční korekce* (financial correction): a share of the grant (*dotace*) taken back when a target
//!   is missed, by bands of fulfilment that are a setting, not a rule of this code.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::finance::{format_decimal, percent_of, Percentage};
use super::{DomainError, Money};

/// No-break space (U+00A0) between a number and `%`.
const NBSP: char = '\u{a0}';

/// Whether an indicator counts outputs or results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorKind {
    /// *Indikátor výstupu* (ESF+ `EECO..`).
    Output,
    /// *Indikátor výsledku* (ESF+ `EECR..`).
    Result,
}

/// The code of an indicator: an ESF+ common indicator code (`EECO01`, `EECR04`: upper case) or a
/// national NČI code held as its digits without spaces (`6 00 00` is held as `60000`).
///
/// Serialised as that stored form (`"EECO01"`, `"60000"`); deserialised with [`IndicatorCode::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IndicatorCode(String);

impl IndicatorCode {
    /// Parses an indicator code as spreadsheets hold it. Whitespace (incl. no-break spaces) is ignored.
    /// - ESF+: `EECO` or `EECR` and two digits, any case: `EECO01`, `eeco01`, `EECR04`, `EECO18`;
    /// - national (NČI): five or six digits, grouped or not: `6 00 00`, `60000`; also as a spreadsheet
    ///   number with a zero fraction, `60000.0`. (The OPZ 2014–2020 codes such as `6 00 00` have five
    ///   digits; six are accepted for the 2021+ national codes, whose form is unverified.)
    ///
    /// # Errors
    /// [`DomainError::IndicatorCodeFormat`] for anything else (`XYZ01`, `EECO1`, `6000`, `EEXX01`).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let upper = compact.to_ascii_uppercase();
        let b = upper.as_bytes();
        if b.len() == 6
            && (upper.starts_with("EECO") || upper.starts_with("EECR"))
            && b[4..].iter().all(u8::is_ascii_digit)
        {
            return Ok(Self(upper));
        }
        let digits = match compact.split_once('.') {
            Some((int, frac)) if !frac.is_empty() && frac.bytes().all(|c| c == b'0') => int,
            Some(_) => return Err(DomainError::IndicatorCodeFormat),
            None => compact.as_str(),
        };
        if (5..=6).contains(&digits.len()) && digits.bytes().all(|c| c.is_ascii_digit()) {
            Ok(Self(digits.to_owned()))
        } else {
            Err(DomainError::IndicatorCodeFormat)
        }
    }

    /// The stored form: `"EECO01"`, `"60000"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a national (NČI) code.
    #[must_use]
    pub fn is_national(&self) -> bool {
        self.0.bytes().all(|c| c.is_ascii_digit())
    }

    /// The code as printed: ESF+ codes as they are, national codes in pairs of digits from the right
    /// separated by spaces: `60000` → `"6 00 00"`, `670010` → `"67 00 10"`.
    #[must_use]
    pub fn display(&self) -> String {
        if !self.is_national() {
            return self.0.clone();
        }
        let reversed: Vec<char> = self.0.chars().rev().collect();
        let pairs: Vec<String> = reversed
            .chunks(2)
            .rev()
            .map(|pair| pair.iter().rev().collect())
            .collect();
        pairs.join(" ")
    }

    /// Output or result for ESF+ codes (`EECO` / `EECR`); `None` for national codes, whose kind is not
    /// told by the code.
    #[must_use]
    pub fn kind(&self) -> Option<IndicatorKind> {
        if self.0.starts_with("EECO") {
            Some(IndicatorKind::Output)
        } else if self.0.starts_with("EECR") {
            Some(IndicatorKind::Result)
        } else {
            None
        }
    }
}

impl fmt::Display for IndicatorCode {
    /// Same as [`IndicatorCode::display`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl FromStr for IndicatorCode {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for IndicatorCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<IndicatorCode> for String {
    fn from(code: IndicatorCode) -> Self {
        code.0
    }
}

/// What an indicator's values count (*měrná jednotka*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndicatorUnit {
    /// *Osoby*: persons, whole numbers.
    Persons,
    /// *Subjekty*: entities (organisations, enterprises), whole numbers.
    Entities,
    /// *Procenta*: a percentage.
    Percent,
    /// Anything else.
    Other,
}

impl IndicatorUnit {
    const ALL: [Self; 4] = [Self::Persons, Self::Entities, Self::Percent, Self::Other];

    /// Stable code, as stored in `indicator.unit` and serialised: `persons`, `entities`, `percent`,
    /// `other`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Persons => "persons",
            Self::Entities => "entities",
            Self::Percent => "percent",
            Self::Other => "other",
        }
    }

    /// The unit with the given [`code`](IndicatorUnit::code).
    ///
    /// # Errors
    /// [`DomainError::UnknownIndicatorUnit`] for any other text.
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|u| u.code() == code)
            .ok_or_else(|| DomainError::UnknownIndicatorUnit {
                code: code.to_owned(),
            })
    }

    /// Checks a value of an indicator with this unit, achieved or targeted, wherever it comes from (the
    /// indicator forms and the importer): never negative; a whole number for persons and entities
    /// (`12,5 %` is fine, `1,5` persons is not).
    ///
    /// # Errors
    /// [`DomainError::IndicatorValueNegative`] below zero; [`DomainError::IndicatorValueNotWhole`] for a
    /// fraction of a person or an entity (`1,5`).
    pub fn validate_value(self, value: Decimal) -> Result<(), DomainError> {
        if value < Decimal::ZERO {
            return Err(DomainError::IndicatorValueNegative);
        }
        if matches!(self, Self::Persons | Self::Entities) && !value.fract().is_zero() {
            return Err(DomainError::IndicatorValueNotWhole {
                value: format_decimal(value),
            });
        }
        Ok(())
    }
}

/// Fulfilment of a target in percent: `achieved_cumulative / target × 100`, not rounded and not capped
/// (120 achieved of 100 is 120 %). `None` when the target is zero or negative, where it means nothing.
#[must_use]
pub fn fulfilment(achieved_cumulative: Decimal, target: Decimal) -> Option<Decimal> {
    if target <= Decimal::ZERO {
        return None;
    }
    achieved_cumulative
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(target)
}

/// One row of the correction table: a fulfilment from `from_percent` (inclusive) up to `to_percent`
/// (exclusive; `None` = no upper limit) brings a correction of `correction_percent` of the grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionBand {
    /// Lowest fulfilment in the band, in percent, inclusive; at least 0.
    pub from_percent: Decimal,
    /// Fulfilment where the band ends, in percent, exclusive; `None` for no upper limit.
    pub to_percent: Option<Decimal>,
    /// Share of the grant corrected (taken back) for a fulfilment in this band.
    pub correction_percent: Percentage,
}

impl CorrectionBand {
    /// True when `fulfilment_percent` is in `[from_percent, to_percent)`.
    #[must_use]
    pub fn contains(&self, fulfilment_percent: Decimal) -> bool {
        self.from_percent <= fulfilment_percent
            && self.to_percent.is_none_or(|to| fulfilment_percent < to)
    }

    /// `"70–85 %"`, or `"od 85 %"` without an upper limit.
    #[must_use]
    pub fn label(&self) -> String {
        let from = format_decimal(self.from_percent);
        match self.to_percent {
            Some(to) => format!("{from}–{}{NBSP}%", format_decimal(to)),
            None => format!("od {from}{NBSP}%"),
        }
    }
}

/// The correction table (a setting): bands of fulfilment, each with its correction. Bands never overlap;
/// they are kept ordered by `from_percent`. A fulfilment in no band (a gap) brings no correction.
///
/// Serialised as the list of bands; deserialised through [`CorrectionBands::new`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<CorrectionBand>", into = "Vec<CorrectionBand>")]
pub struct CorrectionBands(Vec<CorrectionBand>);

impl CorrectionBands {
    /// A table from its bands, in any order.
    ///
    /// # Errors
    /// [`DomainError::CorrectionBandRange`] for a band starting below 0 or not before it ends;
    /// [`DomainError::CorrectionBandsOverlap`] when two bands share a fulfilment.
    pub fn new(mut bands: Vec<CorrectionBand>) -> Result<Self, DomainError> {
        for band in &bands {
            if band.from_percent < Decimal::ZERO
                || band.to_percent.is_some_and(|to| to <= band.from_percent)
            {
                return Err(DomainError::CorrectionBandRange {
                    from: format_decimal(band.from_percent),
                    to: band
                        .to_percent
                        .map_or_else(|| "∞".to_owned(), format_decimal),
                });
            }
        }
        bands.sort_by_key(|band| band.from_percent);
        for pair in bands.windows(2) {
            if let [lower, upper] = pair {
                if lower.to_percent.is_none_or(|to| upper.from_percent < to) {
                    return Err(DomainError::CorrectionBandsOverlap {
                        first: lower.label(),
                        second: upper.label(),
                    });
                }
            }
        }
        Ok(Self(bands))
    }

    /// **\[U\] Unverified placeholder bands**, not the OPZ+ rules (which are not known here): fulfilment
    /// of 85 % and more: 0 %; 70–85 %: 5 %; 50–70 %: 10 %; below 50 %: 25 %. An admin must replace them
    /// with the bands of the programme's rules before any correction is shown as real.
    #[must_use]
    pub fn unverified_default() -> Self {
        let band = |from: i64, to: Option<i64>, correction: i64| CorrectionBand {
            from_percent: Decimal::from(from),
            to_percent: to.map(Decimal::from),
            correction_percent: Percentage::new(Decimal::from(correction))
                .unwrap_or_else(|_| Percentage::zero()),
        };
        Self(vec![
            band(0, Some(50), 25),
            band(50, Some(70), 10),
            band(70, Some(85), 5),
            band(85, None, 0),
        ])
    }

    /// The bands, ordered by `from_percent`.
    #[must_use]
    pub fn bands(&self) -> &[CorrectionBand] {
        &self.0
    }

    /// The correction, in percent of the grant, for a fulfilment in percent (see [`fulfilment`]); 0 when
    /// no band holds it.
    #[must_use]
    pub fn correction_percent_for(&self, fulfilment_percent: Decimal) -> Decimal {
        self.0
            .iter()
            .find(|band| band.contains(fulfilment_percent))
            .map_or(Decimal::ZERO, |band| band.correction_percent.value())
    }

    /// The amount of `grant` a fulfilment would cost: grant × correction %, rounded once.
    #[must_use]
    pub fn projected_correction(&self, grant: Money, fulfilment_percent: Decimal) -> Money {
        let correction = self
            .0
            .iter()
            .find(|band| band.contains(fulfilment_percent))
            .map_or_else(Percentage::zero, |band| band.correction_percent);
        percent_of(grant, correction)
    }
}

impl TryFrom<Vec<CorrectionBand>> for CorrectionBands {
    type Error = DomainError;
    fn try_from(bands: Vec<CorrectionBand>) -> Result<Self, Self::Error> {
        Self::new(bands)
    }
}

impl From<CorrectionBands> for Vec<CorrectionBand> {
    fn from(bands: CorrectionBands) -> Self {
        bands.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> IndicatorCode {
        IndicatorCode::parse(s).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn band(from: &str, to: Option<&str>, correction: &str) -> CorrectionBand {
        CorrectionBand {
            from_percent: dec(from),
            to_percent: to.map(dec),
            correction_percent: Percentage::parse(correction).unwrap(),
        }
    }

    #[test]
    fn parses_esf_codes_in_upper_case() {
        assert_eq!(code("EECO01").as_str(), "EECO01");
        assert_eq!(code("eeco01").as_str(), "EECO01");
        assert_eq!(code(" EECR04 ").as_str(), "EECR04");
        assert_eq!(code("EECO18").as_str(), "EECO18");
        assert_eq!(code("eEcR06").display(), "EECR06");
        assert_eq!(code("EECO01").kind(), Some(IndicatorKind::Output));
        assert_eq!(code("EECR04").kind(), Some(IndicatorKind::Result));
        assert!(!code("EECO01").is_national());
    }

    #[test]
    fn parses_national_codes_without_spaces_and_prints_them_grouped() {
        // "6 00 00" is the NČI code 60000 (five digits): stored 60000, printed 6 00 00
        for input in [
            "6 00 00",
            "60000",
            "6\u{a0}00\u{a0}00",
            "60000.0",
            " 60000 ",
        ] {
            let c = code(input);
            assert_eq!(c.as_str(), "60000", "{input:?}");
            assert_eq!(c.display(), "6 00 00");
            assert_eq!(c.to_string(), "6 00 00");
            assert!(c.is_national());
            assert_eq!(c.kind(), None);
        }
        // six digits are paired the same way, from the right
        assert_eq!(code("600000").display(), "60 00 00");
        assert_eq!(code("60 00 00").as_str(), "600000");
        assert_ne!(code("600000"), code("60000"));
    }

    #[test]
    fn refuses_other_codes_with_examples() {
        for bad in [
            "", "XYZ01", "EECO1", "EECO001", "EEXX01", "EECOAB", "6000", "6000000", "6 00 0a",
            "60000.5", "CO01", "EESCR01",
        ] {
            assert_eq!(
                IndicatorCode::parse(bad),
                Err(DomainError::IndicatorCodeFormat),
                "{bad:?}"
            );
        }
        let msg = DomainError::IndicatorCodeFormat.to_string();
        assert!(msg.contains("EECO01") && msg.contains("6 00 00"), "{msg}");
    }

    #[test]
    fn indicator_code_serde_uses_the_stored_form() {
        let json = serde_json::to_string(&code("6 00 00")).unwrap();
        assert_eq!(json, r#""60000""#);
        assert_eq!(
            serde_json::from_str::<IndicatorCode>(r#""eeco02""#).unwrap(),
            code("EECO02")
        );
        assert!(serde_json::from_str::<IndicatorCode>(r#""XYZ01""#).is_err());
    }

    #[test]
    fn persons_and_entities_are_whole_and_nothing_is_negative() {
        use IndicatorUnit::{Entities, Other, Percent, Persons};
        assert_eq!(Persons.validate_value(dec("12")), Ok(()));
        assert_eq!(
            Persons.validate_value(dec("12.000")),
            Ok(()),
            "a whole number in disguise"
        );
        assert_eq!(Entities.validate_value(Decimal::ZERO), Ok(()));
        assert_eq!(
            Persons.validate_value(dec("1.5")),
            Err(DomainError::IndicatorValueNotWhole {
                value: "1,5".into()
            })
        );
        assert!(Entities.validate_value(dec("0.1")).is_err());
        assert_eq!(Percent.validate_value(dec("12.5")), Ok(()));
        assert_eq!(Other.validate_value(dec("0.001")), Ok(()));
        for unit in [Persons, Entities, Percent, Other] {
            assert_eq!(
                unit.validate_value(dec("-3")),
                Err(DomainError::IndicatorValueNegative)
            );
        }
    }

    #[test]
    fn unit_codes_round_trip_and_match_serde() {
        for unit in IndicatorUnit::ALL {
            assert_eq!(IndicatorUnit::from_code(unit.code()), Ok(unit));
            assert_eq!(
                serde_json::to_string(&unit).unwrap(),
                format!("\"{}\"", unit.code())
            );
        }
        assert_eq!(
            IndicatorUnit::from_code("kg"),
            Err(DomainError::UnknownIndicatorUnit { code: "kg".into() })
        );
        assert!(IndicatorUnit::from_code("Persons").is_err());
    }

    #[test]
    fn fulfilment_is_a_percentage_of_the_target_and_not_capped() {
        // 85 / 100 × 100 = 85; 120 / 100 × 100 = 120; 3 / 4 × 100 = 75; 1 / 3 × 100 = 33,33…
        assert_eq!(fulfilment(dec("85"), dec("100")), Some(dec("85")));
        assert_eq!(fulfilment(dec("120"), dec("100")), Some(dec("120")));
        assert_eq!(fulfilment(dec("3"), dec("4")), Some(dec("75")));
        let third = fulfilment(dec("1"), dec("3")).unwrap();
        assert_eq!(third.round_dp(4), dec("33.3333"));
        assert_eq!(fulfilment(Decimal::ZERO, dec("40")), Some(Decimal::ZERO));
        assert_eq!(fulfilment(dec("5"), Decimal::ZERO), None);
        assert_eq!(fulfilment(Decimal::ZERO, Decimal::ZERO), None);
    }

    #[test]
    fn placeholder_bands_give_corrections_at_their_bounds() {
        // [0; 50) → 25 %, [50; 70) → 10 %, [70; 85) → 5 %, [85; ∞) → 0 %
        let bands = CorrectionBands::unverified_default();
        assert_eq!(bands.bands().len(), 4);
        for (fulfilment, correction) in [
            ("0", "25"),
            ("49.99", "25"),
            ("50", "10"),
            ("69.99", "10"),
            ("70", "5"),
            ("84.9999", "5"),
            ("85", "0"),
            ("120", "0"),
        ] {
            assert_eq!(
                bands.correction_percent_for(dec(fulfilment)),
                dec(correction),
                "{fulfilment}"
            );
        }
    }

    #[test]
    fn projected_correction_is_rounded_once() {
        let bands = CorrectionBands::unverified_default();
        // 60 % fulfilment → 10 %: 1 000 000,01 × 0,10 = 100 000,001 → 100 000,00
        assert_eq!(
            bands.projected_correction(m("1 000 000,01"), dec("60")),
            m("100 000,00")
        );
        // 40 % → 25 %: 1 234 567,89 × 0,25 = 308 641,9725 → 308 641,97
        assert_eq!(
            bands.projected_correction(m("1 234 567,89"), dec("40")),
            m("308 641,97")
        );
        // 75 % → 5 %: 0,10 × 0,05 = 0,005 → 0,01 (half away from zero)
        assert_eq!(bands.projected_correction(m("0,10"), dec("75")), m("0,01"));
        // 90 % → 0 %
        assert_eq!(
            bands.projected_correction(m("1 000"), dec("90")),
            Money::zero()
        );
    }

    #[test]
    fn bands_are_validated_and_ordered() {
        let bands = CorrectionBands::new(vec![band("85", None, "0"), band("0", Some("85"), "7,5")])
            .unwrap();
        assert_eq!(bands.bands()[0].from_percent, Decimal::ZERO);
        assert_eq!(bands.correction_percent_for(dec("50")), dec("7.5"));
        // a gap [50; 60) brings no correction
        let gappy =
            CorrectionBands::new(vec![band("0", Some("50"), "20"), band("60", None, "0")]).unwrap();
        assert_eq!(gappy.correction_percent_for(dec("55")), Decimal::ZERO);
        assert_eq!(
            CorrectionBands::new(vec![])
                .unwrap()
                .correction_percent_for(dec("1")),
            Decimal::ZERO
        );

        assert_eq!(
            CorrectionBands::new(vec![band("70", Some("70"), "5")]),
            Err(DomainError::CorrectionBandRange {
                from: "70".into(),
                to: "70".into()
            })
        );
        assert!(CorrectionBands::new(vec![band("85", Some("70"), "5")]).is_err());
        assert!(CorrectionBands::new(vec![band("-1", Some("50"), "5")]).is_err());
        let err = CorrectionBands::new(vec![
            band("0", Some("50"), "25"),
            band("40", Some("70"), "10"),
        ])
        .unwrap_err();
        assert_eq!(
            err,
            DomainError::CorrectionBandsOverlap {
                first: "0–50\u{a0}%".into(),
                second: "40–70\u{a0}%".into()
            }
        );
        // two open-ended bands overlap
        assert!(CorrectionBands::new(vec![band("50", None, "0"), band("90", None, "0")]).is_err());
        // touching bands do not
        assert!(
            CorrectionBands::new(vec![band("0", Some("50"), "1"), band("50", None, "0")]).is_ok()
        );
    }

    #[test]
    fn bands_serialise_and_deserialise_through_validation() {
        let bands = CorrectionBands::unverified_default();
        let json = serde_json::to_string(&bands).unwrap();
        assert!(json
            .starts_with(r#"[{"from_percent":"0","to_percent":"50","correction_percent":"25"}"#));
        assert_eq!(
            serde_json::from_str::<CorrectionBands>(&json).unwrap(),
            bands
        );
        let overlapping = r#"[{"from_percent":"0","to_percent":"60","correction_percent":"25"},
                              {"from_percent":"50","to_percent":null,"correction_percent":"0"}]"#;
        assert!(serde_json::from_str::<CorrectionBands>(overlapping).is_err());
        assert_eq!(band("85", None, "0").label(), "od 85\u{a0}%");
    }
}
