//! The 吹哨报到 desk's API: the notification bell (`/notifications`) and, for
//! administrators, the outbound webhooks (`/webhooks`) with their delivery record.

use super::{ApiError, ApiResult, Auth, JsonBody};
use app::domain::notify::Inbox;
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::services::{notify, webhooks};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inbox", get(command_inbox))
        .route("/desk", get(department_desk))
        .route("/notifications", get(inbox))
        .route("/notifications/read", post(read))
        .route("/webhooks", get(list_hooks).post(create_hook))
        .route("/webhooks/{id}", axum::routing::delete(remove_hook))
        .route("/webhooks/{id}/deliveries", get(deliveries))
}

async fn command_inbox(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<app::domain::case::view::CommandInbox>> {
    Ok(Json(
        app::ssr::services::cases::desk::command_inbox(&state, &user, state.clock.now()).await?,
    ))
}

async fn department_desk(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<app::domain::case::view::DepartmentDesk>> {
    Ok(Json(
        app::ssr::services::cases::desk::department_desk(&state, &user, state.clock.now()).await?,
    ))
}

async fn inbox(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Json<Inbox>> {
    Ok(Json(notify::inbox(&state, &user).await?))
}

#[derive(Deserialize, Default)]
struct ReadBody {
    /// One notification; absent: all.
    id: Option<i64>,
}

async fn read(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<ReadBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let n = notify::mark_read(&state, &user, body.id, state.clock.now()).await?;
    Ok(Json(serde_json::json!({ "updated": n })))
}

async fn list_hooks(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<webhooks::WebhookView>>> {
    Ok(Json(webhooks::list(&state, &user).await?))
}

async fn create_hook(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<webhooks::NewWebhook>,
) -> ApiResult<(StatusCode, Json<webhooks::WebhookView>)> {
    let hook = webhooks::create(&state, &user, body, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(hook)))
}

fn id(s: &str) -> Result<i64, ApiError> {
    s.parse().map_err(|_| ApiError(AppError::NotFound))
}

async fn remove_hook(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(hook): Path<String>,
) -> ApiResult<StatusCode> {
    webhooks::deactivate(&state, &user, id(&hook)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn deliveries(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(hook): Path<String>,
) -> ApiResult<Json<Vec<webhooks::DeliveryView>>> {
    Ok(Json(webhooks::deliveries(&state, &user, id(&hook)?).await?))
}
