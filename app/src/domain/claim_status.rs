//! [`ClaimStatus`]: the life of a payment claim (*žádost o platbu*, ŽoP), the beneficiary's request to
//! be paid the expenditure of a period.
//!
//! - *rozpracovaná* (draft): recorded, not yet submitted;
//! - *podaná* (submitted): submitted to the managing authority;
//! - *schválená* (approved): the authority approved it, in full or in part;
//! - *proplacená* (paid): the approved amount was paid; final;
//! - *vrácená k opravě* (returned): the authority returned it for correction.
//!
//! A draft or a returned claim is submitted; a submitted one is approved or returned; an approved one is
//! paid or returned. Nothing else moves, and a claim never "moves" to the status it has.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// Status of a payment claim (see the module docs). Serialised as its stable
/// [`code`](ClaimStatus::code), which is also what the database stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// *rozpracovaná*: not yet submitted.
    Draft,
    /// *podaná*: submitted.
    Submitted,
    /// *schválená*: approved.
    Approved,
    /// *proplacená*: paid; final.
    Paid,
    /// *vrácená k opravě*: returned for correction.
    Returned,
}

impl ClaimStatus {
    const ALL: [Self; 5] = [
        Self::Draft,
        Self::Submitted,
        Self::Approved,
        Self::Paid,
        Self::Returned,
    ];

    /// Every status.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// Stable ASCII code for storage and the wire: `draft`, `submitted`, `approved`, `paid`, `returned`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
            Self::Paid => "paid",
            Self::Returned => "returned",
        }
    }

    /// The status with the given [`code`](ClaimStatus::code).
    ///
    /// # Errors
    /// [`DomainError::UnknownClaimStatus`] for any other text.
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownClaimStatus {
                code: code.to_owned(),
            })
    }

    /// Czech label: `rozpracovaná`, `podaná`, `schválená`, `proplacená`, `vrácená k opravě`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "rozpracovaná",
            Self::Submitted => "podaná",
            Self::Approved => "schválená",
            Self::Paid => "proplacená",
            Self::Returned => "vrácená k opravě",
        }
    }

    /// The statuses this one may move to (none for `proplacená`).
    #[must_use]
    pub fn allowed_next(self) -> &'static [ClaimStatus] {
        match self {
            Self::Draft | Self::Returned => &[Self::Submitted],
            Self::Submitted => &[Self::Approved, Self::Returned],
            Self::Approved => &[Self::Paid, Self::Returned],
            Self::Paid => &[],
        }
    }

    /// True when `next` is an allowed next status (staying is not a move).
    #[must_use]
    pub fn can_transition_to(self, next: ClaimStatus) -> bool {
        self.allowed_next().contains(&next)
    }

    /// Moves to `next`.
    ///
    /// # Errors
    /// [`DomainError::ClaimStatusTransition`], naming both statuses, when
    /// [`can_transition_to`](ClaimStatus::can_transition_to) is false.
    pub fn transition(self, next: ClaimStatus) -> Result<Self, DomainError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(DomainError::ClaimStatusTransition {
                from: self,
                to: next,
            })
        }
    }

    /// True while the claim waits for the authority's money: submitted or approved, not yet paid.
    #[must_use]
    pub fn awaits_payment(self) -> bool {
        matches!(self, Self::Submitted | Self::Approved)
    }

    /// True when the claim's list of documents (soupiska dokladů) may change: while it is a draft or
    /// after it was returned for correction. A submitted, approved or paid claim's list is frozen.
    #[must_use]
    pub fn documents_editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// True when the claim counts towards what the beneficiary has claimed (a returned one does not).
    #[must_use]
    pub fn counts_as_claimed(self) -> bool {
        self != Self::Returned
    }
}

impl fmt::Display for ClaimStatus {
    /// The Czech [`label`](ClaimStatus::label).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::ClaimStatus::{Approved, Draft, Paid, Returned, Submitted};
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for &s in ClaimStatus::all() {
            assert_eq!(ClaimStatus::from_code(s.code()).unwrap(), s);
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(
            ClaimStatus::from_code("Paid"),
            Err(DomainError::UnknownClaimStatus {
                code: "Paid".into()
            })
        );
        assert_eq!(Returned.to_string(), "vrácená k opravě");
        assert_eq!(Draft.label(), "rozpracovaná");
    }

    #[test]
    fn moves_draft_submit_approve_pay_with_returns() {
        let allowed = [
            (Draft, Submitted),
            (Returned, Submitted),
            (Submitted, Approved),
            (Submitted, Returned),
            (Approved, Paid),
            (Approved, Returned),
        ];
        for &from in ClaimStatus::all() {
            for &to in ClaimStatus::all() {
                let expected = allowed.contains(&(from, to));
                assert_eq!(from.can_transition_to(to), expected, "{from:?} → {to:?}");
                assert_eq!(from.transition(to).is_ok(), expected, "{from:?} → {to:?}");
            }
            assert!(!from.can_transition_to(from), "staying is not a move");
        }
        assert_eq!(Submitted.transition(Approved).unwrap(), Approved);
        assert!(Paid.allowed_next().is_empty(), "paid is final");
    }

    #[test]
    fn refusal_names_both_statuses() {
        let err = Draft.transition(Paid).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Žádost ve stavu „rozpracovaná“ nelze změnit na „proplacená“."
        );
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<DomainError>(&json).unwrap(), err);
    }

    #[test]
    fn waiting_for_payment_and_counting_as_claimed() {
        let waiting: Vec<_> = ClaimStatus::all()
            .iter()
            .filter(|s| s.awaits_payment())
            .collect();
        assert_eq!(waiting, [&Submitted, &Approved]);
        let not_counted: Vec<_> = ClaimStatus::all()
            .iter()
            .filter(|s| !s.counts_as_claimed())
            .collect();
        assert_eq!(not_counted, [&Returned]);
    }
}
