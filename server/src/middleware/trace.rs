//! The span of one request in the structured logs.

use axum::http::Request;
use tracing::Span;

pub fn span<B>(req: &Request<B>) -> Span {
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path())
}
