//! The grid worker's workspace (`/w/…`): light pages behind the login wall. Handlers read
//! the form, call one service and render one page; errors come back as a page in the
//! user's language with the right status.

mod case;
mod forms;
mod offline;
pub mod pages;

use crate::http::{BODY_LIMIT, html};
use app::error::AppError;
use app::i18n::t;
use app::light::PageCtx;
use app::light::worker::{Alert, Tab, page};
use app::ssr::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use leptos::prelude::*;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/w", get(pages::home))
        .route("/w/outbox", get(offline::outbox))
        .route("/w/sw.js", get(offline::service_worker))
        .route(
            "/w/report",
            get(pages::report_page)
                .post(forms::report)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/w/cases/{id}", get(case::case_page))
        .route(
            "/w/cases/{id}/act",
            post(case::act).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            "/w/cases/{id}/photos",
            post(case::photos).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route(
            "/w/cases/{id}/resolve",
            get(pages::resolve_page)
                .post(forms::resolve)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/w/households", get(pages::households))
        .route(
            "/w/households/import",
            post(forms::import).layer(DefaultBodyLimit::max(forms::IMPORT_LIMIT)),
        )
        .route("/w/households/add", post(forms::add_member))
        .route("/w/households/{id}", get(pages::household))
        .route(
            "/w/households/{id}/members/{member}/reveal",
            post(forms::reveal),
        )
        .route(
            "/w/households/{id}/visits",
            post(forms::visit).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/w/visits", get(pages::visits))
        .route("/w/ledger", get(pages::ledger))
        .route("/w/photos/{name}", get(pages::photo))
}

/// The status of a page shown with this refusal (200 without one).
pub fn status_of(error: Option<&AppError>) -> StatusCode {
    error.map_or(StatusCode::OK, |e| {
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    })
}

/// An error as a worker page: what went wrong, in the user's language.
pub fn error_page(ctx: &PageCtx, e: &AppError) -> Response {
    let status = status_of(Some(e));
    let lang = ctx.lang;
    let msg = e.msg();
    let mut res = html(
        status,
        page(ctx, msg, Tab::Home, false, move || {
            view! { <Alert lang=lang msg=msg/> <p><a href="/w">{t(lang, app::i18n::Msg::WorkerHome)}</a></p> }
                .into_any()
        }),
    );
    crate::http::set_retry_after(&mut res, e.retry_after());
    res
}
