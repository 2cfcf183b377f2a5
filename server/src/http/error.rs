//! The JSON API's error body: every refusal as `{"error", "message", "message_en"}`
//! (+ `field`, + `Retry-After`), from the one `AppError` of the services.

use app::error::AppError;
use app::i18n::{Lang, t};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

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
