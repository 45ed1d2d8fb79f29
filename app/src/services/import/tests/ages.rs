//! The age at entry: exact to the day from a date of birth (which is never kept), from the year of birth
//! with a warning on the edges of the EECO06/07/08 age bands.

use super::support::{d, parse, t, texts, xlsx, Parsed, REG, V};
use crate::domain::PARTICIPANT_INDICATORS;
use crate::services::import::sheet::Record;

const ENTRY: (i32, u32, u32) = (2026, 3, 15);

/// A participants sheet with a `Datum narození` and a `Rok narození` column, one row per
/// `(date of birth, year of birth)`.
fn sheet(births: &[(V, V)]) -> Parsed {
    let mut rows = vec![texts(&[
        "Registrační číslo projektu",
        "ID účastníka",
        "Datum vstupu",
        "Pohlaví",
        "Datum narození",
        "Rok narození",
        "Postavení na trhu práce při vstupu",
    ])];
    for (i, (date, year)) in births.iter().enumerate() {
        rows.push(vec![
            t(REG),
            t(&format!("U-{i}")),
            V::Date(d(ENTRY.0, ENTRY.1, ENTRY.2)),
            t("M"),
            date.clone(),
            year.clone(),
            t("nezaměstnaný"),
        ]);
    }
    parse(&xlsx(&[("Účastníci", rows)], false), "ucastnici.xlsx").unwrap()
}

/// `(pseudonym, age at entry)` of the valid rows.
fn ages(parsed: &Parsed) -> Vec<(String, u8)> {
    parsed
        .rows
        .get("Účastníci")
        .map(|rows| {
            rows.iter()
                .filter_map(|r| match &r.record {
                    Record::Participant(p) => {
                        Some((p.record.pseudonym().to_owned(), p.record.age_at_entry()))
                    }
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The age bands a participant of `age` counts in.
fn bands(age: u8) -> Vec<&'static str> {
    let probe = crate::domain::ParticipantRecord::new(crate::domain::ParticipantInput {
        pseudonym: "P".into(),
        entry: d(ENTRY.0, ENTRY.1, ENTRY.2),
        exit: None,
        gender: crate::domain::Gender::Male,
        age_at_entry: age,
        status: crate::domain::LabourStatus::Unemployed,
        isced: None,
        disability: false,
        exit_situations: vec![],
    })
    .unwrap();
    let period = crate::domain::DateRange::new(d(2026, 1, 1), d(2026, 6, 30)).unwrap();
    crate::domain::participants::compute(&[probe], &period)
        .into_iter()
        .filter(|c| ["EECO06", "EECO07", "EECO08"].contains(&c.code) && c.total > 0)
        .map(|c| c.code)
        .collect()
}

#[test]
fn a_date_of_birth_gives_the_exact_age_on_every_band_edge() {
    let day_before = |y: i32| V::Date(d(y, 3, 16));
    let birthday = |y: i32| V::Date(d(y, 3, 15));
    let parsed = sheet(&[
        (day_before(2008), V::Empty),
        (birthday(2008), V::Empty),
        (day_before(1996), V::Empty),
        (birthday(1996), V::Empty),
        (day_before(1971), V::Empty),
        (birthday(1971), V::Empty),
        // A date of birth typed as text; the year column, when also given, is not used.
        (t("15. 3. 1971"), V::Num(1972.0)),
    ]);
    assert_eq!(parsed.errors("Účastníci"), []);
    assert_eq!(
        parsed.warnings("Účastníci"),
        [],
        "an exact age needs no warning"
    );
    let got: Vec<u8> = ages(&parsed).into_iter().map(|(_, a)| a).collect();
    assert_eq!(got, [17, 18, 29, 30, 54, 55, 55]);
    let counted: Vec<Vec<&str>> = got.iter().map(|a| bands(*a)).collect();
    assert_eq!(
        counted,
        [
            vec!["EECO06"],
            vec!["EECO07"],
            vec!["EECO07"],
            vec![],
            vec![],
            vec!["EECO08"],
            vec!["EECO08"],
        ]
    );
    assert!(PARTICIPANT_INDICATORS.iter().any(|i| i.code == "EECO08"));
}

#[test]
fn a_date_of_birth_is_never_kept() {
    let parsed = sheet(&[
        (V::Date(d(1990, 5, 17)), V::Empty),
        (V::Date(d(2026, 3, 16)), V::Empty),
        (t("31. 2. 1990"), V::Empty),
    ]);
    assert!(
        !parsed
            .values
            .keys()
            .any(|cell| cell.starts_with("Účastníci!E")),
        "no value of the date-of-birth column in the preview: {:?}",
        parsed.values
    );
    assert_eq!(
        parsed.errors("Účastníci"),
        [
            ("Účastníci!E3".to_owned(), "invalid_birth_date".to_owned()),
            ("Účastníci!E4".to_owned(), "invalid_date".to_owned()),
        ]
    );
    for e in &parsed.sheet("Účastníci").errors {
        assert_eq!(e.value, serde_json::Value::Null, "{e:?}");
    }
    assert_eq!(ages(&parsed), [("U-0".to_owned(), 35)]);
}

#[test]
fn a_year_of_birth_on_a_band_edge_is_warned_about() {
    let years = [2009, 2008, 1997, 1996, 1972, 1971, 1990];
    let births: Vec<(V, V)> = years
        .iter()
        .map(|y| (V::Empty, V::Num(f64::from(*y))))
        .collect();
    let parsed = sheet(&births);
    assert_eq!(parsed.errors("Účastníci"), []);
    let got: Vec<u8> = ages(&parsed).into_iter().map(|(_, a)| a).collect();
    assert_eq!(got, [17, 18, 29, 30, 54, 55, 36], "entry year − birth year");
    let warned: Vec<(String, String)> = (2..=7)
        .map(|r| (format!("Účastníci!F{r}"), "age_band_edge".to_owned()))
        .collect();
    assert_eq!(parsed.warnings("Účastníci"), warned);
}
