//! Oversight benchmark: fills a database with synthetic cases on the demo district and
//! times the leaders' queries (boards, KPIs, rankings, map viewports) against a bare
//! `GROUP BY` on the same data. Results are printed as a Markdown table for
//! docs/BENCHMARKS.md.
//!
//! ```text
//! cargo run --profile server-release -p server --bin gridgov-bench -- sqlite:///tmp/bench.db 1000000
//! cargo run --profile server-release -p server --bin gridgov-bench -- postgres://gridgov@127.0.0.1:55432/bench 1000000
//! ```
//! (`server-release` is the server's own profile; `release` is tuned for WASM size.) The
//! database is created if needed; cases are added until it holds the number asked for.
//! With `GRIDGOV_BENCH_FILL_ONLY=1` it stops there (the intake bench's preparation).

use anyhow::{Context, Result, bail};
use app::domain::ranking::RankingKind;
use app::ssr::AppState;
use app::ssr::db::{Backend, to_millis};
use app::ssr::services::{auth, oversight, territory};
use chrono::{DateTime, Duration, Utc};
use std::io::Write;
use std::time::Instant;

const ITERATIONS: usize = 20;
const CATEGORIES: [&str; 12] = [
    "dispute",
    "public_security",
    "work_safety",
    "sanitation",
    "city_order",
    "market",
    "fire",
    "livelihood",
    "infrastructure",
    "traffic",
    "water",
    "health",
];
const DEPARTMENTS: [&str; 6] = ["urban", "police", "market", "fire", "housing", "civil"];

/// A small deterministic generator (xorshift), so that runs are comparable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(url), Some(n)) = (args.get(1), args.get(2)) else {
        bail!("usage: gridgov-bench <database url> <number of cases>");
    };
    let target: i64 = n.parse().context("the number of cases")?;
    if let Some(path) = url.strip_prefix("sqlite://") {
        if let Some(dir) = std::path::Path::new(path).parent() {
            std::fs::create_dir_all(dir)?;
        }
    }
    let data_dir = std::env::temp_dir().join("gridgov-bench");
    std::fs::create_dir_all(&data_dir)?;
    let mut config = app::ssr::config::Config::from_lookup(|_| None);
    config.database_url = url.clone();
    config.data_dir = data_dir;
    let options = leptos::config::LeptosOptions::builder()
        .output_name("gridgov")
        .build();
    let state = server::build_state(config, options).await?;
    if app::ssr::store::territory::count(&state.db.pool).await? == 0 {
        app::ssr::demo::load(&state.db).await?;
    }
    territory::reload_grid_index(&state).await?;
    let now = Utc::now();
    let have = count(&state).await?;
    if have < target {
        let t = Instant::now();
        generate(&state, have, target, now).await?;
        eprintln!(
            "generated {} cases in {:.1} s",
            target - have,
            t.elapsed().as_secs_f64()
        );
    }
    settle(&state).await?;
    if std::env::var_os("GRIDGOV_BENCH_FILL_ONLY").is_some() {
        // The intake bench (`.ci/load-bench.sh`) only wants the cases.
        return Ok(());
    }
    let leader = app::ssr::store::accounts::by_username(&state.db.pool, "leader")
        .await?
        .context("the demo leader")?;
    let user = auth::load_current_user(&state, leader.id)
        .await?
        .context("the leader's account")?;
    let total = count(&state).await?;
    let backend = match state.db.backend {
        Backend::Sqlite => "SQLite",
        Backend::Postgres => "PostgreSQL",
    };
    println!("\n{backend}, {total} cases (100 grids, 12 months), {ITERATIONS} runs each\n");
    println!("| query | p50 ms | p95 ms | max ms | bytes (gzip) |");
    println!("|---|---|---|---|---|");
    let month = app::domain::period::Period::month_of(now).code();
    let pool = &state.db.pool;

    measure(
        "floor: bare `GROUP BY grid_code` over all cases",
        None,
        || async {
            let _: Vec<(String, i64)> =
                sqlx::query_as("SELECT grid_code, COUNT(*) FROM cases GROUP BY grid_code")
                    .fetch_all(pool)
                    .await?;
            Ok(0)
        },
    )
    .await?;
    if let Ok(sql) = std::env::var("GRIDGOV_BENCH_EXPLAIN") {
        return explain(&state, &sql).await;
    }
    measure("floor: bare `GROUP BY grid_code, status` of this month", None, || async {
        let (from, to) = app::domain::period::Period::month_of(now).bounds();
        let _: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT grid_code, status, COUNT(*) FROM cases WHERE reported_at >= $1 AND reported_at < $2 GROUP BY 1, 2",
        )
        .bind(to_millis(from))
        .bind(to_millis(to))
        .fetch_all(pool)
        .await?;
        Ok(0)
    })
    .await?;
    measure("board: district, this month", None, || async {
        let b = oversight::board(&state, &user, None, Some(&month), now).await?;
        Ok(json_len(&b))
    })
    .await?;
    measure("board: one street, this month", None, || async {
        let b = oversight::board(&state, &user, Some("360199001"), Some(&month), now).await?;
        Ok(json_len(&b))
    })
    .await?;
    measure("KPIs: district, this month", None, || async {
        let k = oversight::kpis(&state, &user, None, None, None, now).await?;
        Ok(json_len(&k))
    })
    .await?;
    for (kind, name) in [
        (RankingKind::Worker, "rankings: grid workers, this month"),
        (RankingKind::Department, "rankings: departments, this month"),
        (RankingKind::Area, "rankings: streets, this month"),
    ] {
        measure(name, None, || async {
            let r = oversight::rankings(&state, &user, kind, None, Some(&month), now).await?;
            Ok(json_len(&r))
        })
        .await?;
    }
    let whole = oversight::MapQuery {
        bbox: "28.5,115.7,28.9,116.1".into(),
        zoom: Some(13),
        period: Some(month.clone()),
        ..Default::default()
    };
    let p = state
        .grid_index()
        .interior_point("360199001001001")
        .context("a demo grid")?;
    let close = oversight::MapQuery {
        bbox: format!(
            "{},{},{},{}",
            p.lat() - 0.004,
            p.lng() - 0.006,
            p.lat() + 0.004,
            p.lng() + 0.006
        ),
        zoom: Some(16),
        period: Some(month.clone()),
        ..Default::default()
    };
    // A filter the board's tallies cannot answer: counted from the cases.
    let one_category = oversight::MapQuery {
        category: Some(CATEGORIES[0].into()),
        ..whole.clone()
    };
    for (q, name) in [
        (&whole, "map viewport: district at zoom 13 (per grid)"),
        (
            &one_category,
            "map viewport: district at zoom 13, one category",
        ),
        (&close, "map viewport: one grid at zoom 16 (cases)"),
    ] {
        measure(name, Some(()), || async {
            let m = oversight::map_cases(&state, &user, q, now).await?;
            Ok(gzip_len(&m))
        })
        .await?;
    }
    Ok(())
}

