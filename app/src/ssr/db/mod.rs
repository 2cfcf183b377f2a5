//! One portable query set over sqlx's `Any` driver: the same `$1` SQL runs on SQLite and
//! PostgreSQL. Conventions that keep it portable: times are BIGINT milliseconds since the
//! epoch (UTC), booleans are INTEGER 0/1, ids are i64.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};
use std::time::Duration;

mod group_commit;
pub use group_commit::{Counts as WriteCounts, WriteTx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
    /// Where `begin_write` takes its connection. SQLite: one connection, so that writers
    /// wait their turn in order, asynchronously and without holding a reader's connection,
    /// instead of sleeping in SQLite's busy handler (measured: 4× the reports per second at
    /// 1M cases, docs/BENCHMARKS.md), and commit in groups (`group_commit`). PostgreSQL:
    /// none, the pool itself.
    writer: Option<group_commit::GroupWriter>,
}

/// How long a SQLite write waits for the write lock (`busy_timeout`), and a write transaction
/// for its turn at the writer: the same wait whichever way a write comes (an import holding
/// the writer for seconds delays the steps behind it, it does not refuse them).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's page cache per connection (its default is 2 MiB). The writer's must hold the
/// index pages a write walks (13 indexes on `cases` at 1M cases), or every write reads
/// them again from the OS (measured in docs/BENCHMARKS.md); readers keep less.
const WRITER_CACHE_KIB: u32 = 64 * 1024;
const READER_CACHE_KIB: u32 = 16 * 1024;

/// How the pool is opened (`Config::db`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbOptions {
    /// A request waits at most this long for a connection, then gets a 503: while the
    /// database is away, clients hear so quickly instead of hanging.
    pub acquire_timeout: Duration,
    pub sqlite_sync: SqliteSync,
}

impl Default for DbOptions {
    fn default() -> DbOptions {
        DbOptions {
            acquire_timeout: Duration::from_secs(3),
            sqlite_sync: SqliteSync::default(),
        }
    }
}

/// SQLite's `synchronous` in WAL mode. `Normal`: a crashed process loses nothing, a power
/// cut may lose the last commits. `Full`: every commit is on the disk before it is
/// confirmed (one fsync per commit). Measured in docs/BENCHMARKS.md.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SqliteSync {
    Normal,
    #[default]
    Full,
}

impl SqliteSync {
    fn pragma(self) -> &'static str {
        match self {
            SqliteSync::Normal => "PRAGMA synchronous = NORMAL;",
            SqliteSync::Full => "PRAGMA synchronous = FULL;",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres://, got {0:?}")]
    UnknownScheme(String),
    #[error("cannot create the folder for the SQLite file {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot rebuild the case tallies: {0}")]
    Tallies(String),
}

impl Db {
    /// Connects with the default options (see [`Db::connect_with`]).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, DbOptions::default()).await
    }

    /// Connects (creating the SQLite file and its folder if needed) and applies migrations.
    pub async fn connect_with(url: &str, opts: DbOptions) -> Result<Db, DbError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnknownScheme(url.to_owned()));
        };
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let pool = pool_options(
            backend,
            opts,
            match backend {
                // One writer at a time anyway (the writer pool); a few readers in WAL mode.
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            },
            READER_CACHE_KIB,
        )
        .connect(&url)
        .await?;
        let writer = match backend {
            Backend::Sqlite => Some(group_commit::GroupWriter::new(
                pool_options(backend, opts, 1, WRITER_CACHE_KIB)
                    .connect(&url)
                    .await?,
                SQLITE_BUSY_TIMEOUT,
            )),
            Backend::Postgres => None,
        };
        let db = Db {
            pool,
            backend,
            writer,
        };
        db.migrate().await?;
        crate::ssr::store::tallies::rebuild_if_empty(&db.pool)
            .await
            .map_err(|e| DbError::Tallies(e.to_string()))?;
        Ok(db)
    }

    async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                // One connection with foreign keys off while migrating: SQLite changes a
                // CHECK only by rebuilding the table, and its documented procedure
                // (lang_altertable.html) needs them off — a DROP would otherwise delete
                // through the children, a RENAME rewrite their references. Each rebuild
                // checks `pragma_foreign_key_check` itself before it commits.
                let mut conn = self.pool.acquire().await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                let ran = sqlx::migrate!("../migrations/sqlite").run(&mut *conn).await;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                ran?
            }
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    /// A transaction that will write. On SQLite it waits for the one writer, whose
    /// transaction holds the write lock from its start (`BEGIN IMMEDIATE`): a step that
    /// reads and then writes cannot fail with SQLITE_BUSY because another writer committed
    /// after its first read, which a deferred transaction cannot survive; the steps that
    /// queue meanwhile commit together (`group_commit`). On PostgreSQL a plain BEGIN.
    pub async fn begin_write(&self) -> Result<WriteTx, sqlx::Error> {
        match &self.writer {
            Some(writer) => writer.begin().await,
            // Generic plans within a write: every pool connection forces a plan per run
            // (`pool_options`, for the prefix reads of the figures), which for the
            // statements of a step — by id, planned the same every time — was most of
            // PostgreSQL's CPU per report (its 6 KB tally UNION above all).
            None => Ok(WriteTx::alone(
                self.pool
                    .begin_with("BEGIN; SET LOCAL plan_cache_mode = auto")
                    .await?,
            )),
        }
    }

    /// Steps and groups SQLite's writer has committed (none on PostgreSQL).
    pub fn write_counts(&self) -> Option<&WriteCounts> {
        self.writer.as_ref().map(|w| w.counts())
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }
}

