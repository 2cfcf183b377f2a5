//! Group commit for SQLite's one writer connection: the case steps that queue for the
//! writer while one works share its transaction, each in its own savepoint, and one COMMIT
//! (one fsync with `synchronous = FULL`) makes them all durable. A step's caller hears
//! "committed" only after that COMMIT; a step that fails or is dropped undoes only its own
//! savepoint. Why: the fsync was ≈ 0.6 ms of a ≈ 1.4 ms turn at the writer
//! (docs/BENCHMARKS.md, "Intake and case steps under load").
//!
//! How a group forms: the first step to finish (its savepoint released) becomes the
//! group's leader and spawns a task that queues for the writer like any step. The turn is
//! a fair (FIFO) lock, so that task gets it after every step that queued before it; it
//! then commits what they did and tells each of them. Alone, a step commits right after
//! its own work: no waiting for company.

use sqlx::{Any, AnyPool, Transaction};
use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

/// SQLite's writer: one connection, taken in turns.
#[derive(Clone)]
pub(super) struct GroupWriter {
    pool: AnyPool,
    turn: Arc<Mutex<Group>>,
    wait: Duration,
    counts: Arc<Counts>,
}

/// Steps and groups committed since start (`/metrics`: steps per fsync).
#[derive(Debug, Default)]
pub struct Counts {
    pub steps: AtomicU64,
    pub groups: AtomicU64,
}

impl std::fmt::Debug for GroupWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupWriter")
    }
}

/// The transaction shared by the steps of one group, and who waits for its COMMIT.
#[derive(Default)]
struct Group {
    tx: Option<Transaction<'static, Any>>,
    waiting: Vec<oneshot::Sender<Result<(), Failed>>>,
    /// A step left the transaction without committing while others' work was in it: its
    /// savepoint is still to be undone by whoever takes the next turn.
    abandoned: bool,
}

impl GroupWriter {
    pub(super) fn new(pool: AnyPool, wait: Duration) -> GroupWriter {
        GroupWriter {
            pool,
            turn: Arc::default(),
            wait,
            counts: Arc::default(),
        }
    }

    pub(super) fn counts(&self) -> &Counts {
        &self.counts
    }

    /// Waits for the writer (at most `wait`, then `PoolTimedOut`: busy, try again) and opens
    /// the step's savepoint in the group's transaction.
    pub(super) async fn begin(&self) -> Result<WriteTx, sqlx::Error> {
        let mut turn = tokio::time::timeout(self.wait, self.turn.clone().lock_owned())
            .await
            .map_err(|_| sqlx::Error::PoolTimedOut)?;
        turn.settle().await;
        if turn.tx.is_none() {
            turn.tx = Some(self.pool.begin_with("BEGIN IMMEDIATE").await?);
        }
        let mut step = WriteTx(Inner::Grouped(Some(turn), self.counts.clone()));
        sqlx::query("SAVEPOINT step").execute(&mut **step).await?;
        Ok(step)
    }
}

impl Group {
    /// Undoes an abandoned step's savepoint; if that cannot be done the transaction is in
    /// an unknown state and the whole group fails (nobody in it has been told "committed").
    async fn settle(&mut self) {
        if !std::mem::take(&mut self.abandoned) {
            return;
        }
        let Some(tx) = self.tx.as_mut() else { return };
        let undone = sqlx::query("ROLLBACK TO SAVEPOINT step")
            .execute(&mut **tx)
            .await
            .and(
                sqlx::query("RELEASE SAVEPOINT step")
                    .execute(&mut **tx)
                    .await,
            );
        if let Err(e) = undone {
            self.fail(Failed::from(&e));
        }
    }

    /// Rolls the group back and tells everyone waiting.
    fn fail(&mut self, why: Failed) {
        self.tx = None; // dropping a transaction rolls it back
        for w in self.waiting.drain(..) {
            let _ = w.send(Err(why.clone()));
        }
    }

    async fn commit(&mut self, counts: &Counts) {
        let waiting = std::mem::take(&mut self.waiting);
        let done = match self.tx.take() {
            Some(tx) => tx.commit().await.map_err(|e| Failed::from(&e)),
            None => Ok(()),
        };
        if done.is_ok() && !waiting.is_empty() {
            counts.groups.fetch_add(1, Ordering::Relaxed);
            counts
                .steps
                .fetch_add(waiting.len() as u64, Ordering::Relaxed);
        }
        for w in waiting {
            let _ = w.send(done.clone());
        }
    }
}

/// A transaction that will write: on SQLite a step in a group, on PostgreSQL its own.
/// Dereferences to the transaction, so queries run on `&mut **tx` as on any transaction.
pub struct WriteTx(Inner);

