//! [`DateRange`] (e.g. a project's *realizace*, from *datum zahájení* to *datum ukončení*, both days
//! inclusive) and Czech date parsing and formatting (`31. 12. 2025`).

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::DomainError;

/// Parses a date as Czech users and spreadsheets write it: `31.12.2025`, `31. 12. 2025`, `31/12/2025`
/// (day and month with one or two digits) or ISO `2025-12-31`. Surrounding and inner spaces, including
/// no-break spaces, are ignored; the year must have four digits.
///
/// # Errors
/// [`DomainError::DateFormat`] for any other notation; [`DomainError::DateDoesNotExist`] for a date
/// missing from the calendar (`31. 2. 2025`, `29. 2. 2025`).
pub fn parse_czech_date(input: &str) -> Result<NaiveDate, DomainError> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    let (year, month, day) = if let Some([y, m, d]) = split3(&compact, '-') {
        (number(y, 4, 4)?, number(m, 2, 2)?, number(d, 2, 2)?)
    } else if let Some([d, m, y]) = split3(&compact, '.').or_else(|| split3(&compact, '/')) {
        (number(y, 4, 4)?, number(m, 1, 2)?, number(d, 1, 2)?)
    } else {
        return Err(DomainError::DateFormat);
    };
    let year = i32::try_from(year).map_err(|_| DomainError::DateFormat)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DomainError::DateDoesNotExist {
        input: input.trim().to_owned(),
    })
}

fn split3(s: &str, sep: char) -> Option<[&str; 3]> {
    let mut parts = s.split(sep);
    let out = [parts.next()?, parts.next()?, parts.next()?];
    parts.next().is_none().then_some(out)
}

fn number(s: &str, min_len: usize, max_len: usize) -> Result<u32, DomainError> {
    if !(min_len..=max_len).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::DateFormat);
    }
    s.parse().map_err(|_| DomainError::DateFormat)
}

/// Formats a date the Czech way: `"31. 12. 2025"`, `"1. 3. 2026"` (no leading zeros, plain spaces).
#[must_use]
pub fn format_czech_date(date: NaiveDate) -> String {
    format!("{}. {}. {}", date.day(), date.month(), date.year())
}

/// A period of whole days, `start` to `end` inclusive, with `start <= end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawDateRange")]
pub struct DateRange {
    start: NaiveDate,
    end: NaiveDate,
}

#[derive(Deserialize)]
struct RawDateRange {
    start: NaiveDate,
    end: NaiveDate,
}

impl TryFrom<RawDateRange> for DateRange {
    type Error = DomainError;
    fn try_from(raw: RawDateRange) -> Result<Self, Self::Error> {
        Self::new(raw.start, raw.end)
    }
}

impl DateRange {
    /// A range from `start` to `end`, both inclusive; a single day when they are equal.
    ///
    /// # Errors
    /// [`DomainError::DateRangeEndBeforeStart`] when `end < start`.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Self, DomainError> {
        if end < start {
            return Err(DomainError::DateRangeEndBeforeStart);
        }
        Ok(Self { start, end })
    }

    /// First day.
    #[must_use]
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// Last day (inclusive).
    #[must_use]
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Number of days, both ends counted (1 for a single day).
    #[must_use]
    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// True when `date` is within the range (ends included).
    #[must_use]
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// Share of the range's days that have passed by the end of `today`, in [0, 1]: 0 before the start,
    /// 1 from the last day on; the start day counts as one elapsed day. Not rounded (up to 28 decimals).
    #[must_use]
    pub fn elapsed_share(&self, today: NaiveDate) -> Decimal {
        if today < self.start {
            return Decimal::ZERO;
        }
        if today >= self.end {
            return Decimal::ONE;
        }
        let elapsed = Decimal::from((today - self.start).num_days() + 1);
        elapsed
            .checked_div(Decimal::from(self.days()))
            .unwrap_or(Decimal::ONE)
            .min(Decimal::ONE)
    }
}

impl fmt::Display for DateRange {
    /// `"1. 3. 2026 – 30. 6. 2028"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} – {}",
            format_czech_date(self.start),
            format_czech_date(self.end)
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn parses_czech_and_iso_dates() {
        for input in [
            "31.12.2025",
            "31. 12. 2025",
            "2025-12-31",
            "31/12/2025",
            " 31.\u{a0}12.\u{202f}2025 ",
        ] {
            assert_eq!(
                parse_czech_date(input).unwrap(),
                d(2025, 12, 31),
                "{input:?}"
            );
        }
        assert_eq!(parse_czech_date("1. 3. 2026").unwrap(), d(2026, 3, 1));
        assert_eq!(parse_czech_date("01.03.2026").unwrap(), d(2026, 3, 1));
        assert_eq!(parse_czech_date("29. 2. 2024").unwrap(), d(2024, 2, 29));
    }

