//! `/api/v1/admin/…`: administrators create accounts (a temporary password shown once),
//! deactivate them and reset passwords (every change audited by the service), and search the
//! audit log.

use super::{ApiResult, Auth, JsonBody};
use app::ssr::AppState;
use app::ssr::services::accounts::{self, Issued, NewAccountInput};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", post(create))
        .route("/admin/audit", get(audit_search))
        .route("/admin/login-locks", get(login_locks))
        .route("/admin/login-locks/{username}/unlock", post(unlock_login))
        .route("/admin/accounts/{username}/deactivate", post(deactivate))
        .route(
            "/admin/accounts/{username}/reset-password",
            post(reset_password),
        )
}

/// A temporary password is shown once: never kept by a cache.
fn issued(status: StatusCode, body: Issued) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<NewAccountInput>,
) -> ApiResult<Response> {
    let issued_password = accounts::create(&state, &user, body, state.clock.now()).await?;
    Ok(issued(StatusCode::CREATED, issued_password))
}

async fn deactivate(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<StatusCode> {
    accounts::deactivate(&state, &user, &username, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reset_password(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<Response> {
    let issued_password =
        accounts::reset_password(&state, &user, &username, state.clock.now()).await?;
    Ok(issued(StatusCode::OK, issued_password))
}

async fn audit_search(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<app::ssr::services::audit::AuditQuery>,
) -> ApiResult<Json<Vec<app::ssr::services::audit::AuditEntry>>> {
    Ok(Json(
        app::ssr::services::audit::search(&state, &user, q, state.clock.now()).await?,
    ))
}

async fn login_locks(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<app::ssr::login_throttle::LoginLock>>> {
    Ok(Json(accounts::login_locks(
        &state,
        &user,
        state.clock.now(),
    )?))
}

async fn unlock_login(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let lifted = accounts::unlock_login(&state, &user, &username, state.clock.now()).await?;
    Ok(Json(serde_json::json!({ "lifted": lifted })))
}
