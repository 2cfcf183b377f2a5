//! The residents' API under `/api/v1/public` (no login): report with photos, follow a
//! report by its tracking code, rate it, and read a grid's public card.
//!
//! `POST /public/reports` honours `Idempotency-Key`: the same key with the same body gets
//! the first answer again (one case, however often a flaky network retries); the same key
//! with another body is refused with 422.

use super::{ApiError, ApiResult, JsonBody};
use crate::http::{BODY_LIMIT, read_report};
use crate::middleware::client_ip;
use app::domain::resident::{CategoryChoice, FeedbackFields, GridCard, PublicCase};
use app::error::AppError;
use app::i18n::{Lang, t};
use app::ssr::AppState;
use app::ssr::services::cases::intake::{self, IntakeError, Submission};
use app::ssr::services::cases::reporter;
use app::ssr::services::residents;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::Extensions;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Serialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/public/reports",
            post(report).layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/public/reports/{code}", get(track))
        .route("/public/reports/{code}/feedback", post(feedback))
        .route("/public/grids/{code}", get(grid))
}

/// An intake refusal as JSON: the headline plus every field's reason, in both languages.
struct IntakeReply(IntakeError);

impl IntoResponse for IntakeReply {
    fn into_response(self) -> Response {
        let e = self.0;
        if let IntakeError::Other(inner) = e {
            return ApiError(inner).into_response();
        }
        let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
        let kind = match &e {
            IntakeError::Invalid(_) => "validation",
            IntakeError::Robot => "rejected",
            IntakeError::RateLimited { .. } => "rate_limited",
            IntakeError::KeyReused => "idempotency_key_reused",
            IntakeError::UnknownGrid => "not_found",
            IntakeError::Other(_) => "internal",
        };
        let mut body = serde_json::json!({
            "error": kind,
            "message": t(Lang::Zh, e.msg()),
            "message_en": t(Lang::En, e.msg()),
        });
        if let IntakeError::Invalid(errors) = &e {
            body["field"] = errors.first().map(|f| f.field.clone()).into();
            body["errors"] = errors
                .iter()
                .map(|f| {
                    serde_json::json!({
                        "field": f.field,
                        "message": t(Lang::Zh, f.msg),
                        "message_en": t(Lang::En, f.msg),
                    })
                })
                .collect();
        }
        let mut res = (status, Json(body)).into_response();
        super::set_retry_after(&mut res, e.retry_after());
        res
    }
}

async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    form: Multipart,
) -> Response {
    if let Err(e) = crate::http::body_allowed(&state, &headers, &extensions) {
        return IntakeReply(e).into_response();
    }
    let mut received = read_report(form).await;
    if let Some(e) = received.error.take() {
        return IntakeReply(e).into_response();
    }
    let header_key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(grid) = received.grid.take().filter(|g| !g.trim().is_empty()) else {
        return IntakeReply(IntakeError::Invalid(vec![
            app::domain::resident::FieldError {
                field: "grid".into(),
                msg: app::i18n::Msg::ErrRequired,
            },
        ]))
        .into_response();
    };
    let submission = Submission {
        grid_code: grid.trim().to_owned(),
        fields: received.fields,
        photos: received.photos,
        idempotency_key: header_key.or(received.idempotency_key),
        client_ip: client_ip(&headers, &extensions, state.config.trust_proxy),
    };
    match intake::submit(&state, submission, state.clock.now()).await {
        Ok(stored) => {
            let mut res = (StatusCode::CREATED, Json(stored.receipt)).into_response();
            if stored.replayed {
                res.headers_mut()
                    .insert("idempotent-replayed", HeaderValue::from_static("true"));
            }
            res
        }
        Err(e) => IntakeReply(e).into_response(),
    }
}

fn lookup_allowed(state: &AppState, headers: &HeaderMap, extensions: &Extensions) -> ApiResult<()> {
    let ip = client_ip(headers, extensions, state.config.trust_proxy);
    state
        .lookup_limiter
        .check(&format!("ip:{ip}"))
        .map_err(|secs| {
            ApiError(AppError::RateLimited {
                retry_after_secs: secs,
            })
        })
}

async fn track(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
) -> ApiResult<Json<PublicCase>> {
    lookup_allowed(&state, &headers, &extensions)?;
    Ok(Json(
        reporter::public_case(&state, &code, state.clock.now()).await?,
    ))
}

async fn feedback(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    JsonBody(fields): JsonBody<FeedbackFields>,
) -> ApiResult<Json<PublicCase>> {
    lookup_allowed(&state, &headers, &extensions)?;
    let (satisfaction, comment) = fields
        .validate()
        .map_err(|e| ApiError(AppError::validation(&e.field, e.msg)))?;
    let now = state.clock.now();
    Ok(Json(
        reporter::rate(&state, &code, &fields.token, satisfaction, &comment, now).await?,
    ))
}

#[derive(Serialize)]
struct GridPage {
    card: GridCard,
    categories: Vec<CategoryChoice>,
}

async fn grid(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<GridPage>> {
    Ok(Json(GridPage {
        card: residents::grid_card(&state, &code, state.clock.now()).await?,
        categories: residents::categories(&state).await?,
    }))
}
