//! Territory: the tree, boundaries, one node's detail, and point → grid.

use super::{ApiError, ApiResult, Auth, Invalid, Missing, OpenApiRouter, Query, Refused, routes};
use app::domain::geo_point::GeoPoint;
use app::domain::territory::{GridDetail, TerritoryNode};
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::{AppState, services, store};
use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(tree))
        .routes(routes!(detail))
        .routes(routes!(boundary))
        .routes(routes!(locate))
}

/// Territory nodes in the caller's area, parents first
#[utoipa::path(get, path = "/territory", tag = "territory",
    responses((status = 200, description = "nodes", body = Vec<TerritoryNode>), Refused))]
async fn tree(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<TerritoryNode>>> {
    Ok(Json(services::territory::tree(&state, &user).await?))
}

/// One node with its ancestors and the people serving it
#[utoipa::path(get, path = "/territory/{code}", tag = "territory", params(("code" = String, Path)),
    responses((status = 200, description = "the node", body = GridDetail), Refused, Missing, Invalid))]
async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<GridDetail>> {
    Ok(Json(
        services::territory::detail(&state, &user, &code).await?,
    ))
}

/// A node's boundary as a GeoJSON Feature
#[utoipa::path(get, path = "/territory/{code}/boundary", tag = "territory", params(("code" = String, Path)),
    responses((status = 200, description = "a GeoJSON Feature (WGS-84)", body = Object), Refused, Missing, Invalid))]
async fn boundary(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        services::territory::boundary_feature(&state, &user, &code).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct LocateQuery {
    /// Latitude, WGS-84.
    #[param(value_type = f64, minimum = -90, maximum = 90)]
    lat: Option<String>,
    /// Longitude, WGS-84.
    #[param(value_type = f64, minimum = -180, maximum = 180)]
    lng: Option<String>,
}

/// The grid containing a point; 404 outside the district
#[utoipa::path(get, path = "/locate", tag = "territory", params(LocateQuery),
    responses((status = 200, description = "the grid", body = TerritoryNode), Refused, Missing, Invalid))]
async fn locate(
    State(state): State<AppState>,
    _: Auth,
    Query(q): Query<LocateQuery>,
) -> ApiResult<Json<TerritoryNode>> {
    let num = |v: Option<&String>, field: &str| {
        v.and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| ApiError(AppError::validation(field, Msg::ErrInvalidPoint)))
    };
    let point = GeoPoint::parse(num(q.lat.as_ref(), "lat")?, num(q.lng.as_ref(), "lng")?)
        .map_err(|_| ApiError(AppError::validation("lat", Msg::ErrInvalidPoint)))?;
    let code = services::territory::locate(&state, point).ok_or(AppError::NotFound)?;
    let row = store::territory::get(&state.db.pool, &code)
        .await
        .map_err(AppError::from)?
        .ok_or(AppError::NotFound)?;
    Ok(Json(row.into_node().map_err(AppError::from)?))
}
