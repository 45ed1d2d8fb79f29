//! Values as people type them into monitoring spreadsheets (*monitorovací tabulky*): numbers with a
//! decimal comma and spaces, dates in Czech notation, report periods (*ZoR*, *zpráva o realizaci*) and
//! header names. Pure functions: the spreadsheet importer uses them cell by cell, tests use them alone.
//! The rules are those of `shared/docs/monitoring-sheets.md` and the samples' README.

use std::fmt;

use chrono::{Datelike, Duration, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{parse_czech_date, text::fold_for_search};

/// Parses a number written as text the way Czech spreadsheets hold it: `1 234 567,89`,
/// `1 234 567,89 Kč` (normal, no-break or narrow spaces), `1234567,89`, `-1 000,00`, `1.234.567,89`
/// (dots as thousands separators next to a decimal comma), `1.234.567` (dots in groups of three),
/// `1234.56` (a single dot as the decimal mark), `3 215`.
///
/// Refused (`None`): `12,3,4` (two commas), `abc`, `neuvedeno`, `1e400` (no exponents), an empty text,
/// space groups that are not of three digits.
#[must_use]
pub fn parse_number_text(input: &str) -> Option<Decimal> {
    let mut s = input.trim_matches(|c: char| c.is_whitespace());
    for suffix in ["Kč", "kč", "KČ", "CZK", "czk", ",-", ",--"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.trim_end_matches(|c: char| c.is_whitespace());
        }
    }
    let (negative, s) = match s.strip_prefix('-').or_else(|| s.strip_prefix('\u{2212}')) {
        Some(rest) => (true, rest.trim_start_matches(|c: char| c.is_whitespace())),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if s.is_empty() {
        return None;
    }
    let commas = s.matches(',').count();
    let dots = s.matches('.').count();
    let (int_part, frac_part): (&str, &str) = match (commas, dots) {
        (0, 0) => (s, ""),
        (1, _) => s.split_once(',')?,
        (0, 1) => {
            let (int, frac) = s.split_once('.')?;
            // `1.234` with a one-to-three-digit integer part and three decimals is read as a decimal
            // number (the monitoring rules: dots are thousands separators only next to a decimal
            // comma, or in several groups of three).
            (int, frac)
        }
        (0, _) => (s, ""),
        _ => return None,
    };
    if frac_part.is_empty() && (commas == 1 || (dots == 1 && commas == 0)) {
        return None;
    }
    if !frac_part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = grouped_digits(int_part, commas == 1 || dots > 1)?;
    let text = if frac_part.is_empty() {
        digits
    } else {
        format!("{digits}.{frac_part}")
    };
    let value = Decimal::from_str_exact(&text).ok()?;
    Some(if negative { -value } else { value })
}

/// Digits of an integer part with optional thousands separators (spaces, or dots when `dots_allowed`), in
/// groups of three after the first.
fn grouped_digits(s: &str, dots_allowed: bool) -> Option<String> {
    let is_space = |c: char| c.is_whitespace() || matches!(c, '\u{a0}' | '\u{202f}' | '\u{2009}');
    let uses_dots = s.contains('.');
    if uses_dots && !dots_allowed {
        return None;
    }
    let groups: Vec<&str> = if uses_dots {
        s.split('.').collect()
    } else {
        s.split(is_space).filter(|g| !g.is_empty()).collect()
    };
    if groups.is_empty() {
        return None;
    }
    for (i, g) in groups.iter().enumerate() {
        let ok_len = if groups.len() == 1 {
            !g.is_empty()
        } else if i == 0 {
            (1..=3).contains(&g.len())
        } else {
            g.len() == 3
        };
        if !ok_len || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    Some(groups.concat())
}

/// Rounds an amount of money once to haléře (2 decimal places), half away from zero.
#[must_use]
pub fn round_money(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

/// The decimal a spreadsheet shows for a number cell: the shortest decimal that reads back as the same
/// binary value (`62551.50000000001` stays as it is; `0.1` is `0.1`, not `0.1000000000000000055…`).
/// `None` for NaN, infinities and values beyond `Decimal`'s range.
#[must_use]
pub fn decimal_from_cell_number(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Whole numbers (most counts and many amounts) need no text round trip.
    if value.fract() == 0.0 && value.abs() < 9.0e15 {
        // Exact: |value| < 2^53 and integral.
        #[allow(clippy::cast_possible_truncation)]
        return Some(Decimal::from(value as i64));
    }
    // `{}` prints the shortest representation that round-trips (Rust's float formatting guarantees it).
    let text = format!("{value}");
    Decimal::from_str_exact(&text)
        .ok()
        .or_else(|| Decimal::from_scientific(&format!("{value:e}")).ok())
}

/// Parses a date typed as text: `31.12.2025`, `31. 12. 2025`, `2025-12-31`, `31/12/2025`, `1. 7. 2023`.
/// A time after the date (`2025-12-31 00:00:00`, `2025-12-31T00:00:00`) is ignored.
#[must_use]
pub fn parse_date_text(input: &str) -> Option<NaiveDate> {
    let trimmed = input.trim();
    let date_part = trimmed
        .split_once('T')
        .map(|(d, _)| d)
        .filter(|d| d.len() == 10)
        .unwrap_or(trimmed);
    let date_part = match date_part.split_once(' ') {
        Some((d, t)) if d.len() == 10 && t.contains(':') => d,
        _ => date_part,
    };
    parse_czech_date(date_part).ok()
}

/// The largest Excel serial number of a day: 31. 12. 9999 in the 1900 date system.
pub const EXCEL_MAX_SERIAL_1900: f64 = 2_958_465.0;
/// The largest Excel serial number of a day in the 1904 date system (also 31. 12. 9999).
pub const EXCEL_MAX_SERIAL_1904: f64 = 2_957_003.0;

/// The date of an Excel serial number: days since 1899-12-30 in the 1900 date system, or since
/// 1904-01-01 in the 1904 system (a workbook says which it uses). The fraction (time of day) is dropped.
///
/// `None` outside Excel's range of days (0 … 2 958 465 in the 1900 system, 0 … 2 957 003 in the 1904
/// system, both ending on 31. 12. 9999), for NaN and infinities, and for the 1900 system's fictitious
/// 29. 2. 1900 (serial 60). Serials 0–59 of the 1900 system count from 1899-12-31, as Excel shows them
/// (1 is 1. 1. 1900). Never panics, whatever the number.
#[must_use]
pub fn excel_serial_to_date(serial: f64, date1904: bool) -> Option<NaiveDate> {
    let max = if date1904 {
        EXCEL_MAX_SERIAL_1904
    } else {
        EXCEL_MAX_SERIAL_1900
    };
    // NaN fails the range check too.
    if !(0.0..max + 1.0).contains(&serial) {
        return None;
    }
    // Truncation is intended (and safe: 0 ≤ serial < 2 958 466): the integer part is the day, the
    // fraction the time of day.
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.trunc() as i64;
    let base = match (date1904, days) {
        (true, _) => NaiveDate::from_ymd_opt(1904, 1, 1)?,
        (false, 60) => return None,
        (false, 0..=59) => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        (false, _) => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    base.checked_add_signed(Duration::days(days))
}

/// A monitoring period as a sheet names it: a report number (`1`, `ZoR 1`, `1. ZoR`) or a calendar
/// half-year (`2024-H1`). The alternative, two date columns *Období od* and *Období do*, is
/// [`PeriodRef::Dates`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PeriodRef {
    /// The n-th implementation report (*zpráva o realizaci*, ZoR), n ≥ 1.
    Report(u32),
    /// A calendar half-year: `half` is 1 (January–June) or 2 (July–December).
    HalfYear {
        /// The year.
        year: i32,
        /// 1 or 2.
        half: u8,
    },
    /// A period given by its first and last day.
    Dates {
        /// First day.
        from: NaiveDate,
        /// Last day.
        to: NaiveDate,
    },
}

impl PeriodRef {
    /// Parses `1`, `ZoR 1`, `zor1`, `1. ZoR`, `1.0` (a number cell) or `2024-H1` / `2024 H2`.
    /// `Q3`, `0`, `-1`, `2024-H3` are refused (`None`).
    #[must_use]
    pub fn parse(input: &str) -> Option<Self> {
        let folded = fold_for_search(input).replace(' ', "");
        if let Some(rest) = folded.strip_prefix("zor") {
            return report_number(rest.trim_start_matches('.'));
        }
        if let Some(rest) = folded.strip_suffix("zor") {
            return report_number(rest.trim_end_matches('.'));
        }
        if let Some((year, half)) = folded.split_once('h') {
            let year = year.trim_end_matches(['-', '/', '_']);
            if year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()) {
                let half: u8 = half.parse().ok()?;
                if half == 1 || half == 2 {
                    return Some(Self::HalfYear {
                        year: year.parse().ok()?,
                        half,
                    });
                }
            }
            return None;
        }
        report_number(folded.strip_suffix(".0").unwrap_or(&folded))
    }

    /// The period as users read it: `ZoR 2`, `1. pololetí 2024`, `1. 1. 2026 – 30. 6. 2026`.
    #[must_use]
    pub fn label(self) -> String {
        match self {
            Self::Report(n) => format!("ZoR {n}"),
            Self::HalfYear { year, half } => format!("{half}. pololetí {year}"),
            Self::Dates { from, to } => format!(
                "{} – {}",
                super::format_czech_date(from),
                super::format_czech_date(to)
            ),
        }
    }

    /// The first and last day of a half-year or a date range; `None` for a report number (its dates
    /// come from the project's periods).
    #[must_use]
    pub fn dates(self) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Self::Report(_) => None,
            Self::HalfYear { year, half } => {
                let (from, to) = if half == 1 {
                    ((1, 1), (6, 30))
                } else {
                    ((7, 1), (12, 31))
                };
                Some((
                    NaiveDate::from_ymd_opt(year, from.0, from.1)?,
                    NaiveDate::from_ymd_opt(year, to.0, to.1)?,
                ))
            }
            Self::Dates { from, to } => Some((from, to)),
        }
    }
}

