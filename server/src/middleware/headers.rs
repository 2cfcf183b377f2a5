//! Security headers on every response (policies in `app::ssr::headers`).

use app::ssr::AppState;
use app::ssr::headers::{
    NONCE_HEADER, content_security_policy, permissions_policy, strict_transport_security,
};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

pub async fn secure(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let permissions = permissions_policy(req.uri().path());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let nonce = h
        .remove(NONCE_HEADER)
        .and_then(|v| v.to_str().ok().map(str::to_owned));
    let csp = content_security_policy(nonce.as_deref(), state.config.tile_url.as_deref());
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Tracking codes and feedback tokens are in URLs: other sites never see them.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert("permissions-policy", HeaderValue::from_static(permissions));
    if let Some(hsts) = strict_transport_security(state.config.public_url.as_deref()) {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(hsts),
        );
    }
    // A 503 always passes with time (an outage): a page that did not say when to retry
    // gets a short default, so clients and proxies back off instead of hammering.
    if res.status() == axum::http::StatusCode::SERVICE_UNAVAILABLE {
        res.headers_mut()
            .entry(header::RETRY_AFTER)
            .or_insert(HeaderValue::from_static("10"));
    }
    res
}
