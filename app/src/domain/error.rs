//! [`DomainError`]: every way a domain value can be refused.
//!
//! Each variant is one kind of problem; its `Display` is the Czech message shown to the user, saying what
//! was expected. The type is `Serialize`/`Deserialize` so it may cross the wire to the browser.

use serde::{Deserialize, Serialize};

use super::claim_status::ClaimStatus;
use super::review_status::ReviewStatus;
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

    /// A type-of-intervention code is not one to three digits.
    #[error(
        "Kód oblasti intervence má 1 až 3 číslice (např. 134, viz příloha I nařízení 2021/1060)"
    )]
    InterventionCodeFormat,

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

    /// A stored or submitted payment-claim status code is not known.
    #[error(
        "Neznámý stav žádosti o platbu „{code}“; povolené stavy: rozpracovaná, podaná, schválená, \
         proplacená, vrácená k opravě"
    )]
    UnknownClaimStatus {
        /// The code that was not recognised.
        code: String,
    },

    /// A payment-claim status change that the claim workflow does not allow.
    #[error("Žádost ve stavu „{}“ nelze změnit na „{}“.", from.label(), to.label())]
    ClaimStatusTransition {
        /// The current status.
        from: ClaimStatus,
        /// The status that was asked for.
        to: ClaimStatus,
    },

    /// A stored or submitted review status code is not known.
    #[error(
        "Neznámý stav kontroly „{code}“; povolené stavy: V kontrole, Vráceno k opravě, Schváleno"
    )]
    UnknownReviewStatus {
        /// The code that was not recognised.
        code: String,
    },

    /// A review status change that the review workflow does not allow.
    #[error("Ze stavu „{}“ nelze přejít do stavu „{}“.", from.label(), to.label())]
    ReviewStatusTransition {
        /// The current status.
        from: ReviewStatus,
        /// The status that was asked for.
        to: ReviewStatus,
    },

    /// A percentage is not a number in an accepted notation.
    #[error("Procento musí být číslo, např. 85, 85,5 nebo 7 % (desetinná čárka nebo tečka)")]
    PercentageFormat,

    /// A percentage is below 0 or above 100.
    #[error("Procento musí být v rozsahu 0 až 100 %")]
    PercentageOutOfRange,

    /// A percentage has more than four decimal places.
    #[error("Procento smí mít nejvýše 4 desetinná místa, např. 33,3333 %")]
    PercentageTooManyDecimals,

    /// The shares of the sources of financing do not add up to exactly 100 %.
    #[error(
        "Podíly zdrojů financování (příspěvek Unie, státní rozpočet, vlastní zdroje) musí dát \
         dohromady přesně 100 %; nyní dávají {sum}"
    )]
    FundingSharesSum {
        /// Their sum, formatted in Czech (e.g. `99,9999 %`).
        sum: String,
    },

    /// An indicator code is neither an ESF+ code nor a national (NČI) code.
    #[error(
        "Kód indikátoru musí být kód ESF+ (např. EECO01, EECR04, EECO18) nebo národní kód \
         z číslic (např. 6 00 00 nebo 60000)"
    )]
    IndicatorCodeFormat,

    /// A band of the correction table does not start at 0 % or more below where it ends.
    #[error("Pásmo korekce {from}–{to} je neplatné: „od“ musí být alespoň 0 % a menší než „do“")]
    CorrectionBandRange {
        /// Where the band starts, formatted in Czech.
        from: String,
        /// Where it ends, formatted in Czech (`∞` for no upper limit).
        to: String,
    },

    /// Two bands of the correction table overlap.
    #[error("Pásma korekce {first} a {second} se překrývají; každé plnění smí patřit nejvýše do jednoho pásma")]
    CorrectionBandsOverlap {
        /// The first band, formatted in Czech.
        first: String,
        /// The second band, formatted in Czech.
        second: String,
    },

    /// A stored or submitted indicator unit code is not known.
    #[error(
        "Neznámá měrná jednotka indikátoru „{code}“; povolené: osoby, subjekty, procenta, jiná"
    )]
    UnknownIndicatorUnit {
        /// The code that was not recognised.
        code: String,
    },

    /// An indicator value is negative.
    #[error("Hodnota indikátoru nesmí být záporná")]
    IndicatorValueNegative,

    /// A count of persons or entities is not a whole number.
    #[error("Počet osob nebo subjektů musí být celé číslo, např. 12 (zadáno {value})")]
    IndicatorValueNotWhole {
        /// The value, formatted in Czech.
        value: String,
    },

    /// A gender is not one of M, Ž, X.
    #[error("Pohlaví musí být M, Ž nebo X (zadáno „{input}“)")]
    GenderUnknown {
        /// The value as entered.
        input: String,
    },

    /// A labour-market status is not known.
    #[error(
        "Neznámé postavení na trhu práce „{input}“; povoleno: zaměstnaný, OSVČ, nezaměstnaný, \
         dlouhodobě nezaměstnaný, neaktivní"
    )]
    LabourStatusUnknown {
        /// The value as entered.
        input: String,
    },

    /// A situation upon leaving is not known.
    #[error(
        "Neznámá situace při výstupu „{input}“; povoleno: hledá zaměstnání, vzdělávání, \
         získal kvalifikaci, zaměstnán"
    )]
    ExitSituationUnknown {
        /// The value as entered.
        input: String,
    },

    /// A participant ID is empty.
    #[error("ID účastníka nesmí být prázdné; zadejte pseudonym, např. U-0042")]
    PseudonymEmpty,

    /// A participant ID looks like a Czech birth number (personal data). The value is not repeated.
    #[error(
        "ID účastníka vypadá jako rodné číslo (RRMMDD/XXXX); zadejte pseudonym, např. U-0042, \
         nikdy rodné číslo ani jméno"
    )]
    PseudonymLooksLikeBirthNumber,

    /// An age at entry above 120.
    #[error("Věk při vstupu musí být 0 až 120 let (zadáno {age})")]
    AgeOutOfRange {
        /// The age as entered.
        age: u8,
    },

    /// An ISCED level outside 0–8.
    #[error("Vzdělání ISCED musí být 0 až 8 (zadáno {level})")]
    IscedOutOfRange {
        /// The level as entered.
        level: u8,
    },

    /// A participant's exit date is before the entry date.
    #[error("Datum výstupu nesmí být dříve než datum vstupu")]
    ExitBeforeEntry,

    /// A situation upon leaving is given for a participant who has not left.
    #[error("Situaci při výstupu lze uvést jen spolu s datem výstupu")]
    ExitSituationWithoutExit,

    /// A cost-model code that is not one of the four.
    #[error("Neznámý model vykazování nákladů „{code}“")]
    UnknownCostModel {
        /// The code as given.
        code: String,
    },

    /// The project's call does not allow this cost model.
    #[error("Výzva projektu model „{model}“ nepovoluje; zvolte jiný model nebo požádejte správce o úpravu výzvy")]
    CostModelNotAllowed {
        /// The model's Czech name.
        model: String,
    },

    /// A flat rate outside what the call allows for the model.
    #[error("Paušální sazba {rate} není ve výzvě povolena; povoleno je {limit}")]
    FlatRateNotAllowed {
        /// The rate as entered.
        rate: String,
        /// What the call allows, in Czech.
        limit: String,
    },

    /// A number of units that is not a positive number with at most two decimals.
    #[error(
        "Počet jednotek musí být kladné číslo s nejvýše 2 desetinnými místy, např. 12 nebo 12,5"
    )]
    UnitsFormat,

    /// A budget item code that is not numbers separated by dots.
    #[error("Kód položky má tvar čísel oddělených tečkou, např. 1.1.1.2")]
    BudgetCodeFormat,

    /// A budget chapter that is not one of the chapters.
    #[error(
        "Neznámá kapitola rozpočtu „{input}“; povolené: 1.1 Osobní náklady, Cestovní náhrady, \
         Zařízení a vybavení, Nákup služeb, Ostatní přímé náklady"
    )]
    BudgetChapterUnknown {
        /// The chapter as given.
        input: String,
    },

    /// A budget line's year outside the project's realisation.
    #[error("Rok položky musí ležet v době realizace projektu ({from}–{to})")]
    BudgetYearOutsideRealisation {
        /// The first year of the realisation.
        from: i32,
        /// The last year of the realisation.
        to: i32,
    },

    /// A budget line with a negative amount.
    #[error("Rozpočet položky nesmí být záporný")]
    BudgetAmountNegative,

    /// A reporting rule's period length outside 1 to 24 months.
    #[error("Délka monitorovacího období musí být celý počet měsíců od 1 do 24, např. 6")]
    ReportPeriodMonths,
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
