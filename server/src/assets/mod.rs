//! The app's static files: compressed once at build time (`compress`), named by content hash
//! when cargo-leptos hashes them (`site_build`), and served with the copy a client accepts
//! and a cache lifetime that fits the name.

mod compress;
mod site_build;

pub use compress::{Report, drop_stale, precompress};
pub use site_build::{HASH_FILE, SiteBuild, SiteError, is_hashed_name, site_build};

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use std::path::PathBuf;
use tower_http::services::ServeDir;

/// A hashed name never changes content: kept a year and never asked for again.
const KEEP: &str = "public, max-age=31536000, immutable";
/// A plain name may change with the next release: revalidated by Last-Modified on every use
/// so that a new release never meets an old WASM in a browser's cache.
const REVALIDATE: &str = "no-cache";

/// A directory of static files: the precompressed copy when the client accepts it (with
/// `Vary: Accept-Encoding`), cached as `cache_policy` says.
pub fn static_dir(dir: PathBuf) -> axum::Router {
    let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
    axum::Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_policy))
}

/// How long a browser may keep what it was sent: a year for a hashed name that was found,
/// otherwise revalidate (a missing file must not be remembered as missing).
async fn cache_policy(req: Request, next: Next) -> Response {
    let hashed = req
        .uri()
        .path()
        .rsplit('/')
        .next()
        .is_some_and(is_hashed_name);
    let mut res = next.run(req).await;
    let keep = hashed && (res.status().is_success() || res.status().as_u16() == 304);
    let headers = res.headers_mut();
    headers
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(if keep {
            KEEP
        } else {
            REVALIDATE
        }));
    // The answer depends on Accept-Encoding: a shared cache must not hand brotli to a
    // client that did not ask for it (ServeDir does not say so itself).
    headers
        .entry(header::VARY)
        .or_insert(HeaderValue::from_static("accept-encoding"));
    res
}
