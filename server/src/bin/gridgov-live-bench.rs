//! Live-update benchmark: how long a case step takes to reach every open live connection.
//! Against a running server with the demo district, it opens SUBSCRIBERS Server-Sent
//! Events streams as the leader (`GET /api/v1/stream`), then the command centre takes
//! STEPS progress notes on one case, one at a time; for each (subscriber, step) it times
//! from the moment the step was sent to the moment that subscriber read it. The floor in
//! the same run is the step's own answer time (the write alone, no fan-out). With `--pid`
//! it reads the server's resident memory once all streams are open.
//!
//! ```text
//! cargo run --profile server-release -p server --bin gridgov-live-bench -- \
//!     http://127.0.0.1:3000 10000 30 --pid $(pgrep -f 'gridgov$')
//! ```
//! (`ulimit -n` must allow twice the subscribers on this machine: both ends are here.)

use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Mutex;

const PASSWORD: &str = "Demo@2026";
/// Between steps: longer than the slowest arrival, so that steps never overlap; each gap
/// a little different (`gap`), so that steps do not keep one phase against a poll.
const GAP: Duration = Duration::from_millis(1500);

fn gap(k: usize) -> Duration {
    GAP + Duration::from_millis((k as u64 * 137) % 500)
}

struct Target {
    host: String,
}

impl Target {
    fn parse(base: &str) -> Result<Target> {
        let host = base
            .strip_prefix("http://")
            .context("an http:// address of the server")?
            .trim_end_matches('/')
            .to_owned();
        Ok(Target { host })
    }

    /// One request on its own connection; (status, headers, body).
    async fn request(
        &self,
        method: &str,
        path: &str,
        cookie: Option<&str>,
        body: Option<&str>,
    ) -> Result<(u16, String, String)> {
        let mut s = TcpStream::connect(&self.host).await?;
        let mut req = format!(
            "{method} {path} HTTP/1.1\r\nHost: {h}\r\nOrigin: http://{h}\r\nConnection: close\r\nAccept: application/json\r\n",
            h = self.host
        );
        if let Some(c) = cookie {
            req.push_str(&format!("Cookie: {c}\r\n"));
        }
        if let Some(b) = body {
            req.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                b.len()
            ));
        }
        req.push_str("\r\n");
        req.push_str(body.unwrap_or(""));
        s.write_all(req.as_bytes()).await?;
        let mut raw = Vec::new();
        tokio::io::AsyncReadExt::read_to_end(&mut s, &mut raw).await?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        Ok((status, head.to_owned(), dechunk(head, rest)))
    }

    async fn login(&self, username: &str) -> Result<String> {
        let body = format!(r#"{{"username":"{username}","password":"{PASSWORD}"}}"#);
        let (status, head, answer) = self
            .request("POST", "/api/v1/login", None, Some(&body))
            .await?;
        if status != 200 {
            bail!("login as {username}: {status} {answer}");
        }
        let cookie = head
            .lines()
            .filter_map(|l| {
                l.strip_prefix("set-cookie: ")
                    .or_else(|| l.strip_prefix("Set-Cookie: "))
            })
            .filter_map(|c| c.split(';').next())
            .collect::<Vec<_>>()
            .join("; ");
        Ok(cookie)
    }
}

/// A chunked body put back together (the API answers JSON chunked or not).
fn dechunk(head: &str, body: &str) -> String {
    if !head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return body.to_owned();
    }
    let mut out = String::new();
    let mut rest = body;
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(n) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        if n == 0 || after.len() < n {
            break;
        }
        out.push_str(&after[..n]);
        rest = after[n..].trim_start_matches("\r\n");
    }
    out
}

/// When each subscriber read each step of `case` (by the order it arrived in).
type Arrivals = Arc<Mutex<Vec<Vec<Instant>>>>;

