//! Times as people in Czechia read them: Prague local time with the zone it was in (SEČ in winter, SELČ
//! in summer), so an entry made at 13:05 UTC in November reads `30. 11. 2026 14:05 SEČ`.

use chrono::{DateTime, Datelike, Offset, Timelike, Utc};
use chrono_tz::Europe::Prague;

/// `t` in Prague time: `30. 11. 2026 14:05 SEČ`, `1. 7. 2026 10:00 SELČ`. Another offset (none in force
/// since 1979, but the zone database decides) is written as `+HH:MM`.
#[must_use]
pub fn prague(t: DateTime<Utc>) -> String {
    let local = t.with_timezone(&Prague);
    let seconds = local.offset().fix().local_minus_utc();
    let zone = match seconds {
        3600 => "SEČ".to_owned(),
        7200 => "SELČ".to_owned(),
        s => {
            let sign = if s < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", s.abs() / 3600, s.abs() % 3600 / 60)
        }
    };
    format!(
        "{}. {}. {} {:02}:{:02} {zone}",
        local.day(),
        local.month(),
        local.year(),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::prague;
    use chrono::{TimeZone, Utc};

    #[test]
    fn winter_time_is_sec() {
        let t = Utc.with_ymd_and_hms(2026, 11, 30, 13, 5, 59).unwrap();
        assert_eq!(prague(t), "30. 11. 2026 14:05 SEČ");
    }

    #[test]
    fn summer_time_is_selc() {
        let t = Utc.with_ymd_and_hms(2026, 7, 1, 8, 0, 0).unwrap();
        assert_eq!(prague(t), "1. 7. 2026 10:00 SELČ");
    }

    #[test]
    fn the_day_follows_prague_not_utc() {
        let t = Utc.with_ymd_and_hms(2025, 12, 31, 23, 30, 0).unwrap();
        assert_eq!(prague(t), "1. 1. 2026 00:30 SEČ");
    }

    #[test]
    fn the_switch_to_summer_time_at_2_am() {
        // Last Sunday of March 2026 is the 29th; at 01:00 UTC clocks go from 02:00 to 03:00.
        let before = Utc.with_ymd_and_hms(2026, 3, 29, 0, 59, 0).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 3, 29, 1, 0, 0).unwrap();
        assert_eq!(prague(before), "29. 3. 2026 01:59 SEČ");
        assert_eq!(prague(after), "29. 3. 2026 03:00 SELČ");
    }
}
