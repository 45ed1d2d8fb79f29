//! Pseudonymised participant records (*účastníci*: the people a project supports) and the ESF+ common
//! participant indicators computed from them (Regulation (EU) 2021/1057, Annex I).
//!
//! A participant is described **at entry** (*vstup*: age, labour-market status, education) and **at exit**
//! (*výstup*: the situation upon leaving). Output indicators (`EECO..`) count participants who entered
//! within a period, by their situation at entry; immediate result indicators (`EECR..`) count those who
//! left within the period, by their situation upon leaving. Every figure is broken down by gender.
//!
//! | code | counts (period bounds inclusive) |
//! |---|---|
//! | EECO01 | all participants who entered in the period |
//! | EECO02 | of them, unemployed at entry, including long-term unemployed |
//! | EECO03 | long-term unemployed at entry |
//! | EECO04 | inactive at entry (neither employed nor unemployed) |
//! | EECO05 | employed at entry, including self-employed (*OSVČ*) |
//! | EECO06 | below 18 years of age at entry (age ≤ 17) |
//! | EECO07 | 18–29 years of age at entry (both included) |
//! | EECO08 | 55 years of age and above at entry |
//! | EECO09 | lower secondary education or less at entry (ISCED 0–2) |
//! | EECO10 | upper secondary or post-secondary non-tertiary education (ISCED 3–4) |
//! | EECO11 | tertiary education (ISCED 5–8) |
//! | EECO12 | participants with disabilities |
//! | EECR01 | participants who left in the period and were job searching upon leaving |
//! | EECR02 | … in education or training upon leaving |
//! | EECR03 | … gaining a qualification upon leaving |
//! | EECR04 | … in employment, including self-employment, upon leaving |
//!
//! Participants whose ISCED level is unknown count in none of EECO09–EECO11.
//!
//! Records are pseudonymised: the participant ID is a pseudonym, never a name or a *rodné číslo* (the
//! Czech birth number, `RRMMDD/XXXX`), which [`ParticipantRecord::new`] refuses.

use super::indicator_names as names;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{fold_for_search, DateRange, DomainError};

/// Gender (*pohlaví*) as the monitoring sheets record it: `M` (*muž*), `Ž` (*žena*), `X` (other).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// `M`, *muž*.
    Male,
    /// `Ž`, *žena*.
    Female,
    /// `X`: other or not stated.
    Other,
}

impl Gender {
    /// Parses `M`; `Ž`, `Z` or `F`; `X` (any case, surrounding spaces ignored).
    ///
    /// # Errors
    /// [`DomainError::GenderUnknown`] for anything else (also for words such as `muž`).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        match input.trim().to_uppercase().as_str() {
            "M" => Ok(Self::Male),
            "Ž" | "Z" | "F" => Ok(Self::Female),
            "X" => Ok(Self::Other),
            _ => Err(DomainError::GenderUnknown {
                input: input.trim().to_owned(),
            }),
        }
    }

    /// `"M"`, `"Ž"`, `"X"`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Male => "M",
            Self::Female => "Ž",
            Self::Other => "X",
        }
    }
}

/// Labour-market status at entry (*postavení na trhu práce při vstupu*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabourStatus {
    /// *Zaměstnaný*: employed.
    Employed,
    /// *OSVČ* (*osoba samostatně výdělečně činná*): self-employed.
    SelfEmployed,
    /// *Nezaměstnaný*: unemployed (not long-term).
    Unemployed,
    /// *Dlouhodobě nezaměstnaný*: long-term unemployed.
    LongTermUnemployed,
    /// *Neaktivní*: neither employed nor unemployed (e.g. studying, caring, retired).
    Inactive,
}

impl LabourStatus {
    const ALL: [Self; 5] = [
        Self::Employed,
        Self::SelfEmployed,
        Self::Unemployed,
        Self::LongTermUnemployed,
        Self::Inactive,
    ];

