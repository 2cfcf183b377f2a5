//! Responses every surface shares: an HTML page, a stored photo, a file to save.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// An HTML page with a status. Pages with forms are never cached: a page brought back
/// from history gets a fresh idempotency key.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut res = (status, Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A stored photo as a response: always our re-encoded JPEG, cached privately (never
/// sniffed into anything else: `nosniff` is on every response, `middleware::headers`).
pub fn jpeg(bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    res
}

pub const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file to save (`Content-Disposition: attachment`), never cached: it holds what its
/// reader may see today.
pub fn download(bytes: Vec<u8>, content_type: &'static str, filename: &str) -> Response {
    saved_as(
        bytes,
        content_type,
        &format!("attachment; filename=\"{filename}\""),
    )
}

/// The same with a Chinese name for the browsers that read one (RFC 5987) and an ASCII
/// name for the others.
pub fn download_named(
    bytes: Vec<u8>,
    content_type: &'static str,
    ascii: &str,
    chinese: &str,
) -> Response {
    let value = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent(chinese)
    );
    saved_as(bytes, content_type, &value)
}

fn saved_as(bytes: Vec<u8>, content_type: &'static str, disposition: &str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
