//! Monitoring periods (*monitorovací období*) from a project's dates.
//!
//! Each period is reported in the implementation report (ZoR) of the same number. The programme's
//! reporting rule says how long one period lasts ([`ReportPeriodMonths`]: a setting per programme, 6 months
//! by default; the exact OPZ+ rule is unverified [U]). The periods run consecutively from the project's
//! start date, each that many calendar months long, and the last one ends with the project (so it may be
//! shorter). Month ends are handled without drift: period *k* starts *k* × N months after the project's
//! start (clamped to the end of a shorter month), and ends the day before the next one starts.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{DateRange, DomainError};

/// How many months one monitoring period lasts under a programme's reporting rule (1 to 24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct ReportPeriodMonths(u32);

impl ReportPeriodMonths {
    /// The default rule: six-month periods [U].
    pub const DEFAULT: Self = Self(6);
    /// The longest period a rule may set.
    pub const MAX: u32 = 24;

    /// A rule of `months` months.
    ///
    /// # Errors
    /// [`DomainError::ReportPeriodMonths`] outside 1 to [`Self::MAX`].
    pub fn new(months: u32) -> Result<Self, DomainError> {
        if (1..=Self::MAX).contains(&months) {
            Ok(Self(months))
        } else {
            Err(DomainError::ReportPeriodMonths)
        }
    }

    /// A rule as typed (`6`, ` 12 `).
    ///
    /// # Errors
    /// [`DomainError::ReportPeriodMonths`] for anything but a whole number from 1 to [`Self::MAX`].
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        input
            .trim()
            .parse::<u32>()
            .map_err(|_| DomainError::ReportPeriodMonths)
            .and_then(Self::new)
    }

    /// A stored value; anything out of range falls back to the default.
    #[must_use]
    pub fn from_stored(months: i32) -> Self {
        u32::try_from(months)
            .ok()
            .and_then(|m| Self::new(m).ok())
            .unwrap_or(Self::DEFAULT)
    }

    /// The number of months.
    #[must_use]
    pub fn get(self) -> u32 {
        self.0
    }
}