    /// Parses the Czech label, ignoring case, diacritics and extra spaces: `zaměstnaný`, `OSVČ`,
    /// `nezaměstnaný`, `dlouhodobě nezaměstnaný`, `neaktivní` (also the feminine forms, `osoba samostatně
    /// výdělečně činná`, and the codes `employed`, `self_employed`, …).
    ///
    /// # Errors
    /// [`DomainError::LabourStatusUnknown`] for anything else (e.g. `student`).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let folded = fold_for_search(input);
        let found = match folded.as_str() {
            "zamestnany" | "zamestnana" | "zamestnanec" => Some(Self::Employed),
            "osvc" | "osoba samostatne vydelecne cinna" => Some(Self::SelfEmployed),
            "nezamestnany" | "nezamestnana" => Some(Self::Unemployed),
            "dlouhodobe nezamestnany" | "dlouhodobe nezamestnana" => Some(Self::LongTermUnemployed),
            "neaktivni" => Some(Self::Inactive),
            code => Self::ALL.into_iter().find(|s| s.code() == code),
        };
        found.ok_or_else(|| DomainError::LabourStatusUnknown {
            input: input.trim().to_owned(),
        })
    }

    /// Stable code: `employed`, `self_employed`, `unemployed`, `long_term_unemployed`, `inactive`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Employed => "employed",
            Self::SelfEmployed => "self_employed",
            Self::Unemployed => "unemployed",
            Self::LongTermUnemployed => "long_term_unemployed",
            Self::Inactive => "inactive",
        }
    }

    /// Czech label: `zaměstnaný`, `OSVČ`, `nezaměstnaný`, `dlouhodobě nezaměstnaný`, `neaktivní`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Employed => "zaměstnaný",
            Self::SelfEmployed => "OSVČ",
            Self::Unemployed => "nezaměstnaný",
            Self::LongTermUnemployed => "dlouhodobě nezaměstnaný",
            Self::Inactive => "neaktivní",
        }
    }

    /// Unemployed, including long-term unemployed (EECO02).
    #[must_use]
    pub fn is_unemployed(self) -> bool {
        matches!(self, Self::Unemployed | Self::LongTermUnemployed)
    }

    /// Employed, including self-employed (EECO05).
    #[must_use]
    pub fn is_employed(self) -> bool {
        matches!(self, Self::Employed | Self::SelfEmployed)
    }
}

/// A participant's situation upon leaving (*situace při výstupu*); a participant may be in several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitSituation {
    /// *Hledá zaměstnání*: job searching (EECR01).
    JobSearching,
    /// *Vzdělávání*: in education or training (EECR02).
    InEducation,
    /// *Získal kvalifikaci*: gained a qualification (EECR03).
    GainedQualification,
    /// *Zaměstnán*: in employment, including self-employment (EECR04).
    InEmployment,
}

impl ExitSituation {
    const ALL: [Self; 4] = [
        Self::JobSearching,
        Self::InEducation,
        Self::GainedQualification,
        Self::InEmployment,
    ];

    /// Parses one Czech label, ignoring case, diacritics and extra spaces: `hledá zaměstnání`,
    /// `vzdělávání` (or `vzdělává se`), `získal kvalifikaci` (or `získala`), `zaměstnán` (or
    /// `zaměstnána`, `zaměstnaný`, `OSVČ`), or a code (`job_searching`, …).
    ///
    /// # Errors
    /// [`DomainError::ExitSituationUnknown`] for anything else.
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let folded = fold_for_search(input);
        let found = match folded.as_str() {
            "hleda zamestnani" => Some(Self::JobSearching),
            "vzdelavani" | "vzdelava se" | "ve vzdelavani" => Some(Self::InEducation),
            "ziskal kvalifikaci" | "ziskala kvalifikaci" => Some(Self::GainedQualification),
            "zamestnan" | "zamestnana" | "zamestnany" | "osvc" => Some(Self::InEmployment),
            code => Self::ALL.into_iter().find(|s| s.code() == code),
        };
        found.ok_or_else(|| DomainError::ExitSituationUnknown {
            input: input.trim().to_owned(),
        })
    }

    /// Parses a cell listing several situations separated by `;`, `,` or line breaks; blank items are
    /// skipped, duplicates removed, the result sorted.
    ///
    /// # Errors
    /// The first [`DomainError::ExitSituationUnknown`] among the items.
    pub fn parse_list(input: &str) -> Result<Vec<Self>, DomainError> {
        let mut out = input
            .split([';', ',', '\n'])
            .filter(|item| !item.trim().is_empty())
            .map(Self::parse)
            .collect::<Result<Vec<_>, _>>()?;
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Stable code: `job_searching`, `in_education`, `gained_qualification`, `in_employment`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::JobSearching => "job_searching",
            Self::InEducation => "in_education",
            Self::GainedQualification => "gained_qualification",
            Self::InEmployment => "in_employment",
        }
    }

    /// Czech label: `hledá zaměstnání`, `vzdělávání`, `získal kvalifikaci`, `zaměstnán`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::JobSearching => "hledá zaměstnání",
            Self::InEducation => "vzdělávání",
            Self::GainedQualification => "získal kvalifikaci",
            Self::InEmployment => "zaměstnán",
        }
    }
}

