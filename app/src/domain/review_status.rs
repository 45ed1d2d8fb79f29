//! [`ReviewStatus`]: the ministry's review (*kontrola*) of a monitoring period's report (ZoR, *zpráva
//! o realizaci*).
//!
//! - *Nezahájeno* (not started): nobody has opened the review yet; never stored (no review row);
//! - *V kontrole* (under review): a reviewer is checking the report;
//! - *Vráceno k opravě* (returned): the report went back to the beneficiary for correction;
//! - *Znovu předloženo* (resubmitted): the project team answered a return and submitted the report for
//!   review again;
//! - *Schváleno* (accepted): the report was accepted.
//!
//! Who moves the review is part of the rule ([`ReviewActor`]): a reviewer opens it, returns or accepts
//! it, reopens an accepted or a returned one; the project team (its manager or finance officer) may only
//! resubmit a returned report. A review never "moves" to the status it has.

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
    /// *Znovu předloženo*: the team answered a return and submitted the report again.
    Resubmitted,
    /// *Schváleno*: accepted.
    Accepted,
}

impl ReviewStatus {
    const ALL: [Self; 5] = [
        Self::NotStarted,
        Self::UnderReview,
        Self::Returned,
        Self::Resubmitted,
        Self::Accepted,
    ];

    /// Every status, the unstored [`NotStarted`](ReviewStatus::NotStarted) first.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// Stable ASCII code for storage and the wire: `not_started` (never stored), `under_review`,
    /// `returned`, `resubmitted`, `accepted`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::UnderReview => "under_review",
            Self::Returned => "returned",
            Self::Resubmitted => "resubmitted",
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

    /// Czech label: `Nezahájeno`, `V kontrole`, `Vráceno k opravě`, `Znovu předloženo`, `Schváleno`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Nezahájeno",
            Self::UnderReview => "V kontrole",
            Self::Returned => "Vráceno k opravě",
            Self::Resubmitted => "Znovu předloženo",
            Self::Accepted => "Schváleno",
        }
    }

    /// The statuses a reviewer may move this one to (as [`allowed_next_by`](Self::allowed_next_by)
    /// with [`ReviewActor::Reviewer`]).
    #[must_use]
    pub fn allowed_next(self) -> &'static [ReviewStatus] {
        self.allowed_next_by(ReviewActor::Reviewer)
    }

    /// The statuses `actor` may move this one to: the whole workflow, in one place.
    #[must_use]
    pub fn allowed_next_by(self, actor: ReviewActor) -> &'static [ReviewStatus] {
        match (actor, self) {
            (ReviewActor::Reviewer, Self::NotStarted) => &[Self::UnderReview],
            (ReviewActor::Reviewer, Self::UnderReview | Self::Resubmitted) => {
                &[Self::Returned, Self::Accepted]
            }
            (ReviewActor::Reviewer, Self::Returned) => &[Self::UnderReview, Self::Accepted],
            (ReviewActor::Reviewer, Self::Accepted) => &[Self::UnderReview],
            (ReviewActor::ProjectTeam, Self::Returned) => &[Self::Resubmitted],
            (ReviewActor::ProjectTeam, _) => &[],
        }
    }

    /// True when a reviewer may move to `next` (staying is not a move).
    #[must_use]
    pub fn can_transition_to(self, next: ReviewStatus) -> bool {
        self.can_transition_by(ReviewActor::Reviewer, next)
    }

    /// True when `actor` may move to `next`.
    #[must_use]
    pub fn can_transition_by(self, actor: ReviewActor, next: ReviewStatus) -> bool {
        self.allowed_next_by(actor).contains(&next)
    }

    /// A reviewer moves to `next`.
    ///
    /// # Errors
    /// As [`transition_by`](Self::transition_by).
    pub fn transition(self, next: ReviewStatus) -> Result<Self, DomainError> {
        self.transition_by(ReviewActor::Reviewer, next)
    }

    /// `actor` moves to `next`.
    ///
    /// # Errors
    /// [`DomainError::ReviewStatusTransition`], naming both statuses, when
    /// [`can_transition_by`](ReviewStatus::can_transition_by) is false.
    pub fn transition_by(
        self,
        actor: ReviewActor,
        next: ReviewStatus,
    ) -> Result<Self, DomainError> {
        if self.can_transition_by(actor, next) {
            Ok(next)
        } else {
            Err(DomainError::ReviewStatusTransition {
                from: self,
                to: next,
            })
        }
    }

    /// True while the report waits for a reviewer: under review or resubmitted (the review queue).
    #[must_use]
    pub fn awaits_reviewer(self) -> bool {
        matches!(self, Self::UnderReview | Self::Resubmitted)
    }

    /// True while the review is open: under review, returned or resubmitted (the portfolio counts these).
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(self, Self::UnderReview | Self::Returned | Self::Resubmitted)
    }
}

/// Who moves a review: the ministry's reviewer, or the project's team (its manager or finance officer),
/// who may only resubmit a returned report. Whether a user is either is the server's check
/// ([`Viewer`](super::roles::Viewer)); what each may do is [`ReviewStatus::allowed_next_by`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewActor {
    /// A reviewer (*kontrolor*).
    Reviewer,
    /// The project team answering a return.
    ProjectTeam,
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
    use super::ReviewStatus::{Accepted, NotStarted, Resubmitted, Returned, UnderReview};
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
            (Resubmitted, Returned),
            (Resubmitted, Accepted),
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
    fn the_team_only_resubmits_a_returned_report() {
        for &from in ReviewStatus::all() {
            for &to in ReviewStatus::all() {
                let expected = from == Returned && to == Resubmitted;
                assert_eq!(
                    from.can_transition_by(ReviewActor::ProjectTeam, to),
                    expected,
                    "{from:?} → {to:?}"
                );
            }
            assert!(
                !from.can_transition_to(Resubmitted),
                "a reviewer never resubmits"
            );
        }
        assert_eq!(
            UnderReview
                .transition_by(ReviewActor::ProjectTeam, Resubmitted)
                .unwrap_err()
                .to_string(),
            "Ze stavu „V kontrole“ nelze přejít do stavu „Znovu předloženo“."
        );
        assert!(Resubmitted.awaits_reviewer() && UnderReview.awaits_reviewer());
        assert!(!Returned.awaits_reviewer());
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
        assert_eq!(open, [&UnderReview, &Returned, &Resubmitted]);
    }
}
