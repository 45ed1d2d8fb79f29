//! Deadlines (*termíny*) that follow from a project's data and the rules of the programme: when an
//! implementation report (ZoR) and its payment claim (ŽoP) are due, when the ministry's check of a
//! submitted report should end, the project's end and its final report, and when a submitted claim should
//! have been paid. Every number of days is a setting ([`DeadlineRules`], unverified [U]); "today" is
//! always passed in.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{ClaimStatus, ReviewStatus};

/// The numbers of days the deadlines follow from (settings at `/nastaveni`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadlineRules {
    /// A ZoR (and its ŽoP) is due this many days after its monitoring period ends (default 30).
    pub report_days: u32,
    /// The reviewer checks a submitted ZoR within this many days (default 40).
    pub review_days: u32,
    /// The final report is due this many days after the project ends (default 60).
    pub final_report_days: u32,
    /// A submitted claim should be paid within this many days (the existing `claim_overdue_days`, 80).
    pub payment_days: u32,
    /// "Coming soon": due within this many days from today (default 60).
    pub horizon_days: u32,
}

impl DeadlineRules {
    /// The defaults, all unverified [U]: ZoR 30 days after its period, the check 40 days, the final report
    /// 60 days after the end, payment 80 days after submission, 60 days ahead.
    pub const DEFAULT: Self = Self {
        report_days: 30,
        review_days: 40,
        final_report_days: 60,
        payment_days: 80,
        horizon_days: 60,
    };
}

impl Default for DeadlineRules {
    fn default() -> Self {
        Self::DEFAULT
    }
}

fn after(date: NaiveDate, days: u32) -> NaiveDate {
    date + Duration::days(i64::from(days))
}

impl DeadlineRules {
    /// When the ZoR of a period ending on `period_end` is due, with its payment claim.
    #[must_use]
    pub fn report_due(&self, period_end: NaiveDate) -> NaiveDate {
        after(period_end, self.report_days)
    }

    /// When the check of a report submitted (or resubmitted) on `submitted` should end.
    #[must_use]
    pub fn review_due(&self, submitted: NaiveDate) -> NaiveDate {
        after(submitted, self.review_days)
    }

    /// When the final report of a project ending on `project_end` is due.
    #[must_use]
    pub fn final_report_due(&self, project_end: NaiveDate) -> NaiveDate {
        after(project_end, self.final_report_days)
    }

    /// When a claim submitted on `submitted` should be paid at the latest.
    #[must_use]
    pub fn payment_due(&self, submitted: NaiveDate) -> NaiveDate {
        after(submitted, self.payment_days)
    }

    /// The state of a deadline due on `due` on `today`.
    #[must_use]
    pub fn state(&self, due: NaiveDate, done: bool, today: NaiveDate) -> DeadlineState {
        if done {
            DeadlineState::Done
        } else if due < today {
            DeadlineState::Overdue
        } else if due <= after(today, self.horizon_days) {
            DeadlineState::Soon
        } else {
            DeadlineState::Later
        }
    }
}

/// What is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// The implementation report (ZoR) of a monitoring period.
    Report,
    /// The payment claim (ŽoP) filed with the period's ZoR.
    Claim,
    /// The ministry's check of a submitted ZoR.
    Review,
    /// The project's end.
    ProjectEnd,
    /// The final report after the project's end.
    FinalReport,
    /// A submitted claim's payment by the authority.
    Payment,
}

impl DeadlineKind {
    const ALL: [Self; 6] = [
        Self::Report,
        Self::Claim,
        Self::Review,
        Self::ProjectEnd,
        Self::FinalReport,
        Self::Payment,
    ];

