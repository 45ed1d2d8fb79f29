//! Money computations of a project: percentages, the co-financing split, flat-rate indirect costs, the
//! drawdown (*čerpání*) compared with elapsed time, and what remains of a budget.
//!
//! Czech terms:
//! - *spolufinancování* (co-financing): the eligible expenditure of a project is paid from several
//!   sources in shares fixed by the call: *příspěvek Unie* (the EU contribution, here ESF+), *národní
//!   veřejné zdroje – státní rozpočet* (national public sources, the state budget) and *vlastní zdroje*
//!   (the beneficiary's own resources). The shares are stored per project, never as constants.
//! - *nepřímé náklady* (indirect costs) paid as a *paušální sazba* (flat rate) of the direct costs.
//! - *čerpání* (drawdown): how much of the budget has been paid out (claimed) so far.
//! - *p. b.* (*procentní bod*, percentage point): the difference of two percentages.
//!
//! Every amount computed here from a rate goes through [`Money::from_decimal`] exactly once, i.e. it is
//! rounded once with [`ROUNDING`] (to haléře, half away from zero).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{DateRange, DomainError, Money, ROUNDING};

/// No-break space (U+00A0), between a number and its unit (`20,0 %`, `40,0 p. b.`), as in [`Money`].
const NBSP: char = '\u{a0}';

/// Largest number of decimal places a [`Percentage`] may have.
const PERCENTAGE_MAX_DECIMALS: u32 = 4;

/// A percentage from 0 to 100 inclusive with at most four decimal places (`33,3333 %`), e.g. a
/// co-financing share or a flat rate. Holds the percentage itself (85 for 85 %), normalised.
///
/// `Display` is Czech: `"85,5 %"` (decimal comma, no-break space before `%`). Serialised as a machine
/// string `"85.5"`; deserialised with [`Percentage::parse`], so the range and decimals hold there too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Percentage(Decimal);

impl Percentage {
    /// 0 %.
    #[must_use]
    pub fn zero() -> Self {
        Self(Decimal::ZERO)
    }

    /// 100 %.
    #[must_use]
    pub fn hundred() -> Self {
        Self(Decimal::ONE_HUNDRED)
    }

    /// A percentage from its value (85 for 85 %).
    ///
    /// # Errors
    /// [`DomainError::PercentageOutOfRange`] below 0 or above 100;
    /// [`DomainError::PercentageTooManyDecimals`] with more than four significant decimal places.
    pub fn new(value: Decimal) -> Result<Self, DomainError> {
        let mut value = value.normalize();
        if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
            return Err(DomainError::PercentageOutOfRange);
        }
        if value.scale() > PERCENTAGE_MAX_DECIMALS {
            return Err(DomainError::PercentageTooManyDecimals);
        }
        value.set_sign_positive(true); // -0 → 0
        Ok(Self(value))
    }

    /// Parses a percentage as people write it: `85`, `85,5`, `85.5`, `85,5 %`, `7%`, `33,3333 %`
    /// (decimal comma or dot; optional `%`, with or without a normal or no-break space before it).
    ///
    /// # Errors
    /// [`DomainError::PercentageFormat`] for anything but digits with at most one decimal mark;
    /// [`DomainError::PercentageOutOfRange`] for a negative value or one above 100;
    /// [`DomainError::PercentageTooManyDecimals`] for five or more decimals.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim();
        let s = s.strip_suffix('%').map_or(s, str::trim_end);
        if let Some(rest) = s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
            return Err(if is_plain_number(rest) {
                DomainError::PercentageOutOfRange
            } else {
                DomainError::PercentageFormat
            });
        }
        if !is_plain_number(s) {
            return Err(DomainError::PercentageFormat);
        }
        let (int, frac) = s.split_once([',', '.']).unwrap_or((s, ""));
        if frac.len() > PERCENTAGE_MAX_DECIMALS as usize {
            return Err(DomainError::PercentageTooManyDecimals);
        }
        if int.trim_start_matches('0').len() > 3 {
            return Err(DomainError::PercentageOutOfRange);
        }
        let digits = format!("{int}{frac}");
        let mantissa: i64 = digits.parse().map_err(|_| DomainError::PercentageFormat)?;
        let scale = u32::try_from(frac.len()).map_err(|_| DomainError::PercentageFormat)?;
        Self::new(Decimal::new(mantissa, scale))
    }

    /// The percentage itself: 85.5 for 85,5 %.
    #[must_use]
    pub fn value(self) -> Decimal {
        self.0
    }

    /// The share as a fraction of one: 0.855 for 85,5 %.
    #[must_use]
    pub fn fraction(self) -> Decimal {
        self.0 / Decimal::ONE_HUNDRED
    }
}

