//! How long a login must wait after failures. Guessing is slowed per (username, address):
//! the owner of an account, at another address, is never locked out by someone else's
//! wrong guesses (issue #15, item 5). Across all addresses a username has a ceiling far
//! higher, against guessing from many addresses.

use chrono::{DateTime, Duration, Utc};

/// Failures from one address that cost nothing yet (typos happen).
pub const FREE_FAILURES: u32 = 5;
/// The longest wait between two attempts from one address.
pub const MAX_DELAY_SECS: i64 = 15 * 60;
/// Failures of one username from all addresses within `WINDOW_MINUTES` before it waits.
pub const USERNAME_CEILING: u32 = 100;
pub const WINDOW_MINUTES: i64 = 15;

/// The wait after `failures` consecutive failures from one address: none for the first
/// five, then 2 s, 4 s, 8 s … up to 15 minutes.
pub fn delay_after(failures: u32) -> Duration {
    if failures < FREE_FAILURES {
        return Duration::zero();
    }
    let doublings = (failures - FREE_FAILURES).min(20);
    Duration::seconds((2i64 << doublings).min(MAX_DELAY_SECS))
}

/// Failures of one (username, address) pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairFailures {
    pub count: u32,
    pub last: DateTime<Utc>,
}

impl PairFailures {
    /// When the next attempt may be made.
    pub fn next_attempt(&self) -> DateTime<Utc> {
        self.last + delay_after(self.count)
    }
}

/// Seconds to wait (at least 1), or none.
pub fn wait_secs(until: DateTime<Utc>, now: DateTime<Utc>) -> Option<u64> {
    (until > now).then(|| u64::try_from((until - now).num_seconds().max(1)).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_from_the_sixth_failure_and_are_capped() {
        assert_eq!(delay_after(0), Duration::zero());
        assert_eq!(delay_after(4), Duration::zero());
        assert_eq!(delay_after(5), Duration::seconds(2));
        assert_eq!(delay_after(6), Duration::seconds(4));
        assert_eq!(delay_after(9), Duration::seconds(32));
        assert_eq!(delay_after(30), Duration::seconds(MAX_DELAY_SECS));
        assert_eq!(delay_after(u32::MAX), Duration::seconds(MAX_DELAY_SECS));
    }

    #[test]
    fn the_wait_is_until_the_next_attempt() {
        let t = DateTime::parse_from_rfc3339("2026-11-23T01:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let f = PairFailures { count: 6, last: t };
        assert_eq!(f.next_attempt(), t + Duration::seconds(4));
        assert_eq!(wait_secs(f.next_attempt(), t), Some(4));
        assert_eq!(wait_secs(f.next_attempt(), t + Duration::seconds(4)), None);
    }
}
