//! The language of the user interface (issue 15, point 4): Czech, the default, or English for EU
//! auditors and Commission desk officers; and numbers, money and dates written the way each language
//! writes them (`1 234 567,89 Kč` and `31. 12. 2025`; `1,234,567.89 CZK` and `31 Dec 2025`).

use super::{format_czech_date, Money};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Lang {
    /// Čeština (the default).
    #[default]
    Cs,
    /// English.
    En,
}

impl Lang {
    /// Every language, Czech first.
    pub const ALL: [Self; 2] = [Self::Cs, Self::En];

    /// The ISO 639-1 code (`cs`, `en`): the `lang` attribute of the page and the stored preference.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Cs => "cs",
            Self::En => "en",
        }
    }

    /// The language of a code; anything unknown is `None`.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "cs" | "cz" => Some(Self::Cs),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The language's own name, for the choice in the account's settings.
    #[must_use]
    pub fn own_name(self) -> &'static str {
        match self {
            Self::Cs => "čeština",
            Self::En => "English",
        }
    }

    /// The best of ours for an HTTP `Accept-Language` header (RFC 9110: tags with optional `q`
    /// weights); Czech when nothing matches.
    #[must_use]
    pub fn from_accept_language(header: &str) -> Self {
        let mut best: Option<(u16, usize, Self)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut bits = part.split(';');
            let tag = bits.next().unwrap_or_default().trim();
            let q = bits
                .find_map(|b| b.trim().strip_prefix("q="))
                .map_or(Some(1000), weight)
                .unwrap_or(0);
            let primary = tag.split('-').next().unwrap_or_default();
            let Some(lang) = Self::from_code(primary) else {
                continue;
            };
            if q == 0 {
                continue;
            }
            // Higher weight wins; among equal weights, the earlier tag.
            if best.is_none_or(|(bq, bi, _)| q > bq || (q == bq && i < bi)) {
                best = Some((q, i, lang));
            }
        }
        best.map_or(Self::Cs, |(_, _, l)| l)
    }

    /// An amount of money: `1 234 567,89 Kč` (no-break spaces) or `1,234,567.89 CZK`.
    #[must_use]
    pub fn money(self, m: Money) -> String {
        match self {
            Self::Cs => m.to_string(),
            Self::En => {
                let czech = m.format_plain();
                let english: String = czech
                    .chars()
                    .map(|c| match c {
                        '\u{a0}' => ',',
                        ',' => '.',
                        c => c,
                    })
                    .collect();
                format!("{english}\u{a0}CZK")
            }
        }
    }

    /// A date: `31. 12. 2025` or `31 Dec 2025`.
    #[must_use]
    pub fn date(self, d: NaiveDate) -> String {
        match self {
            Self::Cs => format_czech_date(d),
            Self::En => {
                const MONTHS: [&str; 12] = [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ];
                let month = MONTHS.get(d.month0() as usize).copied().unwrap_or_default();
                format!("{} {month} {}", d.day(), d.year())
            }
        }
    }
}

/// A `q` weight (`1`, `0.8`, `0.125`) in thousandths; `None` when it is not one.
fn weight(q: &str) -> Option<u16> {
    let (int, frac) = q.trim().split_once('.').unwrap_or((q.trim(), ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let thousandths: u16 = format!("{frac:0<3}").parse().ok()?;
    (whole + thousandths <= 1000).then_some(whole + thousandths)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn money_and_dates_are_written_as_each_language_writes_them() {
        let m = Money::parse("1 234 567,89").unwrap();
        assert_eq!(Lang::Cs.money(m), "1\u{a0}234\u{a0}567,89\u{a0}Kč");
        assert_eq!(Lang::En.money(m), "1,234,567.89\u{a0}CZK");
        assert_eq!(
            Lang::En.money(Money::parse("-0,5").unwrap()),
            "-0.50\u{a0}CZK"
        );
        let d = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
        assert_eq!(Lang::Cs.date(d), "31. 12. 2025");
        assert_eq!(Lang::En.date(d), "31 Dec 2025");
        assert_eq!(
            Lang::En.date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()),
            "5 Jan 2026"
        );
    }

    #[test]
    fn accept_language_picks_the_best_weighted_language_we_have() {
        assert_eq!(Lang::from_accept_language("en-GB,en;q=0.9"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("de-DE, en;q=0.5, cs;q=0.8"),
            Lang::Cs
        );
        assert_eq!(Lang::from_accept_language("de, fr;q=0.9"), Lang::Cs);
        assert_eq!(Lang::from_accept_language(""), Lang::Cs);
        assert_eq!(Lang::from_accept_language("en;q=0, cs;q=0.1"), Lang::Cs);
        assert_eq!(Lang::from_accept_language("fr, en-US;q=0.7"), Lang::En);
    }

    #[test]
    fn codes_round_trip() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_code(l.code()), Some(l));
        }
        assert_eq!(Lang::from_code("de"), None);
    }
}
