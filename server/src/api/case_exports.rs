//! A case list as a file: `GET /cases.xlsx`, `/cases.csv` and `/cases.geojson`, with the
//! filters and scope of `GET /cases` (page and per_page are ignored: the whole list, up to
//! `EXPORT_MAX` rows, or 422 asking to narrow it).

use super::{
    ApiError, ApiResult, Auth, Invalid, Missing, OpenApiRouter, Query, Refused, download, routes,
};
use crate::http::doc::Binary;
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::services::cases::export;
use app::ssr::services::cases::list_params::ListParams;
use app::ssr::xlsx;
use axum::extract::State;
use axum::response::Response;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(as_xlsx))
        .routes(routes!(as_csv))
        .routes(routes!(as_geojson))
}

async fn rows(
    state: &AppState,
    user: &app::ssr::CurrentUser,
    p: &ListParams,
    format: &str,
) -> ApiResult<Vec<export::ExportRow>> {
    let q = p.parse(50)?;
    Ok(export::rows(state, user, q, format, state.clock.now()).await?)
}

fn internal<E: std::fmt::Display>(e: E) -> ApiError {
    tracing::error!(error = %e, "a case export could not be written");
    ApiError(AppError::Internal)
}

/// The list's cases as an XLSX sheet with Chinese headers
///
/// Filters and scope of `GET /cases`; page ignored; at most 50,000 rows, else 422 asking to
/// narrow the list. Audited.
#[utoipa::path(get, path = "/cases.xlsx", tag = "integrations", params(ListParams),
    responses((status = 200, description = "the workbook", body = Binary, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Refused, Missing, Invalid))]
async fn as_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let rows = rows(&state, &user, &p, "xlsx").await?;
    let bytes = xlsx::write(&[export::sheet(&rows)]).map_err(internal)?;
    Ok(download(bytes, super::XLSX_TYPE, "cases.xlsx"))
}

/// The same list as UTF-8 CSV with a byte-order mark
///
/// Text a spreadsheet would run as a formula starts with an apostrophe.
#[utoipa::path(get, path = "/cases.csv", tag = "integrations", params(ListParams),
    responses((status = 200, description = "the table", body = String, content_type = "text/csv"), Refused, Missing, Invalid))]
async fn as_csv(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let rows = rows(&state, &user, &p, "csv").await?;
    let bytes = xlsx::csv_out::write(&export::sheet(&rows)).map_err(internal)?;
    Ok(download(bytes, "text/csv; charset=utf-8", "cases.csv"))
}

/// The same list as a GeoJSON FeatureCollection of points for GIS
///
/// Status, colour, category, dates; no description, no personal data.
#[utoipa::path(get, path = "/cases.geojson", tag = "integrations", params(ListParams),
    responses((status = 200, description = "RFC 7946 points", body = Object, content_type = "application/geo+json"), Refused, Missing, Invalid))]
async fn as_geojson(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let rows = rows(&state, &user, &p, "geojson").await?;
    let bytes = serde_json::to_vec(&export::geojson(&rows)).map_err(internal)?;
    Ok(download(bytes, "application/geo+json", "cases.geojson"))
}
