//! `/api/v1/buildings` (staff: the buildings of their area or a grid) and
//! `/api/v1/admin/buildings/import` (administrators: the building list, all rows or none).

use super::{ApiResult, Auth};
use app::ssr::AppState;
use app::ssr::services::buildings;
use app::ssr::store::buildings::BuildingRow;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new().route("/buildings", get(list)).route(
        "/admin/buildings/import",
        post(import).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
    )
}

#[derive(serde::Deserialize)]
struct GridQuery {
    #[serde(default)]
    grid: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<GridQuery>,
) -> ApiResult<Json<Vec<BuildingRow>>> {
    Ok(Json(
        buildings::list(&state, &user, q.grid.as_deref()).await?,
    ))
}

/// The table as the body: 200 `{created, moved}`, or 422 with every refused row.
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    body: axum::body::Bytes,
) -> Response {
    let done = buildings::import(&state, &user, body, state.clock.now()).await;
    super::table_import(
        done,
        StatusCode::OK,
        "buildings_refused",
        ("楼栋", "building"),
    )
}
