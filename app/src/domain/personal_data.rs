//! Personal data a monitoring sheet must not carry: the Czech birth number (*rodné číslo*, `RRMMDD/XXXX`,
//! nine digits after the slash-less `RRMMDDXXX` for people born before 1954). The importer refuses a whole
//! sheet that names one in a header or holds a value shaped like one (`shared/docs/monitoring-sheets.md`,
//! "Dates of birth"). The shape alone decides: a birth number with a wrong check digit or an impossible
//! month is still personal data typed in the wrong place.

use super::sheet_values::fold_header;

/// How a value looks like a birth number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BirthNumberShape {
    /// `RRMMDD/XXXX` or `RRMMDD/XXX` (spaces around the slash allowed): unmistakable.
    Slash,
    /// `RRMMDDXXXX` or `RRMMDDXXX`, or the two parts separated by a space: nine or ten digits, which other
    /// numbers (document numbers, variable symbols, amounts) share.
    Bare,
}

/// The birth-number shape of a whole value (surrounding whitespace ignored), if it has one: six digits,
/// an optional slash, three or four digits. Neither the check digit nor the date is checked.
#[must_use]
pub fn birth_number_shape(value: &str) -> Option<BirthNumberShape> {
    let is_space = |c: char| c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}');
    let value = value.trim_matches(is_space);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if let Some((left, right)) = value.split_once('/') {
        let (left, right) = (
            left.trim_end_matches(is_space),
            right.trim_start_matches(is_space),
        );
        return (digits(left, 6..=6) && digits(right, 3..=4)).then_some(BirthNumberShape::Slash);
    }
    if digits(value, 9..=10) {
        return Some(BirthNumberShape::Bare);
    }
    let (left, right) = value.split_once(is_space)?;
    (digits(left, 6..=6) && digits(right, 3..=4)).then_some(BirthNumberShape::Bare)
}

/// The birth-number shape of a number cell: a whole number of nine or ten digits (a birth number typed
/// without its slash becomes such a number in a spreadsheet).
#[must_use]
pub fn number_has_birth_number_shape(value: f64) -> bool {
    value.is_finite() && value.fract() == 0.0 && (1.0e8..1.0e10).contains(&value.abs())
}

/// Header names of a birth-number column, folded like every header: `Rodné číslo`, `RČ`, `R. č.`,
/// `Birth number`, and the longer forms that start with them (`Rodné číslo účastníka`).
#[must_use]
pub fn names_birth_number(header: &str) -> bool {
    let folded = fold_header(header);
    matches!(
        folded.as_str(),
        "rc" | "r c" | "rodne cislo" | "birth number" | "personal number" | "personal id number"
    ) || folded.starts_with("rodne cislo ")
        || folded.starts_with("birth number ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birth_numbers_are_recognised_by_shape_alone() {
        for slash in [
            "850315/1234",
            " 850315 / 1234 ",
            "855315/123",
            "991399/0000",
        ] {
            assert_eq!(
                birth_number_shape(slash),
                Some(BirthNumberShape::Slash),
                "{slash:?}"
            );
        }
        // Month 34 and a wrong check digit are still the shape of a birth number.
        for bare in ["8503151234", "123456789", "1234567890", "850315 1234"] {
            assert_eq!(
                birth_number_shape(bare),
                Some(BirthNumberShape::Bare),
                "{bare:?}"
            );
        }
        for other in [
            "",
            "U-0042",
            "72496991",
            "12345678901",
            "85031/51234",
            "850315/12",
            "850315/12345",
            "CZ.03.02.01/00/25_106/0009001",
            "1 234 567 890",
            "2000145399/0800",
            "A850315/1234",
        ] {
            assert_eq!(birth_number_shape(other), None, "{other:?}");
        }
    }

    #[test]
    fn whole_numbers_of_nine_or_ten_digits_have_the_shape() {
        assert!(number_has_birth_number_shape(8_503_151_234.0));
        assert!(number_has_birth_number_shape(501_011_234.0));
        assert!(!number_has_birth_number_shape(72_496_991.0));
        assert!(!number_has_birth_number_shape(12_345_678_901.0));
        assert!(!number_has_birth_number_shape(850_315_123.5));
        assert!(!number_has_birth_number_shape(f64::NAN));
        assert!(!number_has_birth_number_shape(f64::INFINITY));
    }

    #[test]
    fn headers_naming_a_birth_number() {
        for h in [
            "Rodné číslo",
            "RODNÉ ČÍSLO",
            "rodne cislo",
            "RČ",
            "R. č.",
            "Birth number",
            "Rodné\nčíslo účastníka",
        ] {
            assert!(names_birth_number(h), "{h:?}");
        }
        for h in [
            "Rok narození",
            "Datum narození",
            "Číslo dokladu",
            "IČ",
            "Reg. č.",
            "Role",
        ] {
            assert!(!names_birth_number(h), "{h:?}");
        }
    }
}
