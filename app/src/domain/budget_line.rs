//! Budget lines (*rozpočtové položky*): the item code in the budget tree, the chapter, and the rules every
//! line must meet whoever writes it (the line form on the budget page and the importer's *Rozpočet* sheet
//! call the same functions).
//!
//! Items are numbered as a tree: `1.1` personnel costs (*osobní náklady*), `1.1.1.x` employment contracts,
//! `1.1.2.x` agreements to perform work (DPČ), `1.1.3.x` agreements to complete a job (DPP) [V]; the rest of
//! the tree is unverified [U], so only chapter 1.1 is derived from a code and any other line takes its
//! chapter from the form or the sheet (*Ostatní přímé náklady* when none is given).

use serde::{Deserialize, Serialize};

use super::{fold_for_search, CostModel, DateRange, DomainError, LineKind, Money};

/// Budget chapters (*kapitoly rozpočtu*) of direct costs, in display order: stored code and Czech name.
/// Indirect costs are not a chapter: they are a flat rate of all direct costs.
pub const CHAPTERS: [(&str, &str); 5] = [
    ("personnel", "Osobní náklady"),
    ("travel", "Cestovní náhrady"),
    ("equipment", "Zařízení a vybavení"),
    ("services", "Nákup služeb"),
    ("other", "Ostatní přímé náklady"),
];

/// The chapter of personnel costs, the only one the budget tree fixes (`1.1`).
pub const PERSONNEL: &str = "personnel";
/// The chapter of a line whose chapter is not given and not derivable from its code.
pub const OTHER: &str = "other";

/// The code of a budget item in the budget tree, e.g. `1.1.1.2`: numbers of one to three digits separated
/// by dots, at most 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LineCode(String);

impl LineCode {
    /// Parses a code as typed (surrounding spaces ignored).
    ///
    /// # Errors
    /// [`DomainError::BudgetCodeFormat`].
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let code = input.trim();
        let ok = !code.is_empty()
            && code.len() <= 32
            && code.split('.').all(|part| {
                !part.is_empty() && part.len() <= 3 && part.bytes().all(|b| b.is_ascii_digit())
            });
        if ok {
            Ok(Self(code.to_owned()))
        } else {
            Err(DomainError::BudgetCodeFormat)
        }
    }

    /// The code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for an item of chapter 1.1, personnel costs (`1.1`, `1.1.1.2`).
    #[must_use]
    pub fn is_personnel(&self) -> bool {
        let mut levels = self.0.split('.');
        levels.next() == Some("1") && levels.next() == Some("1")
    }

    /// The chapter derived from the code's first two levels: personnel for `1.1…`, otherwise
    /// [`OTHER`] (the rest of the tree is not fixed).
    #[must_use]
    pub fn derived_chapter(&self) -> &'static str {
        if self.is_personnel() {
            PERSONNEL
        } else {
            OTHER
        }
    }
}