/// The fields of a participant record as they come from a sheet or a form, before checking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantInput {
    /// *ID účastníka*: a pseudonym.
    pub pseudonym: String,
    /// *Datum vstupu*.
    pub entry: NaiveDate,
    /// *Datum výstupu*, if the participant has left.
    pub exit: Option<NaiveDate>,
    /// *Pohlaví*.
    pub gender: Gender,
    /// *Věk při vstupu*, in whole years.
    pub age_at_entry: u8,
    /// *Postavení na trhu práce při vstupu*.
    pub status: LabourStatus,
    /// *Vzdělání* as an ISCED 2011 level 0–8, if known.
    pub isced: Option<u8>,
    /// *Zdravotní postižení*.
    pub disability: bool,
    /// *Situace při výstupu*; only with an exit date.
    pub exit_situations: Vec<ExitSituation>,
}

/// A checked, pseudonymised participant record (see [`ParticipantRecord::new`]). Serialised as
/// [`ParticipantInput`] and checked again when deserialised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ParticipantInput", into = "ParticipantInput")]
pub struct ParticipantRecord {
    pseudonym: String,
    entry: NaiveDate,
    exit: Option<NaiveDate>,
    gender: Gender,
    age_at_entry: u8,
    status: LabourStatus,
    isced: Option<u8>,
    disability: bool,
    exit_situations: Vec<ExitSituation>,
}

/// Oldest accepted age at entry.
const MAX_AGE: u8 = 120;

impl ParticipantRecord {
    /// Checks a record. The pseudonym is trimmed; exit situations are de-duplicated and sorted.
    ///
    /// # Errors
    /// - [`DomainError::PseudonymEmpty`] for a blank pseudonym;
    /// - [`DomainError::PseudonymLooksLikeBirthNumber`] when the pseudonym is, or contains, what looks
    ///   like a *rodné číslo*: 9 or 10 digits (optionally `/` after the sixth) whose first six read as
    ///   a possible date `RRMMDD` (month 01–12, +20, +50 or +70; day 01–31), e.g. `850315/1234`,
    ///   `8553151234`; the message does not repeat the value;
    /// - [`DomainError::AgeOutOfRange`] above 120; [`DomainError::IscedOutOfRange`] above 8;
    /// - [`DomainError::ExitBeforeEntry`]; [`DomainError::ExitSituationWithoutExit`] for situations
    ///   upon leaving without an exit date.
    pub fn new(input: ParticipantInput) -> Result<Self, DomainError> {
        let pseudonym = input.pseudonym.trim().to_owned();
        if pseudonym.is_empty() {
            return Err(DomainError::PseudonymEmpty);
        }
        if looks_like_birth_number(&pseudonym) {
            return Err(DomainError::PseudonymLooksLikeBirthNumber);
        }
        if input.age_at_entry > MAX_AGE {
            return Err(DomainError::AgeOutOfRange {
                age: input.age_at_entry,
            });
        }
        if let Some(level) = input.isced.filter(|&level| level > 8) {
            return Err(DomainError::IscedOutOfRange { level });
        }
        match input.exit {
            Some(exit) if exit < input.entry => return Err(DomainError::ExitBeforeEntry),
            None if !input.exit_situations.is_empty() => {
                return Err(DomainError::ExitSituationWithoutExit)
            }
            _ => {}
        }
        let mut exit_situations = input.exit_situations;
        exit_situations.sort_unstable();
        exit_situations.dedup();
        Ok(Self {
            pseudonym,
            entry: input.entry,
            exit: input.exit,
            gender: input.gender,
            age_at_entry: input.age_at_entry,
            status: input.status,
            isced: input.isced,
            disability: input.disability,
            exit_situations,
        })
    }

    /// The pseudonym (*ID účastníka*).
    #[must_use]
    pub fn pseudonym(&self) -> &str {
        &self.pseudonym
    }

    /// Date of entry.
    #[must_use]
    pub fn entry(&self) -> NaiveDate {
        self.entry
    }

    /// Date of exit, if the participant has left.
    #[must_use]
    pub fn exit(&self) -> Option<NaiveDate> {
        self.exit
    }

    /// Gender.
    #[must_use]
    pub fn gender(&self) -> Gender {
        self.gender
    }

    /// Age at entry in whole years (0–120).
    #[must_use]
    pub fn age_at_entry(&self) -> u8 {
        self.age_at_entry
    }

    /// Labour-market status at entry.
    #[must_use]
    pub fn status(&self) -> LabourStatus {
        self.status
    }

    /// ISCED level 0–8 at entry, if known.
    #[must_use]
    pub fn isced(&self) -> Option<u8> {
        self.isced
    }

    /// With disabilities.
    #[must_use]
    pub fn disability(&self) -> bool {
        self.disability
    }

