//! A case list as a file: `GET /cases.xlsx`, `/cases.csv` and `/cases.geojson`, with the
//! filters and scope of `GET /cases` (page and per_page are ignored: the whole list, up to
//! `EXPORT_MAX` rows, or 422 asking to narrow it).

use super::{ApiError, ApiResult, Auth, download};
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::services::cases::export;
use app::ssr::services::cases::list_params::ListParams;
use app::ssr::xlsx;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases.xlsx", get(as_xlsx))
        .route("/cases.csv", get(as_csv))
        .route("/cases.geojson", get(as_geojson))
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

async fn as_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let rows = rows(&state, &user, &p, "xlsx").await?;
    let bytes = xlsx::write(&[export::sheet(&rows)]).map_err(internal)?;
    Ok(download(bytes, super::XLSX_TYPE, "cases.xlsx"))
}

async fn as_csv(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let rows = rows(&state, &user, &p, "csv").await?;
    let bytes = xlsx::csv_out::write(&export::sheet(&rows)).map_err(internal)?;
    Ok(download(bytes, "text/csv; charset=utf-8", "cases.csv"))
}

async fn as_geojson(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let rows = rows(&state, &user, &p, "geojson").await?;
    let bytes = serde_json::to_vec(&export::geojson(&rows)).map_err(internal)?;
    Ok(download(bytes, "application/geo+json", "cases.geojson"))
}
