//! Cost models (*způsoby vykazování nákladů*) of an OPZ+ project, and the one function per model that
//! sums its money.
//!
//! A project accounts for its costs in one of four ways (CPR 2021/1060; OPZ+ rules for applicants and
//! beneficiaries offer projects "s přímými a nepřímými náklady nebo se 40% paušální sazbou"):
//! - (a) [`CostModel::FlatIndirectDirect`]: real direct costs (*přímé náklady*) plus indirect costs
//!   (*nepřímé náklady*) at a flat rate of all direct costs (art. 54(a)/(c));
//! - (b) [`CostModel::FlatIndirectPersonnel`]: real direct costs plus indirect costs at a flat rate of the
//!   direct personnel costs (*přímé osobní náklady*, budget chapter 1.1; art. 54(b): up to 15 %);
//! - (c) [`CostModel::Flat40Personnel`]: only the direct personnel costs are budgeted and drawn; a flat rate
//!   of 40 % of them covers all other costs (art. 56);
//! - (d) [`CostModel::Simplified`]: simplified cost options (*zjednodušené metody vykazování*, art. 53):
//!   unit costs (*jednotkové náklady*, an amount per unit such as a participant-hour) and lump sums
//!   (*jednorázové částky*), defined per call and budgeted and drawn as units × rate.
//!
//! Which models a call allows and at which rates is set by the call ([`CallCostRules`], stored per call:
//! settings, never constants). Every flat-rate part is rounded once, by [`percent_of`]; every
//! units × rate amount once, by [`unit_amount`].

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{percent_of, DomainError, Money, Percentage};

/// How a project accounts for its costs. Stored and sent by [`CostModel::code`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum CostModel {
    /// (a) Real costs + indirect costs at a flat rate of all direct costs.
    #[default]
    FlatIndirectDirect,
    /// (b) Real costs + indirect costs at a flat rate of the direct personnel costs.
    FlatIndirectPersonnel,
    /// (c) Direct personnel costs + a flat rate (40 %) of them covering all other costs.
    #[serde(rename = "flat_40_personnel")]
    Flat40Personnel,
    /// (d) Unit costs and lump sums: units × rate.
    Simplified,
}

/// What a budget line is, for the cost models: which part of the money it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LineKind {
    /// Direct personnel costs (chapter 1.1 *osobní náklady*).
    Personnel,
    /// Any other real direct cost (travel, equipment, services, …).
    OtherDirect,
    /// A unit cost or lump sum of the call (units × rate).
    Simplified,
}

impl LineKind {
    /// The kind of a budget line: a line with a unit cost is simplified; otherwise its chapter decides.
    #[must_use]
    pub fn of(chapter: &str, has_unit_cost: bool) -> Self {
        if has_unit_cost {
            Self::Simplified
        } else if chapter == "personnel" {
            Self::Personnel
        } else {
            Self::OtherDirect
        }
    }
}

impl CostModel {
    /// Every model, in the order of the regulation.
    pub const ALL: [CostModel; 4] = [
        Self::FlatIndirectDirect,
        Self::FlatIndirectPersonnel,
        Self::Flat40Personnel,
        Self::Simplified,
    ];