/// The pool settings of either backend: SQLite's pragmas on every connection (WAL, the
/// chosen durability, foreign keys, case-sensitive LIKE), PostgreSQL's planning mode.
fn pool_options(backend: Backend, opts: DbOptions, max: u32, cache_kib: u32) -> AnyPoolOptions {
    let options = AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(opts.acquire_timeout);
    if backend == Backend::Sqlite {
        let sync = opts.sqlite_sync.pragma();
        let busy = SQLITE_BUSY_TIMEOUT.as_millis();
        options.after_connect(move |conn, _| {
            Box::pin(async move {
                // case_sensitive_like: path prefixes (LIKE '/D/S/%') must match as PostgreSQL does.
                conn.execute(
                    format!(
                        "PRAGMA journal_mode = WAL; {sync} \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busy}; \
                             PRAGMA case_sensitive_like = ON; PRAGMA cache_size = -{cache_kib};"
                    )
                    .as_str(),
                )
                .await?;
                Ok(())
            })
        })
    } else {
        options.after_connect(|conn, _| {
            Box::pin(async move {
                // Prepared statements would switch to a generic plan after five runs;
                // with `grid_path LIKE $1` such a plan cannot use a prefix range and
                // scans (seen as 0.8 s boards at 1M cases). Plan each run instead.
                conn.execute("SET plan_cache_mode = force_custom_plan")
                    .await?;
                Ok(())
            })
        })
    }
}

/// A database failure that is not the request's fault: the client should try again later.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outage {
    /// The database is down, restarting, unreachable, out of connections or busy.
    Away,
    /// The disk under the database is full.
    Full,
}

/// Whether `e` is an outage (and which), rather than a fault in our own queries.
pub fn outage(e: &sqlx::Error) -> Option<Outage> {
    match e {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => Some(Outage::Away),
        sqlx::Error::Database(d) => d.code().and_then(|c| outage_code(&c)),
        _ => None,
    }
}

/// PostgreSQL SQLSTATEs (five characters) and SQLite result codes (numbers whose low
/// byte is the primary code) that mean the database, not the query, is at fault.
fn outage_code(code: &str) -> Option<Outage> {
    if code == "53100" {
        return Some(Outage::Full); // disk_full
    }
    // Connection exceptions, shutdowns and "cannot connect now", insufficient resources.
    if code.len() == 5
        && (code.starts_with("08") || code.starts_with("57P") || code.starts_with("53"))
    {
        return Some(Outage::Away);
    }
    match code.parse::<i64>().ok()? & 0xff {
        13 => Some(Outage::Full),                  // SQLITE_FULL
        5 | 6 | 8 | 10 | 14 => Some(Outage::Away), // BUSY, LOCKED, READONLY, IOERR, CANTOPEN
        _ => None,
    }
}

