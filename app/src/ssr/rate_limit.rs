//! Keyed rate limits (login attempts per address, public reports, tracking lookups),
//! on the `governor` crate's GCRA limiter.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::time::Duration;

pub struct RateLimiter {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl RateLimiter {
    /// `burst` requests at once, refilled at one per `period / burst`.
    pub fn new(burst: u32, period: Duration) -> RateLimiter {
        let burst = NonZeroU32::new(burst.max(1)).expect("max(1) is non-zero");
        let quota = Quota::with_period(period / burst.get())
            .expect("a non-zero period")
            .allow_burst(burst);
        RateLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            clock: DefaultClock::default(),
        }
    }

    /// `Ok(())` or the seconds to wait before the next attempt.
    pub fn check(&self, key: &str) -> Result<(), u64> {
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs().max(1))
    }

    /// Forget keys whose allowance is full again (keeps memory bounded).
    pub fn retain_recent(&self) {
        self.limiter.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_eleventh_attempt_waits() {
        let l = RateLimiter::new(10, Duration::from_secs(300));
        for _ in 0..10 {
            assert!(l.check("ip:1.2.3.4").is_ok());
        }
        let wait = l.check("ip:1.2.3.4").unwrap_err();
        assert!((1..=30).contains(&wait));
        assert!(l.check("ip:5.6.7.8").is_ok(), "keys are independent");
    }
}