enum Inner {
    Grouped(Option<OwnedMutexGuard<Group>>, Arc<Counts>),
    Alone(Transaction<'static, Any>),
    Ended,
}

impl WriteTx {
    pub(super) fn alone(tx: Transaction<'static, Any>) -> WriteTx {
        WriteTx(Inner::Alone(tx))
    }

    /// Returns once the step is durable (its group committed), or with the error that
    /// stopped it; on an error nothing of the step remains.
    pub async fn commit(mut self) -> Result<(), sqlx::Error> {
        if let Inner::Alone(_) = self.0 {
            let Inner::Alone(tx) = std::mem::replace(&mut self.0, Inner::Ended) else {
                unreachable!()
            };
            return tx.commit().await;
        }
        sqlx::query("RELEASE SAVEPOINT step")
            .execute(&mut **self)
            .await?;
        let Inner::Grouped(turn, counts) = &mut self.0 else {
            unreachable!("a grouped step stays grouped")
        };
        let counts = counts.clone();
        let mut turn = turn.take().expect("a step holds its turn until it ends");
        let (told, hear) = oneshot::channel();
        let leads = turn.waiting.is_empty();
        turn.waiting.push(told);
        let group = OwnedMutexGuard::mutex(&turn).clone();
        drop(turn);
        if leads {
            // A task of its own: the group commits even if this request is dropped.
            tokio::spawn(async move {
                let mut turn = group.lock_owned().await;
                turn.settle().await;
                turn.commit(&counts).await;
            });
        }
        match hear.await {
            Ok(done) => done.map_err(Failed::into_error),
            Err(_) => Err(sqlx::Error::WorkerCrashed),
        }
    }

    fn tx(&self) -> &Transaction<'static, Any> {
        match &self.0 {
            Inner::Alone(tx) => tx,
            Inner::Ended => unreachable!("an ended step is not used"),
            Inner::Grouped(turn, _) => turn
                .as_ref()
                .and_then(|t| t.tx.as_ref())
                .expect("an open step has its group's transaction"),
        }
    }

    fn tx_mut(&mut self) -> &mut Transaction<'static, Any> {
        match &mut self.0 {
            Inner::Alone(tx) => tx,
            Inner::Ended => unreachable!("an ended step is not used"),
            Inner::Grouped(turn, _) => turn
                .as_mut()
                .and_then(|t| t.tx.as_mut())
                .expect("an open step has its group's transaction"),
        }
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Any>;
    fn deref(&self) -> &Self::Target {
        self.tx()
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.tx_mut()
    }
}

impl Drop for WriteTx {
    /// A step ended without committing (an error, a refusal, a dropped request): alone in
    /// its transaction it rolls the transaction back; otherwise the next turn undoes its
    /// savepoint before anything else (the leader of the group waits for that turn too).
    fn drop(&mut self) {
        if let Inner::Grouped(Some(mut turn), _) = std::mem::replace(&mut self.0, Inner::Ended) {
            if turn.waiting.is_empty() {
                turn.tx = None;
            } else {
                turn.abandoned = true;
            }
        }
    }
}

/// Why a group did not commit, told to each of its steps: the database's message and
/// code, so that an outage (a full disk, SQLITE_FULL) is still recognised as one.
#[derive(Clone, Debug)]
struct Failed {
    message: String,
    code: Option<String>,
}

impl Failed {
    fn from(e: &sqlx::Error) -> Failed {
        match e {
            sqlx::Error::Database(d) => Failed {
                message: d.message().to_owned(),
                code: d.code().map(|c| c.into_owned()),
            },
            other => Failed {
                message: other.to_string(),
                code: Some("10".into()), // SQLITE_IOERR: the write did not happen
            },
        }
    }

    fn into_error(self) -> sqlx::Error {
        sqlx::Error::Database(Box::new(self))
    }
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the group of writes did not commit: {}", self.message)
    }
}

impl std::error::Error for Failed {}

impl sqlx::error::DatabaseError for Failed {
    fn message(&self) -> &str {
        &self.message
    }
    fn code(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.code.as_deref().map(std::borrow::Cow::Borrowed)
    }
    fn as_error(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn as_error_mut(&mut self) -> &mut (dyn std::error::Error + Send + Sync + 'static) {
        self
    }
    fn into_error(self: Box<Self>) -> Box<dyn std::error::Error + Send + Sync + 'static> {
        self
    }
    fn kind(&self) -> sqlx::error::ErrorKind {
        sqlx::error::ErrorKind::Other
    }
}

#[cfg(test)]
mod tests {
    use super::super::Db;
    use std::sync::atomic::Ordering::Relaxed;
    use std::time::Duration;