    /// The machine code (API `cost_model`, database).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::FlatIndirectDirect => "flat_indirect_direct",
            Self::FlatIndirectPersonnel => "flat_indirect_personnel",
            Self::Flat40Personnel => "flat_40_personnel",
            Self::Simplified => "simplified",
        }
    }

    /// The model of a machine code.
    ///
    /// # Errors
    /// [`DomainError::UnknownCostModel`] for anything else.
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|m| m.code() == code.trim())
            .ok_or_else(|| DomainError::UnknownCostModel {
                code: code.trim().to_owned(),
            })
    }

    /// The Czech name, as the budget page and the exports show it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::FlatIndirectDirect => {
                "Skutečné náklady + nepřímé náklady paušálem z přímých nákladů"
            }
            Self::FlatIndirectPersonnel => {
                "Skutečné náklady + nepřímé náklady paušálem z přímých osobních nákladů"
            }
            Self::Flat40Personnel => "Přímé osobní náklady + 40% paušál na ostatní náklady",
            Self::Simplified => {
                "Zjednodušené metody vykazování (jednotkové náklady, jednorázové částky)"
            }
        }
    }

    /// The Czech name of the flat-rate part, or `None` when the model has none.
    #[must_use]
    pub fn flat_part_label(self) -> Option<&'static str> {
        match self {
            Self::FlatIndirectDirect => Some("Nepřímé náklady (paušál z přímých nákladů)"),
            Self::FlatIndirectPersonnel => {
                Some("Nepřímé náklady (paušál z přímých osobních nákladů)")
            }
            Self::Flat40Personnel => Some("Ostatní náklady (paušál z přímých osobních nákladů)"),
            Self::Simplified => None,
        }
    }

    /// Whether the model has a flat rate (a project stores it; the call limits it).
    #[must_use]
    pub fn has_rate(self) -> bool {
        !matches!(self, Self::Simplified)
    }

    /// Whether the flat-rate part is computed from lines of `kind` (an expenditure on such a line raises
    /// the eligible sum by more than its amount).
    #[must_use]
    pub fn flat_base_includes(self, kind: LineKind) -> bool {
        match self {
            Self::FlatIndirectDirect => {
                matches!(kind, LineKind::Personnel | LineKind::OtherDirect)
            }
            Self::FlatIndirectPersonnel | Self::Flat40Personnel => kind == LineKind::Personnel,
            Self::Simplified => false,
        }
    }

    /// Whether a budget line of `kind` may be budgeted and drawn under this model.
    #[must_use]
    pub fn allows(self, kind: LineKind) -> bool {
        match self {
            Self::FlatIndirectDirect | Self::FlatIndirectPersonnel => kind != LineKind::Simplified,
            Self::Flat40Personnel => kind == LineKind::Personnel,
            Self::Simplified => kind == LineKind::Simplified,
        }
    }

    /// Czech explanation of which lines the model takes, for a refused line.
    #[must_use]
    pub fn lines_rule(self) -> &'static str {
        match self {
            Self::FlatIndirectDirect | Self::FlatIndirectPersonnel => {
                "V tomto modelu se rozpočtují skutečné náklady; jednotkové náklady a jednorázové částky sem nepatří."
            }
            Self::Flat40Personnel => {
                "V modelu s 40% paušálem se rozpočtují a čerpají jen přímé osobní náklady (kapitola 1.1); ostatní náklady kryje paušál."
            }
            Self::Simplified => {
                "Ve zjednodušeném modelu se rozpočtují a čerpají jen jednotkové náklady a jednorázové částky výzvy (počet jednotek × sazba)."
            }
        }
    }

    /// Whether a drawing (an expenditure) may be booked on a line of `kind`, given in units or not: the
    /// one rule the expenditure form and the importer both apply.
    ///
    /// # Errors
    /// The [`DrawingRefusal`] saying why not.
    pub fn check_drawing(self, kind: LineKind, in_units: bool) -> Result<(), DrawingRefusal> {
        if !self.allows(kind) {
            Err(DrawingRefusal::OutsideModel(self))
        } else if kind == LineKind::Simplified && !in_units {
            Err(DrawingRefusal::UnitsRequired)
        } else if kind != LineKind::Simplified && in_units {
            Err(DrawingRefusal::UnitsNotExpected)
        } else {
            Ok(())
        }
    }

    /// Sums a project's money under this model: the direct parts as given, the flat-rate part (rounded
    /// once) and the eligible total. Lines the model does not take (see [`CostModel::allows`]) are kept
    /// apart in [`CostBreakdown::not_counted`], never added to the eligible total.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`] when a sum leaves Money's range.
    pub fn eligible(self, rate: Percentage, base: &CostBase) -> Result<CostBreakdown, DomainError> {
        let rate = if self.has_rate() {
            rate
        } else {
            Percentage::zero()
        };
        let counted = |kind| self.allows(kind);
        let part = |kind, amount: Money| if counted(kind) { amount } else { Money::zero() };
        let personnel = part(LineKind::Personnel, base.personnel);
        let other_direct = part(LineKind::OtherDirect, base.other_direct);
        let simplified = part(LineKind::Simplified, base.simplified);
        let mut flat_base = Money::zero();
        for (kind, amount) in [
            (LineKind::Personnel, personnel),
            (LineKind::OtherDirect, other_direct),
            (LineKind::Simplified, simplified),
        ] {
            if self.flat_base_includes(kind) {
                flat_base = flat_base.checked_add(amount)?;
            }
        }
        let flat_part = percent_of(flat_base, rate);
        let mut not_counted = Money::zero();
        for (kind, amount) in [
            (LineKind::Personnel, base.personnel),
            (LineKind::OtherDirect, base.other_direct),
            (LineKind::Simplified, base.simplified),
        ] {
            if !counted(kind) {
                not_counted = not_counted.checked_add(amount)?;
            }
        }
        Ok(CostBreakdown {
            model: self,
            rate,
            personnel,
            other_direct,
            simplified,
            flat_part,
            eligible: Money::sum([personnel, other_direct, simplified, flat_part])?,
            not_counted,
        })
    }
}