    /// Every kind.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// Stable code for URLs and calendar UIDs.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Report => "zor",
            Self::Claim => "zop",
            Self::Review => "kontrola",
            Self::ProjectEnd => "konec",
            Self::FinalReport => "zaverecna",
            Self::Payment => "proplaceni",
        }
    }

    /// The kind with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Czech name of the kind.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Report => "Zpráva o realizaci (ZoR)",
            Self::Claim => "Žádost o platbu (ŽoP)",
            Self::Review => "Kontrola ZoR",
            Self::ProjectEnd => "Konec projektu",
            Self::FinalReport => "Závěrečná zpráva",
            Self::Payment => "Proplacení ŽoP",
        }
    }
}

/// Where a deadline stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Past its date and not done.
    Overdue,
    /// Due within the horizon (60 days by default).
    Soon,
    /// Due later.
    Later,
    /// Done.
    Done,
}

impl DeadlineState {
    const ALL: [Self; 4] = [Self::Overdue, Self::Soon, Self::Later, Self::Done];

    /// Every state.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// Stable code for URLs.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Overdue => "po_terminu",
            Self::Soon => "blizi_se",
            Self::Later => "pozdeji",
            Self::Done => "splneno",
        }
    }

    /// The state with this code.
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Czech name of the state.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Overdue => "po termínu",
            Self::Soon => "blíží se",
            Self::Later => "později",
            Self::Done => "splněno",
        }
    }
}

/// What is known of a monitoring period for its deadlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodFacts {
    pub period_id: i32,
    pub number: i32,
    pub end: NaiveDate,
    /// The first claim of the period that was submitted (not a draft, not returned): its id, number
    /// and date of submission.
    pub submitted_claim: Option<(i32, i32, NaiveDate)>,
    /// The period's review: its status and since when it has it.
    pub review: Option<(ReviewStatus, NaiveDate)>,
}

/// What is known of a payment claim for its payment deadline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFacts {
    pub claim_id: i32,
    pub number: i32,
    pub status: ClaimStatus,
    pub submitted_on: Option<NaiveDate>,
    pub paid_on: Option<NaiveDate>,
}

/// One deadline of a project (without the project).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub kind: DeadlineKind,
    pub due: NaiveDate,
    pub done: bool,
    /// The monitoring period: id and number (ZoR n).
    pub period: Option<(i32, i32)>,
    /// The payment claim: id and number (ŽoP n).
    pub claim: Option<(i32, i32)>,
}

/// A report's deadlines: its ZoR and ŽoP (due a set time after the period; done once the report
/// reached the ministry: a review exists or a claim of the period was submitted) and the ministry's
/// check (from the report's submission or resubmission while a reviewer has it; done when accepted).
#[must_use]
pub fn period_deadlines(p: &PeriodFacts, rules: &DeadlineRules) -> Vec<Deadline> {
    let due = rules.report_due(p.end);
    let period = Some((p.period_id, p.number));
    let reported = p.review.is_some() || p.submitted_claim.is_some();
    let mut out = vec![
        Deadline {
            kind: DeadlineKind::Report,
            due,
            done: reported,
            period,
            claim: None,
        },
        Deadline {
            kind: DeadlineKind::Claim,
            due,
            done: p.submitted_claim.is_some(),
            period,
            claim: p.submitted_claim.map(|(id, n, _)| (id, n)),
        },
    ];
    let check = match p.review {
        Some((status, since)) if status.awaits_reviewer() => Some((rules.review_due(since), false)),
        Some((ReviewStatus::Accepted, since)) => Some((since, true)),
        Some(_) => None,
        None => p
            .submitted_claim
            .map(|(_, _, on)| (rules.review_due(on), false)),
    };
    if let Some((due, done)) = check {
        out.push(Deadline {
            kind: DeadlineKind::Review,
            due,
            done,
            period,
            claim: None,
        });
    }
    out
}

/// A submitted claim's payment deadline (none for drafts and returned claims).
#[must_use]
pub fn payment_deadline(c: &ClaimFacts, rules: &DeadlineRules) -> Option<Deadline> {
    let submitted = c.submitted_on?;
    let paid = c.status == ClaimStatus::Paid || c.paid_on.is_some();
    (paid || c.status.awaits_payment()).then(|| Deadline {
        kind: DeadlineKind::Payment,
        due: rules.payment_due(submitted),
        done: paid,
        period: None,
        claim: Some((c.claim_id, c.number)),
    })
}

