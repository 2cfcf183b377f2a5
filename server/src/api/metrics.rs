//! `GET /metrics` in the OpenMetrics text format Prometheus scrapes: this instance's
//! counters (requests and latency per route, reports filed per source, case steps — see
//! `app::ssr::metrics`) and what is read at scrape time — free space in the data folder
//! (and whether it is under `GRIDGOV_LOW_DISK_MB`), whether the database answers, the
//! connection pool, SQLite's write groups (writes per commit), live connections and the
//! webhook queue. Tallies have no lag to report: they are kept in each step's own
//! transaction.
//!
//! Who may read it: administrators (their session), a scraper with the bearer token
//! (`GRIDGOV_METRICS_TOKEN`) or from a listed address (`GRIDGOV_METRICS_FROM`).

use app::ssr::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::fmt::Write;
use std::time::Duration;

pub fn router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

async fn metrics(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: axum::http::Extensions,
) -> Response {
    if !allowed(&state, &headers, &extensions) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let mut out = state.metrics.encode_counters();
    let dir = state.config.data_dir.clone();
    let free = tokio::task::spawn_blocking(move || app::ssr::storage::free_bytes(&dir))
        .await
        .ok()
        .and_then(Result::ok);
    let threshold = state.config.low_disk_bytes;
    if let Some(free) = free {
        gauge(
            &mut out,
            "gridgov_data_free_bytes",
            "Free space in the data folder (photos, SQLite), in bytes.",
            free,
        );
        gauge(
            &mut out,
            "gridgov_data_low_space",
            "1 when the data folder's free space is under GRIDGOV_LOW_DISK_MB.",
            u64::from(free < threshold),
        );
    }
    gauge(
        &mut out,
        "gridgov_data_low_space_threshold_bytes",
        "GRIDGOV_LOW_DISK_MB, in bytes.",
        threshold,
    );
    let up = tokio::time::timeout(Duration::from_millis(800), state.db.ping())
        .await
        .is_ok_and(|r| r.is_ok());
    gauge(
        &mut out,
        "gridgov_database_up",
        "1 when the database answered a query within 0.8 s.",
        u64::from(up),
    );
    gauge(
        &mut out,
        "gridgov_database_connections",
        "Open connections in the pool.",
        u64::from(state.db.pool.size()),
    );
    gauge(
        &mut out,
        "gridgov_database_connections_idle",
        "Idle connections in the pool.",
        state.db.pool.num_idle() as u64,
    );
    gauge(
        &mut out,
        "gridgov_database_connections_max",
        "The pool's size limit: connections in use over this is the pool's load.",
        u64::from(state.db.pool.options().get_max_connections()),
    );
    if let Some(counts) = state.db.write_counts() {
        use std::sync::atomic::Ordering::Relaxed;
        counter(
            &mut out,
            "gridgov_sqlite_write_steps",
            "Case steps committed by SQLite's writer.",
            counts.steps.load(Relaxed),
        );
        counter(
            &mut out,
            "gridgov_sqlite_write_groups",
            "Commits (one fsync each) that made them durable: steps / groups is the group size.",
            counts.groups.load(Relaxed),
        );
    }
    gauge(
        &mut out,
        "gridgov_live_subscribers",
        "Open live-update connections (SSE) on this instance.",
        state.live.subscribers() as u64,
    );
    if let Ok((waiting, oldest)) = app::ssr::store::webhooks::queue(&state.db.pool).await {
        gauge(
            &mut out,
            "gridgov_webhook_queue",
            "Webhook deliveries waiting to be sent or retried.",
            waiting,
        );
        let now = app::ssr::db::to_millis(state.clock.now());
        gauge(
            &mut out,
            "gridgov_webhook_queue_oldest_seconds",
            "How long the oldest waiting delivery has waited, in seconds (0: none).",
            oldest.map_or(0, |at| u64::try_from((now - at) / 1000).unwrap_or(0)),
        );
    }
    out.push_str("# EOF\n");
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Administrators, the configured token, or a listed scraper address; nobody else.
fn allowed(state: &AppState, headers: &HeaderMap, extensions: &axum::http::Extensions) -> bool {
    let admin = extensions
        .get::<app::ssr::CurrentUser>()
        .is_some_and(|u| u.role == app::domain::people::Role::Admin);
    let token = state.config.metrics_token.as_ref().is_some_and(|token| {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        app::ssr::crypto::constant_time_eq(given.as_bytes(), token.0.as_bytes())
    });
    let listed = || {
        crate::middleware::client_ip(headers, extensions, state.config.trust_proxy)
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| state.config.metrics_from.iter().any(|n| n.contains(&ip)))
    };
    admin || token || listed()
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} counter\n{name}_total {value}"
    );
}

fn gauge(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
    );
}