/// Opens one stream; returns once it is open, then records arrivals in the background.
async fn subscribe(
    t: &Target,
    cookie: &str,
    case: i64,
    slot: usize,
    arrivals: Arrivals,
) -> Result<()> {
    let s = TcpStream::connect(&t.host).await?;
    let (read, mut write) = s.into_split();
    let req = format!(
        "GET /api/v1/stream HTTP/1.1\r\nHost: {h}\r\nCookie: {cookie}\r\nAccept: text/event-stream\r\n\r\n",
        h = t.host
    );
    write.write_all(req.as_bytes()).await?;
    let mut lines = BufReader::new(read).lines();
    // Open once the server said hello.
    while let Some(l) = lines.next_line().await? {
        if l.contains("event: hello") {
            break;
        }
    }
    let needle = format!("\"case_id\":{case},");
    tokio::spawn(async move {
        let _keep = write;
        while let Ok(Some(l)) = lines.next_line().await {
            if l.starts_with("data:") && l.contains(&needle) && l.contains("\"progress\"") {
                arrivals.lock().await[slot].push(Instant::now());
            }
        }
    });
    Ok(())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn rss_mib(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix(field))?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        bail!("usage: gridgov-live-bench BASE_URL SUBSCRIBERS STEPS [--pid PID]");
    }
    let t = Target::parse(&args[1])?;
    let subscribers: usize = args[2].parse()?;
    let steps: usize = args[3].parse()?;
    let pid: Option<u32> = args
        .iter()
        .position(|a| a == "--pid")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok());

    // A case in a department's hands that the centre may note on (督办 aside, a progress note).
    let center = t.login("center").await?;
    let (_, _, list) = t
        .request(
            "GET",
            "/api/v1/cases?status=handling&per_page=1",
            Some(&center),
            None,
        )
        .await?;
    let list: serde_json::Value = serde_json::from_str(&list).context("the case list")?;
    let case = list["cases"][0]["id"]
        .as_i64()
        .context("a case in a department's hands in the demo")?;

    let leader = t.login("leader").await?;
    let arrivals: Arrivals = Arc::new(Mutex::new(vec![Vec::new(); subscribers]));
    let opened = Instant::now();
    let mut pending = Vec::new();
    for slot in 0..subscribers {
        let (t2, cookie, a) = (
            Target {
                host: t.host.clone(),
            },
            leader.clone(),
            arrivals.clone(),
        );
        pending.push(tokio::spawn(async move {
            subscribe(&t2, &cookie, case, slot, a).await
        }));
        // Do not flood the listen backlog.
        if slot % 200 == 199 {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    for p in pending {
        p.await??;
    }
    let open_secs = opened.elapsed().as_secs_f64();
    let rss = pid.and_then(|p| rss_mib(p, "VmRSS:"));

    let mut sent = Vec::new();
    let mut write_ms = Vec::new();
    let mut refused = 0usize;
    for k in 0..steps {
        tokio::time::sleep(gap(k)).await;
        let body = format!(r#"{{"action":"progress","note":"live bench step {k}"}}"#);
        let t0 = Instant::now();
        let (status, _, answer) = t
            .request(
                "POST",
                &format!("/api/v1/cases/{case}/actions"),
                Some(&center),
                Some(&body),
            )
            .await?;
        if status != 200 {
            // A refused step (503: no database connection to be had) is the result too.
            eprintln!("step {k}: {status} {answer}");
            refused += 1;
            continue;
        }
        write_ms.push(t0.elapsed().as_secs_f64() * 1000.0);
        sent.push(t0);
    }
    tokio::time::sleep(GAP * 2).await;
    let arrivals = arrivals.lock().await;
    let mut lat = Vec::new();
    let mut missing = 0usize;
    let mut per_step: HashMap<usize, usize> = HashMap::new();
    for got in arrivals.iter() {
        for (k, at) in sent.iter().enumerate() {
            match got.get(k) {
                Some(a) => {
                    lat.push(a.duration_since(*at).as_secs_f64() * 1000.0);
                    *per_step.entry(k).or_default() += 1;
                }
                None => missing += 1,
            }
        }
    }
    lat.sort_by(f64::total_cmp);
    write_ms.sort_by(f64::total_cmp);
    let peak = pid.and_then(|p| rss_mib(p, "VmHWM:"));
    println!(
        "| subscribers | steps (refused) | opened in | step answer p50 / p99 (floor) | to every subscriber p50 / p95 / p99 / max | missed | server RSS (open) / peak |"
    );
    println!("|---|---|---|---|---|---|---|");
    println!(
        "| {subscribers} | {steps} ({refused}) | {open_secs:.1} s | {:.1} / {:.1} ms | {:.0} / {:.0} / {:.0} / {:.0} ms | {missing} | {} / {} |",
        percentile(&write_ms, 0.5),
        percentile(&write_ms, 0.99),
        percentile(&lat, 0.5),
        percentile(&lat, 0.95),
        percentile(&lat, 0.99),
        lat.last().copied().unwrap_or(f64::NAN),
        rss.map_or("—".into(), |m| format!("{m:.0} MiB")),
        peak.map_or("—".into(), |m| format!("{m:.0} MiB")),
    );
    Ok(())
}
