//! [`ProjectStatus`]: the life cycle of a project, as Czech funds administration names it.
//!
//! - *v přípravě* (in preparation): the application is being prepared or assessed; not yet running.
//! - *v realizaci* (in realisation): the project runs, its activities take place and it reports (ZoR/ŽoP).
//! - *ukončený* (finished): physically finished, the realisation period is over, activities have ended;
//!   the final report and payment claim may still be open.
//! - *uzavřený* (closed): financially closed, the final payment is settled; nothing changes any more.
//!
//! The order is strict: each status may only move to the next one, none is skipped and none goes back.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::DomainError;

/// Status of a project (see the module docs). Serialised as its stable [`code`](ProjectStatus::code).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ProjectStatus {
    /// *v přípravě*: in preparation.
    #[serde(rename = "preparation")]
    VPriprave,
    /// *v realizaci*: running.
    #[serde(rename = "realisation")]
    VRealizaci,
    /// *ukončený*: physically finished.
    #[serde(rename = "finished")]
    Ukonceny,
    /// *uzavřený*: financially closed; final.
    #[serde(rename = "closed")]
    Uzavreny,
}

impl ProjectStatus {
    const ALL: [Self; 4] = [
        Self::VPriprave,
        Self::VRealizaci,
        Self::Ukonceny,
        Self::Uzavreny,
    ];

    /// Every status, in life-cycle order.
    #[must_use]
    pub fn all() -> &'static [Self] {
        &Self::ALL
    }

    /// Stable ASCII code for storage and the wire: `preparation`, `realisation`, `finished`, `closed`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::VPriprave => "preparation",
            Self::VRealizaci => "realisation",
            Self::Ukonceny => "finished",
            Self::Uzavreny => "closed",
        }
    }

    /// The status with the given [`code`](ProjectStatus::code).
    ///
    /// # Errors
    /// [`DomainError::UnknownProjectStatus`] for any other text.
    pub fn from_code(code: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|s| s.code() == code)
            .ok_or_else(|| DomainError::UnknownProjectStatus {
                code: code.to_owned(),
            })
    }

    /// Czech label: `v přípravě`, `v realizaci`, `ukončený`, `uzavřený`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::VPriprave => "v přípravě",
            Self::VRealizaci => "v realizaci",
            Self::Ukonceny => "ukončený",
            Self::Uzavreny => "uzavřený",
        }
    }

    /// The statuses this one may move to: the next one in the life cycle, none for `uzavřený`.
    #[must_use]
    pub fn allowed_next(&self) -> &'static [ProjectStatus] {
        match self {
            Self::VPriprave => &[Self::VRealizaci],
            Self::VRealizaci => &[Self::Ukonceny],
            Self::Ukonceny => &[Self::Uzavreny],
            Self::Uzavreny => &[],
        }
    }

    /// True when `next` is this status (no change) or an allowed next one.
    #[must_use]
    pub fn can_transition_to(&self, next: ProjectStatus) -> bool {
        *self == next || self.allowed_next().contains(&next)
    }

    /// Moves to `next` (staying is allowed).
    ///
    /// # Errors
    /// [`DomainError::StatusTransition`], naming both statuses and the allowed ones, when
    /// [`can_transition_to`](ProjectStatus::can_transition_to) is false.
    pub fn transition(self, next: ProjectStatus) -> Result<Self, DomainError> {
        if self.can_transition_to(next) {
            Ok(next)
        } else {
            Err(DomainError::StatusTransition {
                from: self,
                to: next,
            })
        }
    }
}

impl fmt::Display for ProjectStatus {
    /// The Czech [`label`](ProjectStatus::label).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::ProjectStatus::{Ukonceny, Uzavreny, VPriprave, VRealizaci};
    use super::*;

    #[test]
    fn codes_round_trip_and_match_serde() {
        for &s in ProjectStatus::all() {
            assert_eq!(ProjectStatus::from_code(s.code()).unwrap(), s);
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.code())
            );
            assert_eq!(
                serde_json::from_str::<ProjectStatus>(&format!("\"{}\"", s.code())).unwrap(),
                s
            );
        }
        assert_eq!(
            ProjectStatus::from_code("open"),
            Err(DomainError::UnknownProjectStatus {
                code: "open".into()
            })
        );
        assert_eq!(
            ProjectStatus::all(),
            [VPriprave, VRealizaci, Ukonceny, Uzavreny]
        );
        assert_eq!(VRealizaci.to_string(), "v realizaci");
    }

    #[test]
    fn moves_only_forward_one_step() {
        assert_eq!(VPriprave.transition(VRealizaci).unwrap(), VRealizaci);
        assert_eq!(VRealizaci.transition(Ukonceny).unwrap(), Ukonceny);
        assert_eq!(Ukonceny.transition(Uzavreny).unwrap(), Uzavreny);
        for &from in ProjectStatus::all() {
            assert_eq!(from.transition(from).unwrap(), from, "staying is allowed");
            for &to in ProjectStatus::all() {
                let one_step_forward = (to as usize) == (from as usize) + 1;
                assert_eq!(
                    from.can_transition_to(to),
                    from == to || one_step_forward,
                    "{from:?} → {to:?}"
                );
                assert_eq!(from.transition(to).is_ok(), from.can_transition_to(to));
            }
        }
        assert!(Uzavreny.allowed_next().is_empty());
    }

    #[test]
    fn refusal_names_both_statuses_and_the_allowed_one() {
        assert_eq!(
            VPriprave.transition(Uzavreny).unwrap_err().to_string(),
            "Projekt nelze převést ze stavu „v přípravě“ do stavu „uzavřený“; povolený další stav: „v realizaci“"
        );
        assert_eq!(
            Uzavreny.transition(VRealizaci).unwrap_err().to_string(),
            "Projekt nelze převést ze stavu „uzavřený“ do stavu „v realizaci“; stav „uzavřený“ je konečný"
        );
        let err = Ukonceny.transition(VRealizaci).unwrap_err();
        let json = serde_json::to_string(&err).unwrap();
        assert_eq!(serde_json::from_str::<DomainError>(&json).unwrap(), err);
    }
}
