//! Load benchmark. Intake: residents' reports (`POST /api/v1/public/reports`, as the QR
//! page's script sends them) from CONNECTIONS keep-alive connections for SECONDS, spread
//! over every grid of the district or all into one grid; prints reports per second and
//! latency percentiles as a Markdown row. Reads: `--get PATH` requests a page or API
//! (e.g. `/dashboard`, `/api/v1/boards`) as the signed-in user instead. Case steps:
//! `--steps` lives cases through as the command centre and a department do (file, triage,
//! dispatch, acknowledge, resolve, rate — each request timed on its own), spread over the
//! grids or in one grid; accounts `GRIDGOV_LOAD_CENTRE` (default `center`) and
//! `GRIDGOV_LOAD_DEPT` (default `dept`), category `GRIDGOV_LOAD_CATEGORY` (default
//! `sanitation`). With `--floor DATABASE_URL` it then measures, in
//! the same run and on the same database, the floor: bare transactions inserting one row
//! into each of two scratch tables (a case and its event, nothing else), from the same
//! number of tasks.
//!
//! ```text
//! cargo build --profile server-release -p server --bin gridgov-load
//! target/server-release/gridgov-load http://127.0.0.1:3000 16 60 [--one-grid] \
//!     [--floor sqlite:///path/gridgov.db] [--label "SQLite, 1M cases"]
//! ```
//! The server must accept that many reports from one address (`GRIDGOV_REPORT_LIMIT`,
//! e.g. `100000000/60`); `.ci/load-bench.sh` starts one so. The grids are read from the
//! territory API as `GRIDGOV_LOAD_USER` (default `leader`, password
//! `GRIDGOV_LOAD_PASSWORD`, default the demo's).

use anyhow::{Context, Result, bail};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// Requests in the first seconds are sent but not counted (connections, caches, JIT of
/// the planner's statistics).
const WARM_UP: Duration = Duration::from_secs(3);

/// One keep-alive HTTP/1.1 connection.
struct Conn {
    host: String,
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(host: &str) -> Result<Conn> {
        let s = TcpStream::connect(host).await?;
        s.set_nodelay(true)?;
        Ok(Conn {
            host: host.to_owned(),
            stream: BufReader::new(s),
        })
    }

    /// Sends one request and reads its whole answer: (status, headers, body).
    async fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<(u16, String, Vec<u8>)> {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
        let w = self.stream.get_mut();
        w.write_all(req.as_bytes()).await?;
        w.write_all(body).await?;
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).await? == 0 {
                bail!("the server closed the connection");
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        let lower = head.to_ascii_lowercase();
        let body = if lower.contains("transfer-encoding: chunked") {
            self.chunked().await?
        } else {
            let n = lower
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            let mut b = vec![0; n];
            self.stream.read_exact(&mut b).await?;
            b
        };
        Ok((status, head, body))
    }

    async fn chunked(&mut self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        loop {
            let mut size = String::new();
            self.stream.read_line(&mut size).await?;
            let n = usize::from_str_radix(size.trim(), 16).context("a chunk size")?;
            let mut chunk = vec![0; n + 2];
            self.stream.read_exact(&mut chunk).await?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&chunk[..n]);
        }
    }
}