/// Why a drawing cannot be booked on a line ([`CostModel::check_drawing`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawingRefusal {
    /// The project's cost model does not count the line.
    OutsideModel(CostModel),
    /// A unit-cost line is drawn in units (units × rate), not as an amount.
    UnitsRequired,
    /// A real-cost line is drawn as an amount, not in units.
    UnitsNotExpected,
}

impl DrawingRefusal {
    /// A stable code for import reports.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::OutsideModel(_) => "line_outside_cost_model",
            Self::UnitsRequired => "units_required",
            Self::UnitsNotExpected => "units_not_expected",
        }
    }

    /// The Czech message.
    #[must_use]
    pub fn message(self) -> &'static str {
        match self {
            Self::OutsideModel(model) => model.lines_rule(),
            Self::UnitsRequired => {
                "Položka se čerpá v jednotkách: zadejte počet jednotek; částka je počet × sazba jednotkového nákladu."
            }
            Self::UnitsNotExpected => "Položka nemá jednotkový náklad: zadejte částku, ne počet jednotek.",
        }
    }
}

/// The direct amounts of a project (budgeted, or drawn), by [`LineKind`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostBase {
    pub personnel: Money,
    pub other_direct: Money,
    pub simplified: Money,
}

impl CostBase {
    /// Adds `amount` to the part of `kind`.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`].
    pub fn add(&mut self, kind: LineKind, amount: Money) -> Result<(), DomainError> {
        let part = match kind {
            LineKind::Personnel => &mut self.personnel,
            LineKind::OtherDirect => &mut self.other_direct,
            LineKind::Simplified => &mut self.simplified,
        };
        *part = part.checked_add(amount)?;
        Ok(())
    }

    /// All direct amounts together.
    ///
    /// # Errors
    /// [`DomainError::MoneyOutOfRange`].
    pub fn total(&self) -> Result<Money, DomainError> {
        Money::sum([self.personnel, self.other_direct, self.simplified])
    }
}

/// A project's money summed under its cost model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CostBreakdown {
    pub model: CostModel,
    /// The flat rate applied (zero for the simplified model).
    pub rate: Percentage,
    /// Direct personnel costs counted.
    pub personnel: Money,
    /// Other real direct costs counted.
    pub other_direct: Money,
    /// Unit costs and lump sums counted.
    pub simplified: Money,
    /// The flat-rate part: indirect costs (a, b) or all other costs (c); zero for (d).
    pub flat_part: Money,
    /// Total eligible expenditure (*celkové způsobilé výdaje*).
    pub eligible: Money,
    /// Amounts on lines the model does not take (left from before a model change); never eligible.
    pub not_counted: Money,
}

/// The cost models a call allows and its rates (settings per call, [U] in the domain notes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallCostRules {
    pub allowed: Vec<CostModel>,
    /// Highest flat rate of indirect costs on all direct costs (model a).
    pub max_rate_direct: Percentage,
    /// Highest flat rate of indirect costs on direct personnel costs (model b).
    pub max_rate_personnel: Percentage,
    /// The flat rate covering all other costs (model c), fixed by the call.
    pub rate_flat_personnel: Percentage,
}

impl CallCostRules {
    /// The rules of a call nobody has configured: every model, the regulation's ceilings (art. 54(c):
    /// 25 %, art. 54(b): 15 %, art. 56: 40 %).
    #[must_use]
    pub fn regulation_ceilings() -> Self {
        let p = |n: i64| Percentage::new(Decimal::from(n)).unwrap_or_else(|_| Percentage::zero());
        Self {
            allowed: CostModel::ALL.to_vec(),
            max_rate_direct: p(25),
            max_rate_personnel: p(15),
            rate_flat_personnel: p(40),
        }
    }

    /// The rate a project of `model` gets when it does not choose one: the call's fixed rate for (c), zero
    /// otherwise.
    #[must_use]
    pub fn default_rate(&self, model: CostModel) -> Percentage {
        match model {
            CostModel::Flat40Personnel => self.rate_flat_personnel,
            _ => Percentage::zero(),
        }
    }

