//! Open311 API keys, for administrators: `POST /admin/open311-keys` `{name, rate_limit?}`
//! → 201 `{id, api_key}` (the key is shown this once), `GET` lists them without keys,
//! `DELETE /admin/open311-keys/{id}` revokes one.

use super::{ApiResult, Auth, JsonBody};
use app::domain::open311::KeyView;
use app::ssr::AppState;
use app::ssr::services::open311::keys;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/open311-keys", get(list).post(issue))
        .route("/admin/open311-keys/{id}", delete(revoke))
}

#[derive(Deserialize)]
struct NewKey {
    name: String,
    rate_limit: Option<i64>,
}

#[derive(Serialize)]
struct IssuedKey {
    id: i64,
    api_key: String,
}

async fn issue(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<NewKey>,
) -> ApiResult<(StatusCode, Json<IssuedKey>)> {
    let now = state.clock.now();
    let (id, api_key) = keys::issue(&state, &user, &input.name, input.rate_limit, now).await?;
    Ok((StatusCode::CREATED, Json(IssuedKey { id, api_key })))
}

async fn list(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Json<Vec<KeyView>>> {
    Ok(Json(keys::list(&state, &user).await?))
}

async fn revoke(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    keys::revoke(&state, &user, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
