//! The residents' API under `/api/v1/public` (no login): report with photos, follow a
//! report by its tracking code, rate it, and read a grid's public card.
//!
//! `POST /public/reports` honours `Idempotency-Key`: the same key with the same body gets
//! the first answer again (one case, however often a flaky network retries); the same key
//! with another body is refused with 422.

use super::{ApiError, ApiResult, ErrorBody, JsonBody, Limited, Missing, OpenApiRouter, routes};
use crate::http::MultipartBody;
use crate::http::doc::Binary;
use crate::http::{BODY_LIMIT, read_report};
use crate::middleware::client_ip;
use app::domain::resident::{CategoryChoice, FeedbackFields, GridCard, PublicCase};
use app::error::AppError;
use app::i18n::{Lang, t};
use app::ssr::AppState;
use app::ssr::services::cases::intake::{self, IntakeError, Submission};
use app::ssr::services::cases::reporter;
use app::ssr::services::residents;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::Extensions;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::limited(routes!(report), BODY_LIMIT))
        .routes(routes!(track))
        .routes(routes!(feedback))
        .routes(routes!(grid))
}

/// A resident's report as the form posts it.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ReportForm {
    /// The grid of the QR code.
    grid: String,
    /// A category's code (`GET /public/grids/{code}` lists them).
    category: String,
    #[schema(min_length = 5, max_length = 2000)]
    description: String,
    /// WGS-84, with `lng`; inside the grid's district.
    lat: Option<f64>,
    lng: Option<f64>,
    /// The reporter's name for a call-back (sealed; staff see it masked).
    #[schema(max_length = 50)]
    name: Option<String>,
    /// A mobile number for a call-back (sealed).
    phone: Option<String>,
    /// 0–3 photos: JPEG, PNG or WebP, at most 10 MB each.
    #[schema(max_items = 3)]
    photo: Vec<Binary>,
}

/// A refused report (422, 400 for a robot, 404 for an unknown grid, 429): the headline
/// plus every field's reason.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct IntakeRefused {
    /// validation, rejected, rate_limited, idempotency_key_reused, not_found
    error: String,
    message: String,
    message_en: String,
    /// The first refused field.
    field: Option<String>,
    /// Every refused field (refused forms only).
    errors: Option<Vec<FieldReason>>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct FieldReason {
    field: String,
    message: String,
    message_en: String,
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

/// A resident's report (no login)
///
/// Honours the `Idempotency-Key` header: the same key and body answer the first answer again
/// (header `Idempotent-Replayed: true`); the same key with another body is refused (422).
/// Rate-limited per address and per grid.
#[utoipa::path(post, path = "/public/reports", tag = "residents",
    params(("Idempotency-Key" = Option<String>, Header, description = "8–128 characters; a retry with the same key and body gets the first answer")),
    request_body(content = ReportForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "the tracking code and the reporter's link", body = app::domain::resident::ReportReceipt),
        (status = 400, description = "refused as automated", body = IntakeRefused),
        (status = 404, description = "no such grid", body = IntakeRefused),
        (status = 422, description = "every refused field", body = IntakeRefused),
        (status = 429, description = "too many reports from this address or grid; `Retry-After`", body = IntakeRefused),
        (status = 503, description = "the database or the photo store is away; nothing was stored", body = ErrorBody)))]
async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    extensions: Extensions,
    MultipartBody(form): MultipartBody,
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

/// The public view of a report by its tracking code (no staff names, no personal data)
#[utoipa::path(get, path = "/public/reports/{code}", tag = "residents", params(("code" = String, Path, description = "the tracking code (查询码)")),
    responses((status = 200, description = "the report", body = PublicCase), Missing, Limited,
        (status = 503, description = "the database is away", body = ErrorBody)))]
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

/// The reporter's rating of a resolved report; dissatisfied reopens it
///
/// Needs the case's `token` (`feedback_token` of the receipt, given only to the reporter).
#[utoipa::path(post, path = "/public/reports/{code}/feedback", tag = "residents", params(("code" = String, Path, description = "the tracking code (查询码)")),
    request_body = FeedbackFields,
    responses((status = 200, description = "the report", body = PublicCase),
        (status = 403, description = "the token is not this case's", body = ErrorBody),
        (status = 409, description = "the case cannot be rated now", body = ErrorBody),
        (status = 422, description = "a refused field", body = ErrorBody),
        Missing, Limited, (status = 503, description = "the database is away", body = ErrorBody)))]
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

#[derive(Serialize, utoipa::ToSchema)]
struct GridPage {
    card: GridCard,
    categories: Vec<CategoryChoice>,
}

/// A grid's public card (网格员公示) and the categories to report under
#[utoipa::path(get, path = "/public/grids/{code}", tag = "residents", params(("code" = String, Path, description = "the grid")),
    responses((status = 200, description = "the card and the categories", body = GridPage), Missing,
        (status = 503, description = "the database is away", body = ErrorBody)))]
async fn grid(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> ApiResult<Json<GridPage>> {
    Ok(Json(GridPage {
        card: residents::grid_card(&state, &code, state.clock.now()).await?,
        categories: residents::categories(&state).await?,
    }))
}
