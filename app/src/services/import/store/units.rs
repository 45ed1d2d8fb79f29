//! Amounts as stored (haléře, thousandths) and as the change lines show them (`1 234,50 Kč`, `12,5`).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::domain::Money;

pub(super) fn halere(amount: Decimal) -> i64 {
    (amount * Decimal::from(100))
        .round()
        .to_i64()
        .unwrap_or(i64::MAX)
}

pub(super) fn milli(value: Decimal) -> i64 {
    (value * Decimal::from(1000))
        .round()
        .to_i64()
        .unwrap_or(i64::MAX)
}

pub(super) fn money_label(h: i64) -> String {
    Money::from_halere(h).map_or_else(|_| h.to_string(), |m| format!("{} Kč", m.format_plain()))
}

/// A quantity the Czech way: `1 234`, `12,5` (no-break spaces between thousands).
pub(super) fn quantity_label(m: i64) -> String {
    let text = crate::domain::format_decimal(crate::services::monitoring::from_milli(m));
    let (int, frac) = text
        .split_once(',')
        .map_or((text.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}
