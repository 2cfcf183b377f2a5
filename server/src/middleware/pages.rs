//! The login wall for pages: a visitor asking for a staff page is sent to the login page
//! (and back afterwards); a logged-in user asking for the login page goes home. Public
//! paths (resident pages, assets, the API with its own 401s) pass untouched.

use app::components::nav::percent_encode;
use app::ssr::CurrentUser;
use axum::extract::Request;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

const PUBLIC_PREFIXES: [&str; 13] = [
    "/api/",
    "/open311/",
    "/pkg/",
    "/vendor/",
    "/lang/",
    "/r/",
    "/t/",
    "/healthz",
    "/readyz",
    "/livez",
    "/metrics",
    "/logout",
    "/favicon",
];

pub async fn require_login(req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let path = req.uri().path();
    let logged_in = req.extensions().get::<CurrentUser>().is_some();
    if path == "/login" {
        return if logged_in {
            Redirect::to("/").into_response()
        } else {
            next.run(req).await
        };
    }
    // A grid worker's home is the phone workspace.
    if path == "/"
        && req
            .extensions()
            .get::<CurrentUser>()
            .is_some_and(|u| u.role == app::domain::people::Role::Worker)
    {
        return Redirect::to("/w").into_response();
    }
    let is_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if logged_in || is_file || path == "/t" || PUBLIC_PREFIXES.iter().any(|p| path.starts_with(p)) {
        return next.run(req).await;
    }
    let target = match req.uri().query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    };
    Redirect::to(&format!("/login?next={}", percent_encode(&target))).into_response()
}
