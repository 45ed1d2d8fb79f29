//! [`Money`]: an amount in CZK with exactly two decimal places (*haléře*, 1/100 of a koruna).
//!
//! Never a binary floating-point type. Rounding happens in one place only: [`Money::from_decimal`] with [`ROUNDING`].
//! The accepted range is ±999 999 999 999,99 Kč, so every value fits an `i64` count of haléře (how the
//! database stores money).

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use super::DomainError;

/// THE rounding rule of the app: to 2 decimal places, a half haléř away from zero (0,005 → 0,01;
/// −0,005 → −0,01). Applied only by [`Money::from_decimal`]; every computation that produces a `Decimal`
/// (shares, rates, conversions from spreadsheet floats) becomes `Money` through it.
pub const ROUNDING: RoundingStrategy = RoundingStrategy::MidpointAwayFromZero;

/// No-break space (U+00A0), used when formatting.
const NBSP: char = '\u{a0}';

/// An amount in CZK, always with scale 2, within ±[`Money::MAX_HALERE`] haléřů.
///
/// Serialised as a string with a dot and two decimals, e.g. `"1234567.89"`; deserialised with
/// [`Money::parse`], so the range and the two-decimal limit hold for deserialised values too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

impl Money {
    /// Largest absolute value in haléře: 999 999 999 999,99 Kč.
    pub const MAX_HALERE: i64 = 99_999_999_999_999;

    /// 0,00 Kč.
    #[must_use]
    pub fn zero() -> Self {
        Self(Decimal::new(0, 2))
    }

    fn from_halere_i128(halere: i128) -> Result<Self, DomainError> {
        if halere.unsigned_abs() > u128::from(Self::MAX_HALERE.unsigned_abs()) {
            return Err(DomainError::MoneyOutOfRange);
        }
        let h = i64::try_from(halere).map_err(|_| DomainError::MoneyOutOfRange)?;
        Ok(Self(Decimal::new(h, 2)))
    }