fn report_number(s: &str) -> Option<PeriodRef> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = s.parse().ok()?;
    (n >= 1).then_some(PeriodRef::Report(n))
}

impl fmt::Display for PeriodRef {
    /// `ZoR 1`, `2024-H1`, `2024-01-01/2024-06-30`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Report(n) => write!(f, "ZoR {n}"),
            Self::HalfYear { year, half } => write!(f, "{year}-H{half}"),
            Self::Dates { from, to } => write!(f, "{from}/{to}"),
        }
    }
}

/// A header cell folded for matching: lower case, no diacritics, line breaks and punctuation as single
/// spaces, and a trailing unit dropped, whether in brackets or not: `Částka (Kč)`, `Částka⏎(Kč)`,
/// `castka kc` and `ČÁSTKA` all fold to `castka`.
#[must_use]
pub fn fold_header(input: &str) -> String {
    let folded = fold_for_search(input);
    let spaced: String = folded
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    let mut words: Vec<&str> = spaced.split_whitespace().collect();
    while words.len() > 1 && matches!(words.last(), Some(&("kc" | "czk" | "eur" | "pct"))) {
        words.pop();
    }
    words.join(" ")
}

/// The column letters of a zero-based column index: 0 → `A`, 25 → `Z`, 26 → `AA`.
#[must_use]
pub fn column_letters(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        // rem < 26, so the cast cannot truncate.
        #[allow(clippy::cast_possible_truncation)]
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// A cell address as spreadsheets print it: sheet `Výdaje`, zero-based row 16 and column 4 → `Výdaje!E17`.
#[must_use]
pub fn cell_address(sheet: &str, row: u32, column: u32) -> String {
    format!("{sheet}!{}{}", column_letters(column), row + 1)
}

/// The age reached in the year of entry when only the year of birth is known (entry year − birth year).
/// Participant sheets often give only *Rok narození*; the age may then be one year more than the exact
/// age at the entry date, which is the convention stated to users on the import page.
#[must_use]
pub fn age_in_entry_year(birth_year: i32, entry: NaiveDate) -> i32 {
    entry.year() - birth_year
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn number_text_as_people_type_it() {
        assert_eq!(parse_number_text("1 234 567,89"), Some(d("1234567.89")));
        assert_eq!(
            parse_number_text("845\u{a0}300\u{a0}000,00\u{a0}Kč"),
            Some(d("845300000.00"))
        );
        assert_eq!(parse_number_text(" 12 480 350,00"), Some(d("12480350.00")));
        assert_eq!(parse_number_text("1234567,89"), Some(d("1234567.89")));
        assert_eq!(parse_number_text("-1 000,00"), Some(d("-1000.00")));
        assert_eq!(parse_number_text("1.234.567,89"), Some(d("1234567.89")));
        assert_eq!(parse_number_text("8.750.000,00"), Some(d("8750000.00")));
        assert_eq!(parse_number_text("1.234.567"), Some(d("1234567")));
        assert_eq!(parse_number_text("1234.56"), Some(d("1234.56")));
        assert_eq!(parse_number_text("3 215"), Some(d("3215")));
        assert_eq!(parse_number_text(" 57 "), Some(d("57")));
        assert_eq!(parse_number_text("1,5"), Some(d("1.5")));
        assert_eq!(parse_number_text("96 800"), Some(d("96800")));
    }

    #[test]
    fn number_text_refused() {
        for bad in [
            "12,3,4",
            "abc",
            "neuvedeno",
            "1e400",
            "",
            "  ",
            "1 23 456",
            "1,234.56",
            "12,",
            "-",
        ] {
            assert_eq!(parse_number_text(bad), None, "{bad:?} must be refused");
        }
    }

    #[test]
    fn cell_numbers_take_the_shortest_decimal() {
        assert_eq!(decimal_from_cell_number(0.1), Some(d("0.1")));
        assert_eq!(
            decimal_from_cell_number(62551.50000000001).map(round_money),
            Some(d("62551.50"))
        );
        assert_eq!(
            decimal_from_cell_number(9_870_440.456).map(round_money),
            Some(d("9870440.46"))
        );
        let sum = [0.1, 0.2]
            .iter()
            .filter_map(|v| decimal_from_cell_number(*v))
            .map(round_money)
            .sum::<Decimal>();
        assert_eq!(sum, d("0.30"));
        assert_eq!(decimal_from_cell_number(f64::NAN), None);
    }

    #[test]
    fn money_rounds_half_away_from_zero() {
        assert_eq!(round_money(d("0.125")), d("0.13"));
        assert_eq!(round_money(d("-0.125")), d("-0.13"));
        assert_eq!(round_money(d("0.124")), d("0.12"));
    }

    #[test]
    fn date_text() {
        let dec31 = NaiveDate::from_ymd_opt(2025, 12, 31);
        for s in [
            "31.12.2025",
            "31. 12. 2025",
            "2025-12-31",
            "31/12/2025",
            "2025-12-31T00:00:00",
        ] {
            assert_eq!(parse_date_text(s), dec31, "{s}");
        }
        assert_eq!(
            parse_date_text("1. 7. 2023"),
            NaiveDate::from_ymd_opt(2023, 7, 1)
        );
        assert_eq!(parse_date_text("31. 2. 2025"), None);
        assert_eq!(parse_date_text("zítra"), None);
    }

    #[test]
    fn excel_serials() {
        assert_eq!(
            excel_serial_to_date(45471.0, false),
            NaiveDate::from_ymd_opt(2024, 6, 28)
        );
        assert_eq!(
            excel_serial_to_date(46112.0, false),
            NaiveDate::from_ymd_opt(2026, 3, 31)
        );
        assert_eq!(
            excel_serial_to_date(45108.5, false),
            NaiveDate::from_ymd_opt(2023, 7, 1)
        );
        assert_eq!(
            excel_serial_to_date(0.0, true),
            NaiveDate::from_ymd_opt(1904, 1, 1)
        );
        assert_eq!(
            excel_serial_to_date(1.0, true),
            NaiveDate::from_ymd_opt(1904, 1, 2)
        );
        assert_eq!(excel_serial_to_date(-5.0, false), None);
    }

    #[test]
    fn excel_serials_outside_excels_range_are_no_dates() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(excel_serial_to_date(0.0, false), d(1899, 12, 31));
        assert_eq!(excel_serial_to_date(1.0, false), d(1900, 1, 1));
        assert_eq!(excel_serial_to_date(59.0, false), d(1900, 2, 28));
        assert_eq!(excel_serial_to_date(60.0, false), None, "29. 2. 1900");
        assert_eq!(excel_serial_to_date(61.0, false), d(1900, 3, 1));
        assert_eq!(excel_serial_to_date(2_958_465.0, false), d(9999, 12, 31));
        assert_eq!(excel_serial_to_date(2_958_465.99, false), d(9999, 12, 31));
        assert_eq!(excel_serial_to_date(2_957_003.0, true), d(9999, 12, 31));
        for bad in [
            2_958_466.0,
            -0.5,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ] {
            assert_eq!(excel_serial_to_date(bad, false), None, "{bad}");
            assert_eq!(excel_serial_to_date(bad, true), None, "{bad} (1904)");
        }
        assert_eq!(excel_serial_to_date(2_957_004.0, true), None);
        // The 1904 system counts four years and a day later.
        assert_eq!(excel_serial_to_date(44_561.0, true), d(2026, 1, 1));
        assert_eq!(excel_serial_to_date(46_023.0, false), d(2026, 1, 1));
    }

    #[test]
    fn periods() {
        assert_eq!(PeriodRef::parse("1"), Some(PeriodRef::Report(1)));
        assert_eq!(PeriodRef::parse("1.0"), Some(PeriodRef::Report(1)));
        assert_eq!(PeriodRef::parse("ZoR 1"), Some(PeriodRef::Report(1)));
        assert_eq!(PeriodRef::parse("1. ZoR"), Some(PeriodRef::Report(1)));
        assert_eq!(PeriodRef::parse("zor 12"), Some(PeriodRef::Report(12)));
        assert_eq!(
            PeriodRef::parse("2024-H1"),
            Some(PeriodRef::HalfYear {
                year: 2024,
                half: 1
            })
        );
        assert_eq!(
            PeriodRef::parse("2024-H1").map(|p| p.to_string()),
            Some("2024-H1".into())
        );
        assert_eq!(
            PeriodRef::parse("ZoR 2").map(|p| p.to_string()),
            Some("ZoR 2".into())
        );
        for bad in ["Q3", "0", "-1", "2024-H3", "abc", ""] {
            assert_eq!(PeriodRef::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn headers_fold() {
        assert_eq!(fold_header("Částka (Kč)"), "castka");
        assert_eq!(fold_header("Částka\n(Kč)"), "castka");
        assert_eq!(fold_header("castka kc"), "castka");
        assert_eq!(fold_header("  Registrační  číslo:"), "registracni cislo");
        assert_eq!(
            fold_header("Celkové náklady na operaci (CZK)"),
            "celkove naklady na operaci"
        );
        assert_eq!(fold_header("Příjemce - název"), "prijemce nazev");
    }

    #[test]
    fn addresses() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(47), "AV");
        assert_eq!(cell_address("Výdaje", 16, 4), "Výdaje!E17");
    }
}