/// `sqlite://data/gridgov.db` → make sure `data/` exists and ask sqlx to create the file.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path != ":memory:" && !path.is_empty() {
        if let Some(parent) = std::path::Path::new(path)
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
        {
            std::fs::create_dir_all(parent).map_err(|source| DbError::Folder {
                path: parent.display().to_string(),
                source,
            })?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Milliseconds since the epoch, the storage form of every time.
pub fn to_millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

pub fn from_millis(ms: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_gain_create_mode() {
        let dir = std::env::temp_dir().join("gridgov-url-test");
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(prepare_sqlite_url(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.is_dir());
        assert_eq!(
            prepare_sqlite_url("sqlite::memory:").unwrap(),
            "sqlite://:memory:?mode=rwc"
        );
        assert_eq!(
            prepare_sqlite_url("sqlite://a.db?mode=ro").unwrap(),
            "sqlite://a.db?mode=ro"
        );
    }

    /// The hazard `begin_write` removes: a deferred transaction that read before another
    /// writer committed cannot write (SQLITE_BUSY_SNAPSHOT, at once, no waiting); two
    /// write transactions begun with `begin_write` take turns and both commit.
    #[tokio::test]
    async fn write_transactions_take_turns_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.path().display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE n (v INTEGER)")
            .execute(&db.pool)
            .await
            .unwrap();
        sqlx::query("INSERT INTO n (v) VALUES (0)")
            .execute(&db.pool)
            .await
            .unwrap();
        let bump = "UPDATE n SET v = v + 1";

        let mut deferred = db.pool.begin().await.unwrap();
        sqlx::query("SELECT v FROM n")
            .fetch_one(&mut *deferred)
            .await
            .unwrap();
        sqlx::query(bump).execute(&db.pool).await.unwrap();
        let failed = sqlx::query(bump).execute(&mut *deferred).await.unwrap_err();
        assert_eq!(outage(&failed), Some(Outage::Away), "{failed}");
        drop(deferred);

        let mut first = db.begin_write().await.unwrap();
        sqlx::query("SELECT v FROM n")
            .fetch_one(&mut **first)
            .await
            .unwrap();
        let other = db.clone();
        let second = tokio::spawn(async move {
            let mut tx = other.begin_write().await.unwrap();
            sqlx::query("SELECT v FROM n")
                .fetch_one(&mut **tx)
                .await
                .unwrap();
            sqlx::query("UPDATE n SET v = v + 1")
                .execute(&mut **tx)
                .await
                .unwrap();
            tx.commit().await.unwrap();
        });
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        sqlx::query(bump).execute(&mut **first).await.unwrap();
        first.commit().await.unwrap();
        second.await.unwrap();
        let (v,): (i64,) = sqlx::query_as("SELECT v FROM n")
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(v, 3);
    }

    #[tokio::test]
    async fn sqlite_durability_is_what_was_asked() {
        for (sync, want) in [(SqliteSync::Normal, 1i64), (SqliteSync::Full, 2)] {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/t.db", dir.path().display());
            let opts = DbOptions {
                sqlite_sync: sync,
                ..DbOptions::default()
            };
            let db = Db::connect_with(&url, opts).await.unwrap();
            let got: i64 = sqlx::query_scalar("PRAGMA synchronous")
                .fetch_one(&db.pool)
                .await
                .unwrap();
            assert_eq!(got, want, "{sync:?}");
        }
    }

    #[test]
    fn outages_are_told_from_query_faults() {
        assert_eq!(outage(&sqlx::Error::PoolTimedOut), Some(Outage::Away));
        assert_eq!(outage(&sqlx::Error::PoolClosed), Some(Outage::Away));
        assert_eq!(outage(&sqlx::Error::RowNotFound), None);
        // PostgreSQL
        assert_eq!(outage_code("53100"), Some(Outage::Full));
        assert_eq!(outage_code("57P01"), Some(Outage::Away), "admin shutdown");
        assert_eq!(
            outage_code("08006"),
            Some(Outage::Away),
            "connection failure"
        );
        assert_eq!(
            outage_code("53300"),
            Some(Outage::Away),
            "too many connections"
        );
        assert_eq!(outage_code("23505"), None, "a unique violation is ours");
        assert_eq!(outage_code("42P01"), None);
        // SQLite, primary and extended codes
        assert_eq!(outage_code("13"), Some(Outage::Full));
        assert_eq!(outage_code("778"), Some(Outage::Away), "SQLITE_IOERR_WRITE");
        assert_eq!(
            outage_code("5"),
            Some(Outage::Away),
            "busy past the timeout"
        );
        assert_eq!(outage_code("2067"), None, "SQLITE_CONSTRAINT_UNIQUE");
        assert_eq!(outage_code("1"), None);
    }
}