    /// An amount from a whole number of haléře (100 haléřů = 1 Kč).
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`] beyond ±[`Money::MAX_HALERE`].
    pub fn from_halere(halere: i64) -> Result<Self, DomainError> {
        Self::from_halere_i128(i128::from(halere))
    }

    /// The amount in haléře. Cannot overflow: the range of `Money` fits `i64`.
    #[must_use]
    pub fn to_halere(self) -> i64 {
        let h = self.halere_i128();
        // Unreachable fallback: |h| <= MAX_HALERE by construction.
        i64::try_from(h).unwrap_or(if h < 0 {
            -Self::MAX_HALERE
        } else {
            Self::MAX_HALERE
        })
    }

    fn halere_i128(self) -> i128 {
        let mut d = self.0;
        d.rescale(2);
        d.mantissa()
    }

    /// An amount from any decimal, rounded once to 2 places with [`ROUNDING`]. The only rounding in the app.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`] when the rounded value is beyond ±999 999 999 999,99.
    pub fn from_decimal(value: Decimal) -> Result<Self, DomainError> {
        let mut rounded = value.round_dp_with_strategy(2, ROUNDING);
        if rounded.abs() > Decimal::new(Self::MAX_HALERE, 2) {
            return Err(DomainError::MoneyOutOfRange);
        }
        rounded.rescale(2);
        Self::from_halere_i128(rounded.mantissa())
    }

    /// The amount as a `Decimal` with scale 2, for computations (whose result comes back via
    /// [`Money::from_decimal`]).
    #[must_use]
    pub fn as_decimal(self) -> Decimal {
        self.0
    }

    /// `self + rhs`, exact.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`] when the result is beyond the range.
    pub fn checked_add(self, rhs: Self) -> Result<Self, DomainError> {
        Self::from_halere_i128(self.halere_i128() + rhs.halere_i128())
    }

    /// `self − rhs`, exact.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`] when the result is beyond the range.
    pub fn checked_sub(self, rhs: Self) -> Result<Self, DomainError> {
        Self::from_halere_i128(self.halere_i128() - rhs.halere_i128())
    }

    /// Exact sum of amounts (0,00 for none). Only the total must be within the range.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`] when the total is beyond the range.
    pub fn sum<I: IntoIterator<Item = Self>>(amounts: I) -> Result<Self, DomainError> {
        let mut total: i128 = 0;
        for m in amounts {
            total = total
                .checked_add(m.halere_i128())
                .ok_or(DomainError::MoneyOutOfRange)?;
        }
        Self::from_halere_i128(total)
    }

    /// The amount without its sign (exact: the range is symmetric).
    #[must_use]
    pub fn abs(self) -> Self {
        Self(self.0.abs())
    }

    /// True below zero.
    #[must_use]
    pub fn is_negative(self) -> bool {
        self.halere_i128() < 0
    }

    /// True for 0,00.
    #[must_use]
    pub fn is_zero(self) -> bool {
        self.halere_i128() == 0
    }

    /// Czech format without the currency: `"1 234 567,89"`, thousands separated by no-break spaces (U+00A0).
    #[must_use]
    pub fn format_plain(self) -> String {
        let h = self.halere_i128();
        let digits = (h.abs() / 100).to_string();
        let mut grouped = String::with_capacity(digits.len() * 2);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(NBSP);
            }
            grouped.push(c);
        }
        let sign = if h < 0 { "-" } else { "" };
        format!("{sign}{grouped},{:02}", h.abs() % 100)
    }

    /// Parses an amount as people write it in Czech. Accepted, with an optional leading `-` and an optional
    /// trailing `Kč` or `CZK`:
    /// - decimal comma or decimal dot, 1 or 2 decimals: `1234567,89`, `1234567.89`, `1 000,5`;
    ///   whole crowns as `1 000`, `1 000,-`;
    /// - thousands separated by spaces (normal, no-break U+00A0, narrow no-break U+202F, thin U+2009) or,
    ///   when a comma is the decimal mark or there are several dots, by dots: `1.234.567,89`, `1.234.567`;
    ///   groups must be of three digits.
    ///
    /// Refused, never guessed: a comma as thousands separator (`1,234,567.89`, `12,3,4`), more than two
    /// decimals (`1,234` and `1.234` could be a thousand), exponents, anything else.
    ///
    /// # Errors
    /// [`DomainError::MoneyFormat`] for an unaccepted notation, [`DomainError::MoneyTooManyDecimals`] for
    /// three or more decimals, [`DomainError::MoneyOutOfRange`] beyond ±999 999 999 999,99.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let mut s = input.trim();
        for suffix in ["Kč", "kč", "KČ", "CZK", "czk"] {
            if let Some(rest) = s.strip_suffix(suffix) {
                s = rest.trim_end();
                break;
            }
        }
        let (negative, s) = match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
            Some(rest) => (true, rest.trim_start()),
            None => (false, s),
        };
        let (int_part, frac_part) =
            if let Some(int) = s.strip_suffix(",--").or_else(|| s.strip_suffix(",-")) {
                (int, Some(""))
            } else if let Some((int, frac)) = s.split_once(',') {
                if frac.is_empty() {
                    return Err(DomainError::MoneyFormat);
                }
                (int, Some(frac))
            } else if s.matches('.').count() == 1 {
                let (int, frac) = s.split_once('.').ok_or(DomainError::MoneyFormat)?;
                if frac.is_empty() {
                    return Err(DomainError::MoneyFormat);
                }
                (int, Some(frac))
            } else {
                (s, None)
            };
        let frac = frac_part.unwrap_or("");
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::MoneyFormat);
        }
        let crowns = parse_grouped_integer(int_part)?;
        if frac.len() > 2 {
            return Err(DomainError::MoneyTooManyDecimals);
        }
        let mut halere = crowns
            .checked_mul(100)
            .ok_or(DomainError::MoneyOutOfRange)?;
        for (place, b) in [10u8, 1].iter().zip(frac.bytes()) {
            halere += i128::from(*place) * i128::from(b - b'0');
        }
        Self::from_halere_i128(if negative { -halere } else { halere })
    }
}

