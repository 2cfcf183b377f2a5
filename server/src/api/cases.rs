//! Cases: `GET|POST /cases`, `GET /cases/{id}`, `POST /cases/{id}/actions`.

use super::{ApiError, ApiResult, Auth, JsonBody};
use app::domain::case::Action;
use app::domain::case::view::{CaseDetail, CasePage};
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::services::cases::list_params::ListParams;
use app::ssr::services::cases::{self, NewCaseInput};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list).post(create))
        .route("/cases/{id}", get(detail))
        .route("/cases/{id}/actions", post(act))
        .route("/cases/{id}/consultations", post(consult))
}

async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<NewCaseInput>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let now = state.clock.now();
    Ok((
        StatusCode::CREATED,
        Json(cases::create(&state, &user, input, now).await?),
    ))
}

async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetail>> {
    let id = parse_id(&id)?;
    Ok(Json(
        cases::detail(&state, &user, id, state.clock.now()).await?,
    ))
}

async fn act(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    JsonBody(action): JsonBody<Action>,
) -> ApiResult<Json<CaseDetail>> {
    let id = parse_id(&id)?;
    Ok(Json(
        cases::act(&state, &user, id, action, state.clock.now()).await?,
    ))
}

fn parse_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or(ApiError(AppError::NotFound))
}

/// `?colour=&tier=&status=&area=&category=&from=&to=&supervised=&q=&page=&per_page=`; dates
/// are local (Asia/Shanghai) `YYYY-MM-DD`, `to` inclusive; `q` finds words in the
/// description or a whole tracking code.
async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<CasePage>> {
    let q = p.parse(50)?;
    Ok(Json(
        cases::list(&state, &user, q, state.clock.now()).await?,
    ))
}

async fn consult(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<cases::ConsultationInput>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let id = parse_id(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(cases::consult(&state, &user, id, input, state.clock.now()).await?),
    ))
}