    #[test]
    fn refuses_malformed_dates() {
        for bad in [
            "",
            "31.12.",
            "31.12.25",
            "2025-12-1",
            "2025/12/31",
            "31-12-2025",
            "31.12.2025.",
            "31.12/2025",
            "a.b.cccc",
            "131.12.2025",
            "31.012.2025",
            "2025-12-31T00:00",
            "+1.1.2025",
        ] {
            assert_eq!(
                parse_czech_date(bad),
                Err(DomainError::DateFormat),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn refuses_dates_missing_from_the_calendar() {
        for bad in [
            "31. 2. 2025",
            "29.2.2025",
            "0.1.2025",
            "1.13.2025",
            "2025-04-31",
        ] {
            assert!(
                matches!(
                    parse_czech_date(bad),
                    Err(DomainError::DateDoesNotExist { .. })
                ),
                "{bad:?}"
            );
        }
        assert_eq!(
            parse_czech_date(" 31. 2. 2025").unwrap_err().to_string(),
            "Datum 31. 2. 2025 v kalendáři neexistuje; zkontrolujte den a měsíc"
        );
    }

    #[test]
    fn formats_czech_dates() {
        assert_eq!(format_czech_date(d(2025, 12, 31)), "31. 12. 2025");
        assert_eq!(format_czech_date(d(2026, 3, 1)), "1. 3. 2026");
        let date = d(2028, 6, 30);
        assert_eq!(parse_czech_date(&format_czech_date(date)).unwrap(), date);
    }

    #[test]
    fn range_refuses_end_before_start() {
        let err = DateRange::new(d(2026, 3, 1), d(2026, 2, 28)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Datum ukončení nesmí být dříve než datum zahájení"
        );
        let one_day = DateRange::new(d(2026, 3, 1), d(2026, 3, 1)).unwrap();
        assert_eq!(one_day.days(), 1);
    }

    #[test]
    fn range_accessors_and_display() {
        let r = DateRange::new(d(2026, 3, 1), d(2028, 6, 30)).unwrap();
        assert_eq!((r.start(), r.end()), (d(2026, 3, 1), d(2028, 6, 30)));
        assert!(r.contains(d(2026, 3, 1)) && r.contains(d(2028, 6, 30)));
        assert!(!r.contains(d(2026, 2, 28)) && !r.contains(d(2028, 7, 1)));
        assert_eq!(r.to_string(), "1. 3. 2026 – 30. 6. 2028");
    }

    #[test]
    fn elapsed_share_stays_in_zero_to_one() {
        let r = DateRange::new(d(2025, 1, 1), d(2025, 1, 10)).unwrap();
        assert_eq!(r.elapsed_share(d(2024, 12, 31)), Decimal::ZERO);
        assert_eq!(r.elapsed_share(d(2025, 1, 1)), Decimal::new(1, 1));
        assert_eq!(r.elapsed_share(d(2025, 1, 5)), Decimal::new(5, 1));
        assert_eq!(r.elapsed_share(d(2025, 1, 10)), Decimal::ONE);
        assert_eq!(r.elapsed_share(d(2030, 1, 1)), Decimal::ONE);
        let single = DateRange::new(d(2025, 1, 1), d(2025, 1, 1)).unwrap();
        assert_eq!(single.elapsed_share(d(2025, 1, 1)), Decimal::ONE);
        let year = DateRange::new(d(2025, 1, 1), d(2025, 12, 31)).unwrap();
        let mut last = Decimal::ZERO;
        for day in year.start().iter_days().take(365) {
            let share = year.elapsed_share(day);
            assert!(share > last && share <= Decimal::ONE);
            last = share;
        }
    }

    #[test]
    fn serde_validates_the_order() {
        let r = DateRange::new(d(2026, 3, 1), d(2028, 6, 30)).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"start":"2026-03-01","end":"2028-06-30"}"#);
        assert_eq!(serde_json::from_str::<DateRange>(&json).unwrap(), r);
        assert!(
            serde_json::from_str::<DateRange>(r#"{"start":"2028-06-30","end":"2026-03-01"}"#)
                .is_err()
        );
    }
}