/// Digits with at most one decimal mark (`,` or `.`) that has digits on both sides.
fn is_plain_number(s: &str) -> bool {
    let (int, frac) = match s.split_once([',', '.']) {
        Some((int, frac)) => (int, Some(frac)),
        None => (s, None),
    };
    let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    digits(int) && frac.is_none_or(digits)
}

impl fmt::Display for Percentage {
    /// `"85,5 %"`, `"7 %"`, `"33,3333 %"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{NBSP}%", format_decimal(self.0))
    }
}

impl FromStr for Percentage {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Percentage {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl TryFrom<Decimal> for Percentage {
    type Error = DomainError;
    fn try_from(value: Decimal) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Percentage> for String {
    /// Machine form: `"85.5"`, `"7"`.
    fn from(p: Percentage) -> Self {
        p.0.to_string()
    }
}

/// A decimal the Czech way, as precise as it is and without trailing zeros: `"25"`, `"12,5"`, `"-0,25"`.
#[must_use]
pub fn format_decimal(value: Decimal) -> String {
    let mut v = value.normalize();
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.to_string().replace('.', ",")
}

/// A percentage (the value itself, e.g. 20 for 20 %) the Czech way with one decimal place, rounded with
/// [`ROUNDING`]: `20` → `"20,0 %"`, `33.333…` → `"33,3 %"`, `0.05` → `"0,1 %"` (no-break space before `%`).
#[must_use]
pub fn format_percent(value: Decimal) -> String {
    format!("{}{NBSP}%", format_one_decimal(value))
}

/// `value` rounded with [`ROUNDING`] to one decimal place, with a decimal comma: `"40,0"`.
fn format_one_decimal(value: Decimal) -> String {
    let mut v = value.round_dp_with_strategy(1, ROUNDING);
    if v.is_zero() {
        v.set_sign_positive(true);
    }
    v.rescale(1);
    v.to_string().replace('.', ",")
}

/// `amount × rate`, rounded once with [`ROUNDING`]: the amount a percentage of `amount` comes to.
#[must_use]
pub fn percent_of(amount: Money, rate: Percentage) -> Money {
    let exact = amount.as_decimal() * rate.fraction();
    // |exact| <= |amount| because rate <= 100 %, so the result is always within Money's range and the
    // fallback is unreachable.
    Money::from_decimal(exact).unwrap_or(amount)
}

/// The shares of the three sources of financing of a project (*zdroje financování*), set by its call:
/// *příspěvek Unie* (EU contribution), *národní veřejné zdroje – státní rozpočet* (state budget) and
/// *vlastní zdroje* (the beneficiary's own resources). They always add up to exactly 100 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawFundingShares")]
pub struct FundingShares {
    eu: Percentage,
    state: Percentage,
    own: Percentage,
}

#[derive(Deserialize)]
struct RawFundingShares {
    eu: Percentage,
    state: Percentage,
    own: Percentage,
}

impl TryFrom<RawFundingShares> for FundingShares {
    type Error = DomainError;
    fn try_from(raw: RawFundingShares) -> Result<Self, Self::Error> {
        Self::new(raw.eu, raw.state, raw.own)
    }
}

impl FundingShares {
    /// The shares of the EU, the state budget and own resources.
    ///
    /// # Errors
    /// [`DomainError::FundingSharesSum`] unless they add up to exactly 100 %.
    pub fn new(eu: Percentage, state: Percentage, own: Percentage) -> Result<Self, DomainError> {
        let sum = eu.value() + state.value() + own.value();
        if sum != Decimal::ONE_HUNDRED {
            return Err(DomainError::FundingSharesSum {
                sum: format!("{}{NBSP}%", format_decimal(sum)),
            });
        }
        Ok(Self { eu, state, own })
    }

