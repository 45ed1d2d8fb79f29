//! [`ReviewStatus`]: the ministry's review (*kontrola*) of a monitoring period's report (ZoR, *zpráva
//! o realizaci*).
//!
//! - *Nezahájeno* (not started): nobody has opened the review yet; never stored (no review row);
//! - *V kontrole* (under review): a reviewer is checking the report;
//! - *Vráceno k opravě* (returned): the report went back to the beneficiary for correction;
//! - *Schváleno* (accepted): the report was accepted.
//!
//! A review is opened, then returned or accepted; a returned report comes back under review or is
//! accepted; an accepted one may be reopened. A review never "moves" to the status it has.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// Status of a period's review (see the module docs). Serialised as its stable
/// [`code`](ReviewStatus::code), which is also what the database stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewStatus {
    /// *Nezahájeno*: no review yet (never stored).
    NotStarted,
    /// *V kontrole*: under review.
    UnderReview,
    /// *Vráceno k opravě*: returned for correction.
    Returned,
    /// *Schváleno*: accepted.
    Accepted,
}

impl ReviewStatus {
    const ALL: [Self; 4] = [
        Self::NotStarted,
        Self::UnderReview,
        Self::Returned,
        Self::Accepted,
    ];

    /// Every status, the unstored [`NotStarted`](ReviewStatus::NotStarted) first.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// Stable ASCII code for storage and the wire: `not_started` (never stored), `under_review`,
    /// `returned`, `accepted`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::UnderReview => "under_review",
            Self::Returned => "returned",
            Self::Accepted => "accepted",
        }
    }

    /// The status with the given [`code`](ReviewStatus::code).
    ///
    /// # Errors
    /// [`DomainError::UnknownReviewStatus`] for any other text.
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownReviewStatus {
                code: code.to_owned(),
            })
    }

    /// The status of a period from its stored review's status column (`None`: no review row yet).
    ///
    /// # Errors
    /// As [`from_code`](ReviewStatus::from_code).
    pub fn from_stored(code: Option<&str>) -> Result<Self, DomainError> {
        code.map_or(Ok(Self::NotStarted), Self::from_code)
    }

    /// Czech label: `Nezahájeno`, `V kontrole`, `Vráceno k opravě`, `Schváleno`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Nezahájeno",
            Self::UnderReview => "V kontrole",
            Self::Returned => "Vráceno k opravě",
            Self::Accepted => "Schváleno",
        }
    }

    /// The statuses a reviewer may move this one to.
    #[must_use]
    pub fn allowed_next(self) -> &'static [ReviewStatus] {
        match self {
            Self::NotStarted => &[Self::UnderReview],
            Self::UnderReview => &[Self::Returned, Self::Accepted],
            Self::Returned => &[Self::UnderReview, Self::Accepted],
            Self::Accepted => &[Self::UnderReview],
        }
    }

    /// True when `next` is an allowed next status (staying is not a move).
    #[must_use]
    pub fn can_transition_to(self, next: ReviewStatus) -> bool {
        self.allowed_next().contains(&next)
    }

    /// Moves to `next`.
    ///
    /// # Errors
    /// [`DomainError::ReviewStatusTransition`], naming both statuses, when
    /// [`can_transition_to`](ReviewStatus::can_transition_to) is false.
    pub fn transition(self, next: ReviewStatus) -> Result<Self, DomainError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(DomainError::ReviewStatusTransition {
                from: self,
                to: next,
            })
        }
    }

    /// True while the review is open: under review or returned (the portfolio counts these).
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(self, Self::UnderReview | Self::Returned)
    }
}

impl fmt::Display for ReviewStatus {
    /// The Czech [`label`](ReviewStatus::label).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::ReviewStatus::{Accepted, NotStarted, Returned, UnderReview};
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for &s in ReviewStatus::all() {
            assert_eq!(ReviewStatus::from_code(s.code()).unwrap(), s);
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
        }
        assert_eq!(ReviewStatus::from_stored(None).unwrap(), NotStarted);
        assert_eq!(
            ReviewStatus::from_stored(Some("returned")).unwrap(),
            Returned
        );
        assert_eq!(
            ReviewStatus::from_stored(Some("done")),
            Err(DomainError::UnknownReviewStatus {
                code: "done".into()
            })
        );
        assert_eq!(Returned.to_string(), "Vráceno k opravě");
        assert_eq!(NotStarted.label(), "Nezahájeno");
    }

    #[test]
    fn moves_open_return_accept_and_reopen() {
        let allowed = [
            (NotStarted, UnderReview),
            (UnderReview, Returned),
            (UnderReview, Accepted),
            (Returned, UnderReview),
            (Returned, Accepted),
            (Accepted, UnderReview),
        ];
        for &from in ReviewStatus::all() {
            for &to in ReviewStatus::all() {
                let expected = allowed.contains(&(from, to));
                assert_eq!(from.can_transition_to(to), expected, "{from:?} → {to:?}");
                assert_eq!(from.transition(to).is_ok(), expected, "{from:?} → {to:?}");
            }
            assert!(
                !from.can_transition_to(NotStarted),
                "nothing goes back to not started"
            );
        }
        assert_eq!(UnderReview.allowed_next(), [Returned, Accepted]);
    }

    #[test]
    fn refusal_names_both_statuses() {
        let err = NotStarted.transition(Accepted).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Ze stavu „Nezahájeno“ nelze přejít do stavu „Schváleno“."
        );
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<DomainError>(&json).unwrap(), err);
    }

    #[test]
    fn open_reviews_are_under_review_or_returned() {
        let open: Vec<_> = ReviewStatus::all().iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [&UnderReview, &Returned]);
    }
}
