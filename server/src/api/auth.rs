//! `POST /api/v1/login`, `POST /api/v1/logout`, `GET /api/v1/me`.

use super::{ApiResult, Auth, Invalid, JsonBody, Limited, OpenApiRouter, Refused, routes};
use crate::forms::{keep_version, start_session};
use crate::middleware::client_ip;
use app::domain::people::Me;
use app::ssr::AppState;
use app::ssr::services::auth::login;
use axum::Json;
use axum::extract::State;
use axum::http::{Extensions, StatusCode};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login_json))
        .routes(routes!(logout_json))
        .routes(routes!(me))
        .routes(routes!(change_password))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct LoginRequest {
    username: String,
    password: String,
}

/// Log in; sets the session cookie
///
/// Failed logins make the (username, address) pair wait longer each time (429 with
/// `Retry-After`).
#[utoipa::path(post, path = "/login", tag = "accounts", request_body = LoginRequest,
    responses((status = 200, description = "the account", body = Me),
        (status = 401, description = "wrong username or password", body = super::ErrorBody),
        Invalid, Limited))]
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

/// Log out (without a session: nothing to do)
#[utoipa::path(post, path = "/logout", tag = "accounts",
    responses((status = 204, description = "logged out")))]
async fn logout_json(session: Session) -> StatusCode {
    let _ = session.flush().await;
    StatusCode::NO_CONTENT
}

/// The logged-in account
#[utoipa::path(get, path = "/me", tag = "accounts",
    responses((status = 200, description = "the account", body = Me), Refused))]
async fn me(Auth(user): Auth) -> Json<Me> {
    Json(user.me())
}

#[derive(Deserialize, utoipa::ToSchema)]
struct PasswordChange {
    old_password: String,
    /// 8–128 characters, not a common password, not the username; any characters.
    #[schema(min_length = 8, max_length = 128)]
    new_password: String,
}

/// Change one's own password
///
/// The current one is required. Other sessions of the account end; this one stays. Until
/// a temporary password is replaced every other call answers 403 `password_change_required`.
#[utoipa::path(post, path = "/me/password", tag = "accounts", request_body = PasswordChange,
    responses((status = 204, description = "changed"), Refused, Invalid))]
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
