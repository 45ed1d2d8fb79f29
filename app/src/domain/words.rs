//! Czech words after numbers: the plural forms of nouns (`1 projekt`, `2 projekty`, `5 projektů`) and the
//! Czech names of indicator units (`osob`, not `persons`).
//!
//! Czech has three forms after a whole number: the nominative singular after 1 (`1 obec`), the nominative
//! plural after 2, 3 and 4 (`3 obce`) and the genitive plural after 0 and 5 and more (`0 obcí`, `21 obcí`,
//! `1 000 obcí`; unlike Slavic languages further east, 21 takes the genitive plural). After a number with
//! a fraction the noun is in the genitive singular (`1,5 projektu`, `0,5 osoby`).

use rust_decimal::Decimal;

use super::finance::format_decimal;
use super::indicators::IndicatorUnit;

const NBSP: char = '\u{a0}';

/// Which form of a noun follows a whole number: index into `[one, few, many]`.
#[must_use]
pub fn form_index(n: u64) -> usize {
    match n {
        1 => 0,
        2..=4 => 1,
        _ => 2,
    }
}

/// The noun alone in the form that follows `n`: `noun(2, ["obec", "obce", "obcí"])` → `obce`.
#[must_use]
pub fn noun(n: u64, forms: [&str; 3]) -> &str {
    forms[form_index(n)]
}

/// `n` (thousands grouped by no-break spaces) and its noun in the right form:
/// `plural(1, ["projekt", "projekty", "projektů"])` → `1 projekt`, `2 projekty`, `0 projektů`,
/// `1 234 projektů`.
#[must_use]
pub fn plural(n: u64, forms: [&str; 3]) -> String {
    format!("{}{NBSP}{}", format_count(n), noun(n, forms))
}

/// [`plural`] for a count held as `usize` (a list's length).
#[must_use]
pub fn plural_len(n: usize, forms: [&str; 3]) -> String {
    plural(u64::try_from(n).unwrap_or(u64::MAX), forms)
}

/// The noun that follows a decimal number: a whole number as in [`noun`] (sign ignored), a number with a
/// fraction takes the genitive singular `part`: `noun_decimal(1.5, […], "projektu")` → `projektu`.
#[must_use]
pub fn noun_decimal<'a>(value: Decimal, forms: [&'a str; 3], part: &'a str) -> &'a str {
    let abs = value.abs().normalize();
    if !abs.fract().is_zero() {
        return part;
    }
    let whole = u64::try_from(abs.trunc()).unwrap_or(u64::MAX);
    noun(whole, forms)
}

/// A decimal number the Czech way (`1,5`) and its noun: `plural_decimal(1.5, forms, "projektu")` →
/// `1,5 projektu`; `plural_decimal(2, …)` → `2 projekty`.
#[must_use]
pub fn plural_decimal(value: Decimal, forms: [&str; 3], part: &str) -> String {
    format!(
        "{}{NBSP}{}",
        format_decimal(value),
        noun_decimal(value, forms, part)
    )
}

/// A count with thousands separated by no-break spaces: `1234567` → `1 234 567`.
#[must_use]
pub fn format_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(NBSP);
        }
        out.push(c);
    }
    out
}

/// Common nouns, as `[one, few, many]`.
pub mod nouns {
    pub const PROJECT: [&str; 3] = ["projekt", "projekty", "projektů"];
    pub const MUNICIPALITY: [&str; 3] = ["obec", "obce", "obcí"];
    pub const DOCUMENT: [&str; 3] = ["doklad", "doklady", "dokladů"];
    pub const ROW: [&str; 3] = ["řádek", "řádky", "řádků"];
    pub const RECORD: [&str; 3] = ["záznam", "záznamy", "záznamů"];
    pub const CHANGE: [&str; 3] = ["změna", "změny", "změn"];
    pub const ERROR: [&str; 3] = ["chyba", "chyby", "chyb"];
    pub const PERSON: [&str; 3] = ["osoba", "osoby", "osob"];
    pub const ENTITY: [&str; 3] = ["subjekt", "subjekty", "subjektů"];
    pub const DAY: [&str; 3] = ["den", "dny", "dní"];
    pub const DEADLINE: [&str; 3] = ["termín", "termíny", "termínů"];
}