impl Default for ReportPeriodMonths {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<u32> for ReportPeriodMonths {
    type Error = DomainError;
    fn try_from(months: u32) -> Result<Self, Self::Error> {
        Self::new(months)
    }
}

impl From<ReportPeriodMonths> for u32 {
    fn from(m: ReportPeriodMonths) -> Self {
        m.0
    }
}

/// The date `k` periods of `months` after `start`, clamped to the end of a shorter month; `None` beyond
/// the calendar.
fn period_start(start: NaiveDate, months: ReportPeriodMonths, k: u32) -> Option<NaiveDate> {
    k.checked_mul(months.get())
        .and_then(|m| start.checked_add_months(Months::new(m)))
}

/// The monitoring periods of a project realised over `project` under the reporting rule `months`, in
/// order (period 1 first): consecutive, without gaps or overlaps, the first starting with the project and
/// the last ending with it.
#[must_use]
pub fn report_periods(project: DateRange, months: ReportPeriodMonths) -> Vec<DateRange> {
    let mut periods = Vec::new();
    let mut k: u32 = 0;
    let mut from = project.start();
    loop {
        let next = period_start(project.start(), months, k + 1);
        let to = match next.and_then(|n| n.pred_opt()) {
            Some(day_before) if day_before < project.end() => day_before,
            _ => project.end(),
        };
        // `from <= to` holds: `from` is at most the project's end, and `to` is at least `from`.
        if let Ok(p) = DateRange::new(from, to) {
            periods.push(p);
        }
        match next {
            Some(n) if to < project.end() => {
                from = n;
                k += 1;
            }
            _ => break,
        }
    }
    periods
}

/// The period a form for achieved values offers first, among `periods` (in order) as of `today`: the one
/// running today, else the last one that has ended, else the first (a project not started yet). Never a
/// future period while a current or finished one exists.
#[must_use]
pub fn period_to_report(periods: &[DateRange], today: NaiveDate) -> Option<usize> {
    periods
        .iter()
        .position(|p| p.start() <= today && today <= p.end())
        .or_else(|| periods.iter().rposition(|p| p.end() < today))
        .or_else(|| (!periods.is_empty()).then_some(0))
}

/// The period after `last`, as the form for a new period proposes it: from the day after `last` ends, as
/// many whole months long as `last` spans (a six-month period proposes the next six months). `None`
/// beyond the calendar.
#[must_use]
pub fn next_period(last: DateRange) -> Option<DateRange> {
    let start = last.end().succ_opt()?;
    let months = (0..=120_u32)
        .find(|m| {
            last.start()
                .checked_add_months(Months::new(m + 1))
                .is_some_and(|next| next > last.end())
        })
        .map_or(1, |m| m + 1);
    let end = start.checked_add_months(Months::new(months))?.pred_opt()?;
    DateRange::new(start, end).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn range(from: NaiveDate, to: NaiveDate) -> DateRange {
        DateRange::new(from, to).unwrap()
    }

    #[test]
    fn the_value_form_offers_the_current_or_last_finished_period_never_a_future_one() {
        let periods = [
            range(d(2026, 1, 1), d(2026, 6, 30)),
            range(d(2026, 7, 1), d(2026, 12, 31)),
            range(d(2027, 1, 1), d(2027, 6, 30)),
        ];
        assert_eq!(
            period_to_report(&periods, d(2026, 8, 15)),
            Some(1),
            "running today"
        );
        assert_eq!(
            period_to_report(&periods, d(2026, 7, 1)),
            Some(1),
            "its first day"
        );
        assert_eq!(
            period_to_report(&periods, d(2026, 6, 30)),
            Some(0),
            "its last day"
        );
        assert_eq!(
            period_to_report(&periods, d(2028, 1, 1)),
            Some(2),
            "all finished: the last"
        );
        assert_eq!(
            period_to_report(&periods, d(2025, 12, 1)),
            Some(0),
            "not started: the first"
        );
        // A gap between periods: the one that has ended, not the next one.
        let gap = [
            range(d(2026, 1, 1), d(2026, 3, 31)),
            range(d(2026, 6, 1), d(2026, 9, 30)),
        ];
        assert_eq!(period_to_report(&gap, d(2026, 5, 1)), Some(0));
        assert_eq!(period_to_report(&[], d(2026, 5, 1)), None);
    }

    #[test]
    fn the_next_period_is_as_many_months_as_the_last() {
        let six = next_period(range(d(2026, 1, 1), d(2026, 6, 30))).unwrap();
        assert_eq!((six.start(), six.end()), (d(2026, 7, 1), d(2026, 12, 31)));
        let twelve = next_period(range(d(2025, 3, 1), d(2026, 2, 28))).unwrap();
        assert_eq!(
            (twelve.start(), twelve.end()),
            (d(2026, 3, 1), d(2027, 2, 28))
        );
        // A short last period (the project's end) proposes at least a month.
        let short = next_period(range(d(2026, 7, 1), d(2026, 7, 20))).unwrap();
        assert_eq!(
            (short.start(), short.end()),
            (d(2026, 7, 21), d(2026, 8, 20))
        );
    }

    fn pairs(periods: &[DateRange]) -> Vec<(NaiveDate, NaiveDate)> {
        periods.iter().map(|p| (p.start(), p.end())).collect()
    }

    #[test]
    fn six_month_periods_from_the_first_of_january() {
        let periods = report_periods(
            range(d(2026, 1, 1), d(2027, 12, 31)),
            ReportPeriodMonths::DEFAULT,
        );
        assert_eq!(
            pairs(&periods),
            [
                (d(2026, 1, 1), d(2026, 6, 30)),
                (d(2026, 7, 1), d(2026, 12, 31)),
                (d(2027, 1, 1), d(2027, 6, 30)),
                (d(2027, 7, 1), d(2027, 12, 31)),
            ]
        );
    }

    #[test]
    fn the_last_period_is_short_when_the_project_ends_early() {
        let periods = report_periods(
            range(d(2026, 3, 1), d(2027, 5, 15)),
            ReportPeriodMonths::DEFAULT,
        );
        assert_eq!(
            pairs(&periods),
            [
                (d(2026, 3, 1), d(2026, 8, 31)),
                (d(2026, 9, 1), d(2027, 2, 28)),
                (d(2027, 3, 1), d(2027, 5, 15)),
            ]
        );
    }

    #[test]
    fn a_start_on_31_january_keeps_the_31st_without_drift() {
        let periods = report_periods(
            range(d(2026, 1, 31), d(2027, 12, 31)),
            ReportPeriodMonths::DEFAULT,
        );
        assert_eq!(
            pairs(&periods),
            [
                (d(2026, 1, 31), d(2026, 7, 30)),
                (d(2026, 7, 31), d(2027, 1, 30)),
                (d(2027, 1, 31), d(2027, 7, 30)),
                (d(2027, 7, 31), d(2027, 12, 31)),
            ]
        );
    }

    #[test]
    fn a_start_on_31_august_clamps_to_february_and_returns_to_the_31st() {
        let periods = report_periods(
            range(d(2026, 8, 31), d(2027, 12, 31)),
            ReportPeriodMonths::DEFAULT,
        );
        assert_eq!(
            pairs(&periods),
            [
                (d(2026, 8, 31), d(2027, 2, 27)),
                (d(2027, 2, 28), d(2027, 8, 30)),
                (d(2027, 8, 31), d(2027, 12, 31)),
            ]
        );
        // Monthly periods from 31 January: 28 (29) February, then back to the 31st.
        let monthly = report_periods(
            range(d(2028, 1, 31), d(2028, 4, 30)),
            ReportPeriodMonths::new(1).unwrap(),
        );
        assert_eq!(
            pairs(&monthly),
            [
                (d(2028, 1, 31), d(2028, 2, 28)),
                (d(2028, 2, 29), d(2028, 3, 30)),
                (d(2028, 3, 31), d(2028, 4, 29)),
                // 31 January + 3 months is 30 April: the last period is one day long.
                (d(2028, 4, 30), d(2028, 4, 30)),
            ]
        );
    }

    #[test]
    fn a_project_shorter_than_one_period_has_one_period() {
        let periods = report_periods(
            range(d(2026, 5, 10), d(2026, 5, 10)),
            ReportPeriodMonths::new(12).unwrap(),
        );
        assert_eq!(pairs(&periods), [(d(2026, 5, 10), d(2026, 5, 10))]);
    }

    #[test]
    fn periods_always_cover_the_project_without_gaps_or_overlaps() {
        let mut start = d(2023, 12, 1);
        while start < d(2025, 3, 1) {
            for months in [1, 2, 3, 5, 6, 12, 24] {
                for len in [0_i64, 27, 180, 181, 400, 1000] {
                    let end = start + chrono::Duration::days(len);
                    let rule = ReportPeriodMonths::new(months).unwrap();
                    let periods = report_periods(range(start, end), rule);
                    assert_eq!(periods.first().unwrap().start(), start);
                    assert_eq!(periods.last().unwrap().end(), end);
                    for pair in periods.windows(2) {
                        assert_eq!(pair[0].end().succ_opt().unwrap(), pair[1].start());
                    }
                    for (k, p) in periods.iter().enumerate() {
                        assert!(p.start() <= p.end());
                        // Period k starts k × months after the project (no drift from month ends).
                        let k = u32::try_from(k).unwrap();
                        let scheduled = start.checked_add_months(Months::new(k * months));
                        assert_eq!(Some(p.start()), scheduled, "{start} {months} {len}");
                    }
                }
            }
            start = start.succ_opt().unwrap();
        }
    }

    #[test]
    fn the_rule_takes_one_to_twenty_four_months() {
        assert_eq!(ReportPeriodMonths::parse(" 6 ").unwrap().get(), 6);
        assert_eq!(ReportPeriodMonths::parse("24").unwrap().get(), 24);
        for bad in ["0", "25", "-1", "6,5", "", "šest"] {
            assert_eq!(
                ReportPeriodMonths::parse(bad),
                Err(DomainError::ReportPeriodMonths)
            );
        }
        assert_eq!(
            ReportPeriodMonths::from_stored(0),
            ReportPeriodMonths::DEFAULT
        );
        assert_eq!(ReportPeriodMonths::from_stored(3).get(), 3);
    }
}
