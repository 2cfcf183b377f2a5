//! Leaders' figures (a board, key figures) per area and period, kept in memory for a few
//! seconds so that a room of leaders reloading the dashboard costs one computation, not
//! one each. A kept figure is used only while the case log is as it was when the figure
//! was computed (`Stamp`: the newest event id and how many events sit just below it, so
//! that a PostgreSQL transaction committing after a later one still changes it) — every
//! step, on any instance, makes the next read compute afresh, and a user always sees
//! their own step. What moves without an event (a deadline passing by the clock, an
//! administrator renaming a department) shows within `MAX_AGE`.

use crate::error::AppError;
use crate::ssr::state::AppState;
use crate::ssr::store;
use chrono::{DateTime, Duration, Utc};
use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// How long a figure is kept at most.
pub const MAX_AGE: Duration = Duration::seconds(5);
/// Kept figures at most; beyond it the oldest half goes (areas × periods is bounded by
/// the territory, but a crawler of every period should not grow memory for ever).
const MAX_ENTRIES: usize = 4096;

/// The case log's state: the newest event id, and the number of events among the ids
/// just below it (`store::live::log_stamp`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Stamp {
    pub latest: i64,
    pub recent: i64,
}

struct Entry {
    stamp: Stamp,
    at: DateTime<Utc>,
    value: Arc<dyn Any + Send + Sync>,
}

#[derive(Default)]
pub struct FiguresCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl FiguresCache {
    /// The figure kept under `key`, if it was computed from the same case log less than
    /// `MAX_AGE` before `now` (and not after it: a clock set back computes afresh).
    pub fn get<T: Clone + Send + Sync + 'static>(
        &self,
        key: &str,
        stamp: Stamp,
        now: DateTime<Utc>,
    ) -> Option<T> {
        let entries = self.entries.lock().expect("figures cache lock");
        let e = entries.get(key)?;
        let fresh = e.stamp == stamp && e.at <= now && now - e.at < MAX_AGE;
        fresh
            .then(|| e.value.downcast_ref::<T>().cloned())
            .flatten()
    }

    pub fn put<T: Send + Sync + 'static>(
        &self,
        key: String,
        stamp: Stamp,
        at: DateTime<Utc>,
        value: T,
    ) {
        let mut entries = self.entries.lock().expect("figures cache lock");
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            let mut ages: Vec<DateTime<Utc>> = entries.values().map(|e| e.at).collect();
            ages.sort_unstable();
            let cut = ages[ages.len() / 2];
            entries.retain(|_, e| e.at > cut);
        }
        entries.insert(
            key,
            Entry {
                stamp,
                at,
                value: Arc::new(value),
            },
        );
    }
}

/// The figure under `key` as of `now`: kept, or computed by `compute` and kept.
pub async fn cached<T, F>(
    state: &AppState,
    key: String,
    now: DateTime<Utc>,
    compute: F,
) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, AppError>>,
{
    // Read before computing: a step committed meanwhile leaves the figure stamped older
    // than the log, so it is not used again.
    let stamp = store::live::log_stamp(&state.db.pool).await?;
    if let Some(found) = state.figures.get::<T>(&key, stamp, now) {
        return Ok(found);
    }
    // One computation of a figure at a time on this instance: the others wait for it and
    // take its result (a room of leaders opening the dashboard at once costs one
    // computation, not one each — at 1M cases sixteen at once took 5 s each).
    let _turn = state.key_locks.turn(&format!("figures:{key}")).await;
    let stamp = store::live::log_stamp(&state.db.pool).await?;
    if let Some(found) = state.figures.get::<T>(&key, stamp, now) {
        return Ok(found);
    }
    let value = compute.await?;
    state.figures.put(key, stamp, now, value.clone());
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
    }

    const S: Stamp = Stamp {
        latest: 10,
        recent: 10,
    };

    #[test]
    fn a_figure_is_kept_while_the_log_and_the_clock_stand_still() {
        let c = FiguresCache::default();
        c.put("board|d|2026-11".into(), S, at(0), 7u32);
        assert_eq!(c.get::<u32>("board|d|2026-11", S, at(4)), Some(7));
        assert_eq!(
            c.get::<u32>("board|d|2026-12", S, at(4)),
            None,
            "another key"
        );
        assert_eq!(
            c.get::<String>("board|d|2026-11", S, at(4)),
            None,
            "another type"
        );
    }

    #[test]
    fn any_new_event_or_a_late_commit_computes_afresh() {
        let c = FiguresCache::default();
        c.put("k".into(), S, at(0), 7u32);
        let newer = Stamp {
            latest: 11,
            recent: 11,
        };
        assert_eq!(c.get::<u32>("k", newer, at(1)), None);
        // An id below the newest committed after it (PostgreSQL): same newest, one more.
        let late = Stamp {
            latest: 10,
            recent: 11,
        };
        assert_eq!(c.get::<u32>("k", late, at(1)), None);
    }

    #[test]
    fn the_clock_moving_on_or_back_computes_afresh() {
        let c = FiguresCache::default();
        c.put("k".into(), S, at(10), 7u32);
        assert_eq!(c.get::<u32>("k", S, at(15)), None, "MAX_AGE later");
        assert_eq!(c.get::<u32>("k", S, at(9)), None, "before it was computed");
    }

    #[test]
    fn the_cache_stays_bounded() {
        let c = FiguresCache::default();
        for i in 0..(MAX_ENTRIES as i64 + 10) {
            c.put(format!("k{i}"), S, at(i), i);
        }
        let n = c.entries.lock().unwrap().len();
        assert!(n <= MAX_ENTRIES, "{n}");
        let newest = MAX_ENTRIES as i64 + 9;
        assert_eq!(
            c.get::<i64>(&format!("k{newest}"), S, at(newest)),
            Some(newest)
        );
    }
}