/// The Czech name of an indicator unit, as a heading or a codebook shows it (`osoby`, `subjekty`, `%`,
/// `jiná`); an unknown code is shown as it is stored.
#[must_use]
pub fn unit_name(code: &str) -> &str {
    match IndicatorUnit::from_code(code) {
        Ok(IndicatorUnit::Persons) => "osoby",
        Ok(IndicatorUnit::Entities) => "subjekty",
        Ok(IndicatorUnit::Percent) => "%",
        Ok(IndicatorUnit::Other) => "jiná",
        Err(_) => code,
    }
}

/// The unit after a value, in the form the value asks for: `10 osob`, `1 osoba`, `2,5 %`, `1,5 osoby`;
/// nothing for the unit `other`; an unknown code as stored.
#[must_use]
pub fn unit_after(value: Decimal, code: &str) -> &str {
    match IndicatorUnit::from_code(code) {
        Ok(IndicatorUnit::Persons) => noun_decimal(value, nouns::PERSON, "osoby"),
        Ok(IndicatorUnit::Entities) => noun_decimal(value, nouns::ENTITY, "subjektu"),
        Ok(IndicatorUnit::Percent) => "%",
        Ok(IndicatorUnit::Other) => "",
        Err(_) => code,
    }
}

/// A value with its unit: `with_unit(10, "persons")` → `10 osob`; `with_unit(5, "other")` → `5`.
#[must_use]
pub fn with_unit(value: Decimal, code: &str) -> String {
    let number = format_decimal(value);
    match unit_after(value, code) {
        "" => number,
        unit => format!("{number}{NBSP}{unit}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn s(text: &str) -> String {
        text.replace(' ', "\u{a0}")
    }

    #[test]
    fn plural_takes_one_few_and_many_forms() {
        let p = |n| plural(n, nouns::PROJECT);
        assert_eq!(p(0), s("0 projektů"));
        assert_eq!(p(1), s("1 projekt"));
        assert_eq!(p(2), s("2 projekty"));
        assert_eq!(p(4), s("4 projekty"));
        assert_eq!(p(5), s("5 projektů"));
        assert_eq!(p(11), s("11 projektů"));
        assert_eq!(p(21), s("21 projektů"));
        assert_eq!(p(22), s("22 projektů"));
        assert_eq!(p(1234), s("1 234 projektů"));
    }

    #[test]
    fn plural_of_municipalities_and_documents() {
        assert_eq!(plural(1, nouns::MUNICIPALITY), s("1 obec"));
        assert_eq!(plural(3, nouns::MUNICIPALITY), s("3 obce"));
        assert_eq!(plural(5, nouns::MUNICIPALITY), s("5 obcí"));
        assert_eq!(plural_len(2, nouns::DOCUMENT), s("2 doklady"));
        assert_eq!(noun(0, nouns::ROW), "řádků");
    }

    #[test]
    fn a_fraction_takes_the_genitive_singular() {
        let d = |t: &str| t.parse::<Decimal>().unwrap_or_default();
        assert_eq!(
            plural_decimal(d("1.5"), nouns::PROJECT, "projektu"),
            s("1,5 projektu")
        );
        assert_eq!(
            plural_decimal(d("2.0"), nouns::PROJECT, "projektu"),
            s("2 projekty")
        );
        assert_eq!(noun_decimal(d("-1"), nouns::PERSON, "osoby"), "osoba");
        assert_eq!(noun_decimal(d("0.25"), nouns::PERSON, "osoby"), "osoby");
    }

    #[test]
    fn indicator_units_are_czech() {
        let d = |t: &str| t.parse::<Decimal>().unwrap_or_default();
        assert_eq!(with_unit(d("10"), "persons"), s("10 osob"));
        assert_eq!(with_unit(d("1"), "persons"), s("1 osoba"));
        assert_eq!(with_unit(d("3"), "entities"), s("3 subjekty"));
        assert_eq!(with_unit(d("12.5"), "percent"), s("12,5 %"));
        assert_eq!(with_unit(d("7"), "other"), "7");
        assert_eq!(with_unit(d("7"), "hodiny"), s("7 hodiny"));
        assert_eq!(unit_name("persons"), "osoby");
        assert_eq!(unit_name("kg"), "kg");
    }
}
