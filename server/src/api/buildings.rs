//! `/api/v1/buildings` (staff: the buildings of their area or a grid) and
//! `/api/v1/admin/buildings/import` (administrators: the building list, all rows or none).

use super::{ApiResult, Auth, Invalid, Missing, OpenApiRouter, Query, Refused, routes};
use crate::http::doc::{Binary, TableRefused};
use app::ssr::AppState;
use app::ssr::services::buildings;
use app::ssr::store::buildings::BuildingRow;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .merge(super::limited(routes!(import), 8 * 1024 * 1024))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct GridQuery {
    /// A grid's code; default: the caller's whole area.
    #[serde(default)]
    grid: Option<String>,
}

/// The buildings of the caller's area, or of one grid in it, with their points (WGS-84)
#[utoipa::path(get, path = "/buildings", tag = "territory", params(GridQuery),
    responses((status = 200, description = "buildings", body = Vec<BuildingRow>), Refused, Missing, Invalid))]
async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<GridQuery>,
) -> ApiResult<Json<Vec<BuildingRow>>> {
    Ok(Json(
        buildings::list(&state, &user, q.grid.as_deref()).await?,
    ))
}

/// Administrators: the building list (楼栋清单) from a table
///
/// CSV in UTF-8 or XLSX; columns 网格编码/grid, 楼栋/building, 纬度/lat and 经度/lng in WGS-84,
/// or one 位置/point cell "lat,lng". Each grid must be in the administrator's area and each
/// point inside its grid. All rows or none; a building already listed for its grid is moved.
#[utoipa::path(post, path = "/admin/buildings/import", tag = "territory",
    request_body(content((Binary = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), description = "the table (at most 8 MB)"),
    responses((status = 200, description = "what was written", body = app::ssr::services::buildings::BuildingsImported),
        (status = 422, description = "`buildings_refused`: nothing was written", body = TableRefused), Refused, crate::http::doc::TooLarge))]
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    crate::http::FileBody(body): crate::http::FileBody,
) -> Response {
    let done = buildings::import(&state, &user, body, state.clock.now()).await;
    super::table_import(
        done,
        StatusCode::OK,
        "buildings_refused",
        ("楼栋", "building"),
    )
}
