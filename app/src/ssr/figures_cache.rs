//! Leaders' figures (a board, key figures) per area and period, kept in memory for a few
//! seconds so that a room of leaders reloading the dashboard costs one computation, not
//! one each. A kept figure is used only while the case log is as it was when the figure
//! was computed (`Stamp`: the newest event id and how many events sit just below it, so
//! that a PostgreSQL transaction committing after a later one still changes it) — every
//! step, on any instance, makes the next read compute afresh, and a user always sees
//! their own step. What moves without an event (a deadline passing by the clock, an
//! administrator renaming a department) shows within `MAX_AGE`, or within `STALE_AGE` on a
//! page nobody had read for a while: a figure older than `MAX_AGE` but from the same case
//! log is still answered while one task computes it again in the background, so that no
//! reader waits for the recomputation every few seconds (at 1M cases the key figures take
//! ~0.3 s, and every request that arrived meanwhile waited for them: the dashboard's p99).

use crate::error::AppError;
use crate::ssr::state::AppState;
use crate::ssr::store;
use chrono::{DateTime, Duration, Utc};
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// How long a figure is answered without being computed again.
pub const MAX_AGE: Duration = Duration::seconds(5);
/// How long a figure from the same case log may still be answered while it is computed
/// again in the background; older, the reader waits for the new one.
pub const STALE_AGE: Duration = Duration::seconds(10);
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
    /// When a background computation of it was started (one at a time; after `MAX_AGE`
    /// another may start, should that one have failed).
    refreshing: Option<DateTime<Utc>>,
}

/// What the cache holds for a key, as of a reader's stamp and time.
#[derive(Debug, PartialEq)]
pub enum Kept<T> {
    /// Computed from this case log less than `MAX_AGE` ago.
    Fresh(T),
    /// From this case log but older than `MAX_AGE`; `refresh` is true for the one reader
    /// that should start its computation again.
    Stale {
        value: T,
        refresh: bool,
    },
    Missing,
}

#[derive(Default)]
pub struct FiguresCache {
    entries: Mutex<HashMap<String, Entry>>,
}

impl FiguresCache {
    /// The figure kept under `key` for a reader who sees the case log at `stamp` at `now`
    /// (a figure stamped after `now`, by a clock set back, is `Missing`).
    pub fn get<T: Clone + Send + Sync + 'static>(
        &self,
        key: &str,
        stamp: Stamp,
        now: DateTime<Utc>,
    ) -> Kept<T> {
        let mut entries = self.entries.lock().expect("figures cache lock");
        let Some(e) = entries.get_mut(key) else {
            return Kept::Missing;
        };
        let Some(value) = e.value.downcast_ref::<T>().cloned() else {
            return Kept::Missing;
        };
        if e.stamp != stamp || e.at > now || now - e.at >= STALE_AGE {
            return Kept::Missing;
        }
        if now - e.at < MAX_AGE {
            return Kept::Fresh(value);
        }
        let refresh = e.refreshing.is_none_or(|t| t > now || now - t >= MAX_AGE);
        if refresh {
            e.refreshing = Some(now);
        }
        Kept::Stale { value, refresh }
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
                refreshing: None,
            },
        );
    }
}

/// The figure under `key` as of `now`: kept, or computed by `compute` and kept. `compute`
/// gets its own handle on the state, so that it can also run after the request has been
/// answered (a stale figure's background computation).
pub async fn cached<T, F, Fut>(
    state: &AppState,
    key: String,
    now: DateTime<Utc>,
    compute: F,
) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(AppState) -> Fut + Send + 'static,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
{
    // Read before computing: a step committed meanwhile leaves the figure stamped older
    // than the log, so it is not used again.
    let stamp = store::live::log_stamp(&state.db.pool).await?;
    match state.figures.get::<T>(&key, stamp, now) {
        Kept::Fresh(found) => return Ok(found),
        Kept::Stale { value, refresh } => {
            if refresh {
                let state = state.clone();
                tokio::spawn(async move {
                    if let Err(e) = compute_and_keep(&state, key, now, compute).await {
                        tracing::warn!(error = %e, "a kept figure could not be computed again");
                    }
                });
            }
            return Ok(value);
        }
        Kept::Missing => {}
    }
    compute_and_keep(state, key, now, compute).await
}

/// One computation of a figure at a time on this instance: the others wait for it and
/// take its result (a room of leaders opening the dashboard at once costs one computation,
/// not one each — at 1M cases sixteen at once took 5 s each).
async fn compute_and_keep<T, F, Fut>(
    state: &AppState,
    key: String,
    now: DateTime<Utc>,
    compute: F,
) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(AppState) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    let _turn = state.key_locks.turn(&format!("figures:{key}")).await;
    let stamp = store::live::log_stamp(&state.db.pool).await?;
    if let Kept::Fresh(found) = state.figures.get::<T>(&key, stamp, now) {
        return Ok(found);
    }
    let value = compute(state.clone()).await?;
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
        assert_eq!(c.get::<u32>("board|d|2026-11", S, at(4)), Kept::Fresh(7));
        assert_eq!(
            c.get::<u32>("board|d|2026-12", S, at(4)),
            Kept::Missing,
            "another key"
        );
        assert_eq!(
            c.get::<String>("board|d|2026-11", S, at(4)),
            Kept::Missing,
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
        assert_eq!(c.get::<u32>("k", newer, at(1)), Kept::Missing);
        assert_eq!(c.get::<u32>("k", newer, at(7)), Kept::Missing, "nor stale");
        // An id below the newest committed after it (PostgreSQL): same newest, one more.
        let late = Stamp {
            latest: 10,
            recent: 11,
        };
        assert_eq!(c.get::<u32>("k", late, at(1)), Kept::Missing);
    }

    #[test]
    fn an_older_figure_is_answered_while_one_reader_computes_it_again() {
        let c = FiguresCache::default();
        c.put("k".into(), S, at(10), 7u32);
        let stale = |refresh| Kept::Stale {
            value: 7u32,
            refresh,
        };
        assert_eq!(
            c.get::<u32>("k", S, at(15)),
            stale(true),
            "MAX_AGE later: one refreshes"
        );
        assert_eq!(
            c.get::<u32>("k", S, at(16)),
            stale(false),
            "the others do not"
        );
        assert_eq!(c.get::<u32>("k", S, at(19)), stale(false));
        assert_eq!(
            c.get::<u32>("k", S, at(20)),
            Kept::Missing,
            "STALE_AGE later: waits"
        );
        // The computation's result is fresh, and refreshed again in its turn.
        c.put("k".into(), S, at(16), 8u32);
        assert_eq!(c.get::<u32>("k", S, at(20)), Kept::Fresh(8));
        assert!(matches!(
            c.get::<u32>("k", S, at(21)),
            Kept::Stale { refresh: true, .. }
        ));
    }

    #[test]
    fn the_clock_moving_back_computes_afresh() {
        let c = FiguresCache::default();
        c.put("k".into(), S, at(10), 7u32);
        assert_eq!(
            c.get::<u32>("k", S, at(9)),
            Kept::Missing,
            "before it was computed"
        );
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
            Kept::Fresh(newest)
        );
    }
}
