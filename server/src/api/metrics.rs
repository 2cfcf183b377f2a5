//! `GET /metrics` in Prometheus' text format: the gauges an operator alerts on before
//! users notice — free space in the data folder (and whether it is under
//! `GRIDGOV_LOW_DISK_MB`), whether the database answers, and the connection pool.

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

async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !allowed(&state, &headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    let mut out = String::new();
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
    let mut res = out.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Open unless a token is configured; then only with that bearer token.
fn allowed(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = state.config.metrics_token.as_ref() else {
        return true;
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    app::ssr::crypto::constant_time_eq(given.as_bytes(), token.0.as_bytes())
}

fn gauge(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(
        out,
        "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}"
    );
}