fn is_space_separator(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

/// Digits with optional thousands separators (spaces or dots, one kind) in groups of three.
fn parse_grouped_integer(s: &str) -> Result<i128, DomainError> {
    let uses_dots = s.contains('.');
    let uses_spaces = s.chars().any(is_space_separator);
    if s.is_empty() || (uses_dots && uses_spaces) {
        return Err(DomainError::MoneyFormat);
    }
    let groups: Vec<&str> = if uses_dots {
        s.split('.').collect()
    } else {
        s.split(is_space_separator)
            .filter(|g| !g.is_empty())
            .collect()
    };
    for (i, g) in groups.iter().enumerate() {
        let len_ok = if groups.len() == 1 {
            !g.is_empty()
        } else if i == 0 {
            (1..=3).contains(&g.len())
        } else {
            g.len() == 3
        };
        if !len_ok || !g.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DomainError::MoneyFormat);
        }
    }
    let digits: String = groups.concat();
    let significant = digits.trim_start_matches('0');
    if significant.len() > 12 {
        return Err(DomainError::MoneyOutOfRange);
    }
    if significant.is_empty() {
        return Ok(0);
    }
    significant
        .parse::<i128>()
        .map_err(|_| DomainError::MoneyFormat)
}

impl Default for Money {
    fn default() -> Self {
        Self::zero()
    }
}

impl fmt::Display for Money {
    /// `"1 234 567,89 Kč"` with no-break spaces (U+00A0) between groups and before `Kč`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{NBSP}Kč", self.format_plain())
    }
}

