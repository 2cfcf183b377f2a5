//! Reply templates (常用回复): `GET /reply-templates` (staff), and for administrators
//! `POST /reply-templates` and `DELETE /reply-templates/{id}`.

use super::{ApiResult, Auth, JsonBody};
use app::domain::reply_template::ReplyTemplate;
use app::ssr::AppState;
use app::ssr::services::reply_templates::{self, TemplateInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reply-templates", get(list).post(add))
        .route("/reply-templates/{id}", delete(remove))
}

async fn list(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<ReplyTemplate>>> {
    Ok(Json(reply_templates::list(&state).await?))
}

async fn add(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<TemplateInput>,
) -> ApiResult<(StatusCode, Json<ReplyTemplate>)> {
    let now = state.clock.now();
    Ok((
        StatusCode::CREATED,
        Json(reply_templates::add(&state, &user, input, now).await?),
    ))
}

async fn remove(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    reply_templates::delete(&state, &user, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
