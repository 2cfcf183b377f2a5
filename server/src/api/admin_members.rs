//! `/api/v1/admin/grids/{code}/members`: administrators assign the people serving a grid
//! (1+3+N, 一格八员; `services::members`).

use super::{
    ApiError, ApiResult, Auth, Invalid, JsonBody, Missing, OpenApiRouter, Refused, routes,
};
use app::domain::people::GridMember;
use app::ssr::AppState;
use app::ssr::services::members::{self, MemberInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(remove))
}

/// Administrators: the people serving a grid (1+3+N)
#[utoipa::path(get, path = "/admin/grids/{code}/members", tag = "territory", params(("code" = String, Path, description = "the grid")),
    responses((status = 200, description = "members", body = Vec<GridMember>), Refused, Missing))]
async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<GridMember>>> {
    Ok(Json(members::list(&state, &user, &code).await?))
}

/// Administrators: add a member to a grid (audited); the QR page and poster show it at once
#[utoipa::path(post, path = "/admin/grids/{code}/members", tag = "territory", params(("code" = String, Path, description = "the grid")),
    request_body = MemberInput,
    responses((status = 201, description = "the member", body = GridMember), Refused, Missing, Invalid))]
async fn add(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
    JsonBody(input): JsonBody<MemberInput>,
) -> ApiResult<(StatusCode, Json<GridMember>)> {
    let m = members::add(&state, &user, &code, input, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Administrators: remove a member from a grid (audited; their account stays)
#[utoipa::path(delete, path = "/admin/grids/{code}/members/{id}", tag = "territory",
    params(("code" = String, Path, description = "the grid"), ("id" = i64, Path, description = "the member")),
    responses((status = 204, description = "removed"), Refused, Missing))]
async fn remove(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path((code, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id = id
        .parse::<i64>()
        .map_err(|_| ApiError(app::error::AppError::NotFound))?;
    members::remove(&state, &user, &code, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