    /// Situations upon leaving, sorted, without duplicates; empty when the participant has not left.
    #[must_use]
    pub fn exit_situations(&self) -> &[ExitSituation] {
        &self.exit_situations
    }
}

impl TryFrom<ParticipantInput> for ParticipantRecord {
    type Error = DomainError;
    fn try_from(input: ParticipantInput) -> Result<Self, Self::Error> {
        Self::new(input)
    }
}

impl From<ParticipantRecord> for ParticipantInput {
    fn from(r: ParticipantRecord) -> Self {
        Self {
            pseudonym: r.pseudonym,
            entry: r.entry,
            exit: r.exit,
            gender: r.gender,
            age_at_entry: r.age_at_entry,
            status: r.status,
            isced: r.isced,
            disability: r.disability,
            exit_situations: r.exit_situations,
        }
    }
}

/// True when `s` is, or contains, something shaped like a Czech birth number (see
/// [`ParticipantRecord::new`]). Whitespace is ignored.
fn looks_like_birth_number(s: &str) -> bool {
    let compact: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let digits = |part: &[u8]| part.iter().all(u8::is_ascii_digit);
    // the whole value: 9 or 10 digits, or 6 digits '/' 3 or 4 digits
    let whole = match compact.len() {
        9 | 10 => digits(&compact),
        11 | 12 => compact.get(6) == Some(&b'/') && digits(&compact[..6]) && digits(&compact[7..]),
        _ => false,
    };
    if whole && plausible_date(&compact[..6]) {
        return true;
    }
    // the slash form anywhere inside, e.g. "U 850315/1234"
    compact.iter().enumerate().any(|(i, &b)| {
        if b != b'/' || i < 6 {
            return false;
        }
        let before = &compact[i - 6..i];
        let after_len = compact[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let digit_before = i > 6 && compact[i - 7].is_ascii_digit();
        digits(before) && !digit_before && (3..=4).contains(&after_len) && plausible_date(before)
    })
}

/// `RRMMDD` with a possible month (01–12, or +20, +50, +70 as birth numbers encode) and day (01–31).
fn plausible_date(six: &[u8]) -> bool {
    let two = |i: usize| -> u32 {
        six.get(i..i + 2).map_or(99, |p| {
            p.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0'))
        })
    };
    let (month, day) = (two(2), two(4));
    let month_ok = [0, 20, 50, 70]
        .iter()
        .any(|offset| month > *offset && month - offset <= 12);
    month_ok && (1..=31).contains(&day)
}

/// Whether an indicator counts participants at entry or at exit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountedAt {
    /// Participants whose entry date is in the period (outputs).
    Entry,
    /// Participants whose exit date is in the period (results).
    Exit,
}

/// One common participant indicator: its code, Czech name, when it counts and which participants.
#[derive(Clone, Copy)]
pub struct ParticipantIndicator {
    /// ESF+ code.
    pub code: &'static str,
    /// Czech name (from [`super::indicator_names`]).
    pub name_cs: &'static str,
    /// Entry or exit.
    pub counted_at: CountedAt,
    counts: fn(&ParticipantRecord) -> bool,
}

impl fmt::Debug for ParticipantIndicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParticipantIndicator")
            .field("code", &self.code)
            .field("counted_at", &self.counted_at)
            .finish_non_exhaustive()
    }
}

const fn entry(
    name: names::IndicatorName,
    counts: fn(&ParticipantRecord) -> bool,
) -> ParticipantIndicator {
    ParticipantIndicator {
        code: name.code,
        name_cs: name.cs,
        counted_at: CountedAt::Entry,
        counts,
    }
}

const fn exit(
    name: names::IndicatorName,
    counts: fn(&ParticipantRecord) -> bool,
) -> ParticipantIndicator {
    ParticipantIndicator {
        code: name.code,
        name_cs: name.cs,
        counted_at: CountedAt::Exit,
        counts,
    }
}

fn has_exit_situation(r: &ParticipantRecord, situation: ExitSituation) -> bool {
    r.exit_situations.contains(&situation)
}

