//! Request middleware: security headers, CSRF protection, loading the logged-in user, the login wall for
//! pages, waking the live tailer after writes, the request counters of `/metrics`, and
//! the tracing span.

pub mod csrf;
pub mod headers;
pub mod live;
pub mod metrics;
pub mod pages;
pub mod trace;
pub mod user;

use axum::http::HeaderMap;

/// One cookie's value from the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| app::components::browser::cookie_value(h, name))
}

/// The client's address: the socket peer when serving, "local" under tests. Behind a
/// reverse proxy (`GRIDGOV_TRUST_PROXY=1`) the last `X-Forwarded-For` hop, which is the
/// one our proxy appended (earlier hops are whatever the client claimed).
pub fn client_ip(
    headers: &HeaderMap,
    extensions: &axum::http::Extensions,
    trust_proxy: bool,
) -> String {
    if trust_proxy {
        if let Some(last) = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| v.parse::<std::net::IpAddr>().is_ok())
            .last()
        {
            return last.to_owned();
        }
    }
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".to_owned())
}
