//! The live hub: one tailer per server instance reads new case events from the database
//! and broadcasts them to the SSE connections of that instance. Because every instance
//! tails the shared database, a change made on one instance reaches the users of all of
//! them. On PostgreSQL the tailer wakes on `LISTEN gridgov_case_events` (a trigger
//! NOTIFYs each insert) and polls every few seconds as a safety net; on SQLite (one
//! instance) it is woken in-process when a request that may have written has been
//! answered (`Live::wake`), and polls twice a second for what no request wrote (the desk
//! worker's steps).

use crate::domain::live::CaseChange;
use crate::ssr::db::{Backend, Db, to_millis};
use crate::ssr::state::{AppState, Clock};
use crate::ssr::store;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::broadcast;

/// Events a slow connection may fall behind before it is told to resync.
const CHANNEL: usize = 1024;
/// How far back each read looks again, for PostgreSQL transactions that commit out of id
/// order; ids already sent are remembered and skipped. SQLite's one writer commits in id
/// order, so there it reads only what is new (a read per write under load: looking back
/// 200 events each time cost more than the write itself at 1M cases).
const LOOK_BACK: i64 = 200;

fn look_back(backend: Backend) -> i64 {
    match backend {
        Backend::Postgres => LOOK_BACK,
        Backend::Sqlite => 0,
    }
}

#[derive(Clone)]
pub struct Live {
    tx: broadcast::Sender<Arc<CaseChange>>,
    /// Tells the tailer to read now rather than at its next poll.
    wake: Arc<tokio::sync::Notify>,
}

impl Default for Live {
    fn default() -> Live {
        Live {
            tx: broadcast::channel(CHANNEL).0,
            wake: Arc::default(),
        }
    }
}

impl Live {
    /// Something may have been written: the tailer reads at once. A wake while it reads
    /// is kept (one permit), so nothing written meanwhile waits for the poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<CaseChange>> {
        self.tx.subscribe()
    }

    /// Open live connections of this instance (one receiver each).
    pub fn subscribers(&self) -> usize {
        self.tx.receiver_count()
    }

    fn publish(&self, c: CaseChange) {
        // No receiver is not an error: nobody is watching.
        let _ = self.tx.send(Arc::new(c));
    }
}

/// What the tailer reads from: the database (and, on PostgreSQL, the URL it LISTENs on)
/// and the clock that colours the changes.
pub struct TailSource {
    pub db: Db,
    pub database_url: String,
    pub clock: Clock,
}

/// Reads new events from `src` and broadcasts them on `live` until the process ends.
pub async fn run_tailer(src: TailSource, live: Live) {
    let mut cursor = match store::live::latest_id(&src.db.pool).await {
        Ok(id) => id,
        Err(e) => {
            tracing::error!(error = %e, "live updates: reading the latest event failed");
            0
        }
    };
    let mut sent: VecDeque<i64> = VecDeque::new();
    let mut listener = match src.db.backend {
        Backend::Postgres => listen(&src.database_url).await,
        Backend::Sqlite => None,
    };
    let poll = match src.db.backend {
        Backend::Postgres => Duration::from_secs(3),
        Backend::Sqlite => Duration::from_millis(500),
    };
    loop {
        match listener.as_mut() {
            Some(l) => {
                // Woken by a NOTIFY, or by the timer as a safety net.
                if let Ok(Err(e)) = tokio::time::timeout(poll, l.recv()).await {
                    tracing::warn!(error = %e, "live updates: LISTEN connection lost; reconnecting");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    listener = listen(&src.database_url).await;
                }
            }
            None => {
                tokio::select! {
                    _ = tokio::time::sleep(poll) => {}
                    _ = live.wake.notified() => {}
                }
                // After an outage, LISTEN again once the database is back (polling in
                // the meantime, so no change is missed either way).
                if src.db.backend == Backend::Postgres {
                    listener = listen(&src.database_url).await;
                }
            }
        }
        let now = to_millis(src.clock.now());
        let from = (cursor - look_back(src.db.backend)).max(0);
        match store::live::changes_after(&src.db.pool, from, 2000, now).await {
            Ok(changes) => {
                for c in changes {
                    if sent.contains(&c.id) {
                        continue;
                    }
                    cursor = cursor.max(c.id);
                    sent.push_back(c.id);
                    if sent.len() > 4 * LOOK_BACK as usize {
                        sent.pop_front();
                    }
                    live.publish(c);
                }
            }
            Err(e) => tracing::warn!(error = %e, "live updates: reading events failed"),
        }
    }
}

async fn listen(url: &str) -> Option<sqlx::postgres::PgListener> {
    // Bounded: an unreachable host would otherwise hold the tailer (and its polling).
    let connect = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::postgres::PgListener::connect(url),
    );
    let mut l = match connect.await.unwrap_or(Err(sqlx::Error::PoolTimedOut)) {
        Ok(l) => l,
        Err(e) => {
            tracing::warn!(error = %e, "live updates: LISTEN unavailable; polling only");
            return None;
        }
    };
    match l.listen("gridgov_case_events").await {
        Ok(()) => Some(l),
        Err(e) => {
            tracing::warn!(error = %e, "live updates: LISTEN failed; polling only");
            None
        }
    }
}

/// Where a new SSE connection starts.
pub enum Backlog {
    /// No `Last-Event-ID`: from the newest event on.
    Fresh { latest: i64 },
    /// The events missed since `Last-Event-ID` that the user may read, and the newest id
    /// looked at.
    Missed { changes: Vec<CaseChange>, high: i64 },
    /// More than `REPLAY_LIMIT` behind: reload everything.
    TooFar { latest: i64 },
}

pub async fn backlog(
    state: &AppState,
    scope: &crate::domain::scope::Scope,
    last: Option<i64>,
) -> Result<Backlog, crate::error::AppError> {
    use crate::domain::live::REPLAY_LIMIT;
    let pool = &state.db.pool;
    let Some(last) = last else {
        return Ok(Backlog::Fresh {
            latest: store::live::latest_id(pool).await?,
        });
    };
    let now = to_millis(state.clock.now());
    let missed = store::live::changes_after(pool, last, REPLAY_LIMIT as i64 + 1, now).await?;
    if missed.len() > REPLAY_LIMIT {
        return Ok(Backlog::TooFar {
            latest: store::live::latest_id(pool).await?,
        });
    }
    let high = missed.last().map_or(last, |c| c.id);
    Ok(Backlog::Missed {
        changes: missed.into_iter().filter(|c| c.visible_to(scope)).collect(),
        high,
    })
}