/// `GRIDGOV_BENCH_EXPLAIN="<sql>"`: the plan this build's database engine picks for a
/// query, and five timings, instead of the benchmark (plans differ between SQLite
/// versions, so a desktop `sqlite3` shell can mislead).
async fn explain(state: &AppState, sql: &str) -> Result<()> {
    let pool = &state.db.pool;
    let plan: Vec<String> = match state.db.backend {
        Backend::Sqlite => {
            sqlx::query_as::<_, (i64, i64, i64, String)>(&format!("EXPLAIN QUERY PLAN {sql}"))
                .fetch_all(pool)
                .await?
                .into_iter()
                .map(|r| r.3)
                .collect()
        }
        Backend::Postgres => sqlx::query_as::<_, (String,)>(&format!("EXPLAIN {sql}"))
            .fetch_all(pool)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect(),
    };
    for line in plan {
        println!("{line}");
    }
    for _ in 0..5 {
        let t = Instant::now();
        let n = sqlx::query(sql).fetch_all(pool).await?.len();
        println!("{n} rows in {:.1} ms", t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(())
}

fn json_len<T: serde::Serialize>(v: &T) -> usize {
    serde_json::to_vec(v).map(|b| b.len()).unwrap_or(0)
}

fn gzip_len<T: serde::Serialize>(v: &T) -> usize {
    let bytes = serde_json::to_vec(v).unwrap_or_default();
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = e.write_all(&bytes);
    e.finish().map(|b| b.len()).unwrap_or(0)
}

async fn measure<F, Fut>(name: &str, gzip: Option<()>, f: F) -> Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<usize>>,
{
    // Each of the pool's connections prepares (and plans) its statements once: warm them all.
    for _ in 0..8 {
        f().await?;
    }
    let mut times = Vec::with_capacity(ITERATIONS);
    let mut size = 0;
    for _ in 0..ITERATIONS {
        let t = Instant::now();
        size = f().await?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    let at = |q: f64| times[((q * ITERATIONS as f64).ceil() as usize).clamp(1, ITERATIONS) - 1];
    let bytes = match (gzip, size) {
        (_, 0) => "—".to_owned(),
        (Some(()), s) => format!("{s}"),
        (None, s) => format!("{s} (JSON, raw)"),
    };
    println!(
        "| {name} | {:.1} | {:.1} | {:.1} | {bytes} |",
        at(0.5),
        at(0.95),
        times[ITERATIONS - 1]
    );
    Ok(())
}

async fn count(state: &AppState) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases")
        .fetch_one(&state.db.pool)
        .await?;
    Ok(n)
}

/// Adds synthetic cases `have..target` over the last 12 months, with dispatches for the
/// coordination and key ones. Values are generated here, never typed by a user, so they
/// are written into the statements directly (numbers and fixed codes only).
async fn generate(state: &AppState, have: i64, target: i64, now: DateTime<Utc>) -> Result<()> {
    let pool = &state.db.pool;
    let grids: Vec<(String, String)> =
        sqlx::query_as("SELECT code, path FROM territory_nodes WHERE level = 'grid' ORDER BY code")
            .fetch_all(pool)
            .await?;
    let index = state.grid_index();
    let points: Vec<(f64, f64)> = grids
        .iter()
        .map(|(code, _)| {
            index
                .interior_point(code)
                .map(|p| (p.lat(), p.lng()))
                .unwrap_or((28.68, 115.89))
        })
        .collect();
    // Each grid's worker reports its cases and resolves the simple ones.
    let workers: std::collections::HashMap<String, i64> = sqlx::query_as(
        "SELECT node_code, MIN(id) FROM accounts WHERE role = 'worker' AND node_code IS NOT NULL GROUP BY node_code",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .collect();
    let (center,): (i64,) = sqlx::query_as("SELECT id FROM accounts WHERE username = 'center'")
        .fetch_one(pool)
        .await?;
    let center = center.to_string();
    let (first_id,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM cases")
            .fetch_one(pool)
            .await?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ have as u64);
    let now_ms = to_millis(now);
    let year_ms = Duration::days(365).num_milliseconds();
    let batch = 500;
    let mut next_id = first_id + 1;
    let mut left = target - have;
    while left > 0 {
        let n = left.min(batch);
        let mut cases = Vec::with_capacity(n as usize);
        let mut dispatches = Vec::new();
        let mut events = Vec::new();
        for _ in 0..n {
            let id = next_id;
            next_id += 1;
            let g = rng.below(grids.len() as u64) as usize;
            let (code, path) = &grids[g];
            let lat = points[g].0 + (rng.unit() - 0.5) * 0.003;
            let lng = points[g].1 + (rng.unit() - 0.5) * 0.003;
            let reported = now_ms - (rng.unit() * year_ms as f64) as i64;
            let tier_roll = rng.below(100);
            let (tier, span) = match tier_roll {
                0..=54 => ("simple", Duration::hours(2)),
                55..=89 => ("coordination", Duration::days(7)),
                _ => ("key", Duration::days(14)),
            };
            let deadline = reported + span.num_milliseconds();
            let roll = rng.below(100);
            let age = now_ms - reported;
            let status = if age < span.num_milliseconds() * 2 && roll < 60 {
                ["triaged", "dispatched", "handling", "in_grid"][rng.below(4) as usize]
            } else if roll < 3 {
                "handling"
            } else if roll < 12 {
                "resolved"
            } else {
                "closed"
            };
            let done = matches!(status, "resolved" | "closed");
            let resolved = done.then(|| {
                let took = (span.num_milliseconds() as f64 * (0.2 + rng.unit() * 1.1)) as i64;
                (reported + took).min(now_ms)
            });
            let f = rng.below(100);
            let feedback = if !done || f >= 95 {
                "NULL"
            } else if f < 80 {
                "'satisfied'"
            } else if f < 92 {
                "'basically_satisfied'"
            } else {
                "'dissatisfied'"
            };
            let cwf = i32::from(status == "closed" && feedback == "NULL");
            let repeat = if rng.below(100) < 2 { 2 } else { 0 };
            let supervised = i32::from(rng.below(100) == 0);
            let category = CATEGORIES[rng.below(CATEGORIES.len() as u64) as usize];
            let dispatched = tier != "simple" && status != "triaged";
            let ack_due = dispatched.then(|| reported + Duration::days(1).num_milliseconds());
            let acked = dispatched && (done || status == "handling" || rng.below(10) < 9);
            let case_ack_due = if dispatched && !acked { ack_due } else { None };
            let opt = |v: Option<i64>| v.map_or_else(|| "NULL".to_owned(), |v| v.to_string());
            let worker = workers.get(code).copied();
            // domain::case::colour::turns_red_at for the open ones.
            let red_at = (!done).then(|| {
                if repeat >= 2 {
                    0
                } else {
                    case_ack_due.map_or(deadline, |a| a.min(deadline))
                }
            });
            cases.push(format!(
                "({id}, 'B{id:09}', 'grid_worker', '{category}', '巡查发现', {lat:.6}, {lng:.6}, '{code}', '{path}', \
                 '{status}', '{tier}', 'grid', {reported}, {reported}, {deadline}, {}, {}, {}, {repeat}, {supervised}, \
                 'none', {feedback}, {cwf}, {}, {}, {})",
                opt(case_ack_due),
                opt(resolved),
                opt(if status == "closed" { resolved } else { None }),
                resolved.unwrap_or(reported),
                opt(worker),
                opt(red_at),
            ));
            // The steps the rankings read: who resolved it, and who rated it (residents
            // three times in four, else the centre by telephone).
            if let Some(at) = resolved {
                let by = if tier == "simple" { worker } else { None };
                let (name, role) = if by.is_some() {
                    ("网格员", "worker")
                } else {
                    ("部门", "department")
                };
                events.push(format!(
                    "({id}, 1, {at}, {}, '{name}', '{role}', 'resolve', '{code}')",
                    opt(by)
                ));
                if feedback != "NULL" {
                    let (actor, name, role) = if rng.below(4) < 3 {
                        ("NULL", "群众", "resident")
                    } else {
                        (center.as_str(), "中心", "center")
                    };
                    events.push(format!(
                        "({id}, 2, {}, {actor}, '{name}', '{role}', 'feedback', '{code}')",
                        at + 3_600_000
                    ));
                }
            }
            if dispatched {
                let d = DEPARTMENTS[rng.below(DEPARTMENTS.len() as u64) as usize];
                let ack_at = acked.then(|| reported + (rng.unit() * 40.0 * 3_600_000.0) as i64);
                dispatches.push(format!(
                    "({id}, 1, '{d}', 'lead', {reported}, {}, {}, {}, '{code}')",
                    opt(ack_due),
                    opt(ack_at),
                    opt(resolved)
                ));
            }
        }
        let mut tx = pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO cases (id, tracking_code, source, category, description, lat, lng, grid_code, grid_path, \
             status, tier, handling_level, reported_at, clock_started_at, deadline_at, ack_due_at, resolved_at, \
             closed_at, repeat_count, supervised, extension, feedback, closed_without_feedback, updated_at, \
             reporter_account, red_at) VALUES {}",
            cases.join(", ")
        ))
        .execute(&mut *tx)
        .await?;
        if !dispatches.is_empty() {
            sqlx::query(&format!(
                "INSERT INTO case_dispatches (case_id, seq, department, role, dispatched_at, ack_due_at, \
                 acknowledged_at, resolved_at, grid_code) VALUES {}",
                dispatches.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }
        if !events.is_empty() {
            sqlx::query(&format!(
                "INSERT INTO case_events (case_id, seq, at, actor_account, actor_name, actor_role, action, grid_code) VALUES {}",
                events.join(", ")
            ))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        left -= n;
        if (target - left) % 100_000 < batch {
            eprintln!("… {} cases", target - left);
        }
    }
    // Bulk rows bypass the case transactions that keep the tallies: recompute them.
    let t = Instant::now();
    app::ssr::store::tallies::rebuild(pool).await?;
    eprintln!("rebuilt the tallies in {:.1} s", t.elapsed().as_secs_f64());
    if state.db.backend == Backend::Postgres {
        sqlx::query(
            "SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))",
        )
        .execute(pool)
        .await?;
    }
    Ok(())
}

/// The state a live server is in between bulk changes (generation, migrations): fresh
/// statistics, PostgreSQL's visibility map (autovacuum) that index-only scans need, and
/// SQLite's write-ahead log folded back into the file (its automatic checkpoints).
async fn settle(state: &AppState) -> Result<()> {
    let pool = &state.db.pool;
    match state.db.backend {
        Backend::Postgres => {
            sqlx::query("VACUUM ANALYZE").execute(pool).await?;
        }
        Backend::Sqlite => {
            sqlx::query("ANALYZE").execute(pool).await?;
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(pool)
                .await?;
        }
    }
    Ok(())
}
