//! The 吹哨报到 desk's API: the notification bell (`/notifications`) and, for
//! administrators, the outbound webhooks (`/webhooks`) with their delivery record.

use super::{ApiResult, Auth, Invalid, JsonBody, Missing, OpenApiRouter, Refused, routes};
use app::domain::notify::Inbox;
use app::ssr::AppState;
use app::ssr::services::{notify, webhooks};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(command_inbox))
        .routes(routes!(department_desk))
        .routes(routes!(inbox))
        .routes(routes!(read))
        .routes(routes!(list_hooks, create_hook))
        .routes(routes!(remove_hook))
        .routes(routes!(deliveries))
}

/// The command centre's inbox (受理台) of the caller's area
#[utoipa::path(get, path = "/inbox", tag = "desk",
    responses((status = 200, description = "the lists", body = app::domain::case::view::CommandInbox), Refused))]
async fn command_inbox(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<app::domain::case::view::CommandInbox>> {
    Ok(Json(
        app::ssr::services::cases::desk::command_inbox(&state, &user, state.clock.now()).await?,
    ))
}

/// A department's desk (部门工作台): to acknowledge, in hand, copies, done
#[utoipa::path(get, path = "/desk", tag = "desk",
    responses((status = 200, description = "the lists", body = app::domain::case::view::DepartmentDesk), Refused))]
async fn department_desk(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<app::domain::case::view::DepartmentDesk>> {
    Ok(Json(
        app::ssr::services::cases::desk::department_desk(&state, &user, state.clock.now()).await?,
    ))
}

/// The bell: unread count and the newest 50 notifications
#[utoipa::path(get, path = "/notifications", tag = "desk",
    responses((status = 200, description = "the bell", body = Inbox), Refused))]
async fn inbox(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Json<Inbox>> {
    Ok(Json(notify::inbox(&state, &user).await?))
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct ReadBody {
    /// One notification; absent: all.
    id: Option<i64>,
}

/// Mark one notification (`id`) or all as read
#[utoipa::path(post, path = "/notifications/read", tag = "desk", request_body = ReadBody,
    responses((status = 200, description = "how many were marked", body = Updated), Refused, Invalid))]
async fn read(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<ReadBody>,
) -> ApiResult<Json<Updated>> {
    let n = notify::mark_read(&state, &user, body.id, state.clock.now()).await?;
    Ok(Json(Updated { updated: n }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Updated {
    updated: u64,
}

/// Administrators: the outbound webhooks
#[utoipa::path(get, path = "/webhooks", tag = "desk",
    responses((status = 200, description = "webhooks", body = Vec<webhooks::WebhookView>), Refused))]
async fn list_hooks(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<webhooks::WebhookView>>> {
    Ok(Json(webhooks::list(&state, &user).await?))
}

/// Administrators: register a webhook
#[utoipa::path(post, path = "/webhooks", tag = "desk", request_body = webhooks::NewWebhook,
    responses((status = 201, description = "the webhook with its signing secret (this answer only)", body = webhooks::WebhookView), Refused, Invalid))]
async fn create_hook(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<webhooks::NewWebhook>,
) -> ApiResult<(StatusCode, Json<webhooks::WebhookView>)> {
    let hook = webhooks::create(&state, &user, body, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(hook)))
}

/// Administrators: switch a webhook off
#[utoipa::path(delete, path = "/webhooks/{id}", tag = "desk", params(("id" = i64, Path, description = "the webhook")),
    responses((status = 204, description = "switched off"), Refused, Missing))]
async fn remove_hook(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(hook): Path<String>,
) -> ApiResult<StatusCode> {
    webhooks::deactivate(&state, &user, super::path_id(&hook)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Administrators: the newest 100 deliveries of a webhook with their attempts
#[utoipa::path(get, path = "/webhooks/{id}/deliveries", tag = "desk", params(("id" = i64, Path, description = "the webhook")),
    responses((status = 200, description = "deliveries", body = Vec<webhooks::DeliveryView>), Refused, Missing))]
async fn deliveries(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(hook): Path<String>,
) -> ApiResult<Json<Vec<webhooks::DeliveryView>>> {
    Ok(Json(
        webhooks::deliveries(&state, &user, super::path_id(&hook)?).await?,
    ))
}
