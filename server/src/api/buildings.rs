//! `/api/v1/buildings` (staff: the buildings of their area or a grid) and
//! `/api/v1/admin/buildings/import` (administrators: the building list, all rows or none).

use super::{ApiResult, Auth};
use app::domain::building_table::Column;
use app::ssr::AppState;
use app::ssr::services::buildings;
use app::ssr::services::roster::{TableError, problem_json};
use app::ssr::store::buildings::BuildingRow;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    match buildings::import(&state, &user, body, state.clock.now()).await {
        Ok(done) => Json(done).into_response(),
        Err(TableError::Refused(rows)) => {
            let body = serde_json::json!({
                "error": "buildings_refused",
                "message": format!("有 {} 处问题，未导入任何楼栋。", rows.len()),
                "message_en": format!("{} problems; no building was imported.", rows.len()),
                "problems": rows.iter().map(|r| problem_json(r, Column::header)).collect::<Vec<_>>(),
            });
            (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
        }
        Err(TableError::Other(e)) => super::ApiError(e).into_response(),
    }
}
