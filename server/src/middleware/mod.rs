//! Request middleware: CSRF protection, loading the logged-in user, the login wall for
//! pages, and the tracing span.

pub mod csrf;
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

/// The client's address: the socket peer when serving, "local" under tests.
pub fn client_ip(extensions: &axum::http::Extensions) -> String {
    extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".to_owned())
}
