//! `/api/v1/admin/grids/{code}/members`: administrators assign the people serving a grid
//! (1+3+N, 一格八员; `services::members`).

use super::{ApiResult, Auth, JsonBody};
use app::domain::people::GridMember;
use app::ssr::AppState;
use app::ssr::services::members::{self, MemberInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/grids/{code}/members", get(list).post(add))
        .route("/admin/grids/{code}/members/{id}", delete(remove))
}

async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<Vec<GridMember>>> {
    Ok(Json(members::list(&state, &user, &code).await?))
}

async fn add(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
    JsonBody(input): JsonBody<MemberInput>,
) -> ApiResult<(StatusCode, Json<GridMember>)> {
    let m = members::add(&state, &user, &code, input, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

async fn remove(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path((code, id)): Path<(String, i64)>,
) -> ApiResult<StatusCode> {
    members::remove(&state, &user, &code, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
