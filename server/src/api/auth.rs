//! `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/me`.

use super::{ApiResult, Auth, JsonBody};
use crate::forms::start_session;
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
    start_session(&session, id).await?;
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
