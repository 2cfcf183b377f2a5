//! `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/me`.

use super::{ApiResult, Auth, JsonBody};
use crate::forms::{keep_version, start_session};
use crate::middleware::client_ip;
use app::domain::people::Me;
use app::ssr::AppState;
use app::ssr::services::auth::login;
use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login_json))
        .route("/logout", post(logout_json))
        .route("/me", get(me))
        .route("/me/password", post(change_password))
}

#[derive(Deserialize)]
struct LoginRequest {
    username: String,
    password: String,
}

async fn login_json(
    State(state): State<AppState>,
    session: Session,
    headers: axum::http::HeaderMap,
    extensions: Extensions,
    JsonBody(body): JsonBody<LoginRequest>,
) -> ApiResult<Json<Me>> {
    let id = login(
        &state,
        &body.username,
        &body.password,
        &client_ip(&headers, &extensions, state.config.trust_proxy),
    )
    .await?;
    start_session(&state, &session, id).await?;
    let user = app::ssr::services::auth::load_current_user(&state, id)
        .await?
        .ok_or(app::error::AppError::Unauthorized)?;
    Ok(Json(user.me()))
}

async fn logout_json(session: Session) -> StatusCode {
    let _ = session.flush().await;
    StatusCode::NO_CONTENT
}

async fn me(Auth(user): Auth) -> Json<Me> {
    Json(user.me())
}

#[derive(Deserialize)]
struct PasswordChange {
    old_password: String,
    new_password: String,
}

/// The user's own new password; the current one is required. Other sessions end; this one
/// stays. A temporary password's holder may call nothing else until this succeeds.
async fn change_password(
    State(state): State<AppState>,
    session: Session,
    Auth(user): Auth,
    JsonBody(body): JsonBody<PasswordChange>,
) -> ApiResult<StatusCode> {
    let version = app::ssr::services::accounts::change_own_password(
        &state,
        &user,
        &body.old_password,
        &body.new_password,
        state.clock.now(),
    )
    .await?;
    keep_version(&session, version).await?;
    Ok(StatusCode::NO_CONTENT)
}