impl TryFrom<String> for LineCode {
    type Error = DomainError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<LineCode> for String {
    fn from(code: LineCode) -> Self {
        code.0
    }
}

impl std::fmt::Display for LineCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The Czech name of a chapter code (the code itself when unknown).
#[must_use]
pub fn chapter_label(code: &str) -> &str {
    CHAPTERS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

/// A chapter as a sheet or a form gives it: its code (`personnel`), its Czech name (`Osobní náklady`, in
/// any case, with or without diacritics), the code of chapter 1.1 (`1.1`), or a code followed by the name
/// (`1.1 Osobní náklady`, `1.2 Cestovní náhrady`).
///
/// # Errors
/// [`DomainError::BudgetChapterUnknown`].
pub fn parse_chapter(input: &str) -> Result<&'static str, DomainError> {
    let text = input.trim();
    if let Some((code, _)) = CHAPTERS.iter().find(|(c, _)| *c == text) {
        return Ok(code);
    }
    let (number, rest) = match text.split_once(char::is_whitespace) {
        Some((n, rest)) if LineCode::parse(n).is_ok() => (Some(n), rest),
        _ if LineCode::parse(text).is_ok() => (Some(text), ""),
        _ => (None, text),
    };
    let folded = fold_for_search(rest);
    let by_name = CHAPTERS
        .iter()
        .find(|(_, label)| fold_for_search(label) == folded)
        .map(|(c, _)| *c);
    let by_number = number
        .and_then(|n| LineCode::parse(n).ok())
        .filter(LineCode::is_personnel)
        .map(|_| PERSONNEL);
    match (by_number, by_name) {
        (Some(n), Some(name)) if n != name => Err(DomainError::BudgetChapterUnknown {
            input: text.to_owned(),
        }),
        (Some(c), _) | (None, Some(c)) => Ok(c),
        (None, None) => Err(DomainError::BudgetChapterUnknown {
            input: text.to_owned(),
        }),
    }
}

/// A line's year, which must lie within the project's realisation.
///
/// # Errors
/// [`DomainError::BudgetYearOutsideRealisation`].
pub fn check_line_year(year: i32, realisation: &DateRange) -> Result<i32, DomainError> {
    use chrono::Datelike;
    let (from, to) = (realisation.start().year(), realisation.end().year());
    if (from..=to).contains(&year) {
        Ok(year)
    } else {
        Err(DomainError::BudgetYearOutsideRealisation { from, to })
    }
}

/// A line's budgeted amount, which must not be negative.
///
/// # Errors
/// [`DomainError::BudgetAmountNegative`].
pub fn check_line_amount(amount: Money) -> Result<Money, DomainError> {
    if amount.is_negative() {
        Err(DomainError::BudgetAmountNegative)
    } else {
        Ok(amount)
    }
}

/// Why a budget line cannot be saved as given ([`check_line`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineRefusal {
    /// The project's cost model does not take a line of this kind.
    OutsideModel(CostModel),
    /// The line would be budgeted below what is already drawn on it.
    BelowDrawn {
        /// The amount asked for.
        budget: Money,
        /// What the line's expenditures already draw.
        drawn: Money,
    },
}

impl LineRefusal {
    /// A stable code for import reports.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::OutsideModel(_) => "line_outside_cost_model",
            Self::BelowDrawn { .. } => "budget_below_drawn",
        }
    }

    /// The Czech message.
    #[must_use]
    pub fn message(self) -> String {
        match self {
            Self::OutsideModel(model) => model.lines_rule().to_owned(),
            Self::BelowDrawn { budget, drawn } => format!(
                "Na položce je už vyčerpáno {drawn}; rozpočet {budget} nemůže být nižší než čerpání."
            ),
        }
    }
}

