//! "Today" for the rules that depend on the date (drawdown against elapsed time, overdue claims, the
//! pace of indicators, which demo periods are finished). Production reads the system date; tests and
//! demonstrations fix it (`TRACKER_TODAY`), so that no figure depends on the day a test runs.

use chrono::NaiveDate;

/// Where "today" comes from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Clock {
    /// The system date (UTC).
    #[default]
    System,
    /// A fixed date.
    Fixed(NaiveDate),
}

impl Clock {
    /// Today's date by this clock.
    #[must_use]
    pub fn today(self) -> NaiveDate {
        match self {
            Clock::System => chrono::Utc::now().date_naive(),
            Clock::Fixed(d) => d,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_clock_answers_its_date() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or_default();
        assert_eq!(Clock::Fixed(d).today(), d);
    }
}
