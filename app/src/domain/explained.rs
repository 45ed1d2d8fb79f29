//! Why two figures that look as if they should agree differ (issue 14, point 6): the total eligible
//! expenditure of the legal act against the budget's sum, and drawdown (čerpání) growing by more than the
//! documents because of a flat rate (paušál). The pages say these sentences next to the figures.

use super::{format_percent, CostBreakdown, CostModel, LineKind, Money, Percentage};

/// The legal act's total eligible expenditure (`registered`, shown on the project's overview) against the
/// budget's eligible sum (lines plus the flat-rate part); `None` when they agree or nothing is registered.
#[must_use]
pub fn registered_against_budget(registered: Option<Money>, budget: Money) -> Option<String> {
    let registered = registered?;
    let difference = budget.checked_sub(registered).ok()?;
    if difference.is_zero() {
        None
    } else if difference.is_negative() {
        Some(format!(
            "Rozpočet podle položek je o {} nižší než celkové způsobilé výdaje v právním aktu ({registered}, uvedené v přehledu projektu): část rozpočtu ještě není rozepsána do položek.",
            difference.abs()
        ))
    } else {
        Some(format!(
            "Rozpočet podle položek převyšuje celkové způsobilé výdaje v právním aktu ({registered}, uvedené v přehledu projektu) o {difference}: položky je třeba snížit, nebo změnit právní akt žádostí o změnu (ŽoZ)."
        ))
    }
}

/// What the drawdown contains beyond the documents: the flat-rate part, computed from them.
#[must_use]
pub fn flat_part_in_drawdown(drawn: &CostBreakdown) -> Option<String> {
    if drawn.flat_part.is_zero() {
        return None;
    }
    let label = drawn.model.flat_part_label()?;
    Some(format!(
        "Včetně {} {} ({} {}): čerpání proto roste víc než součet dokladů.",
        lower_first(label),
        drawn.flat_part,
        format_percent(drawn.rate.value()),
        flat_base(drawn.model)?
    ))
}

/// Said after an expenditure of `kind` is booked: whether drawdown grows by more than its amount.
#[must_use]
pub fn expenditure_raises_drawdown(
    model: CostModel,
    rate: Percentage,
    kind: LineKind,
) -> Option<String> {
    if !model.flat_base_includes(kind) || rate.value().is_zero() {
        return None;
    }
    Some(format!(
        "Čerpání vzroste o částku dokladu a navíc o paušál {} z ní ({}), tedy víc než o samotný doklad.",
        format_percent(rate.value()),
        lower_first(model.flat_part_label()?)
    ))
}

fn flat_base(model: CostModel) -> Option<&'static str> {
    match model {
        CostModel::FlatIndirectDirect => Some("z přímých nákladů"),
        CostModel::FlatIndirectPersonnel | CostModel::Flat40Personnel => {
            Some("z přímých osobních nákladů")
        }
        CostModel::Simplified => None,
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::domain::CostBase;

    fn kc(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    /// The sentence with plain spaces (the app writes no-break spaces in figures).
    fn plain(t: Option<String>) -> String {
        t.unwrap().replace('\u{a0}', " ")
    }

    #[test]
    fn a_budget_below_the_legal_act_says_by_how_much_and_why() {
        let t = plain(registered_against_budget(
            Some(kc("1 000 000")),
            kc("750 000"),
        ));
        assert!(t.contains("o 250 000,00 Kč nižší"), "{t}");
        assert!(t.contains("1 000 000,00 Kč"), "{t}");
        let t = plain(registered_against_budget(
            Some(kc("1 000 000")),
            kc("1 000 000,01"),
        ));
        assert!(t.contains("převyšuje") && t.contains("o 0,01 Kč"), "{t}");
        assert_eq!(
            registered_against_budget(Some(kc("5")), kc("5")),
            None,
            "equal figures need no words"
        );
        assert_eq!(registered_against_budget(None, kc("5")), None);
    }

    #[test]
    fn the_flat_part_of_drawdown_is_named_with_its_rate_and_base() {
        let mut base = CostBase::default();
        base.add(LineKind::Personnel, kc("10 000")).unwrap();
        base.add(LineKind::OtherDirect, kc("2 000")).unwrap();
        let rate = Percentage::parse("25").unwrap();
        let b = CostModel::FlatIndirectDirect.eligible(rate, &base).unwrap();
        let t = plain(flat_part_in_drawdown(&b));
        assert!(t.contains("3 000,00 Kč"), "{t}");
        assert!(
            t.contains("25,0 %") && t.contains("z přímých nákladů"),
            "{t}"
        );
        let none = CostModel::Simplified.eligible(rate, &base).unwrap();
        assert_eq!(flat_part_in_drawdown(&none), None);
    }

    #[test]
    fn only_an_expenditure_in_the_flat_base_raises_drawdown_by_more() {
        let rate = Percentage::parse("25").unwrap();
        let direct = CostModel::FlatIndirectDirect;
        assert!(expenditure_raises_drawdown(direct, rate, LineKind::OtherDirect).is_some());
        let personnel = CostModel::FlatIndirectPersonnel;
        assert!(plain(expenditure_raises_drawdown(
            personnel,
            rate,
            LineKind::Personnel
        ))
        .contains("25,0 %"));
        assert_eq!(
            expenditure_raises_drawdown(personnel, rate, LineKind::OtherDirect),
            None
        );
        assert_eq!(
            expenditure_raises_drawdown(CostModel::Simplified, rate, LineKind::Simplified),
            None
        );
        assert_eq!(
            expenditure_raises_drawdown(direct, Percentage::zero(), LineKind::Personnel),
            None
        );
    }
}
