//! CSRF protection for every state-changing request.
//!
//! - A browser that says where the request comes from is believed: `Sec-Fetch-Site:
//!   cross-site` or an `Origin` other than our own is refused.
//! - A request with neither header (old browsers, scripts, integrations) is allowed when it
//!   is JSON — a cross-site page cannot send JSON without a CORS preflight, which we never
//!   grant — and otherwise must carry the double-submit token: the `gridgov_csrf` cookie's
//!   value in the `X-CSRF-Token` header, the `_csrf` query parameter or the `_csrf` field of
//!   a url-encoded form. Server-rendered forms carry it (`CsrfField`).
//!
//! Safe requests get the token cookie if they lack it, and the token in their extensions
//! so that the page being rendered can put it into its forms.

use super::cookie;
use app::components::csrf::{CSRF_COOKIE, CSRF_FIELD, CsrfToken};
use app::i18n::{Lang, Msg, t};
use app::ssr::AppState;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

/// Url-encoded forms larger than this are not buffered for the token check.
const MAX_FORM_BYTES: usize = 1024 * 1024;

pub async fn protect(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), CSRF_COOKIE).filter(|t| well_formed(t));
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        let token = existing.clone().unwrap_or_else(new_token);
        req.extensions_mut().insert(CsrfToken(token.clone()));
        let mut res = next.run(req).await;
        if existing.is_none() {
            let secure = if state.config.secure_cookies {
                "; Secure"
            } else {
                ""
            };
            let c =
                format!("{CSRF_COOKIE}={token}; Path=/; SameSite=Lax; Max-Age=31536000{secure}");
            if let Ok(v) = HeaderValue::from_str(&c) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
        }
        return res;
    }
    match verdict(req.headers(), state.config.public_url.as_deref()) {
        Verdict::Allow => next.run(req).await,
        Verdict::Deny => deny(&req),
        // A script client of the anonymous public API (a mini-program's backend, a kiosk)
        // sends no Origin and has no token: CSRF guards ambient credentials, and these
        // endpoints need none. Its cookies are dropped, so no session can ride along.
        Verdict::NeedToken if is_anonymous_public(req.uri().path()) => {
            req.headers_mut().remove(header::COOKIE);
            next.run(req).await
        }
        Verdict::NeedToken => {
            let Some(expected) = existing else {
                return deny(&req);
            };
            if header_token(req.headers()).as_deref() == Some(expected.as_str())
                || query_token(req.uri().query()).as_deref() == Some(expected.as_str())
            {
                return next.run(req).await;
            }
            if !is_urlencoded(req.headers()) {
                return deny(&req);
            }
            // Read the form, check its field, and hand the same bytes on.
            let (parts, body) = req.into_parts();
            let Ok(bytes) = to_bytes(body, MAX_FORM_BYTES).await else {
                return (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response();
            };
            let field = form_field(&bytes, CSRF_FIELD);
            let req = Request::from_parts(parts, Body::from(bytes));
            if field.as_deref() == Some(expected.as_str()) {
                next.run(req).await
            } else {
                deny(&req)
            }
        }
    }
}

/// The residents' API (reports, tracking and ratings, used without an account) and
/// Open311 (an integrator's API key in the form, never a cookie).
fn is_anonymous_public(path: &str) -> bool {
    path.starts_with("/api/v1/public/") || path.starts_with("/open311/")
}

#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    Allow,
    Deny,
    NeedToken,
}

fn verdict(headers: &HeaderMap, public_url: Option<&str>) -> Verdict {
    let get = |h: header::HeaderName| headers.get(h).and_then(|v| v.to_str().ok());
    match get(header::HeaderName::from_static("sec-fetch-site")) {
        Some("cross-site") => return Verdict::Deny,
        Some("same-origin") | Some("none") => return Verdict::Allow,
        _ => {}
    }
    if let Some(origin) = get(header::ORIGIN) {
        let host = get(header::HOST).unwrap_or_default();
        let ours = public_url.is_some_and(|p| p == origin)
            || (!host.is_empty()
                && (origin == format!("http://{host}") || origin == format!("https://{host}")));
        return if ours { Verdict::Allow } else { Verdict::Deny };
    }
    let json =
        get(header::CONTENT_TYPE).is_some_and(|c| c.trim_start().starts_with("application/json"));
    if json {
        Verdict::Allow
    } else {
        Verdict::NeedToken
    }
}

fn deny(req: &Request) -> Response {
    tracing::warn!(path = %req.uri().path(), "request refused by CSRF protection");
    if req.uri().path() == "/login" {
        return Redirect::to("/login?error=csrf").into_response();
    }
    let body = serde_json::json!({
        "error": "csrf",
        "message": t(Lang::Zh, Msg::ErrCsrf),
        "message_en": t(Lang::En, Msg::ErrCsrf),
    });
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}

fn new_token() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 24];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn well_formed(t: &str) -> bool {
    t.len() == 48 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn query_token(query: Option<&str>) -> Option<String> {
    form_field(query?.as_bytes(), CSRF_FIELD)
}

fn is_urlencoded(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"))
}

fn form_field(bytes: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(bytes)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    #[test]
    fn browsers_are_believed() {
        assert_eq!(
            verdict(&headers(&[("sec-fetch-site", "cross-site")]), None),
            Verdict::Deny
        );
        assert_eq!(
            verdict(&headers(&[("sec-fetch-site", "same-origin")]), None),
            Verdict::Allow
        );
        let h = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(verdict(&h, None), Verdict::Allow);
        let h = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert_eq!(verdict(&h, None), Verdict::Deny);
        let h = headers(&[("origin", "https://grid.gov.cn"), ("host", "10.0.0.5")]);
        assert_eq!(verdict(&h, Some("https://grid.gov.cn")), Verdict::Allow);
        assert_eq!(
            verdict(&headers(&[("origin", "null")]), None),
            Verdict::Deny
        );
    }

    #[test]
    fn scripts_send_json_forms_need_the_token() {
        assert_eq!(
            verdict(&headers(&[("content-type", "application/json")]), None),
            Verdict::Allow
        );
        let h = headers(&[("content-type", "application/x-www-form-urlencoded")]);
        assert_eq!(verdict(&h, None), Verdict::NeedToken);
        assert_eq!(
            verdict(&headers(&[("content-type", "text/plain")]), None),
            Verdict::NeedToken
        );
    }

    #[test]
    fn tokens() {
        let t = new_token();
        assert!(well_formed(&t));
        assert_ne!(t, new_token());
        assert_eq!(
            form_field(b"a=1&_csrf=abc", "_csrf").as_deref(),
            Some("abc")
        );
        assert_eq!(query_token(Some("x=1&_csrf=q")).as_deref(), Some("q"));
    }
}