    async fn db_with_table(dir: &tempfile::TempDir) -> Db {
        let db = Db::connect(&format!("sqlite://{}/g.db", dir.path().display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)")
            .execute(&db.pool)
            .await
            .unwrap();
        db
    }

    async fn values(db: &Db) -> Vec<i64> {
        sqlx::query_scalar("SELECT v FROM t ORDER BY v")
            .fetch_all(&db.pool)
            .await
            .unwrap()
    }

    async fn insert(tx: &mut super::WriteTx, v: i64) -> Result<(), sqlx::Error> {
        sqlx::query("INSERT INTO t (v) VALUES ($1)")
            .bind(v)
            .execute(&mut ***tx)
            .await
            .map(|_| ())
    }

    /// Steps that queue while one works commit with it, in fewer commits than steps; one
    /// that fails (a unique violation) or is dropped leaves nothing and costs the others
    /// nothing; each step hears "committed" only once its rows are readable.
    #[tokio::test]
    async fn steps_that_queue_commit_together_and_a_failed_one_alone_is_undone() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_table(&dir).await;
        let mut first = db.begin_write().await.unwrap();
        insert(&mut first, 0).await.unwrap();
        let mut queued = Vec::new();
        for v in 1..=20i64 {
            let db = db.clone();
            queued.push(tokio::spawn(async move {
                let mut tx = db.begin_write().await.unwrap();
                match v {
                    // 7 collides with the first step's row; 13 gives up after writing.
                    7 => {
                        insert(&mut tx, 0).await.unwrap_err();
                        Err("refused")
                    }
                    13 => {
                        insert(&mut tx, 13).await.unwrap();
                        drop(tx);
                        Err("dropped")
                    }
                    _ => {
                        insert(&mut tx, v).await.unwrap();
                        tx.commit().await.unwrap();
                        let seen: i64 = sqlx::query_scalar("SELECT count(*) FROM t WHERE v = $1")
                            .bind(v)
                            .fetch_one(&db.pool)
                            .await
                            .unwrap();
                        assert_eq!(seen, 1, "{v} is readable once committed");
                        Ok(v)
                    }
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(
            values(&db).await.is_empty(),
            "nothing visible before a commit"
        );
        first.commit().await.unwrap();
        let mut committed = vec![0];
        for q in queued {
            if let Ok(v) = q.await.unwrap() {
                committed.push(v);
            }
        }
        committed.sort();
        assert_eq!(values(&db).await, committed);
        assert_eq!(committed.len(), 19, "all but the refused and the dropped");
        let counts = db.write_counts().unwrap();
        let (steps, groups) = (counts.steps.load(Relaxed), counts.groups.load(Relaxed));
        assert_eq!(steps, 19);
        assert!(groups < 10, "{steps} steps in {groups} commits");
    }

    /// A step dropped while alone rolls back at once: the write lock is free for writers
    /// that do not use the writer (they would otherwise wait out busy_timeout, 10 s).
    #[tokio::test]
    async fn a_step_dropped_alone_frees_the_write_lock() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_table(&dir).await;
        let mut tx = db.begin_write().await.unwrap();
        insert(&mut tx, 1).await.unwrap();
        drop(tx);
        tokio::time::timeout(
            Duration::from_secs(2),
            sqlx::query("INSERT INTO t (v) VALUES (2)").execute(&db.pool),
        )
        .await
        .expect("the lock is free")
        .unwrap();
        assert_eq!(values(&db).await, vec![2]);
    }

    /// When the group's COMMIT fails (here a deferred foreign key, checked only at COMMIT),
    /// every step of the group hears the failure and none of their rows remains.
    #[tokio::test]
    async fn a_failed_commit_is_told_to_every_step_of_the_group() {
        let dir = tempfile::tempdir().unwrap();
        let db = db_with_table(&dir).await;
        sqlx::query(
            "CREATE TABLE child (p INTEGER REFERENCES t (v) DEFERRABLE INITIALLY DEFERRED)",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        let mut first = db.begin_write().await.unwrap();
        sqlx::query("INSERT INTO child (p) VALUES (99)")
            .execute(&mut **first)
            .await
            .unwrap();
        let others: Vec<_> = (1..=3)
            .map(|v| {
                let db = db.clone();
                tokio::spawn(async move {
                    let mut tx = db.begin_write().await.unwrap();
                    insert(&mut tx, v).await.unwrap();
                    tx.commit().await
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(first.commit().await.is_err());
        for o in others {
            let e = o.await.unwrap().unwrap_err();
            assert!(e.to_string().contains("FOREIGN KEY"), "{e}");
        }
        assert!(values(&db).await.is_empty());
        // The writer goes on.
        let mut tx = db.begin_write().await.unwrap();
        insert(&mut tx, 5).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(values(&db).await, vec![5]);
    }
}
