//! Territory: the tree, boundaries, one node's detail, and point → grid.

use super::{ApiError, ApiResult, Auth};
use app::domain::geo_point::GeoPoint;
use app::domain::territory::{GridDetail, TerritoryNode};
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::{AppState, services, store};
use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/territory", get(tree))
        .route("/territory/{code}", get(detail))
        .route("/territory/{code}/boundary", get(boundary))
        .route("/locate", get(locate))
}

async fn tree(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<TerritoryNode>>> {
    Ok(Json(services::territory::tree(&state, &user).await?))
}

async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<GridDetail>> {
    Ok(Json(
        services::territory::detail(&state, &user, &code).await?,
    ))
}

async fn boundary(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        services::territory::boundary_feature(&state, &user, &code).await?,
    ))
}

#[derive(Deserialize)]
struct LocateQuery {
    lat: Option<String>,
    lng: Option<String>,
}

/// The grid containing a point; 404 outside the district.
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
