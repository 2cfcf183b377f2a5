//! Residents' pages (码上办), served as light HTML without the app's WASM: the grid's
//! report page and its no-JavaScript form post, the tracking page and its rating form,
//! public photos, QR code downloads, and the printable posters for staff.

mod multipart;
mod pages;
mod posters;

pub use multipart::{BODY_LIMIT, Received, body_allowed, read_report};

use app::components::csrf::{CSRF_COOKIE, CsrfToken};
use app::i18n::Lang;
use app::light::PageCtx;
use app::ssr::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/r/{grid}",
            get(pages::report_page)
                .post(pages::report_form)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/r/{grid}/qr.svg", get(posters::qr_svg))
        .route("/r/{grid}/qr.png", get(posters::qr_png))
        .route("/t", get(pages::lookup))
        .route("/t/{code}", get(pages::track_page))
        .route(
            "/t/{code}/feedback",
            axum::routing::post(pages::feedback_form),
        )
        .route("/t/{code}/photos/{name}", get(pages::public_photo))
        .route("/posters/{node}", get(posters::posters))
}

/// Language, path and CSRF token of the request, for rendering a light page.
pub fn page_ctx(headers: &HeaderMap, extensions: &Extensions, uri: &Uri) -> PageCtx {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let csrf = extensions
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .or_else(|| crate::middleware::cookie(headers, CSRF_COOKIE))
        .unwrap_or_default();
    PageCtx {
        lang: Lang::from_cookie_header(cookies),
        path: uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned()),
        csrf,
    }
}

/// An HTML page with a status. Pages with forms are never cached: a page brought back
/// from history gets a fresh idempotency key.
pub fn html(status: StatusCode, body: String) -> Response {
    let mut res = (status, Html(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// A random idempotency key for a freshly rendered form.
pub fn new_key() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}