/// The session cookie of `user`.
async fn login(host: &str, user: &str, password: &str) -> Result<String> {
    let mut c = Conn::open(host).await?;
    let body = serde_json::json!({"username": user, "password": password}).to_string();
    let (status, head, answer) = c
        .request(
            "POST",
            "/api/v1/login",
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        )
        .await?;
    if status != 200 {
        bail!(
            "login as {user}: {status} {}",
            String::from_utf8_lossy(&answer)
        );
    }
    Ok(head
        .lines()
        .filter_map(|l| {
            l.get(..12)
                .filter(|p| p.eq_ignore_ascii_case("set-cookie: "))
                .map(|_| &l[12..])
        })
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; "))
}

/// The district's grid codes, as `user` sees the territory.
async fn grids(host: &str, cookie: &str) -> Result<Vec<String>> {
    let mut c = Conn::open(host).await?;
    let (status, _, body) = c
        .request("GET", "/api/v1/territory", &[("Cookie", cookie)], b"")
        .await?;
    if status != 200 {
        bail!("the territory: {status}");
    }
    let nodes: Vec<serde_json::Value> = serde_json::from_slice(&body)?;
    let codes: Vec<String> = nodes
        .iter()
        .filter(|n| n["level"] == "grid")
        .filter_map(|n| n["code"].as_str().map(str::to_owned))
        .collect();
    if codes.is_empty() {
        bail!("the territory has no grid");
    }
    Ok(codes)
}

const BOUNDARY: &str = "gridgovloadboundary7MA4YWxkTrZu0gW";

/// A resident's report as the QR page's form sends it (no photo, no contact).
fn report_body(grid: &str, n: u64) -> Vec<u8> {
    let fields = [
        ("grid", grid.to_owned()),
        ("category", "sanitation".to_owned()),
        (
            "description",
            format!("小区门口垃圾堆放无人清运，气味很大（负载测试 {n}）"),
        ),
    ];
    let mut b = String::new();
    for (k, v) in fields {
        b.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    b.push_str(&format!("--{BOUNDARY}--\r\n"));
    b.into_bytes()
}

/// Points spread inside each grid: between the mean of its outline's vertices and each
/// vertex, a quarter, half and three quarters of the way (inside a convex grid, as the
/// bench district's are; a point outside would be refused and show among the other
/// answers). Spread, so that a report's repeat check meets the cases near it, not every
/// case of the grid stacked on one point.
async fn grid_points(host: &str, cookie: &str, codes: &[String]) -> Result<Vec<(f64, f64)>> {
    let mut c = Conn::open(host).await?;
    let mut points = Vec::new();
    for code in codes {
        let path = format!("/api/v1/territory/{code}/boundary");
        let (status, _, body) = c.request("GET", &path, &[("Cookie", cookie)], b"").await?;
        if status != 200 {
            bail!("the outline of {code}: {status}");
        }
        let outline: serde_json::Value = serde_json::from_slice(&body)?;
        let mut pairs = Vec::new();
        vertices(&outline, &mut pairs);
        if pairs.is_empty() {
            bail!("the outline of {code} has no vertex");
        }
        let n = pairs.len() as f64;
        let (lng, lat) = pairs
            .iter()
            .fold((0.0, 0.0), |(x, y), (a, b)| (x + a, y + b));
        let (lat, lng) = (lat / n, lng / n);
        for (vlng, vlat) in &pairs {
            for t in [0.25, 0.5, 0.75] {
                points.push((lat + t * (vlat - lat), lng + t * (vlng - lng)));
            }
        }
    }
    Ok(points)
}

/// Every `[lng, lat]` pair in a GeoJSON value.
fn vertices(v: &serde_json::Value, out: &mut Vec<(f64, f64)>) {
    match v {
        serde_json::Value::Array(a) => match (
            a.first().and_then(|x| x.as_f64()),
            a.get(1).and_then(|x| x.as_f64()),
        ) {
            (Some(lng), Some(lat)) => out.push((lng, lat)),
            _ => a.iter().for_each(|x| vertices(x, out)),
        },
        serde_json::Value::Object(o) => o.values().for_each(|x| vertices(x, out)),
        _ => {}
    }
}

/// The department of the signed-in department account (`/api/v1/me`).
async fn department_of(host: &str, cookie: &str) -> Result<String> {
    let mut c = Conn::open(host).await?;
    let (status, _, body) = c
        .request("GET", "/api/v1/me", &[("Cookie", cookie)], b"")
        .await?;
    let me: serde_json::Value = serde_json::from_slice(&body)?;
    let attached = &me["attached_to"];
    let found = (attached["kind"] == "department")
        .then(|| attached["code"].as_str())
        .flatten();
    match (status, found) {
        (200, Some(d)) => Ok(d.to_owned()),
        _ => bail!("the department account's department: {status} {me}"),
    }
}

/// The accounts and places of `--steps`.
struct StepsWork {
    points: Vec<(f64, f64)>,
    centre: String,
    dept: String,
    department: String,
    category: String,
}

/// One case's life after its report, step by step: (by the centre, else the department;
/// the action). The result is verified (核查) before the reporter is asked.
fn case_life(w: &StepsWork) -> [(bool, serde_json::Value); 6] {
    use serde_json::json;
    [
        (true, json!({"action": "triage", "tier": "coordination"})),
        (
            true,
            json!({"action": "dispatch", "departments": [{"department": w.department, "role": "lead"}]}),
        ),
        (
            false,
            json!({"action": "acknowledge", "note": "已签收（负载测试）"}),
        ),
        (
            false,
            json!({"action": "resolve", "result": "已清运完毕（负载测试）"}),
        ),
        (
            true,
            json!({"action": "verify", "passed": true, "note": "已核查（负载测试）"}),
        ),
        (
            true,
            json!({"action": "feedback", "satisfaction": "satisfied", "comment": "电话回访"}),
        ),
    ]
}

/// Lives cases through until `end`, timing each request.
async fn steps_connection(
    host: String,
    w: Arc<StepsWork>,
    slot: usize,
    start: Instant,
    end: Instant,
) -> Result<Tally> {
    let mut c = Conn::open(&host).await?;
    let mut tally = Tally::default();
    let mut n = slot;
    let life = case_life(&w);
    // Each request counts once the warm-up is over: its time if it succeeded, else its status.
    let timed = |step: &str, t0: Instant, status: u16, tally: &mut Tally| {
        let ok = status == 200 || status == 201;
        tally.record(Some(step), t0, start + WARM_UP, ok, status);
    };
    while Instant::now() < end {
        let (lat, lng) = w.points[n % w.points.len()];
        n += 97;
        let report = serde_json::json!({"category": w.category, "description": format!("小区门口垃圾堆放（负载测试 {n}）"), "lat": lat, "lng": lng});
        let t0 = Instant::now();
        let headers = [
            ("Cookie", w.centre.as_str()),
            ("Content-Type", "application/json"),
        ];
        let (status, _, body) = c
            .request(
                "POST",
                "/api/v1/cases",
                &headers,
                report.to_string().as_bytes(),
            )
            .await?;
        timed("report", t0, status, &mut tally);
        let detail: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        let Some(id) = detail["summary"]["id"].as_i64().or(detail["id"].as_i64()) else {
            continue;
        };
        let path = format!("/api/v1/cases/{id}/actions");
        for (by_centre, action) in &life {
            let cookie = if *by_centre { &w.centre } else { &w.dept };
            let headers = [
                ("Cookie", cookie.as_str()),
                ("Content-Type", "application/json"),
            ];
            let t0 = Instant::now();
            let (status, _, body) = c
                .request("POST", &path, &headers, action.to_string().as_bytes())
                .await?;
            timed(
                action["action"].as_str().unwrap_or(""),
                t0,
                status,
                &mut tally,
            );
            if status != 200 {
                if tally.other.get(&status) == Some(&1) {
                    eprintln!("{status} to {action}: {}", String::from_utf8_lossy(&body));
                }
                break;
            }
        }
    }
    Ok(tally)
}

/// What one connection measured: latencies (ms) after the warm-up, and answers that were
/// not 201 (status → count).
#[derive(Default)]
struct Tally {
    ms: Vec<f64>,
    other: std::collections::BTreeMap<u16, usize>,
    /// `--steps`: the latencies of each kind of request.
    by_step: std::collections::BTreeMap<String, Vec<f64>>,
}

impl Tally {
    /// Counts a request sent at `t0` and just answered, unless it was sent before `counted_from`
    /// (the warm-up): its time if it succeeded (also under `step`), else its status.
    fn record(
        &mut self,
        step: Option<&str>,
        t0: Instant,
        counted_from: Instant,
        ok: bool,
        status: u16,
    ) {
        if t0 < counted_from {
            return;
        }
        if !ok {
            *self.other.entry(status).or_default() += 1;
            return;
        }
        let ms = t0.elapsed().as_secs_f64() * 1000.0;
        self.ms.push(ms);
        if let Some(step) = step {
            self.by_step.entry(step.to_owned()).or_default().push(ms);
        }
    }
}

/// What each connection sends over and over.
#[derive(Clone)]
enum Work {
    /// Residents' reports into these grids, in turn.
    Reports(Arc<Vec<String>>),
    /// A page or API read as the signed-in user (`--get PATH`).
    Read { path: String, cookie: String },
}

impl Work {
    /// Whether `status` is this work's success.
    fn succeeded(&self, status: u16) -> bool {
        match self {
            Work::Reports(_) => status == 201,
            Work::Read { .. } => status == 200,
        }
    }
}

async fn connection(
    host: String,
    work: Work,
    slot: usize,
    start: Instant,
    end: Instant,
) -> Result<Tally> {
    let mut c = Conn::open(&host).await?;
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut tally = Tally::default();
    let mut n = slot as u64;
    while Instant::now() < end {
        let t0 = Instant::now();
        let (status, _, _) = match &work {
            Work::Reports(grids) => {
                let body = report_body(&grids[n as usize % grids.len()], n);
                let headers = [
                    ("Content-Type", ct.as_str()),
                    ("Accept", "application/json"),
                ];
                c.request("POST", "/api/v1/public/reports", &headers, &body)
                    .await?
            }
            Work::Read { path, cookie } => {
                let headers = [
                    ("Cookie", cookie.as_str()),
                    ("Accept", "text/html,application/json"),
                ];
                c.request("GET", path, &headers, b"").await?
            }
        };
        tally.record(None, t0, start + WARM_UP, work.succeeded(status), status);
        n += 97;
    }
    Ok(tally)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The floor: `tasks` tasks committing one case-like and one event-like row per
/// transaction into scratch tables for `secs` seconds; transactions per second and p99.
async fn floor(url: &str, tasks: usize, secs: u64) -> Result<(f64, f64)> {
    let db = app::ssr::db::Db::connect(url).await?;
    let id = match db.backend {
        app::ssr::db::Backend::Sqlite => "INTEGER PRIMARY KEY",
        app::ssr::db::Backend::Postgres => "BIGSERIAL PRIMARY KEY",
    };
    for t in ["load_floor_cases", "load_floor_events"] {
        sqlx::query(&format!("DROP TABLE IF EXISTS {t}"))
            .execute(&db.pool)
            .await?;
        sqlx::query(&format!(
            "CREATE TABLE {t} (id {id}, grid_code TEXT NOT NULL, at BIGINT NOT NULL, note TEXT NOT NULL)"
        ))
        .execute(&db.pool)
        .await?;
    }
    let end = Instant::now() + Duration::from_secs(secs);
    let mut handles = Vec::new();
    for k in 0..tasks {
        let db = db.clone();
        handles.push(tokio::spawn(async move {
            let mut ms = Vec::new();
            while Instant::now() < end {
                let t0 = Instant::now();
                let mut tx = db.begin_write().await?;
                for t in ["load_floor_cases", "load_floor_events"] {
                    sqlx::query(&format!(
                        "INSERT INTO {t} (grid_code, at, note) VALUES ($1, $2, $3)"
                    ))
                    .bind(format!("g{k}"))
                    .bind(k as i64)
                    .bind("小区门口垃圾堆放无人清运")
                    .execute(&mut **tx)
                    .await?;
                }
                tx.commit().await?;
                ms.push(t0.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(ms)
        }));
    }
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.await??);
    }
    for t in ["load_floor_cases", "load_floor_events"] {
        sqlx::query(&format!("DROP TABLE {t}"))
            .execute(&db.pool)
            .await?;
    }
    all.sort_by(f64::total_cmp);
    Ok((all.len() as f64 / secs as f64, percentile(&all, 0.99)))
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        bail!(
            "usage: gridgov-load BASE_URL CONNECTIONS SECONDS [--one-grid] [--get PATH | --steps] [--floor DATABASE_URL] [--label TEXT]"
        );
    }
    let host = args[1]
        .strip_prefix("http://")
        .context("an http:// address of the server")?
        .trim_end_matches('/')
        .to_owned();
    let connections: usize = args[2].parse()?;
    let secs: u64 = args[3].parse()?;
    let one_grid = args.iter().any(|a| a == "--one-grid");
    let steps = args.iter().any(|a| a == "--steps");
    // Case steps are filed and taken in the command centre's area.
    let user = match steps {
        true => std::env::var("GRIDGOV_LOAD_CENTRE").unwrap_or_else(|_| "center".into()),
        false => std::env::var("GRIDGOV_LOAD_USER").unwrap_or_else(|_| "leader".into()),
    };
    let password = std::env::var("GRIDGOV_LOAD_PASSWORD").unwrap_or_else(|_| "Demo@2026".into());
    let cookie = login(&host, &user, &password).await?;
    let mut codes = grids(&host, &cookie).await?;
    if one_grid {
        codes.truncate(1);
    }
    let what = if steps {
        "case steps in"
    } else {
        "reports into"
    };
    let spread = match flag(&args, "--get") {
        Some(path) => path.to_owned(),
        None if one_grid => format!("{what} one grid"),
        None => format!("{what} {} grids", codes.len()),
    };
    let start;
    let handles: Vec<_> = if steps {
        let dept_user = std::env::var("GRIDGOV_LOAD_DEPT").unwrap_or_else(|_| "dept".into());
        let dept = login(&host, &dept_user, &password).await?;
        let w = Arc::new(StepsWork {
            points: grid_points(&host, &cookie, &codes).await?,
            centre: cookie,
            department: department_of(&host, &dept).await?,
            dept,
            category: std::env::var("GRIDGOV_LOAD_CATEGORY")
                .unwrap_or_else(|_| "sanitation".into()),
        });
        start = Instant::now();
        let end = start + WARM_UP + Duration::from_secs(secs);
        (0..connections)
            .map(|slot| tokio::spawn(steps_connection(host.clone(), w.clone(), slot, start, end)))
            .collect()
    } else {
        let work = match flag(&args, "--get") {
            Some(path) => Work::Read {
                path: path.to_owned(),
                cookie,
            },
            None => Work::Reports(Arc::new(codes)),
        };
        start = Instant::now();
        let end = start + WARM_UP + Duration::from_secs(secs);
        (0..connections)
            .map(|slot| tokio::spawn(connection(host.clone(), work.clone(), slot, start, end)))
            .collect()
    };
    let mut ms = Vec::new();
    let mut other = std::collections::BTreeMap::<u16, usize>::new();
    let mut by_step = std::collections::BTreeMap::<String, Vec<f64>>::new();
    for h in handles {
        let t = h.await??;
        ms.extend(t.ms);
        for (step, v) in t.by_step {
            by_step.entry(step).or_default().extend(v);
        }
        for (s, n) in t.other {
            *other.entry(s).or_default() += n;
        }
    }
    ms.sort_by(f64::total_cmp);
    for (step, mut v) in by_step {
        v.sort_by(f64::total_cmp);
        let (n, p50, p99) = (v.len(), percentile(&v, 0.5), percentile(&v, 0.99));
        eprintln!("  {step}: {n} answered, p50 {p50:.1} ms, p99 {p99:.1} ms");
    }
    let label = flag(&args, "--label").unwrap_or("");
    let refused: Vec<String> = other.iter().map(|(s, n)| format!("{n}×{s}")).collect();
    println!(
        "| {label} | {connections} | {spread} | {:.0} | {:.1} | {:.1} | {:.1} | {} |",
        ms.len() as f64 / secs as f64,
        percentile(&ms, 0.5),
        percentile(&ms, 0.99),
        ms.last().copied().unwrap_or(f64::NAN),
        if refused.is_empty() {
            "none".to_owned()
        } else {
            refused.join(", ")
        },
    );
    if let Some(url) = flag(&args, "--floor") {
        let (rate, p99) = floor(url, connections, secs.min(20)).await?;
        println!(
            "| {label}: floor, bare insert of a case and an event | {connections} | — | {rate:.0} | — | {p99:.1} | — | — |"
        );
    }
    Ok(())
}
