//! The portfolio's drawdown over time: each project's cumulative planned and drawn expenditure (with
//! indirect costs) at quarter ends, kept with the project's part, and their sum over the portfolio.

use super::part::ProjectPart;
use super::risks::Dated;
use super::{money, ServiceError};
use crate::domain::LineKind;
use crate::dto::portfolio::PortfolioPoint;
use crate::services::budget::{breakdown, planned_by_kind};
use chrono::{Datelike, NaiveDate};
use std::sync::Arc;

/// Quarter ends kept per project at most (a project's window is its budget years and spending months).
const MAX_POINTS: usize = 200;

/// `YYYYMM` of a day.
fn month_of(d: NaiveDate) -> i32 {
    d.year() * 100 + i32::try_from(d.month()).unwrap_or(0)
}

/// A project's planned and drawn eligible amounts (haléře) cumulated at `d`: each year's budget spread
/// evenly over that year; expenditure of every month up to `d`'s month, undated expenditure always.
pub(super) fn value_at(p: &ProjectPart, d: NaiveDate) -> Result<(i64, i64), ServiceError> {
    let planned = breakdown(p.model, p.rate, planned_by_kind(&p.per_year, d))?
        .eligible
        .to_halere();
    let until = month_of(d);
    let mut spent = [0i64; 3];
    for (m, k, v) in &p.spent {
        if m.is_some_and(|m| m > until) {
            break;
        }
        spent[kind_index(*k)] += v;
    }
    let drawn = breakdown(
        p.model,
        p.rate,
        [
            LineKind::Personnel,
            LineKind::OtherDirect,
            LineKind::Simplified,
        ]
        .into_iter()
        .zip(spent),
    )?
    .eligible
    .to_halere();
    Ok((planned, drawn))
}

fn kind_index(k: LineKind) -> usize {
    match k {
        LineKind::Personnel => 0,
        LineKind::OtherDirect => 1,
        LineKind::Simplified => 2,
    }
}

/// A project's [`value_at`] at every quarter end of its window; constant before and after it.
#[derive(Debug, Default)]
pub(crate) struct Curve {
    /// Before this day the value is `before` (no budget year nor dated expenditure has begun).
    lo: Option<NaiveDate>,
    /// From this day on the value is `after` (the last budget year and spending month have begun).
    hi: Option<NaiveDate>,
    before: (i64, i64),
    after: (i64, i64),
    points: Vec<(NaiveDate, i64, i64)>,
}

impl Curve {
    pub(super) fn of(p: &ProjectPart) -> Result<Self, ServiceError> {
        let years = p.per_year.keys().map(|(_, y)| *y);
        let months = p.spent.iter().filter_map(|(m, _, _)| *m);
        let first_day = |m: i32| NaiveDate::from_ymd_opt(m / 100, u32::try_from(m % 100).ok()?, 1);
        let starts = years
            .clone()
            .map(|y| NaiveDate::from_ymd_opt(y, 1, 1))
            .chain(months.clone().map(first_day));
        let ends = years
            .map(|y| NaiveDate::from_ymd_opt(y, 12, 31))
            .chain(months.map(first_day));
        // An unrepresentable bound leaves that side to be computed day by day.
        let bound = |mut it: Box<dyn Iterator<Item = Option<NaiveDate>> + '_>, lowest: bool| {
            it.try_fold(None::<NaiveDate>, |acc, d| {
                let d = d?;
                Some(Some(acc.map_or(d, |a| {
                    if lowest {
                        a.min(d)
                    } else {
                        a.max(d)
                    }
                })))
            })
        };
        let (lo, hi) = match (bound(Box::new(starts), true), bound(Box::new(ends), false)) {
            // Nothing planned nor dated: the same value every day.
            (Some(None), Some(None)) => (Some(NaiveDate::MIN), Some(NaiveDate::MIN)),
            (lo, hi) => (lo.flatten(), hi.flatten()),
        };
        let mut curve = Self {
            lo,
            hi,
            before: value_at(p, NaiveDate::MIN)?,
            after: value_at(p, NaiveDate::MAX)?,
            points: Vec::new(),
        };
        if let (Some(lo), Some(hi)) = (lo, hi) {
            let mut q = quarter_end(lo);
            while q < hi && curve.points.len() < MAX_POINTS {
                let (planned, drawn) = value_at(p, q)?;
                curve.points.push((q, planned, drawn));
                let Some(next) = q.succ_opt().map(quarter_end) else {
                    break;
                };
                q = next;
            }
        }
        Ok(curve)
    }

    /// The value at `d` when kept (`None`: compute it with [`value_at`]).
    pub(super) fn at(&self, d: NaiveDate) -> Option<(i64, i64)> {
        if self.lo.is_some_and(|lo| d < lo) {
            return Some(self.before);
        }
        if self.hi.is_some_and(|hi| d >= hi) {
            return Some(self.after);
        }
        self.points
            .binary_search_by_key(&d, |(q, _, _)| *q)
            .ok()
            .map(|i| (self.points[i].1, self.points[i].2))
    }
}