    /// Checks a project's choice of model and rate against the call.
    ///
    /// # Errors
    /// [`DomainError::CostModelNotAllowed`] or [`DomainError::FlatRateNotAllowed`].
    pub fn check(&self, model: CostModel, rate: Percentage) -> Result<(), DomainError> {
        if !self.allowed.contains(&model) {
            return Err(DomainError::CostModelNotAllowed {
                model: model.label().to_owned(),
            });
        }
        let refuse = |limit: &str| {
            Err(DomainError::FlatRateNotAllowed {
                rate: rate.to_string(),
                limit: limit.to_owned(),
            })
        };
        match model {
            CostModel::FlatIndirectDirect if rate > self.max_rate_direct => {
                refuse(&format!("nejvýše {}", self.max_rate_direct))
            }
            CostModel::FlatIndirectPersonnel if rate > self.max_rate_personnel => {
                refuse(&format!("nejvýše {}", self.max_rate_personnel))
            }
            CostModel::Flat40Personnel if rate != self.rate_flat_personnel => {
                refuse(&format!("přesně {}", self.rate_flat_personnel))
            }
            CostModel::Simplified if !rate.value().is_zero() => refuse("0 % (bez paušálu)"),
            _ => Ok(()),
        }
    }
}

/// Units as people write them (`12`, `12,5`, `1 250,25`): not negative unless `allow_negative` (a
/// correcting document), at most two decimals.
///
/// # Errors
/// [`DomainError::UnitsFormat`].
pub fn parse_units(input: &str, allow_negative: bool) -> Result<Decimal, DomainError> {
    let cleaned: String = input
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    if !cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-')
    {
        return Err(DomainError::UnitsFormat);
    }
    cleaned
        .parse::<Decimal>()
        .ok()
        // Typed text with a third decimal (`1,230`) may mean thousands: refused, not normalised.
        .filter(|d| d.scale() <= 2)
        .ok_or(DomainError::UnitsFormat)
        .and_then(|d| check_units(d, allow_negative))
}

/// Units given as a number (e.g. a spreadsheet cell): not zero, not negative unless `allow_negative`, at
/// most two decimals (trailing zeros do not count). The rule [`parse_units`] applies to typed text.
///
/// # Errors
/// [`DomainError::UnitsFormat`].
pub fn check_units(units: Decimal, allow_negative: bool) -> Result<Decimal, DomainError> {
    let d = units.normalize();
    if d.scale() <= 2 && (allow_negative || !d.is_sign_negative()) && !d.is_zero() {
        Ok(d)
    } else {
        Err(DomainError::UnitsFormat)
    }
}