/// The rules a budget line must meet against what is stored: the project's cost model must take a line of
/// `kind` (e.g. the 40 % model only personnel lines), and the amount must not fall below what the line's
/// expenditures already draw (`drawn`; zero for a new line).
///
/// # Errors
/// The first [`LineRefusal`] that applies.
pub fn check_line(
    model: CostModel,
    kind: LineKind,
    budget: Money,
    drawn: Money,
) -> Result<(), LineRefusal> {
    if !model.allows(kind) {
        return Err(LineRefusal::OutsideModel(model));
    }
    if budget < drawn {
        return Err(LineRefusal::BelowDrawn { budget, drawn });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn line_codes_are_dotted_numbers() {
        assert_eq!(LineCode::parse(" 1.1.1.2 ").unwrap().as_str(), "1.1.1.2");
        assert_eq!(LineCode::parse("2").unwrap().as_str(), "2");
        for bad in ["", "1..2", "1.a", "1.1.", ".1", "1.1234", "1,1", "1 .1"] {
            assert_eq!(
                LineCode::parse(bad),
                Err(DomainError::BudgetCodeFormat),
                "{bad}"
            );
        }
    }

    #[test]
    fn personnel_lines_are_the_items_of_chapter_1_1() {
        for code in ["1.1", "1.1.1.2", "1.1.3.1"] {
            let c = LineCode::parse(code).unwrap();
            assert!(c.is_personnel(), "{code}");
            assert_eq!(c.derived_chapter(), PERSONNEL);
        }
        for code in ["1", "1.2.1", "1.10.1", "2.1", "11.1"] {
            let c = LineCode::parse(code).unwrap();
            assert!(!c.is_personnel(), "{code}");
            assert_eq!(c.derived_chapter(), OTHER);
        }
    }

    #[test]
    fn chapters_are_read_by_code_name_or_number() {
        assert_eq!(parse_chapter("personnel").unwrap(), "personnel");
        assert_eq!(parse_chapter("Osobní náklady").unwrap(), "personnel");
        assert_eq!(parse_chapter("osobni  NAKLADY").unwrap(), "personnel");
        assert_eq!(parse_chapter("1.1").unwrap(), "personnel");
        assert_eq!(parse_chapter("1.1 Osobní náklady").unwrap(), "personnel");
        assert_eq!(parse_chapter("1.2 Cestovní náhrady").unwrap(), "travel");
        assert_eq!(parse_chapter("Nákup služeb").unwrap(), "services");
        for bad in ["1.2", "Mzdy", "", "1.1 Cestovní náhrady"] {
            assert!(
                matches!(
                    parse_chapter(bad),
                    Err(DomainError::BudgetChapterUnknown { .. })
                ),
                "{bad}"
            );
        }
        assert_eq!(chapter_label("travel"), "Cestovní náhrady");
    }

    #[test]
    fn a_line_year_lies_within_the_realisation() {
        let range = DateRange::new(
            NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            NaiveDate::from_ymd_opt(2027, 6, 30).unwrap(),
        )
        .unwrap();
        assert_eq!(check_line_year(2026, &range), Ok(2026));
        assert_eq!(check_line_year(2027, &range), Ok(2027));
        let err = check_line_year(2028, &range).unwrap_err();
        assert_eq!(
            err,
            DomainError::BudgetYearOutsideRealisation {
                from: 2026,
                to: 2027
            }
        );
        assert!(err.to_string().contains("2026–2027"));
    }

    #[test]
    fn a_line_amount_is_not_negative() {
        assert_eq!(check_line_amount(m("0")), Ok(m("0")));
        assert_eq!(
            check_line_amount(m("-1")),
            Err(DomainError::BudgetAmountNegative)
        );
    }

    #[test]
    fn the_40_percent_model_takes_only_personnel_lines() {
        let model = CostModel::Flat40Personnel;
        assert_eq!(
            check_line(model, LineKind::Personnel, m("10"), m("0")),
            Ok(())
        );
        let refusal = check_line(model, LineKind::OtherDirect, m("10"), m("0")).unwrap_err();
        assert_eq!(refusal, LineRefusal::OutsideModel(model));
        assert_eq!(refusal.code(), "line_outside_cost_model");
        assert!(refusal.message().contains("40"), "{}", refusal.message());
        assert!(matches!(
            check_line(CostModel::Simplified, LineKind::Personnel, m("1"), m("0")),
            Err(LineRefusal::OutsideModel(CostModel::Simplified))
        ));
    }

    #[test]
    fn a_line_is_never_budgeted_below_what_is_drawn() {
        let model = CostModel::FlatIndirectDirect;
        assert_eq!(
            check_line(model, LineKind::OtherDirect, m("500"), m("500")),
            Ok(())
        );
        let refusal = check_line(model, LineKind::OtherDirect, m("499,99"), m("500")).unwrap_err();
        assert_eq!(refusal.code(), "budget_below_drawn");
        let text = refusal.message();
        assert!(text.contains("500,00"), "{text}");
        assert!(text.contains("499,99"), "{text}");
    }
}
