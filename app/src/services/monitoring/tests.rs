//! Unit tests of the indicator services' pure parts.

use super::*;
use crate::domain::{CorrectionBands, Money};
use chrono::NaiveDate;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn quantities_parse_to_thousandths() {
    assert_eq!(parse_quantity("12"), Ok(12_000));
    assert_eq!(parse_quantity("12,5"), Ok(12_500));
    assert_eq!(parse_quantity("1 234,125"), Ok(1_234_125));
    assert!(parse_quantity("-1").unwrap_err().contains("záporná"));
    assert!(parse_quantity("1,2345")
        .unwrap_err()
        .contains("3 desetinná"));
    assert!(parse_quantity("abc").unwrap_err().contains("není číslo"));
    assert!(parse_quantity("100000000000000000000000000")
        .unwrap_err()
        .contains("příliš velká"));
    assert_eq!(from_milli(12_500).to_string(), "12.5");
}

#[test]
fn indicator_on_pace_is_not_flagged_but_one_behind_is() {
    let bands = CorrectionBands::unverified_default();
    let grant = Money::parse("1 000 000,00").unwrap();
    // Half the time (1 Jan 2024 – 31 Dec 2025, today 1 Jan 2025: 367/731 days elapsed) and half the target:
    // projected 50 / (367/731) = 99.6 % → no correction.
    assert_eq!(
        indicator_flag(
            "EECO01",
            Decimal::from(50),
            grant,
            &bands,
            d(2024, 1, 1),
            d(2025, 12, 31),
            d(2025, 1, 1)
        ),
        None
    );
    // A quarter of the target at half the time: projected 25 / 0.502 = 49.8 % → the lowest default band.
    let flag = indicator_flag(
        "EECO01",
        Decimal::from(25),
        grant,
        &bands,
        d(2024, 1, 1),
        d(2025, 12, 31),
        d(2025, 1, 1),
    )
    .unwrap();
    let expected = bands.projected_correction(grant, Decimal::new(498, 1));
    assert!(!expected.is_zero());
    assert!(
        flag.message.contains(&expected.to_string()),
        "{}",
        flag.message
    );
    assert!(flag.message.contains("49,8"), "{}", flag.message);
}

#[test]
fn after_the_target_date_the_reached_fulfilment_counts() {
    let bands = CorrectionBands::unverified_default();
    let grant = Money::parse("2 000 000,00").unwrap();
    let f = Decimal::from(60);
    let flag = indicator_flag(
        "EECR04",
        f,
        grant,
        &bands,
        d(2023, 1, 1),
        d(2024, 12, 31),
        d(2025, 3, 1),
    )
    .unwrap();
    assert!(flag
        .message
        .contains(&bands.projected_correction(grant, f).to_string()));
    assert!(indicator_flag(
        "EECR04",
        Decimal::from(100),
        grant,
        &bands,
        d(2023, 1, 1),
        d(2024, 12, 31),
        d(2025, 3, 1)
    )
    .is_none());
}
