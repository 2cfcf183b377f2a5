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
mod health;
mod hotline;
mod households;
mod live;
mod metrics;
mod open311_keys;
mod openapi;
mod openapi_accounts;
mod openapi_integrations;
mod openapi_oversight;
mod openapi_worker;
mod oversight;
mod photos;
mod public;
mod reply_templates;
mod territory;

use app::error::AppError;
use app::i18n::{Lang, t};
use app::ssr::{AppState, CurrentUser};
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .merge(metrics::router())
        .nest(
            "/api/v1",
            auth::router()
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
                .merge(openapi::router()),
        )
}

/// An `AppError` as a JSON response: `{"error": kind, "message": 中文, "message_en": English}`
/// plus `field` for validation errors and `Retry-After` for rate limits and outages.
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut body = serde_json::json!({
            "error": serde_json::to_value(&e).ok().and_then(|v| v.get("kind").cloned()),
            "message": t(Lang::Zh, e.msg()),
            "message_en": t(Lang::En, e.msg()),
        });
        if let AppError::Validation { field, .. } = &e {
            body["field"] = field.clone().into();
        }
        let mut res = (status, axum::Json(body)).into_response();
        set_retry_after(&mut res, e.retry_after());
        res
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// `Retry-After` on a refusal that passes with time (a rate limit, an outage).
pub fn set_retry_after(res: &mut Response, secs: Option<u64>) {
    if let Some(v) = secs.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
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
pub fn download(bytes: Vec<u8>, content_type: &'static str, filename: &'static str) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// The logged-in user, or a 401 in JSON.
pub struct Auth(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Auth, ApiError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(Auth)
            .ok_or(ApiError(AppError::Unauthorized))
    }
}

/// A JSON body, with a clear error in both languages when it does not parse.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(v)| JsonBody(v))
            .map_err(|_| ApiError(AppError::validation("body", app::i18n::Msg::ErrBadRequest)))
    }
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