    /// *Příspěvek Unie*: the EU (ESF+) share.
    #[must_use]
    pub fn eu(&self) -> Percentage {
        self.eu
    }

    /// *Národní veřejné zdroje – státní rozpočet*: the state-budget share.
    #[must_use]
    pub fn state(&self) -> Percentage {
        self.state
    }

    /// *Vlastní zdroje*: the beneficiary's own share.
    #[must_use]
    pub fn own(&self) -> Percentage {
        self.own
    }
}

/// A total split into its sources of financing; `eu + state + own == total` exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CofinancingSplit {
    /// *Příspěvek Unie*.
    pub eu: Money,
    /// *Národní veřejné zdroje – státní rozpočet*.
    pub state: Money,
    /// *Vlastní zdroje*: the remainder.
    pub own: Money,
}

/// Splits `total` into the EU, state and own parts.
///
/// Rule: the EU part and the state part are each `total × share`, rounded once with [`ROUNDING`]; the
/// own-resources part receives the remainder, `total − eu − state`, so that the three add up to `total`
/// exactly (as Jems gives the remainder to the partner contribution). The own part may thus differ from
/// `total × own share` by a haléř.
///
/// One exception keeps the own part from having the opposite sign to the total: when both public parts
/// round up by half a haléř and together exceed the total (possible only when the own share is (almost)
/// zero, e.g. 0,10 Kč at 85/15/0 gives 0,09 + 0,02), the state part is lowered by that haléř and the own
/// part is 0,00.
#[must_use]
pub fn split_cofinancing(total: Money, shares: &FundingShares) -> CofinancingSplit {
    let eu = percent_of(total, shares.eu);
    let mut state = percent_of(total, shares.state);
    // All three are within ±|total| and of its sign, so halere arithmetic in i64 cannot overflow.
    let (t, e) = (total.to_halere(), eu.to_halere());
    let mut s = state.to_halere();
    let mut own = t - e - s;
    if own != 0 && (own < 0) != (t < 0) {
        s += own;
        own = 0;
        state = Money::from_halere(s).unwrap_or(state);
    }
    CofinancingSplit {
        eu,
        state,
        own: Money::from_halere(own).unwrap_or_else(|_| Money::zero()),
    }
}

/// What is left of `budget` after `drawn` (*zbývá vyčerpat*). Negative means the budget is overdrawn.
///
/// # Errors
/// [`DomainError::MoneyOutOfRange`] when the difference is beyond Money's range (only possible with
/// amounts of opposite signs near ±999 999 999 999,99).
pub fn remaining(budget: Money, drawn: Money) -> Result<Money, DomainError> {
    budget.checked_sub(drawn)
}

/// True when drawing `change` more on a budget line that has `drawn_so_far` would exceed its `budget`
/// (*přečerpání*): the rule of the budget page and of the importer. Reaching the budget exactly is fine,
/// and a change that lowers drawing (a credit note, a smaller amount for an expenditure) never overdraws,
/// even on a line that is already overdrawn. Exact for all amounts (computed in `i128`).
#[must_use]
pub fn would_overdraw(budget: Money, drawn_so_far: Money, change: Money) -> bool {
    change.to_halere() > 0
        && i128::from(drawn_so_far.to_halere()) + i128::from(change.to_halere())
            > i128::from(budget.to_halere())
}

/// Share of `budget` drawn, as a fraction of one (0.2 for 20 %), not rounded; above 1 when overdrawn.
/// `None` for a zero budget, where a share means nothing.
#[must_use]
pub fn drawdown_share(drawn: Money, budget: Money) -> Option<Decimal> {
    if budget.is_zero() {
        return None;
    }
    drawn.as_decimal().checked_div(budget.as_decimal())
}

/// Share of `range` elapsed by the end of `today`, as a fraction of one (see [`DateRange::elapsed_share`]).
#[must_use]
pub fn elapsed_share(range: &DateRange, today: NaiveDate) -> Decimal {
    range.elapsed_share(today)
}

/// How far the drawdown lags behind the time elapsed, in percentage points: elapsed % − drawn %
/// (60 % of the time gone and 20 % drawn → 40). Negative when drawing is ahead of time. 0 for a zero
/// budget (there is nothing to lag behind). Not rounded.
#[must_use]
pub fn drawdown_lag(drawn: Money, budget: Money, range: &DateRange, today: NaiveDate) -> Decimal {
    drawdown_share(drawn, budget).map_or(Decimal::ZERO, |drawn_share| {
        (range.elapsed_share(today) - drawn_share) * Decimal::ONE_HUNDRED
    })
}

/// The drawdown of a project on a day, for display: shares as fractions of one, lag in percentage points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawdownStatus {
    /// [`drawdown_share`]: `None` for a zero budget.
    pub drawdown_share: Option<Decimal>,
    /// [`elapsed_share`].
    pub elapsed_share: Decimal,
    /// [`drawdown_lag`].
    pub lag_points: Decimal,
}

impl DrawdownStatus {
    /// The status of a project with `budget` of which `drawn` is paid, running over `range`, on `today`.
    #[must_use]
    pub fn compute(drawn: Money, budget: Money, range: &DateRange, today: NaiveDate) -> Self {
        Self {
            drawdown_share: drawdown_share(drawn, budget),
            elapsed_share: elapsed_share(range, today),
            lag_points: drawdown_lag(drawn, budget, range, today),
        }
    }
}

/// A warning raised on a project, with its reason in Czech, ready to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    /// Czech reason, with the figures that raised it.
    pub reason: String,
}

