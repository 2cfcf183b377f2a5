//! The workspace without a signal: the outbox page and the service worker (`/w/sw.js`),
//! stamped with a version drawn from the bytes of what it keeps, so that a release with
//! new scripts or styles installs a new worker (and the page offers to reload).

use crate::http::{PageUser, html};
use app::ssr::AppState;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

#[derive(Deserialize, Default)]
pub struct OutboxQuery {
    pub queued: Option<String>,
}

pub async fn outbox(PageUser { ctx, .. }: PageUser, Query(q): Query<OutboxQuery>) -> Response {
    let page = app::light::worker::outbox::render(&ctx, q.queued.is_some());
    html(StatusCode::OK, page)
}

/// The files whose bytes make the worker's version (what it keeps, and itself).
const VERSIONED: &[&str] = &[
    "sw.js",
    "js/common.js",
    "js/worker.js",
    "js/outbox.js",
    "js/outbox-view.js",
    "resident.css",
    "worker.css",
    "worker.webmanifest",
];

/// The service worker, scoped to `/w` (it lives under /w, and says it may serve /w itself).
pub async fn service_worker(State(state): State<AppState>) -> Response {
    let root = Path::new(state.leptos_options.site_root.as_ref());
    let Ok(script) = tokio::fs::read_to_string(root.join("sw.js")).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    static VERSION: OnceLock<String> = OnceLock::new();
    let version = match VERSION.get() {
        Some(v) => v.clone(),
        None => {
            let v = version_of(root).await;
            VERSION.get_or_init(|| v).clone()
        }
    };
    let mut res = script.replace("__VERSION__", &version).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    // Browsers check for a new worker on navigation: never from an HTTP cache.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("service-worker-allowed", HeaderValue::from_static("/w"));
    res
}

/// The first 16 hex digits of the SHA-256 over the versioned files (a missing file counts
/// as empty: the worker then fails to install and the pages still work online).
async fn version_of(root: &Path) -> String {
    let mut hash = Sha256::new();
    for name in VERSIONED {
        let bytes = tokio::fs::read(root.join(name)).await.unwrap_or_default();
        hash.update((bytes.len() as u64).to_be_bytes());
        hash.update(&bytes);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}
