//! Open311 API keys, for administrators: `POST /admin/open311-keys` `{name, rate_limit?}`
//! → 201 `{id, api_key}` (the key is shown this once), `GET` lists them without keys,
//! `DELETE /admin/open311-keys/{id}` revokes one.

use super::{ApiResult, Auth, Invalid, JsonBody, Missing, OpenApiRouter, Refused, routes};
use app::domain::open311::KeyView;
use app::ssr::AppState;
use app::ssr::services::open311::keys;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, issue))
        .routes(routes!(revoke))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct NewKey {
    /// Who holds the key (an integrator, a city platform).
    #[schema(min_length = 1, max_length = 100)]
    name: String,
    /// Requests it may post per minute (default 60).
    #[schema(minimum = 1, maximum = 6000)]
    rate_limit: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct IssuedKey {
    id: i64,
    /// Shown this once; only a keyed hash is kept.
    api_key: String,
}

/// Administrators: issue an Open311 API key; the key is in this answer only
#[utoipa::path(post, path = "/admin/open311-keys", tag = "integrations", request_body = NewKey,
    responses((status = 201, description = "the key", body = IssuedKey), Refused, Invalid))]
async fn issue(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<NewKey>,
) -> ApiResult<(StatusCode, Json<IssuedKey>)> {
    let now = state.clock.now();
    let (id, api_key) = keys::issue(&state, &user, &input.name, input.rate_limit, now).await?;
    Ok((StatusCode::CREATED, Json(IssuedKey { id, api_key })))
}

/// Administrators: the Open311 API keys (name, rate per minute, issued, last used, revoked), never the keys
#[utoipa::path(get, path = "/admin/open311-keys", tag = "integrations",
    responses((status = 200, description = "keys", body = Vec<KeyView>), Refused))]
async fn list(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Json<Vec<KeyView>>> {
    Ok(Json(keys::list(&state, &user).await?))
}

/// Administrators: revoke an Open311 API key
#[utoipa::path(delete, path = "/admin/open311-keys/{id}", tag = "integrations", params(("id" = i64, Path)),
    responses((status = 204, description = "revoked"), Refused, Missing))]
async fn revoke(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let id = super::path_id(&id)?;
    keys::revoke(&state, &user, id, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