/// When a lagging drawdown raises a [`Flag`] (a setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawdownRule {
    /// Largest lag behind elapsed time, in percentage points, that is still not flagged.
    pub max_lag_points: Decimal,
}

impl Default for DrawdownRule {
    /// 25 percentage points. **\[U\] unverified placeholder**, not an OPZ+ rule: an admin should set it.
    fn default() -> Self {
        Self {
            max_lag_points: Decimal::new(25, 0),
        }
    }
}

impl DrawdownRule {
    /// A flag when the drawdown lags behind elapsed time by more than [`max_lag_points`]
    /// (exactly the maximum is fine), e.g. "Čerpání 20,0 % zaostává za uplynulým časem 60,0 % o 40,0 p. b.
    /// (povoleno nejvýše 25 p. b.)". `None` for a zero budget.
    ///
    /// [`max_lag_points`]: DrawdownRule::max_lag_points
    #[must_use]
    pub fn evaluate(
        &self,
        drawn: Money,
        budget: Money,
        range: &DateRange,
        today: NaiveDate,
    ) -> Option<Flag> {
        let status = DrawdownStatus::compute(drawn, budget, range, today);
        let drawn_share = status.drawdown_share?;
        if status.lag_points <= self.max_lag_points {
            return None;
        }
        let hundred = Decimal::ONE_HUNDRED;
        Some(Flag {
            reason: format!(
                "Čerpání {} zaostává za uplynulým časem {} o {}{NBSP}p. b. (povoleno nejvýše {}{NBSP}p. b.)",
                format_percent(drawn_share * hundred),
                format_percent(status.elapsed_share * hundred),
                format_one_decimal(status.lag_points),
                format_decimal(self.max_lag_points),
            ),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn p(s: &str) -> Percentage {
        Percentage::parse(s).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn d(y: i32, mo: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, day).unwrap()
    }

    fn shares(eu: &str, state: &str, own: &str) -> FundingShares {
        FundingShares::new(p(eu), p(state), p(own)).unwrap()
    }

    fn assert_adds_up(total: Money, split: &CofinancingSplit) {
        let sum = Money::sum([split.eu, split.state, split.own]).unwrap();
        assert_eq!(sum, total, "{split:?} must add up to {total}");
    }

    #[test]
    fn percentage_parses_czech_notations() {
        assert_eq!(p("85").value(), dec("85"));
        assert_eq!(p("85,5").value(), dec("85.5"));
        assert_eq!(p("85.5 %").value(), dec("85.5"));
        assert_eq!(p("7 %").value(), dec("7"));
        assert_eq!(p("7%").value(), dec("7"));
        assert_eq!(p(" 33,3333\u{a0}% ").value(), dec("33.3333"));
        assert_eq!(p("0").value(), Decimal::ZERO);
        assert_eq!(p("100,0000").value(), Decimal::ONE_HUNDRED);
        assert_eq!(p("85,50"), p("85.5"), "trailing zeros do not matter");
        assert_eq!(p("85,5").fraction(), dec("0.855"));
    }

    #[test]
    fn percentage_refuses_bad_input() {
        for bad in [
            "", "%", "abc", "85,", ",5", "8 5", "85,5,1", "1e2", "+5", "85 %%", "-x",
        ] {
            assert_eq!(
                Percentage::parse(bad),
                Err(DomainError::PercentageFormat),
                "{bad:?}"
            );
        }
        for bad in ["100,0001", "101", "-1", "-0,5 %", "1000000000000000000000"] {
            assert_eq!(
                Percentage::parse(bad),
                Err(DomainError::PercentageOutOfRange),
                "{bad:?}"
            );
        }
        assert_eq!(
            Percentage::parse("33,33333"),
            Err(DomainError::PercentageTooManyDecimals)
        );
        assert_eq!(
            Percentage::new(dec("12.34567")),
            Err(DomainError::PercentageTooManyDecimals)
        );
        assert_eq!(
            Percentage::new(dec("-0.0001")),
            Err(DomainError::PercentageOutOfRange)
        );
        assert_eq!(Percentage::new(dec("-0.00")).unwrap(), Percentage::zero());
    }

    #[test]
    fn percentage_displays_czech_and_serialises_as_string() {
        assert_eq!(p("85.5").to_string(), "85,5\u{a0}%");
        assert_eq!(p("7").to_string(), "7\u{a0}%");
        assert_eq!(p("33,3333").to_string(), "33,3333\u{a0}%");
        assert_eq!(Percentage::hundred().to_string(), "100\u{a0}%");
        let json = serde_json::to_string(&p("85,5 %")).unwrap();
        assert_eq!(json, r#""85.5""#);
        assert_eq!(
            serde_json::from_str::<Percentage>(&json).unwrap(),
            p("85,5")
        );
        assert!(serde_json::from_str::<Percentage>(r#""101""#).is_err());
        assert!(
            serde_json::from_str::<Percentage>("85").is_err(),
            "strings only"
        );
        assert_eq!("7 %".parse::<Percentage>().unwrap(), p("7"));
    }

    #[test]
    fn funding_shares_must_add_up_to_exactly_100() {
        let s = shares("85", "10", "5");
        assert_eq!((s.eu(), s.state(), s.own()), (p("85"), p("10"), p("5")));
        shares("33,3333", "33,3333", "33,3334");
        shares("85", "15", "0");
        // 85 + 10 + 4,9999 = 99,9999
        let err = FundingShares::new(p("85"), p("10"), p("4,9999")).unwrap_err();
        assert_eq!(
            err,
            DomainError::FundingSharesSum {
                sum: "99,9999\u{a0}%".into()
            }
        );
        assert!(err.to_string().contains("99,9999"));
        assert!(FundingShares::new(p("85"), p("15"), p("1")).is_err());
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(json, r#"{"eu":"85","state":"10","own":"5"}"#);
        assert_eq!(serde_json::from_str::<FundingShares>(&json).unwrap(), s);
        assert!(
            serde_json::from_str::<FundingShares>(r#"{"eu":"85","state":"10","own":"6"}"#).is_err()
        );
    }

    #[test]
    fn split_of_odd_amount_at_85_10_5() {
        // 1 000 000,01 × 0,85 = 850 000,0085 → 850 000,01
        // 1 000 000,01 × 0,10 = 100 000,001  → 100 000,00
        // own = 1 000 000,01 − 850 000,01 − 100 000,00 = 50 000,00 (exact share would be 50 000,0005)
        let total = m("1 000 000,01");
        let split = split_cofinancing(total, &shares("85", "10", "5"));
        assert_eq!(split.eu, m("850 000,01"));
        assert_eq!(split.state, m("100 000,00"));
        assert_eq!(split.own, m("50 000,00"));
        assert_adds_up(total, &split);
    }

    #[test]
    fn split_of_one_haler() {
        // 0,01 × 0,85 = 0,0085 → 0,01; 0,01 × 0,10 = 0,001 → 0,00; own = 0,01 − 0,01 − 0 = 0,00
        let total = m("0,01");
        let split = split_cofinancing(total, &shares("85", "10", "5"));
        assert_eq!(
            (split.eu, split.state, split.own),
            (m("0,01"), m("0"), m("0"))
        );
        assert_adds_up(total, &split);
    }

    #[test]
    fn split_in_thirds() {
        // 333,33 × 0,333333 = 111,10988889 → 111,11 (EU and state alike)
        // own = 333,33 − 111,11 − 111,11 = 111,11 (exact own 333,33 × 0,333334 = 111,11022222)
        let total = m("333,33");
        let split = split_cofinancing(total, &shares("33,3333", "33,3333", "33,3334"));
        assert_eq!(
            (split.eu, split.state, split.own),
            (m("111,11"), m("111,11"), m("111,11"))
        );
        assert_adds_up(total, &split);
    }

    #[test]
    fn split_of_the_largest_amount_without_own_resources() {
        // 999 999 999 999,99 × 0,85 = 849 999 999 999,9915 → 849 999 999 999,99
        // 999 999 999 999,99 × 0,15 = 149 999 999 999,9985 → 150 000 000 000,00
        // own = 999 999 999 999,99 − 849 999 999 999,99 − 150 000 000 000,00 = 0,00
        let total = m("999 999 999 999,99");
        let split = split_cofinancing(total, &shares("85", "15", "0"));
        assert_eq!(split.eu, m("849 999 999 999,99"));
        assert_eq!(split.state, m("150 000 000 000,00"));
        assert_eq!(split.own, Money::zero());
        assert_adds_up(total, &split);
    }

    #[test]
    fn split_never_gives_own_resources_the_opposite_sign() {
        // 0,10 × 0,85 = 0,085 → 0,09; 0,10 × 0,15 = 0,015 → 0,02; 0,09 + 0,02 = 0,11 > 0,10,
        // so the state part gives back the haléř: state 0,01, own 0,00.
        let total = m("0,10");
        let split = split_cofinancing(total, &shares("85", "15", "0"));
        assert_eq!(
            (split.eu, split.state, split.own),
            (m("0,09"), m("0,01"), m("0"))
        );
        // 0,01 × 0,5 = 0,005 → 0,01 twice; state lowered to 0,00
        let split = split_cofinancing(m("0,01"), &shares("50", "50", "0"));
        assert_eq!(
            (split.eu, split.state, split.own),
            (m("0,01"), m("0"), m("0"))
        );
        // the same for a negative total (a correction): −0,10 → −0,09, −0,01, 0,00
        let split = split_cofinancing(m("-0,10"), &shares("85", "15", "0"));
        assert_eq!(
            (split.eu, split.state, split.own),
            (m("-0,09"), m("-0,01"), m("0"))
        );
    }

    #[test]
    fn split_of_a_negative_total_mirrors_the_positive_one() {
        // rounding is half away from zero, so every part is the negation of the positive case
        let split = split_cofinancing(m("-1 000 000,01"), &shares("85", "10", "5"));
        assert_eq!(split.eu, m("-850 000,01"));
        assert_eq!(split.state, m("-100 000,00"));
        assert_eq!(split.own, m("-50 000,00"));
    }

    #[test]
    fn split_always_adds_up_and_own_is_never_negative() {
        let all = [
            shares("85", "10", "5"),
            shares("85", "15", "0"),
            shares("33,3333", "33,3333", "33,3334"),
            shares("50", "50", "0"),
            shares("0", "0", "100"),
            shares("95", "0", "5"),
            shares("70,0001", "29,9999", "0"),
        ];
        for halere in (0..5_000).chain(99_999_999_990_000..99_999_999_999_999) {
            let total = Money::from_halere(halere).unwrap();
            for s in &all {
                let split = split_cofinancing(total, s);
                assert_adds_up(total, &split);
                assert!(
                    !split.own.is_negative() && !split.state.is_negative(),
                    "{total} {s:?}"
                );
                if s.own().value().is_zero() {
                    assert!(split.own.is_zero(), "{total} {s:?}");
                }
            }
        }
    }

    #[test]
    fn flat_rate_indirect_costs_round_once() {
        // 7 %: 1 234 567,89 × 0,07 = 86 419,7523 → 86 419,75
        assert_eq!(percent_of(m("1 234 567,89"), p("7 %")), m("86 419,75"));
        // 15 %: 100 000,03 × 0,15 = 15 000,0045 → 15 000,00
        assert_eq!(percent_of(m("100 000,03"), p("15 %")), m("15 000,00"));
        // 15 %: 333,33 × 0,15 = 49,9995 → 50,00
        assert_eq!(percent_of(m("333,33"), p("15")), m("50,00"));
        // 25 %: 0,02 × 0,25 = 0,005 → 0,01 (half away from zero)
        assert_eq!(percent_of(m("0,02"), p("25 %")), m("0,01"));
        // 25 %: 1 000 000 × 0,25 = 250 000
        assert_eq!(percent_of(m("1 000 000"), p("25")), m("250 000"));
        // 25 %: −0,02 × 0,25 = −0,005 → −0,01
        assert_eq!(percent_of(m("-0,02"), p("25")), m("-0,01"));
    }

    #[test]
    fn remaining_may_go_negative() {
        // 100,00 − 120,50 = −20,50: overdrawn
        assert_eq!(remaining(m("100"), m("120,50")).unwrap(), m("-20,50"));
        assert_eq!(remaining(m("1 000"), m("999,99")).unwrap(), m("0,01"));
        let max = Money::from_halere(Money::MAX_HALERE).unwrap();
        let min = Money::from_halere(-Money::MAX_HALERE).unwrap();
        assert_eq!(remaining(max, min), Err(DomainError::MoneyOutOfRange));
    }

    #[test]
    fn would_overdraw_only_beyond_the_budget() {
        // 80 + 20 = 100: exactly the budget, fine; 80 + 20,01 = 100,01 > 100
        assert!(!would_overdraw(m("100"), m("80"), m("20")));
        assert!(would_overdraw(m("100"), m("80"), m("20,01")));
        assert!(
            !would_overdraw(m("100"), m("120"), m("-20")),
            "credit note back to budget"
        );
        assert!(
            !would_overdraw(m("100"), m("150"), m("-20")),
            "a credit note lowers an overdraw, it never adds one"
        );
        assert!(!would_overdraw(m("100"), m("150"), Money::zero()));
        assert!(
            would_overdraw(m("100"), m("150"), m("0,01")),
            "an overdrawn line takes nothing more"
        );
        assert!(!would_overdraw(m("0"), m("0"), m("-5")));
        assert!(would_overdraw(m("0"), m("0"), m("0,01")), "a zero budget");
        let max = Money::from_halere(Money::MAX_HALERE).unwrap();
        let min = Money::from_halere(-Money::MAX_HALERE).unwrap();
        assert!(
            would_overdraw(max, max, m("0,01")),
            "no overflow near the range limit"
        );
        assert!(
            !would_overdraw(max, max, min),
            "nor near the negative limit"
        );
        assert!(!would_overdraw(min, min, min));
        assert!(would_overdraw(min, max, max));
    }

    #[test]
    fn drawdown_share_and_lag() {
        // 10-day range, 6. 1. is the 6th day: elapsed 6/10 = 0,6; drawn 200 000 / 1 000 000 = 0,2;
        // lag (0,6 − 0,2) × 100 = 40 percentage points
        let range = DateRange::new(d(2025, 1, 1), d(2025, 1, 10)).unwrap();
        let today = d(2025, 1, 6);
        assert_eq!(
            drawdown_share(m("200 000"), m("1 000 000")),
            Some(dec("0.2"))
        );
        assert_eq!(drawdown_share(m("1"), Money::zero()), None);
        assert_eq!(elapsed_share(&range, today), dec("0.6"));
        assert_eq!(
            drawdown_lag(m("200 000"), m("1 000 000"), &range, today),
            dec("40")
        );
        // drawing ahead of time: 0,6 − 0,9 = −30 points
        assert_eq!(
            drawdown_lag(m("900 000"), m("1 000 000"), &range, today),
            dec("-30")
        );
        assert_eq!(
            drawdown_lag(m("5"), Money::zero(), &range, today),
            Decimal::ZERO
        );
        let status = DrawdownStatus::compute(m("200 000"), m("1 000 000"), &range, today);
        assert_eq!(status.drawdown_share, Some(dec("0.2")));
        assert_eq!(status.elapsed_share, dec("0.6"));
        assert_eq!(status.lag_points, dec("40"));
    }

    #[test]
    fn drawdown_rule_flags_a_lag_beyond_the_limit_with_figures() {
        let range = DateRange::new(d(2025, 1, 1), d(2025, 1, 10)).unwrap();
        let today = d(2025, 1, 6); // elapsed 60 %
        let rule = DrawdownRule::default();
        assert_eq!(rule.max_lag_points, dec("25"));
        // 20 % drawn: lag 40 > 25
        let flag = rule
            .evaluate(m("200 000"), m("1 000 000"), &range, today)
            .unwrap();
        assert_eq!(
            flag.reason,
            "Čerpání 20,0\u{a0}% zaostává za uplynulým časem 60,0\u{a0}% o 40,0\u{a0}p. b. \
             (povoleno nejvýše 25\u{a0}p. b.)"
        );
        // 35 % drawn: lag exactly 25, allowed
        assert_eq!(
            rule.evaluate(m("350 000"), m("1 000 000"), &range, today),
            None
        );
        // 34,9999999 %: lag 25,0000001 > 25, flagged although it prints as 25,0
        let flag = rule
            .evaluate(m("349 999,99"), m("1 000 000"), &range, today)
            .unwrap();
        assert!(flag.reason.contains("o 25,0\u{a0}p. b."), "{}", flag.reason);
        // zero budget or before the start: nothing to flag
        assert_eq!(rule.evaluate(m("0"), Money::zero(), &range, today), None);
        assert_eq!(
            rule.evaluate(m("0"), m("1 000"), &range, d(2024, 12, 31)),
            None
        );
        // a stricter setting of 12,5 points: 60 − 45 = 15 > 12,5
        let strict = DrawdownRule {
            max_lag_points: dec("12.5"),
        };
        let flag = strict
            .evaluate(m("450 000"), m("1 000 000"), &range, today)
            .unwrap();
        assert!(flag
            .reason
            .ends_with("o 15,0\u{a0}p. b. (povoleno nejvýše 12,5\u{a0}p. b.)"));
    }

    #[test]
    fn formats_percent_with_one_decimal_comma() {
        assert_eq!(format_percent(dec("20")), "20,0\u{a0}%");
        assert_eq!(format_percent(dec("33.333333")), "33,3\u{a0}%");
        assert_eq!(format_percent(dec("12.25")), "12,3\u{a0}%"); // half away from zero
        assert_eq!(format_percent(dec("0.05")), "0,1\u{a0}%");
        assert_eq!(format_percent(dec("-0.04")), "0,0\u{a0}%"); // no "-0,0"
        assert_eq!(format_percent(dec("-12.25")), "-12,3\u{a0}%");
        assert_eq!(format_percent(dec("120")), "120,0\u{a0}%");
        assert_eq!(format_decimal(dec("25.00")), "25");
        assert_eq!(format_decimal(dec("-0.250")), "-0,25");
    }

    #[test]
    fn percent_of_rounds_once() {
        // 0,03 × 33,3333 % = 0,009999990 → 0,01 (one rounding, not two)
        assert_eq!(percent_of(m("0,03"), p("33,3333")), m("0,01"));
        assert_eq!(percent_of(m("123,45"), Percentage::hundred()), m("123,45"));
        assert_eq!(percent_of(m("123,45"), Percentage::zero()), Money::zero());
    }
}
