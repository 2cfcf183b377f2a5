//! Health for load balancers and orchestrators, answered within a second in every state:
//! - `GET /healthz` and `GET /readyz`: 200 when the database answers a query and the data
//!   directory accepts a small write (fsynced, then removed); otherwise 503 naming the
//!   failing checks (`database`, `disk`). `/readyz` is the one to route reports by.
//! - `GET /livez`: 200 while the process serves requests at all: what a restart can fix.
//!   A database or disk fault is not, so an orchestrator should restart on `/livez` only.

use app::ssr::AppState;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde_json::{Value, json};
use std::time::Duration;

/// Each check's own bound: both run side by side, so the answer comes within a second.
const CHECK_LIMIT: Duration = Duration::from_millis(800);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(health))
        .route("/livez", get(|| async { "ok" }))
}

async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let (database, disk) = tokio::join!(database(&state), disk(&state));
    let failing: Vec<&str> = [("database", &database), ("disk", &disk)]
        .into_iter()
        .filter(|(_, r)| r.is_err())
        .map(|(name, _)| name)
        .collect();
    let say = |r: &Result<(), String>| match r {
        Ok(()) => "ok".to_owned(),
        Err(e) => e.clone(),
    };
    let body = json!({
        "status": if failing.is_empty() { "ok" } else { "unavailable" },
        "failing": failing,
        "checks": { "database": say(&database), "disk": say(&disk) },
    });
    if failing.is_empty() {
        (StatusCode::OK, Json(body))
    } else {
        tracing::error!(?failing, "health check failed");
        (StatusCode::SERVICE_UNAVAILABLE, Json(body))
    }
}

/// A query answered in time.
async fn database(state: &AppState) -> Result<(), String> {
    match tokio::time::timeout(CHECK_LIMIT, state.db.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("error: {e}")),
        Err(_) => Err("no answer within 0.8 s".into()),
    }
}

/// A small file written, synced and removed in the data directory, off the async threads
/// (a full or read-only disk fails here as a photo would).
async fn disk(state: &AppState) -> Result<(), String> {
    let dir = state.config.data_dir.clone();
    let probe = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let path = dir.join(format!(".health-{}", std::process::id()));
        let written = std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(&[0u8; 4096]).and_then(|()| f.sync_all()));
        let _ = std::fs::remove_file(&path);
        written
    });
    match tokio::time::timeout(CHECK_LIMIT, probe).await {
        Ok(Ok(Ok(()))) => Ok(()),
        Ok(Ok(Err(e))) => Err(format!("cannot write: {e}")),
        Ok(Err(_)) => Err("the probe failed".into()),
        Err(_) => Err("no write within 0.8 s".into()),
    }
}