/// The project's end (done once its status says it ended) and its final report (done once the last
/// period's report is accepted or the project is closed).
#[must_use]
pub fn project_deadlines(
    end: NaiveDate,
    ended: bool,
    closed: bool,
    last_period: Option<&PeriodFacts>,
    rules: &DeadlineRules,
) -> Vec<Deadline> {
    let accepted =
        last_period.is_some_and(|p| matches!(p.review, Some((ReviewStatus::Accepted, _))));
    vec![
        Deadline {
            kind: DeadlineKind::ProjectEnd,
            due: end,
            done: ended || closed,
            period: None,
            claim: None,
        },
        Deadline {
            kind: DeadlineKind::FinalReport,
            due: rules.final_report_due(end),
            done: closed || accepted,
            period: last_period.map(|p| (p.period_id, p.number)),
            claim: None,
        },
    ]
}

/// Days from `today` to `due` in words: „dnes“, „zítra“, „za 5 dní“, „před 3 dny“.
#[must_use]
pub fn days_from_today(due: NaiveDate, today: NaiveDate) -> String {
    use super::words::nouns::DAY;
    let days = (due - today).num_days();
    let n = days.unsigned_abs();
    match days {
        0 => "dnes".into(),
        1 => "zítra".into(),
        -1 => "včera".into(),
        d if d > 0 => format!("za {}", super::plural(n, DAY)),
        _ => format!("před {}", super::plural(n, ["dnem", "dny", "dny"])),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn period(
        claim: Option<(i32, i32, NaiveDate)>,
        review: Option<(ReviewStatus, NaiveDate)>,
    ) -> PeriodFacts {
        PeriodFacts {
            period_id: 7,
            number: 2,
            end: d(2026, 6, 30),
            submitted_claim: claim,
            review,
        }
    }

    #[test]
    fn a_report_and_its_claim_are_due_the_set_days_after_the_period() {
        let rules = DeadlineRules::default();
        let ds = period_deadlines(&period(None, None), &rules);
        assert_eq!(ds.len(), 2, "no check before the report is submitted");
        assert_eq!(ds[0].kind, DeadlineKind::Report);
        assert_eq!(ds[0].due, d(2026, 7, 30));
        assert_eq!(ds[1].kind, DeadlineKind::Claim);
        assert_eq!(ds[1].due, d(2026, 7, 30));
        assert!(!ds[0].done && !ds[1].done);
        let longer = DeadlineRules {
            report_days: 45,
            ..rules
        };
        assert_eq!(
            period_deadlines(&period(None, None), &longer)[0].due,
            d(2026, 8, 14)
        );
    }

    #[test]
    fn a_submitted_claim_fulfils_report_and_claim_and_starts_the_check() {
        let rules = DeadlineRules::default();
        let ds = period_deadlines(&period(Some((3, 1, d(2026, 7, 20))), None), &rules);
        assert!(ds[0].done && ds[1].done);
        assert_eq!(ds[1].claim, Some((3, 1)));
        assert_eq!(ds[2].kind, DeadlineKind::Review);
        assert_eq!(ds[2].due, d(2026, 8, 29), "20. 7. + 40 days");
        assert!(!ds[2].done);
    }

    #[test]
    fn the_check_runs_from_the_reviews_status_and_ends_when_accepted() {
        let rules = DeadlineRules {
            review_days: 10,
            ..DeadlineRules::default()
        };
        let under = period_deadlines(
            &period(None, Some((ReviewStatus::Resubmitted, d(2026, 8, 1)))),
            &rules,
        );
        assert!(under[0].done, "the report reached the ministry");
        assert!(!under[1].done, "no claim submitted");
        assert_eq!(under[2].due, d(2026, 8, 11));
        let returned = period_deadlines(
            &period(None, Some((ReviewStatus::Returned, d(2026, 8, 1)))),
            &rules,
        );
        assert_eq!(
            returned.len(),
            2,
            "a returned report waits for its team, not the reviewer"
        );
        let accepted = period_deadlines(
            &period(None, Some((ReviewStatus::Accepted, d(2026, 8, 5)))),
            &rules,
        );
        assert!(accepted[2].done);
    }

    #[test]
    fn payment_is_due_after_the_limit_and_done_when_paid() {
        let rules = DeadlineRules::default();
        let mut c = ClaimFacts {
            claim_id: 1,
            number: 4,
            status: ClaimStatus::Submitted,
            submitted_on: Some(d(2026, 3, 1)),
            paid_on: None,
        };
        let p = payment_deadline(&c, &rules).unwrap();
        assert_eq!(p.due, d(2026, 5, 20), "1. 3. + 80 days");
        assert_eq!(
            rules.state(p.due, p.done, d(2026, 7, 1)),
            DeadlineState::Overdue
        );
        c.status = ClaimStatus::Paid;
        c.paid_on = Some(d(2026, 5, 2));
        assert!(payment_deadline(&c, &rules).unwrap().done);
        c.status = ClaimStatus::Draft;
        c.paid_on = None;
        assert!(payment_deadline(&c, &rules).is_none());
        c.status = ClaimStatus::Returned;
        assert!(payment_deadline(&c, &rules).is_none());
    }

    #[test]
    fn project_end_and_final_report() {
        let rules = DeadlineRules::default();
        let last = period(None, Some((ReviewStatus::Accepted, d(2028, 9, 1))));
        let ds = project_deadlines(d(2028, 6, 30), false, false, None, &rules);
        assert_eq!(ds[0].due, d(2028, 6, 30));
        assert_eq!(ds[1].due, d(2028, 8, 29));
        assert!(!ds[0].done && !ds[1].done);
        let ds = project_deadlines(d(2028, 6, 30), true, false, Some(&last), &rules);
        assert!(ds[0].done && ds[1].done);
        assert_eq!(ds[1].period, Some((7, 2)));
        assert!(project_deadlines(d(2028, 6, 30), false, true, None, &rules)[1].done);
    }

    #[test]
    fn states_on_a_given_day() {
        let rules = DeadlineRules::default();
        let today = d(2026, 7, 1);
        assert_eq!(
            rules.state(d(2026, 6, 30), false, today),
            DeadlineState::Overdue
        );
        assert_eq!(rules.state(today, false, today), DeadlineState::Soon);
        assert_eq!(
            rules.state(d(2026, 8, 30), false, today),
            DeadlineState::Soon,
            "60 days on"
        );
        assert_eq!(
            rules.state(d(2026, 8, 31), false, today),
            DeadlineState::Later
        );
        assert_eq!(
            rules.state(d(2026, 6, 30), true, today),
            DeadlineState::Done
        );
    }

    #[test]
    fn codes_round_trip() {
        for k in DeadlineKind::all() {
            assert_eq!(DeadlineKind::from_code(k.code()), Some(*k));
        }
        for s in DeadlineState::all() {
            assert_eq!(DeadlineState::from_code(s.code()), Some(*s));
        }
        assert_eq!(DeadlineState::from_code("x"), None);
    }

    #[test]
    fn days_in_czech_words() {
        let today = d(2026, 7, 1);
        assert_eq!(days_from_today(today, today), "dnes");
        assert_eq!(days_from_today(d(2026, 7, 2), today), "zítra");
        assert_eq!(days_from_today(d(2026, 7, 4), today), "za 3\u{a0}dny");
        assert_eq!(days_from_today(d(2026, 7, 6), today), "za 5\u{a0}dní");
        assert_eq!(days_from_today(d(2026, 6, 26), today), "před 5\u{a0}dny");
        assert_eq!(days_from_today(d(2026, 6, 30), today), "včera");
    }
}