impl FromStr for Money {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Money {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Money> for String {
    /// Machine form: `"1234567.89"`, `"-5.00"`.
    fn from(m: Money) -> Self {
        let h = m.halere_i128();
        format!(
            "{}{}.{:02}",
            if h < 0 { "-" } else { "" },
            h.abs() / 100,
            h.abs() % 100
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn parses_czech_notations() {
        let (nb, nn) = ('\u{a0}', '\u{202f}');
        let with_nbsp = format!("1{nb}234{nb}567,89{nb}Kč");
        let with_narrow = format!("1{nn}234{nn}567,89");
        for (input, expected) in [
            ("1 234 567,89", "1234567.89"),
            ("1234567,89", "1234567.89"),
            ("1234567.89", "1234567.89"),
            ("1 234 567,89 Kč", "1234567.89"),
            ("1 234 567 Kč", "1234567.00"),
            (with_nbsp.as_str(), "1234567.89"),
            (with_narrow.as_str(), "1234567.89"),
            ("1\u{2009}234,5", "1234.50"),
            ("-1 000,00", "-1000.00"),
            ("- 1 000 Kč", "-1000.00"),
            ("\u{2212}12,5", "-12.50"),
            ("1.234.567,89", "1234567.89"),
            ("1.234.567", "1234567.00"),
            ("1 000,-", "1000.00"),
            ("1.000,- Kč", "1000.00"),
            ("  42  ", "42.00"),
            ("0,01", "0.01"),
            ("0", "0.00"),
            ("-0", "0.00"),
            ("007,5", "7.50"),
            ("12 CZK", "12.00"),
            ("999 999 999 999,99", "999999999999.99"),
            ("-999999999999.99", "-999999999999.99"),
        ] {
            assert_eq!(String::from(m(input)), expected, "{input:?}");
        }
    }

    #[test]
    fn refuses_ambiguous_or_malformed_input() {
        use DomainError::{MoneyFormat as F, MoneyOutOfRange as R, MoneyTooManyDecimals as D};
        for (input, err) in [
            ("", F),
            ("Kč", F),
            ("-", F),
            ("abc", F),
            ("1e400", F),
            ("12,3,4", F),
            ("1,234,567.89", F),
            ("1,234.5", F),
            ("1.234 567", F),
            ("1 23", F),
            ("1234 567", F),
            ("1..234", F),
            (".5", F),
            ("5.", F),
            ("5,", F),
            ("--5", F),
            ("+5", F),
            ("5 Kč Kč", F),
            ("1,5 0", F),
            ("0x10", F),
            ("1,234", D),
            ("1.234", D),
            ("0,001", D),
            ("1 000 000 000 000", R),
            ("1000000000000,00", R),
            ("-1 000 000 000 000,00 Kč", R),
            ("99999999999999999999999999999999999999999", R),
        ] {
            assert_eq!(Money::parse(input), Err(err.clone()), "{input:?}");
        }
        assert!(DomainError::MoneyTooManyDecimals
            .to_string()
            .contains("nejvýše 2 desetinná místa"));
    }

    #[test]
    fn formats_in_czech_with_no_break_spaces() {
        for (halere, plain) in [
            (123_456_789, "1\u{a0}234\u{a0}567,89"),
            (0, "0,00"),
            (1, "0,01"),
            (-100_000, "-1\u{a0}000,00"),
            (99_999, "999,99"),
            (Money::MAX_HALERE, "999\u{a0}999\u{a0}999\u{a0}999,99"),
        ] {
            let money = Money::from_halere(halere).unwrap();
            assert_eq!(money.format_plain(), plain);
            assert_eq!(money.to_string(), format!("{plain}\u{a0}Kč"));
            assert_eq!(
                Money::parse(&money.to_string()).unwrap(),
                money,
                "format → parse round trip"
            );
        }
    }

    #[test]
    fn halere_round_trip_at_the_extremes() {
        for h in [Money::MAX_HALERE, -Money::MAX_HALERE, 1, -1, 0] {
            assert_eq!(Money::from_halere(h).unwrap().to_halere(), h);
        }
        assert_eq!(m("999999999999.99").to_halere(), 99_999_999_999_999);
        assert_eq!(m("0.01").to_halere(), 1);
        assert_eq!(
            Money::from_halere(Money::MAX_HALERE + 1),
            Err(DomainError::MoneyOutOfRange)
        );
        assert_eq!(
            Money::from_halere(i64::MIN),
            Err(DomainError::MoneyOutOfRange)
        );
    }

    #[test]
    fn from_decimal_rounds_half_away_from_zero_once() {
        for (input, expected) in [
            ("0.005", "0.01"),
            ("-0.005", "-0.01"),
            ("0.0049", "0.00"),
            ("-0.0049", "0.00"),
            ("2.675", "2.68"),
            ("1.5", "1.50"),
            ("7", "7.00"),
            ("999999999999.994", "999999999999.99"),
        ] {
            assert_eq!(
                String::from(Money::from_decimal(dec(input)).unwrap()),
                expected,
                "{input}"
            );
        }
        assert_eq!(
            Money::from_decimal(dec("999999999999.995")),
            Err(DomainError::MoneyOutOfRange)
        );
        assert_eq!(
            Money::from_decimal(Decimal::MAX),
            Err(DomainError::MoneyOutOfRange)
        );
        assert_eq!(
            Money::from_decimal(dec("1.5"))
                .unwrap()
                .as_decimal()
                .scale(),
            2
        );
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(m("0.1").checked_add(m("0.2")).unwrap(), m("0.30"));
        assert_eq!(
            m("0.1")
                .checked_add(m("0.2"))
                .unwrap()
                .as_decimal()
                .to_string(),
            "0.30"
        );
        let cents = std::iter::repeat_n(m("0,01"), 100_000);
        assert_eq!(String::from(Money::sum(cents).unwrap()), "1000.00");
        assert_eq!(Money::sum(Vec::new()).unwrap(), Money::zero());
        assert_eq!(m("1").checked_sub(m("1,01")).unwrap(), m("-0,01"));
        assert!(m("1").checked_sub(m("1,01")).unwrap().is_negative());
        assert!(!Money::zero().is_negative() && Money::zero().is_zero());
        let max = Money::from_halere(Money::MAX_HALERE).unwrap();
        assert_eq!(
            max.checked_add(m("0,01")),
            Err(DomainError::MoneyOutOfRange)
        );
        assert_eq!(
            max_neg().checked_sub(m("0,01")),
            Err(DomainError::MoneyOutOfRange)
        );
        // only the total must fit
        assert_eq!(
            Money::sum([max, max, max_neg(), max_neg()]).unwrap(),
            Money::zero()
        );
        assert_eq!(Money::sum([max, max]), Err(DomainError::MoneyOutOfRange));
    }

    fn max_neg() -> Money {
        Money::from_halere(-Money::MAX_HALERE).unwrap()
    }

    #[test]
    fn serde_uses_machine_string_and_validates() {
        let amount = m("1 234 567,89 Kč");
        let json = serde_json::to_string(&amount).unwrap();
        assert_eq!(json, r#""1234567.89""#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), amount);
        assert_eq!(serde_json::to_string(&m("-5")).unwrap(), r#""-5.00""#);
        assert!(serde_json::from_str::<Money>(r#""1.234""#).is_err());
        assert!(
            serde_json::from_str::<Money>("12.5").is_err(),
            "numbers are refused, strings only"
        );
        assert_eq!(Money::default(), Money::zero());
        assert_eq!("12,50".parse::<Money>().unwrap(), m("12.5"));
        assert!(m("-1") < m("0,01"));
    }
}
