//! The JSON API under `/api/v1`, plus `/healthz`. Each module owns its router.

mod admin;
mod admin_departments;
mod admin_members;
mod auth;
mod buildings;
mod calendar;
mod case_exports;
mod cases;
mod categories;
mod desk;
mod doc;
mod health;
mod hotline;
mod households;
mod live;
mod metrics;
mod open311_keys;
mod oversight;
mod photos;
mod public;
mod reply_templates;
mod territory;

// The HTTP edge, for this module's routers (`super::ApiError` …).
use crate::http::doc::{Conflicting, ErrorBody, Invalid, Limited, Missing, Refused};
use crate::http::{
    ApiError, ApiResult, Auth, JsonBody, Query, XLSX_TYPE, download, jpeg, set_retry_after,
};
use app::ssr::AppState;
use axum::Router;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// `/healthz` and its kin, `/metrics`, and the JSON API under `/api/v1` with its generated
/// description at `/api/v1/openapi.json`: each module's `OpenApiRouter` carries the
/// routes and their description together, so nothing is served undescribed.
pub fn router() -> Router<AppState> {
    let (api, description) = documented_api().split_for_parts();
    doc::publish(description);
    Router::new()
        .merge(health::router())
        .merge(metrics::router())
        .nest("/api/v1", api)
}

fn documented_api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(doc::root())
        .merge(auth::router())
        .merge(admin::router())
        .merge(admin_departments::router())
        .merge(admin_members::router())
        .merge(buildings::router())
        .merge(territory::router())
        .merge(cases::router())
        .merge(case_exports::router())
        .merge(categories::router())
        .merge(reply_templates::router())
        .merge(open311_keys::router())
        .merge(calendar::router())
        .merge(photos::router())
        .merge(public::router())
        .merge(desk::router())
        .merge(households::router())
        .merge(hotline::router())
        .merge(oversight::router())
        .merge(live::router())
        .merge(doc::router())
}

/// One operation taking a body of up to `max` bytes (a file), as a router to merge: the
/// limit applies to it alone.
pub(crate) fn limited(
    routes: utoipa_axum::router::UtoipaMethodRouter<AppState>,
    max: usize,
) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes)
        .layer(axum::extract::DefaultBodyLimit::max(max))
}

/// A numeric id from the path; anything else names nothing (404, in the one error body).
pub(crate) fn path_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or(ApiError(app::error::AppError::NotFound))
}

/// The answer to an imported table: `ok` (with `status`), or 422 with every refused row
/// (`error` names the table; `what` is its record, in Chinese and English).
pub(crate) fn table_import<T: serde::Serialize, C>(
    result: Result<T, app::ssr::services::roster::TableError<C>>,
    status: axum::http::StatusCode,
    error: &str,
    what: (&str, &str),
) -> axum::response::Response
where
    C: app::domain::table_rows::TableColumn + serde::Serialize,
{
    use app::ssr::services::roster::{TableError, refused_json};
    use axum::response::IntoResponse;
    match result {
        Ok(done) => (status, axum::Json(done)).into_response(),
        Err(TableError::Refused(rows)) => (
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(refused_json(error, what, &rows)),
        )
            .into_response(),
        Err(TableError::Other(e)) => ApiError(e).into_response(),
    }
}
