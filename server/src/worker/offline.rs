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

/// The files whose bytes make the worker's version besides every script under `js/`
/// (what it keeps, and itself).
const VERSIONED: &[&str] = &["sw.js", "resident.css", "worker.css", "worker.webmanifest"];
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

/// The first 16 hex digits of the SHA-256 over the versioned files and the scripts in
/// `js/` (a missing file counts as empty: the worker then fails to install and the pages
/// still work online). A script added to `js/` changes the version by itself.
async fn version_of(root: &Path) -> String {
    let mut names: Vec<String> = VERSIONED.iter().map(|n| (*n).to_owned()).collect();
    if let Ok(mut dir) = tokio::fs::read_dir(root.join("js")).await {
        let mut scripts = Vec::new();
        while let Ok(Some(entry)) = dir.next_entry().await {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".js") {
                scripts.push(format!("js/{name}"));
            }
        }
        scripts.sort();
        names.extend(scripts);
    }
    let mut hash = Sha256::new();
    for name in &names {
        let bytes = tokio::fs::read(root.join(name)).await.unwrap_or_default();
        hash.update((name.len() as u64).to_be_bytes());
        hash.update(name.as_bytes());
        hash.update((bytes.len() as u64).to_be_bytes());
        hash.update(&bytes);
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::version_of;

    #[tokio::test]
    async fn the_version_moves_with_any_kept_file_and_a_new_script() {
        let site = tempfile::tempdir().unwrap();
        let root = site.path();
        std::fs::create_dir_all(root.join("js")).unwrap();
        std::fs::write(root.join("sw.js"), "const VERSION = '__VERSION__';").unwrap();
        std::fs::write(root.join("js/worker.js"), "export {};").unwrap();
        let first = version_of(root).await;
        assert_eq!(first.len(), 16);
        assert_eq!(
            version_of(root).await,
            first,
            "the same files, the same version"
        );
        std::fs::write(root.join("worker.css"), "body{}").unwrap();
        let second = version_of(root).await;
        assert_ne!(second, first);
        std::fs::write(root.join("js/new-module.js"), "export {};").unwrap();
        assert_ne!(version_of(root).await, second);
    }
}
