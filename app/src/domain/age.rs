//! A participant's age at entry (*věk při vstupu*), from which the age bands of the common indicators
//! EECO06 (below 18), EECO07 (18–29) and EECO08 (55 and above) are counted.
//!
//! With a date of birth the age is exact to the day: a person is *n* years old from their *n*-th
//! birthday on. Someone born on 29 February has their birthday on 28 February in a common year (the
//! civil code's rule for a period that would end on a day the month does not have, § 605 (2) OZ).
//! With only the year of birth the age is the one reached in the year of entry
//! ([`super::sheet_values::age_in_entry_year`]), which may be one year more than the exact age: a row
//! whose age so computed lies on an edge of a band may belong to the neighbouring band.

use chrono::{Datelike, NaiveDate};

/// The oldest age at entry accepted.
pub const MAX_AGE_AT_ENTRY: u8 = 120;

/// Ages on either side of an edge of the EECO06/07/08 bands (17 | 18, 29 | 30, 54 | 55).
pub const BAND_EDGE_AGES: [u8; 6] = [17, 18, 29, 30, 54, 55];

/// The exact age in whole years on `on` of a person born on `birth`; `None` when `on` is before `birth`.
#[must_use]
pub fn exact_age(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if on < birth {
        return None;
    }
    let years = u32::try_from(on.year() - birth.year()).ok()?;
    // This year's birthday; 29 February falls on 28 February in a common year.
    let birthday_day = if birth.month() == 2 && birth.day() == 29 && !is_leap(on.year()) {
        28
    } else {
        birth.day()
    };
    let before_birthday = (on.month(), on.day()) < (birth.month(), birthday_day);
    Some(if before_birthday {
        years.saturating_sub(1)
    } else {
        years
    })
}

fn is_leap(year: i32) -> bool {
    NaiveDate::from_ymd_opt(year, 2, 29).is_some()
}

/// True when an age computed from the year of birth alone sits on an edge of an age band, so that the
/// exact age may put the participant in the neighbouring band.
#[must_use]
pub fn on_band_edge(age: u8) -> bool {
    BAND_EDGE_AGES.contains(&age)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    #[test]
    fn the_age_grows_on_the_birthday() {
        let entry = d(2026, 3, 15);
        assert_eq!(
            exact_age(d(2008, 3, 16), entry),
            Some(17),
            "a day before 18"
        );
        assert_eq!(exact_age(d(2008, 3, 15), entry), Some(18), "18th birthday");
        assert_eq!(exact_age(d(1996, 3, 16), entry), Some(29));
        assert_eq!(exact_age(d(1996, 3, 15), entry), Some(30));
        assert_eq!(exact_age(d(1971, 3, 16), entry), Some(54));
        assert_eq!(exact_age(d(1971, 3, 15), entry), Some(55));
        assert_eq!(exact_age(entry, entry), Some(0));
        assert_eq!(exact_age(d(2026, 3, 16), entry), None, "born after entry");
    }

    #[test]
    fn a_leap_day_birthday_is_the_28th_in_common_years() {
        let born = d(2008, 2, 29);
        assert_eq!(exact_age(born, d(2026, 2, 27)), Some(17));
        assert_eq!(exact_age(born, d(2026, 2, 28)), Some(18));
        assert_eq!(exact_age(born, d(2028, 2, 28)), Some(19));
        assert_eq!(exact_age(born, d(2028, 2, 29)), Some(20));
    }

    #[test]
    fn band_edges() {
        let edges: Vec<u8> = (0..=120).filter(|a| on_band_edge(*a)).collect();
        assert_eq!(edges, [17, 18, 29, 30, 54, 55]);
    }
}