/// `units × rate`, rounded once to haléře: the amount of a unit-cost (or lump-sum) line or drawing.
///
/// # Errors
/// [`DomainError::MoneyOutOfRange`].
pub fn unit_amount(units: Decimal, rate: Money) -> Result<Money, DomainError> {
    let exact = units
        .checked_mul(rate.as_decimal())
        .ok_or(DomainError::MoneyOutOfRange)?;
    Money::from_decimal(exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }
    fn p(s: &str) -> Percentage {
        Percentage::parse(s).unwrap()
    }
    fn base(personnel: &str, other: &str, simplified: &str) -> CostBase {
        CostBase {
            personnel: m(personnel),
            other_direct: m(other),
            simplified: m(simplified),
        }
    }

    #[test]
    fn forty_percent_model_follows_from_personnel_only() {
        let b = CostModel::Flat40Personnel
            .eligible(p("40"), &base("1 234 567,89", "0", "0"))
            .unwrap();
        assert_eq!(b.flat_part, m("493 827,16"));
        assert_eq!(b.eligible, m("1 728 395,05"));
        assert_eq!(b.not_counted, Money::zero());
        // Other direct costs are covered by the flat rate: never counted on top.
        let b = CostModel::Flat40Personnel
            .eligible(p("40"), &base("1 000", "500", "0"))
            .unwrap();
        assert_eq!((b.eligible, b.not_counted), (m("1 400"), m("500")));
    }

    #[test]
    fn each_model_takes_its_own_base() {
        let b = base("100 000,03", "50 000", "0");
        let a = CostModel::FlatIndirectDirect.eligible(p("7"), &b).unwrap();
        assert_eq!(a.flat_part, m("10 500,00")); // 7 % of 150 000,03 = 10 500,0021
        assert_eq!(a.eligible, m("160 500,03"));
        let bb = CostModel::FlatIndirectPersonnel
            .eligible(p("15"), &b)
            .unwrap();
        assert_eq!(bb.flat_part, m("15 000,00")); // 15 % of 100 000,03 = 15 000,0045
        assert_eq!(bb.eligible, m("165 000,03"));
        let d = CostModel::Simplified
            .eligible(p("25"), &base("0", "0", "123 456,78"))
            .unwrap();
        assert_eq!(
            (d.flat_part, d.eligible, d.rate),
            (Money::zero(), m("123 456,78"), Percentage::zero())
        );
        // Real costs in a simplified project are not eligible, and unit costs not in a real-cost one.
        assert_eq!(
            CostModel::Simplified
                .eligible(p("0"), &b)
                .unwrap()
                .not_counted,
            m("150 000,03")
        );
        let mixed = base("1", "1", "1");
        assert_eq!(
            CostModel::FlatIndirectDirect
                .eligible(p("0"), &mixed)
                .unwrap()
                .not_counted,
            m("1")
        );
    }

    #[test]
    fn flat_part_rounds_once_half_away_from_zero() {
        // 15 % of 0,03 = 0,0045 -> 0,00; of 0,10 = 0,015 -> 0,02 (never 0,01 by rounding twice).
        let b = CostModel::FlatIndirectPersonnel;
        assert_eq!(
            b.eligible(p("15"), &base("0,03", "0", "0"))
                .unwrap()
                .flat_part,
            m("0,00")
        );
        assert_eq!(
            b.eligible(p("15"), &base("0,10", "0", "0"))
                .unwrap()
                .flat_part,
            m("0,02")
        );
    }

    #[test]
    fn codes_round_trip_and_unknown_is_refused() {
        for model in CostModel::ALL {
            assert_eq!(CostModel::from_code(model.code()).unwrap(), model);
            let json = serde_json::to_string(&model).unwrap();
            assert_eq!(json, format!("\"{}\"", model.code()));
        }
        assert!(matches!(
            CostModel::from_code("flat"),
            Err(DomainError::UnknownCostModel { .. })
        ));
    }

    #[test]
    fn call_limits_rates_and_models() {
        let mut rules = CallCostRules::regulation_ceilings();
        assert!(rules.check(CostModel::FlatIndirectDirect, p("25")).is_ok());
        assert!(rules
            .check(CostModel::FlatIndirectDirect, p("25,01"))
            .is_err());
        assert!(rules
            .check(CostModel::FlatIndirectPersonnel, p("15"))
            .is_ok());
        assert!(rules
            .check(CostModel::FlatIndirectPersonnel, p("16"))
            .is_err());
        assert!(rules.check(CostModel::Flat40Personnel, p("40")).is_ok());
        assert!(rules.check(CostModel::Flat40Personnel, p("35")).is_err());
        assert!(rules.check(CostModel::Simplified, p("0")).is_ok());
        assert!(rules.check(CostModel::Simplified, p("5")).is_err());
        rules.allowed = vec![CostModel::Flat40Personnel];
        let err = rules
            .check(CostModel::FlatIndirectDirect, p("7"))
            .unwrap_err();
        assert!(err.to_string().contains("nepovoluje"), "{err}");
        assert_eq!(rules.default_rate(CostModel::Flat40Personnel), p("40"));
    }

    #[test]
    fn units_times_rate_round_once() {
        assert_eq!(
            unit_amount(parse_units("12,5", false).unwrap(), m("333,33")).unwrap(),
            m("4 166,63")
        ); // 4 166,625
        assert_eq!(
            unit_amount(parse_units("1 200", false).unwrap(), m("451,20")).unwrap(),
            m("541 440")
        );
        assert_eq!(
            unit_amount(parse_units("-2", true).unwrap(), m("10")).unwrap(),
            m("-20")
        );
        for bad in ["", "0", "-1", "1,234", "1e3", "abc"] {
            assert!(parse_units(bad, false).is_err(), "{bad}");
        }
    }

    #[test]
    fn drawings_follow_the_model_and_the_line() {
        use LineKind::{OtherDirect, Personnel, Simplified};
        let m = CostModel::Flat40Personnel;
        assert_eq!(m.check_drawing(Personnel, false), Ok(()));
        assert_eq!(
            m.check_drawing(OtherDirect, false),
            Err(DrawingRefusal::OutsideModel(m))
        );
        let s = CostModel::Simplified;
        assert_eq!(s.check_drawing(Simplified, true), Ok(()));
        assert_eq!(
            s.check_drawing(Simplified, false),
            Err(DrawingRefusal::UnitsRequired)
        );
        assert_eq!(
            CostModel::FlatIndirectDirect.check_drawing(OtherDirect, true),
            Err(DrawingRefusal::UnitsNotExpected)
        );
    }

    #[test]
    fn line_kind_follows_chapter_and_unit_cost() {
        assert_eq!(LineKind::of("personnel", false), LineKind::Personnel);
        assert_eq!(LineKind::of("travel", false), LineKind::OtherDirect);
        assert_eq!(LineKind::of("personnel", true), LineKind::Simplified);
        assert!(CostModel::Flat40Personnel.allows(LineKind::Personnel));
        assert!(!CostModel::Flat40Personnel.allows(LineKind::OtherDirect));
        assert!(!CostModel::Simplified.allows(LineKind::Personnel));
    }
}
