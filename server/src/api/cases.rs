//! Cases: `GET|POST /cases`, `GET /cases/{id}`, `POST /cases/{id}/actions`.

use super::{
    ApiResult, Auth, Conflicting, Invalid, JsonBody, Missing, OpenApiRouter, Query, Refused, routes,
};
use app::domain::case::Action;
use app::domain::case::view::{CaseDetail, CasePage};
use app::ssr::AppState;
use app::ssr::services::cases::list_params::ListParams;
use app::ssr::services::cases::{self, NewCaseInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(detail))
        .routes(routes!(act))
        .routes(routes!(consult))
}

/// Report a case (staff)
///
/// The grid is found from the point; outside the caller's area the report is refused.
#[utoipa::path(post, path = "/cases", tag = "cases", request_body = NewCaseInput,
    responses((status = 201, description = "the case", body = CaseDetail), Refused, Invalid))]
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

/// A case with its timeline and the actions the caller may take
#[utoipa::path(get, path = "/cases/{id}", tag = "cases", params(("id" = i64, Path, description = "the case")),
    responses((status = 200, description = "the case", body = CaseDetail), Refused, Missing))]
async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetail>> {
    let id = super::path_id(&id)?;
    Ok(Json(
        cases::detail(&state, &user, id, state.clock.now()).await?,
    ))
}

/// Act on a case
///
/// Refused actions answer 403 (not the caller's) or 409 (not in this step) with a reason.
#[utoipa::path(post, path = "/cases/{id}/actions", tag = "cases", params(("id" = i64, Path, description = "the case")),
    request_body = Action,
    responses((status = 200, description = "the case after the action", body = CaseDetail), Refused, Missing, Conflicting, Invalid))]
async fn act(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    JsonBody(action): JsonBody<Action>,
) -> ApiResult<Json<CaseDetail>> {
    let id = super::path_id(&id)?;
    Ok(Json(
        cases::act(&state, &user, id, action, state.clock.now()).await?,
    ))
}

/// Cases in the caller's area, newest first
///
/// Filters combine; dates are local (Asia/Shanghai) `YYYY-MM-DD`, `to` inclusive; `q`
/// finds words in the description or a whole tracking code.
#[utoipa::path(get, path = "/cases", tag = "cases", params(ListParams),
    responses((status = 200, description = "one page", body = CasePage), Refused, Missing, Invalid))]
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

/// Record a consultation (会商) on a key case
#[utoipa::path(post, path = "/cases/{id}/consultations", tag = "cases", params(("id" = i64, Path, description = "the case")),
    request_body = cases::ConsultationInput,
    responses((status = 201, description = "the case", body = CaseDetail), Refused, Missing, Conflicting, Invalid))]
async fn consult(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<cases::ConsultationInput>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let id = super::path_id(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(cases::consult(&state, &user, id, input, state.clock.now()).await?),
    ))
}
