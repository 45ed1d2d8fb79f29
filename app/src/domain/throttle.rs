//! Throttling of sign-ins and password changes (*omezení pokusů*), as a pure rule over one counter.
//!
//! Every attempt is counted **before** the password is checked, atomically by the caller (a row lock),
//! and the decision is made after the increment: the first `free_attempts` attempts in a window reach
//! the password check; no further attempt does until the window (from the series' first attempt) has
//! passed. The key is locked for `first_delay` after the free attempts, and each attempt made after a
//! lock ends locks it again for twice as long, up to `max_delay`; attempts while locked are refused
//! and do not extend the lock. So hammering an account keeps it refused for at most the window plus
//! `max_delay`, never for good, and a user who stops trying is let in once the window has passed. A
//! success clears the account's counter. Addresses are counted per IPv4 address and per IPv6 /64
//! ([`address_key`]), since one IPv6 subscriber has a whole /64.

use chrono::{DateTime, Duration, Utc};

/// The limits of one kind of key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottlePolicy {
    /// Attempts in a window that reach the password check.
    pub free_attempts: i32,
    /// How long a series of attempts is remembered (from its first attempt).
    pub window: Duration,
    /// The first lock after the free attempts.
    pub first_delay: Duration,
    /// The longest lock.
    pub max_delay: Duration,
}

impl ThrottlePolicy {
    /// Per account (e-mail, whether it exists or not): 5 attempts in 15 minutes, then 1, 2, 4, 8, 15 min.
    pub const ACCOUNT: Self = Self {
        free_attempts: 5,
        window: Duration::minutes(15),
        first_delay: Duration::minutes(1),
        max_delay: Duration::minutes(15),
    };
    /// Per client address: 20 attempts in 15 minutes, then growing locks as for an account.
    pub const ADDRESS: Self = Self {
        free_attempts: 20,
        window: Duration::minutes(15),
        first_delay: Duration::minutes(1),
        max_delay: Duration::minutes(15),
    };

    /// The lock after the `excess`-th attempt beyond the free ones (1 → `first_delay`, doubling).
    #[must_use]
    pub fn delay(&self, excess: i32) -> Duration {
        let doublings = u32::try_from(excess.saturating_sub(1)).unwrap_or(0).min(20);
        let delay = self
            .first_delay
            .checked_mul(1_i32 << doublings)
            .unwrap_or(self.max_delay);
        delay.min(self.max_delay)
    }
}

/// The stored counter of one key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleState {
    /// Attempts counted in the current window.
    pub attempts: i32,
    /// When the window's first attempt was made.
    pub window_start: DateTime<Utc>,
    /// Until when attempts are refused.
    pub locked_until: Option<DateTime<Utc>>,
}

/// What to do with an attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Attempt {
    /// Check the password.
    Check,
    /// Refuse without checking, until the given time.
    Refused { until: DateTime<Utc> },
}

/// Counts an attempt at `now` and decides it; returns the state to store.
#[must_use]
pub fn count_attempt(
    policy: &ThrottlePolicy,
    state: Option<ThrottleState>,
    now: DateTime<Utc>,
) -> (ThrottleState, Attempt) {
    if let Some(s) = state {
        if let Some(until) = s.locked_until.filter(|u| *u > now) {
            return (s, Attempt::Refused { until });
        }
    }
    let mut s = match state {
        Some(s) if now < s.window_start + policy.window => s,
        _ => ThrottleState {
            attempts: 0,
            window_start: now,
            locked_until: None,
        },
    };
    s.attempts = s.attempts.saturating_add(1);
    if s.attempts > policy.free_attempts {
        let until = now + policy.delay(s.attempts - policy.free_attempts);
        s.locked_until = Some(until);
        (s, Attempt::Refused { until })
    } else {
        s.locked_until = None;
        (s, Attempt::Check)
    }
}

/// The throttling key of a client address: the IPv4 address, or the /64 network of an IPv6 address.
#[must_use]
pub fn address_key(address: &str) -> String {
    match address
        .parse::<std::net::IpAddr>()
        .map(|a| a.to_canonical())
    {
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("ip:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(v4) => format!("ip:{v4}"),
        Err(_) => format!("ip:{address}"),
    }
}

/// Whole minutes (at least 1) until `until`, for the message.
#[must_use]
pub fn minutes_left(until: DateTime<Utc>, now: DateTime<Utc>) -> i64 {
    let secs = (until - now).num_seconds().max(0);
    ((secs + 59) / 60).max(1)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-07-01T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn run(
        n: i32,
        now: DateTime<Utc>,
        mut state: Option<ThrottleState>,
    ) -> (Option<ThrottleState>, i32) {
        let mut checked = 0;
        for _ in 0..n {
            let (s, a) = count_attempt(&ThrottlePolicy::ACCOUNT, state, now);
            state = Some(s);
            if a == Attempt::Check {
                checked += 1;
            }
        }
        (state, checked)
    }

    #[test]
    fn only_the_free_attempts_reach_the_password_check() {
        let (state, checked) = run(50, t0(), None);
        assert_eq!(checked, 5);
        let s = state.unwrap();
        assert_eq!(s.attempts, 6, "attempts while locked are not counted");
        assert_eq!(s.locked_until, Some(t0() + Duration::minutes(1)));
    }

    #[test]
    fn locks_grow_with_attempts_after_each_lock_and_stop_at_the_cap() {
        let (mut state, _) = run(6, t0(), None);
        let mut locks = Vec::new();
        for _ in 0..3 {
            let now = state.unwrap().locked_until.unwrap();
            let (s, a) = count_attempt(&ThrottlePolicy::ACCOUNT, state, now);
            let Attempt::Refused { until } = a else {
                panic!("{a:?}")
            };
            locks.push((until - now).num_minutes());
            state = Some(s);
        }
        assert_eq!(locks, vec![2, 4, 8]);
        assert_eq!(
            ThrottlePolicy::ACCOUNT.delay(5),
            Duration::minutes(15),
            "capped"
        );
        assert_eq!(ThrottlePolicy::ACCOUNT.delay(40), Duration::minutes(15));
        // The lock has ended and the window (from the first attempt) has passed: a fresh series.
        let at = state.unwrap().locked_until.unwrap();
        assert_eq!(at, t0() + Duration::minutes(15));
        let (s, a) = count_attempt(&ThrottlePolicy::ACCOUNT, state, at);
        assert_eq!((s.attempts, a), (1, Attempt::Check));
    }

    #[test]
    fn a_window_that_passed_starts_again() {
        let (state, _) = run(4, t0(), None);
        let (s, a) = count_attempt(
            &ThrottlePolicy::ACCOUNT,
            state,
            t0() + Duration::minutes(16),
        );
        assert_eq!((s.attempts, a), (1, Attempt::Check));
    }

    #[test]
    fn ipv6_clients_are_counted_per_64_network() {
        assert_eq!(
            address_key("2001:db8:1:2:aaaa::1"),
            address_key("2001:db8:1:2:bbbb::9")
        );
        assert_ne!(
            address_key("2001:db8:1:2::1"),
            address_key("2001:db8:1:3::1")
        );
        assert_eq!(address_key("203.0.113.7"), "ip:203.0.113.7");
        assert_eq!(address_key("::ffff:203.0.113.7"), "ip:203.0.113.7");
    }

    #[test]
    fn minutes_are_rounded_up() {
        assert_eq!(minutes_left(t0() + Duration::seconds(61), t0()), 2);
        assert_eq!(minutes_left(t0(), t0()), 1);
    }
}