/// The participant indicators [`compute`] produces, in this order (definitions in the module docs).
pub const PARTICIPANT_INDICATORS: [ParticipantIndicator; 16] = [
    // every participant who entered in the period
    entry(names::EECO01, |_| true),
    // unemployed, including long-term unemployed, at entry
    entry(names::EECO02, |r| r.status.is_unemployed()),
    // long-term unemployed at entry
    entry(names::EECO03, |r| {
        r.status == LabourStatus::LongTermUnemployed
    }),
    // inactive at entry
    entry(names::EECO04, |r| r.status == LabourStatus::Inactive),
    // employed, including self-employed, at entry
    entry(names::EECO05, |r| r.status.is_employed()),
    // below 18 years of age at entry: 0–17
    entry(names::EECO06, |r| r.age_at_entry <= 17),
    // 18–29 years of age at entry, both included
    entry(names::EECO07, |r| (18..=29).contains(&r.age_at_entry)),
    // 55 years of age and above at entry
    entry(names::EECO08, |r| r.age_at_entry >= 55),
    // lower secondary education or less: ISCED 0–2
    entry(names::EECO09, |r| matches!(r.isced, Some(0..=2))),
    // upper secondary (ISCED 3) or post-secondary non-tertiary (ISCED 4) education
    entry(names::EECO10, |r| matches!(r.isced, Some(3..=4))),
    // tertiary education: ISCED 5–8
    entry(names::EECO11, |r| matches!(r.isced, Some(5..=8))),
    // participants with disabilities
    entry(names::EECO12, |r| r.disability),
    // left in the period, job searching upon leaving
    exit(names::EECR01, |r| {
        has_exit_situation(r, ExitSituation::JobSearching)
    }),
    // left in the period, in education or training upon leaving
    exit(names::EECR02, |r| {
        has_exit_situation(r, ExitSituation::InEducation)
    }),
    // left in the period, gaining a qualification upon leaving
    exit(names::EECR03, |r| {
        has_exit_situation(r, ExitSituation::GainedQualification)
    }),
    // left in the period, in employment, including self-employment, upon leaving
    exit(names::EECR04, |r| {
        has_exit_situation(r, ExitSituation::InEmployment)
    }),
];

/// The value of one participant indicator for a period, with its breakdown by gender
/// (`total == male + female + other`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ComputedIndicator {
    /// ESF+ code, e.g. `EECO01`.
    pub code: &'static str,
    /// Czech name.
    pub name_cs: &'static str,
    /// All counted participants.
    pub total: u32,
    /// Of them men (`M`).
    pub male: u32,
    /// Of them women (`Ž`).
    pub female: u32,
    /// Of them `X`.
    pub other: u32,
}

