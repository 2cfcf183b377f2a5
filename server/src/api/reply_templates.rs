//! Reply templates (常用回复): `GET /reply-templates` (staff), and for administrators
//! `POST /reply-templates` and `DELETE /reply-templates/{id}`.

use super::{ApiResult, Auth, Invalid, JsonBody, Missing, OpenApiRouter, Refused, routes};
use app::domain::reply_template::ReplyTemplate;
use app::ssr::AppState;
use app::ssr::services::reply_templates::{self, TemplateInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(remove))
}

/// Reply templates (常用回复) for each step, per category or for every category
#[utoipa::path(get, path = "/reply-templates", tag = "standards",
    responses((status = 200, description = "templates", body = Vec<ReplyTemplate>), Refused))]
async fn list(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<ReplyTemplate>>> {
    Ok(Json(reply_templates::list(&state).await?))
}

/// Administrators: add a template (audited)
#[utoipa::path(post, path = "/reply-templates", tag = "standards", request_body = TemplateInput,
    responses((status = 201, description = "the template", body = ReplyTemplate), Refused, Invalid))]
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

/// Administrators: remove a template (audited)
#[utoipa::path(delete, path = "/reply-templates/{id}", tag = "standards", params(("id" = i64, Path)),
    responses((status = 204, description = "removed"), Refused, Missing))]
async fn remove(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = super::path_id(&id)?;
    reply_templates::delete(&state, &user, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
