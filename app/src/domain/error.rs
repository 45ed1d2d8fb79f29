//! [`DomainError`]: every way a domain value can be refused.
//!
//! Each variant is one kind of problem; its `Display` is the Czech message shown to the user, saying what
//! was expected. The type is `Serialize`/`Deserialize` so it may cross the wire to the browser.

use serde::{Deserialize, Serialize};

use super::status::ProjectStatus;

/// Why a domain value could not be built. `Display` gives a Czech message a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DomainError {
    /// The registration number has neither the 2021–2027 nor the 2014–2020 shape.
    #[error(
        "Registrační číslo musí mít tvar CZ.03.01.01/00/22_015/0002653 (2021–2027) \
         nebo CZ.03.1.48/0.0/0.0/15_010/0000036 (2014–2020)"
    )]
    RegistrationNumberFormat,

    /// An IČO typed in a form is not exactly eight digits.
    #[error("IČO musí mít přesně 8 číslic (např. 00296244); povoleny jsou jen číslice a mezery")]
    IcoFormat,

    /// An IČO from an imported spreadsheet is not one to eight digits.
    #[error(
        "IČO musí mít 1 až 8 číslic (chybějící úvodní nuly se doplní, např. 496991 → 00496991)"
    )]
    IcoLenientFormat,

    /// An IČO has eight digits but a wrong check digit.
    #[error("IČO {ico} nemá platnou kontrolní číslici (očekávána {expected})")]
    IcoChecksum {
        /// The eight digits as entered (after removing spaces and padding).
        ico: String,
        /// The check digit the first seven digits require.
        expected: u8,
    },

    /// A municipality code is not six digits starting with 5.
    #[error("Kód obce musí mít 6 číslic a začínat číslicí 5, např. 554782 (Praha)")]
    MunicipalityCodeFormat,

    /// A municipality code has six digits but a wrong check digit.
    #[error("Kód obce {code} nemá platnou kontrolní číslici (očekávána {expected})")]
    MunicipalityCodeChecksum {
        /// The code as entered.
        code: u32,
        /// The check digit the first five digits require.
        expected: u8,
    },

    /// An amount is not a number in an accepted notation.
    #[error(
        "Částka musí být číslo, např. 1 234 567,89 nebo 1234567.89 (tisíce lze oddělit mezerou \
         nebo tečkou, desetinnou čárkou nebo tečkou; čárka jako oddělovač tisíců povolena není)"
    )]
    MoneyFormat,

    /// An amount has more than two decimal places.
    #[error(
        "Částka smí mít nejvýše 2 desetinná místa (haléře), např. 1 234,56; \
         u zápisu jako 1,234 nelze poznat, zda jde o tisíce"
    )]
    MoneyTooManyDecimals,

    /// An amount (or a sum or difference of amounts) is beyond ±999 999 999 999,99 Kč.
    #[error("Částka musí být v rozsahu -999 999 999 999,99 Kč až 999 999 999 999,99 Kč")]
    MoneyOutOfRange,

    /// A date is not in an accepted notation.
    #[error("Datum musí mít tvar den. měsíc. rok, např. 31. 12. 2025 (nebo 31.12.2025, 31/12/2025, 2025-12-31)")]
    DateFormat,

    /// A date is well formed but does not exist in the calendar (e.g. 31. 2.).
    #[error("Datum {input} v kalendáři neexistuje; zkontrolujte den a měsíc")]
    DateDoesNotExist {
        /// The date as entered.
        input: String,
    },

    /// A date range ends before it starts.
    #[error("Datum ukončení nesmí být dříve než datum zahájení")]
    DateRangeEndBeforeStart,

    /// A stored or submitted project status code is not known.
    #[error("Neznámý stav projektu „{code}“; povolené stavy: v přípravě, v realizaci, ukončený, uzavřený")]
    UnknownProjectStatus {
        /// The code that was not recognised.
        code: String,
    },

    /// A project status change that the status machine does not allow.
    #[error("{}", transition_message(*from, *to))]
    StatusTransition {
        /// The current status.
        from: ProjectStatus,
        /// The status that was asked for.
        to: ProjectStatus,
    },
}

fn transition_message(from: ProjectStatus, to: ProjectStatus) -> String {
    let head = format!(
        "Projekt nelze převést ze stavu „{}“ do stavu „{}“",
        from.label(),
        to.label()
    );
    let allowed = from.allowed_next();
    if allowed.is_empty() {
        format!("{head}; stav „{}“ je konečný", from.label())
    } else {
        let names: Vec<String> = allowed.iter().map(|s| format!("„{}“", s.label())).collect();
        format!("{head}; povolený další stav: {}", names.join(", "))
    }
}