/// The last day of `d`'s quarter.
fn quarter_end(d: NaiveDate) -> NaiveDate {
    let end_month = (d.month() - 1) / 3 * 3 + 3;
    let next = if end_month == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), end_month + 1, 1)
    };
    next.and_then(|n| n.pred_opt()).unwrap_or(NaiveDate::MAX)
}

/// Last day of each quarter from the earliest project start to the latest end (at most 60 points),
/// with today among them.
fn quarter_ends(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut y = from.year();
    let mut q = (from.month() - 1) / 3;
    loop {
        let end_month = q * 3 + 3;
        let next = if end_month == 12 {
            NaiveDate::from_ymd_opt(y + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(y, end_month + 1, 1)
        };
        let Some(end) = next.and_then(|n| n.pred_opt()) else {
            break;
        };
        out.push(end);
        if end >= to || out.len() >= 60 {
            break;
        }
        q += 1;
        if q == 4 {
            q = 0;
            y += 1;
        }
    }
    if today > from && today < to {
        out.push(today);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// The portfolio's cumulative planned and drawn expenditure (with indirect costs) at quarter ends and
/// today.
pub(super) fn series(
    parts: &[(Arc<ProjectPart>, Arc<Dated>)],
    today: NaiveDate,
) -> Result<Vec<PortfolioPoint>, ServiceError> {
    let (Some(from), Some(to)) = (
        parts.iter().map(|(p, _)| p.raw.start_date).min(),
        parts.iter().map(|(p, _)| p.raw.end_date).max(),
    ) else {
        return Ok(Vec::new());
    };
    let dates = quarter_ends(from, to, today);
    let mut planned = vec![0i64; dates.len()];
    let mut drawn = vec![0i64; dates.len()];
    for (p, dated) in parts {
        for (i, d) in dates.iter().enumerate() {
            let (pl, dr) = if *d == today {
                dated.at_today
            } else {
                match p.curve.at(*d) {
                    Some(v) => v,
                    None => value_at(p, *d)?,
                }
            };
            planned[i] += pl;
            drawn[i] += dr;
        }
    }
    dates
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(PortfolioPoint {
                date: *d,
                planned: money(planned[i])?,
                drawn: if *d <= today {
                    Some(money(drawn[i])?)
                } else {
                    None
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_ends_cover_the_range_with_today() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let q = quarter_ends(d(2024, 2, 15), d(2024, 12, 31), d(2024, 5, 10));
        assert_eq!(
            q,
            vec![
                d(2024, 3, 31),
                d(2024, 5, 10),
                d(2024, 6, 30),
                d(2024, 9, 30),
                d(2024, 12, 31)
            ]
        );
        assert_eq!(quarter_end(d(2024, 12, 31)), d(2024, 12, 31));
        assert_eq!(quarter_end(d(2024, 4, 1)), d(2024, 6, 30));
    }
}
