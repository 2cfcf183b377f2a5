//! The failures behind `domain::login_throttle`, kept in memory per instance (a restart
//! forgets them; several instances each slow a guesser). Bounded: old entries are dropped
//! when the table grows, so made-up usernames cannot fill the memory.

use crate::domain::login_throttle::{PairFailures, USERNAME_CEILING, WINDOW_MINUTES, wait_secs};
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;

const MAX_ENTRIES: usize = 50_000;

#[derive(Default)]
pub struct LoginThrottle {
    inner: Mutex<Tables>,
}

#[derive(Default)]
struct Tables {
    /// (lower-cased username, address) → failures in a row.
    pairs: HashMap<(String, String), PairFailures>,
    /// lower-cased username → failures in the current window (start, count).
    per_user: HashMap<String, (DateTime<Utc>, u32)>,
}

/// A (username, address) that must wait, for administrators.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LoginLock {
    pub username: String,
    pub address: String,
    pub failures: u32,
    pub until: DateTime<Utc>,
}

impl LoginThrottle {
    /// `Ok` or the seconds this address must wait before trying this username again.
    pub fn check(&self, username: &str, address: &str, now: DateTime<Utc>) -> Result<(), u64> {
        let t = self.inner.lock().expect("login throttle");
        let user = username.to_lowercase();
        if let Some(f) = t.pairs.get(&(user.clone(), address.to_owned())) {
            if let Some(wait) = wait_secs(f.next_attempt(), now) {
                return Err(wait);
            }
        }
        match t.per_user.get(&user) {
            Some((start, n)) if *n >= USERNAME_CEILING => {
                wait_secs(*start + Duration::minutes(WINDOW_MINUTES), now).map_or(Ok(()), Err)
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, username: &str, address: &str, now: DateTime<Utc>) {
        let mut t = self.inner.lock().expect("login throttle");
        if t.pairs.len() > MAX_ENTRIES {
            t.pairs.retain(|_, f| now - f.last < Duration::days(1));
            t.per_user
                .retain(|_, (start, _)| now - *start < Duration::minutes(WINDOW_MINUTES));
        }
        let user = username.to_lowercase();
        let pair = t
            .pairs
            .entry((user.clone(), address.to_owned()))
            .or_insert(PairFailures {
                count: 0,
                last: now,
            });
        pair.count = pair.count.saturating_add(1);
        pair.last = now;
        let window = t.per_user.entry(user).or_insert((now, 0));
        if now - window.0 >= Duration::minutes(WINDOW_MINUTES) {
            *window = (now, 0);
        }
        window.1 = window.1.saturating_add(1);
    }

    /// A successful login from this address forgets its failures.
    pub fn succeeded(&self, username: &str, address: &str) {
        let mut t = self.inner.lock().expect("login throttle");
        t.pairs
            .remove(&(username.to_lowercase(), address.to_owned()));
    }

    /// The pairs that must wait now, longest wait first.
    pub fn locks(&self, now: DateTime<Utc>) -> Vec<LoginLock> {
        let t = self.inner.lock().expect("login throttle");
        let mut locks: Vec<LoginLock> = t
            .pairs
            .iter()
            .filter(|(_, f)| f.next_attempt() > now)
            .map(|((u, a), f)| LoginLock {
                username: u.clone(),
                address: a.clone(),
                failures: f.count,
                until: f.next_attempt(),
            })
            .collect();
        locks.sort_by(|a, b| b.until.cmp(&a.until).then(a.username.cmp(&b.username)));
        locks
    }

    /// Lifts every wait of a username (an administrator, after checking with the person).
    pub fn unlock(&self, username: &str) -> usize {
        let mut t = self.inner.lock().expect("login throttle");
        let user = username.to_lowercase();
        let before = t.pairs.len();
        t.pairs.retain(|(u, _), _| *u != user);
        t.per_user.remove(&user);
        before - t.pairs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap()
    }

    #[test]
    fn a_guesser_waits_and_the_owner_elsewhere_does_not() {
        let t = LoginThrottle::default();
        for i in 0..8 {
            t.failed("Leader", "203.0.113.9", at(i));
        }
        let wait = t.check("leader", "203.0.113.9", at(8)).unwrap_err();
        assert!(wait >= 2, "{wait}");
        assert_eq!(
            t.check("leader", "198.51.100.7", at(8)),
            Ok(()),
            "another address"
        );
        assert_eq!(t.locks(at(8)).len(), 1);
        assert_eq!(t.unlock("LEADER"), 1);
        assert_eq!(t.check("leader", "203.0.113.9", at(8)), Ok(()));
    }

    #[test]
    fn many_addresses_meet_the_username_ceiling() {
        let t = LoginThrottle::default();
        for i in 0..USERNAME_CEILING {
            t.failed("admin", &format!("10.0.{}.{}", i / 250, i % 250), at(1));
        }
        assert!(t.check("admin", "192.0.2.1", at(2)).is_err());
        assert_eq!(
            t.check("admin", "192.0.2.1", at(60 * WINDOW_MINUTES + 2)),
            Ok(())
        );
        t.succeeded("admin", "10.0.0.1");
        assert!(
            t.locks(at(2)).is_empty(),
            "one failure per address: no pair waits"
        );
    }
}
