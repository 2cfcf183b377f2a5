//! Counts every answered request for `/metrics`: method, route template, status class and
//! latency. The route is the template the router matched (`/api/v1/cases/{id}`), so the
//! counters stay few whatever the paths; requests no route matched (static files, unknown
//! paths) count as `other`.

use app::ssr::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().as_str().to_owned();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "other".to_owned(), |p| p.as_str().to_owned());
    let res = next.run(req).await;
    // A live stream's answer is its opening: the stream itself is counted by subscribers.
    state.metrics.request(
        &method,
        &route,
        res.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    res
}
