//! Wakes the live tailer once a request that may have written has been answered: its
//! transaction committed before the answer was built, so on SQLite a step reaches the
//! live pages at once instead of at the tailer's next poll (PostgreSQL's NOTIFY does the
//! same across instances).

use app::ssr::AppState;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;

pub async fn wake_after_writes(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = next.run(req).await;
    if writes && !res.status().is_server_error() {
        state.live.wake();
    }
    res
}