/// Computes every indicator of [`PARTICIPANT_INDICATORS`], in that order (zeros included), over
/// `records` for `period` (bounds inclusive): outputs over participants who **entered** in the period,
/// results over those who **left** in it. Expects one record per participant: records are counted as
/// given, not de-duplicated by pseudonym.
#[must_use]
pub fn compute(records: &[ParticipantRecord], period: &DateRange) -> Vec<ComputedIndicator> {
    PARTICIPANT_INDICATORS
        .iter()
        .map(|indicator| {
            let mut out = ComputedIndicator {
                code: indicator.code,
                name_cs: indicator.name_cs,
                total: 0,
                male: 0,
                female: 0,
                other: 0,
            };
            let in_period = |r: &ParticipantRecord| match indicator.counted_at {
                CountedAt::Entry => period.contains(r.entry),
                CountedAt::Exit => r.exit.is_some_and(|d| period.contains(d)),
            };
            for r in records
                .iter()
                .filter(|r| in_period(r) && (indicator.counts)(r))
            {
                out.total = out.total.saturating_add(1);
                let by_gender = match r.gender {
                    Gender::Male => &mut out.male,
                    Gender::Female => &mut out.female,
                    Gender::Other => &mut out.other,
                };
                *by_gender = by_gender.saturating_add(1);
            }
            out
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use ExitSituation::{GainedQualification, InEducation, InEmployment, JobSearching};
    use Gender::{Female, Male, Other};
    use LabourStatus::{Employed, Inactive, LongTermUnemployed, SelfEmployed, Unemployed};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn input(pseudonym: &str) -> ParticipantInput {
        ParticipantInput {
            pseudonym: pseudonym.into(),
            entry: d(2024, 3, 1),
            exit: None,
            gender: Female,
            age_at_entry: 40,
            status: Unemployed,
            isced: Some(3),
            disability: false,
            exit_situations: vec![],
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn rec(
        id: &str,
        entry: NaiveDate,
        exit: Option<NaiveDate>,
        gender: Gender,
        age: u8,
        status: LabourStatus,
        isced: Option<u8>,
        disability: bool,
        situations: &[ExitSituation],
    ) -> ParticipantRecord {
        ParticipantRecord::new(ParticipantInput {
            pseudonym: id.into(),
            entry,
            exit,
            gender,
            age_at_entry: age,
            status,
            isced,
            disability,
            exit_situations: situations.to_vec(),
        })
        .unwrap()
    }

    #[test]
    fn parses_gender_codes() {
        assert_eq!(Gender::parse("M").unwrap(), Male);
        assert_eq!(Gender::parse(" m ").unwrap(), Male);
        for female in ["Ž", "ž", "Z", "z", "F", "f"] {
            assert_eq!(Gender::parse(female).unwrap(), Female, "{female}");
        }
        assert_eq!(Gender::parse("x").unwrap(), Other);
        for bad in ["", "muž", "žena", "MŽ", "1"] {
            assert!(Gender::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Gender::parse("muž").unwrap_err().to_string(),
            "Pohlaví musí být M, Ž nebo X (zadáno „muž“)"
        );
        assert_eq!(Female.label(), "Ž");
    }

    #[test]
    fn parses_labour_status_ignoring_case_and_diacritics() {
        for (text, status) in [
            ("zaměstnaný", Employed),
            ("Zamestnana", Employed),
            ("OSVČ", SelfEmployed),
            ("osvc", SelfEmployed),
            ("Osoba samostatně výdělečně činná", SelfEmployed),
            ("nezaměstnaný", Unemployed),
            ("NEZAMESTNANA", Unemployed),
            ("dlouhodobě  nezaměstnaný", LongTermUnemployed),
            ("Dlouhodobe\u{a0}nezamestnany", LongTermUnemployed),
            ("neaktivní", Inactive),
            ("long_term_unemployed", LongTermUnemployed),
        ] {
            assert_eq!(LabourStatus::parse(text).unwrap(), status, "{text}");
        }
        for s in LabourStatus::ALL {
            assert_eq!(LabourStatus::parse(s.label()).unwrap(), s);
            assert_eq!(LabourStatus::parse(s.code()).unwrap(), s);
        }
        assert_eq!(
            LabourStatus::parse(" student "),
            Err(DomainError::LabourStatusUnknown {
                input: "student".into()
            })
        );
        assert!(LabourStatus::parse("zaměstnaný nezaměstnaný").is_err());
    }

    #[test]
    fn parses_exit_situations_one_or_several() {
        for (text, situation) in [
            ("hledá zaměstnání", JobSearching),
            ("Vzdělávání", InEducation),
            ("získal kvalifikaci", GainedQualification),
            ("Získala kvalifikaci", GainedQualification),
            ("zaměstnán", InEmployment),
            ("zaměstnána", InEmployment),
            ("in_employment", InEmployment),
        ] {
            assert_eq!(ExitSituation::parse(text).unwrap(), situation, "{text}");
        }
        for s in ExitSituation::ALL {
            assert_eq!(ExitSituation::parse(s.label()).unwrap(), s);
        }
        assert_eq!(
            ExitSituation::parse_list("zaměstnán; hledá zaměstnání, zaměstnán\n").unwrap(),
            vec![JobSearching, InEmployment]
        );
        assert_eq!(ExitSituation::parse_list("  ").unwrap(), vec![]);
        assert!(matches!(
            ExitSituation::parse_list("zaměstnán; důchod"),
            Err(DomainError::ExitSituationUnknown { input }) if input == "důchod"
        ));
    }

    #[test]
    fn record_refuses_birth_numbers_as_pseudonyms() {
        for bad in [
            "850315/1234", // man born 15. 3. 1985
            "8503151234",  // the same without the slash
            "855315/123",  // woman (month + 50), nine digits (born before 1954)
            "045229/1234", // month + 20 (numbers issued since 2004)
            " 850315 / 1234 ",
            "U-850315/1234", // inside a longer value
        ] {
            assert_eq!(
                ParticipantRecord::new(input(bad)),
                Err(DomainError::PseudonymLooksLikeBirthNumber),
                "{bad:?}"
            );
        }
        let msg = DomainError::PseudonymLooksLikeBirthNumber.to_string();
        assert!(msg.contains("rodné číslo") && !msg.contains("850315"));
        // not birth-number shaped: short, long, impossible month or day, letters
        for ok in [
            "U-0042",
            "P2024-017",
            "1234567890",  // month 34 is impossible
            "8513321234",  // month 13
            "8503321234",  // day 32
            "85031512345", // 11 digits
            "12345",
            "A850315B1234",
        ] {
            assert!(ParticipantRecord::new(input(ok)).is_ok(), "{ok:?}");
        }
        assert_eq!(
            ParticipantRecord::new(input("   ")),
            Err(DomainError::PseudonymEmpty)
        );
        assert_eq!(
            ParticipantRecord::new(input("  U-1  "))
                .unwrap()
                .pseudonym(),
            "U-1"
        );
    }

    #[test]
    fn record_checks_age_isced_and_exit() {
        let mut i = input("U-1");
        i.age_at_entry = 120;
        assert!(ParticipantRecord::new(i.clone()).is_ok());
        i.age_at_entry = 121;
        assert_eq!(
            ParticipantRecord::new(i),
            Err(DomainError::AgeOutOfRange { age: 121 })
        );
        let mut i = input("U-1");
        i.isced = Some(9);
        assert_eq!(
            ParticipantRecord::new(i.clone()),
            Err(DomainError::IscedOutOfRange { level: 9 })
        );
        i.isced = None;
        assert!(ParticipantRecord::new(i).is_ok());
        let mut i = input("U-1");
        i.exit = Some(d(2024, 2, 29)); // entry 1. 3. 2024
        assert_eq!(
            ParticipantRecord::new(i.clone()),
            Err(DomainError::ExitBeforeEntry)
        );
        i.exit = Some(d(2024, 3, 1)); // same day is fine
        assert!(ParticipantRecord::new(i).is_ok());
        let mut i = input("U-1");
        i.exit_situations = vec![InEmployment];
        assert_eq!(
            ParticipantRecord::new(i.clone()),
            Err(DomainError::ExitSituationWithoutExit)
        );
        i.exit = Some(d(2024, 6, 1));
        i.exit_situations = vec![InEmployment, JobSearching, InEmployment];
        let r = ParticipantRecord::new(i).unwrap();
        assert_eq!(r.exit_situations(), [JobSearching, InEmployment]);
    }

    #[test]
    fn record_serde_checks_again() {
        let r = ParticipantRecord::new(input("U-7")).unwrap();
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(r#""pseudonym":"U-7""#) && json.contains(r#""status":"unemployed""#));
        assert_eq!(serde_json::from_str::<ParticipantRecord>(&json).unwrap(), r);
        let bad = json.replace("U-7", "850315/1234");
        assert!(serde_json::from_str::<ParticipantRecord>(&bad).is_err());
    }

    /// The hand-made set. Period 1. 1. 2024 – 30. 6. 2024 (both days included).
    ///
    /// | id  | entry      | exit       | g | age | status | ISCED | dis. | exit situations     |
    /// |-----|------------|------------|---|-----|--------|-------|------|---------------------|
    /// | P01 | 2024-01-01 | 2024-03-31 | M | 17  | unempl | 1     |      | job search + qualif.|
    /// | P02 | 2023-12-31 | 2024-02-15 | Ž | 18  | LTU    | 3     |      | employment          |
    /// | P03 | 2024-06-30 | –          | Ž | 29  | inact. | 5     |      |                     |
    /// | P04 | 2024-07-01 | 2024-07-15 | M | 30  | empl.  | 8     |      | employment          |
    /// | P05 | 2024-03-01 | 2024-06-30 | X | 30  | OSVČ   | –     | yes  | education           |
    /// | P06 | 2024-02-01 | 2024-07-01 | Ž | 54  | empl.  | 4     | yes  | employment          |
    /// | P07 | 2024-04-15 | 2024-05-31 | M | 55  | LTU    | 2     |      | employment          |
    /// | P08 | 2024-05-05 | –          | Ž | 18  | unempl | 0     |      |                     |
    /// | P09 | 2023-06-01 | 2024-01-01 | M | 40  | unempl | 3     |      | job search          |
    #[rustfmt::skip]
    fn sample() -> Vec<ParticipantRecord> {
        vec![
            rec("P01", d(2024, 1, 1), Some(d(2024, 3, 31)), Male, 17, Unemployed, Some(1), false,
                &[GainedQualification, JobSearching]),
            rec("P02", d(2023, 12, 31), Some(d(2024, 2, 15)), Female, 18, LongTermUnemployed,
                Some(3), false, &[InEmployment]),
            rec("P03", d(2024, 6, 30), None, Female, 29, Inactive, Some(5), false, &[]),
            rec("P04", d(2024, 7, 1), Some(d(2024, 7, 15)), Male, 30, Employed, Some(8), false,
                &[InEmployment]),
            rec("P05", d(2024, 3, 1), Some(d(2024, 6, 30)), Other, 30, SelfEmployed, None, true,
                &[InEducation]),
            rec("P06", d(2024, 2, 1), Some(d(2024, 7, 1)), Female, 54, Employed, Some(4), true,
                &[InEmployment]),
            rec("P07", d(2024, 4, 15), Some(d(2024, 5, 31)), Male, 55, LongTermUnemployed, Some(2),
                false, &[InEmployment]),
            rec("P08", d(2024, 5, 5), None, Female, 18, Unemployed, Some(0), false, &[]),
            rec("P09", d(2023, 6, 1), Some(d(2024, 1, 1)), Male, 40, Unemployed, Some(3), false,
                &[JobSearching]),
        ]
    }

    #[test]
    fn computes_participant_indicators_by_hand() {
        let period = DateRange::new(d(2024, 1, 1), d(2024, 6, 30)).unwrap();
        let got = compute(&sample(), &period);
        // Entered in the period (bounds included): P01 (on 1. 1.), P03 (on 30. 6.), P05, P06, P07, P08.
        // Not: P02 (31. 12. 2023, a day early), P04 (1. 7. 2024, a day late), P09 (2023).
        // Left in the period: P01, P02, P05 (on 30. 6.), P07, P09 (on 1. 1.).
        // Not: P04 (15. 7.), P06 (1. 7., a day late); P03, P08 have not left.
        //
        // (code, total, M, Ž, X)
        let expected = [
            // P01 M, P03 Ž, P05 X, P06 Ž, P07 M, P08 Ž → 6 = 2 M + 3 Ž + 1 X
            ("EECO01", 6, 2, 3, 1),
            // unemployed incl. LTU: P01 M (unempl), P07 M (LTU), P08 Ž (unempl); P02, P09 entered earlier
            ("EECO02", 3, 2, 1, 0),
            // LTU: P07 M (P02 entered a day early)
            ("EECO03", 1, 1, 0, 0),
            // inactive: P03 Ž
            ("EECO04", 1, 0, 1, 0),
            // employed incl. OSVČ: P05 X (OSVČ), P06 Ž (P04 entered a day late)
            ("EECO05", 2, 0, 1, 1),
            // below 18: P01 (17) M; P08 is 18
            ("EECO06", 1, 1, 0, 0),
            // 18–29: P03 (29) Ž, P08 (18) Ž; P05 is 30, P02 (18) entered early
            ("EECO07", 2, 0, 2, 0),
            // 55+: P07 (55) M; P06 is 54
            ("EECO08", 1, 1, 0, 0),
            // ISCED 0–2: P01 (1) M, P07 (2) M, P08 (0) Ž
            ("EECO09", 3, 2, 1, 0),
            // ISCED 3–4: P06 (4) Ž; P02, P09 (3) entered outside
            ("EECO10", 1, 0, 1, 0),
            // ISCED 5–8: P03 (5) Ž; P04 (8) entered late; P05 unknown counts nowhere
            ("EECO11", 1, 0, 1, 0),
            // disabilities: P05 X, P06 Ž
            ("EECO12", 2, 0, 1, 1),
            // job searching upon leaving: P01 M, P09 M (left on 1. 1.)
            ("EECR01", 2, 2, 0, 0),
            // in education: P05 X (left on 30. 6.)
            ("EECR02", 1, 0, 0, 1),
            // qualification: P01 M (its second situation)
            ("EECR03", 1, 1, 0, 0),
            // in employment: P02 Ž, P07 M; P04, P06 left after the period
            ("EECR04", 2, 1, 1, 0),
        ];
        assert_eq!(got.len(), expected.len());
        for (row, (code, total, male, female, other)) in got.iter().zip(expected) {
            assert_eq!(
                (row.code, row.total, row.male, row.female, row.other),
                (code, total, male, female, other),
                "{code}"
            );
            assert_eq!(row.total, row.male + row.female + row.other, "{code}");
        }
        assert_eq!(got[0].name_cs, "Celkový počet účastníků");
    }

    #[test]
    fn a_later_period_counts_the_late_entries_and_exits() {
        // 1. 7. – 31. 12. 2024: entered P04 (M, employed, 30, ISCED 8);
        // left P04 (15. 7., employment) and P06 (1. 7., employment, Ž)
        let period = DateRange::new(d(2024, 7, 1), d(2024, 12, 31)).unwrap();
        let got = compute(&sample(), &period);
        let find = |code: &str| got.iter().find(|r| r.code == code).copied().unwrap();
        assert_eq!((find("EECO01").total, find("EECO01").male), (1, 1));
        assert_eq!(find("EECO05").total, 1);
        assert_eq!(find("EECO11").total, 1);
        assert_eq!(find("EECO07").total, 0);
        let employed = find("EECR04");
        assert_eq!((employed.total, employed.male, employed.female), (2, 1, 1));
        assert_eq!(find("EECR01").total, 0);
    }

    #[test]
    fn no_records_give_all_indicators_at_zero() {
        let period = DateRange::new(d(2024, 1, 1), d(2024, 6, 30)).unwrap();
        let got = compute(&[], &period);
        assert_eq!(got.len(), PARTICIPANT_INDICATORS.len());
        assert!(got.iter().all(|r| r.total == 0));
        let codes: Vec<&str> = got.iter().map(|r| r.code).collect();
        assert_eq!(codes[..3], ["EECO01", "EECO02", "EECO03"]);
        assert_eq!(codes[12..], ["EECR01", "EECR02", "EECR03", "EECR04"]);
    }
}
