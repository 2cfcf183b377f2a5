//! The category standards table: `GET /categories` (everyone signed in), and for
//! administrators `PUT /categories/{code}`, `GET /categories.xlsx`, `POST /categories/import`.

use super::{ApiResult, Auth, Invalid, JsonBody, OpenApiRouter, Refused, routes};
use crate::http::doc::{Binary, TableRefused};
use app::domain::category_standard::CategoryStandard;
use app::ssr::AppState;
use app::ssr::services::categories;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
        .merge(super::limited(routes!(import), 1024 * 1024))
        .routes(routes!(update))
}

/// The category standards table
///
/// Categories and subcategories (`parent`), 部件/事件 codes, 立案/结案 standards, default tier,
/// urgency, competent department and stage limits in working hours.
#[utoipa::path(get, path = "/categories", tag = "standards",
    responses((status = 200, description = "categories", body = Vec<CategoryStandard>), Refused))]
async fn list(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<CategoryStandard>>> {
    Ok(Json(categories::list(&state).await?))
}

/// Administrators: add or replace one row of the standards table (checked as an imported row; audited)
#[utoipa::path(put, path = "/categories/{code}", tag = "standards", params(("code" = String, Path)),
    request_body = CategoryStandard,
    responses((status = 200, description = "the row as stored", body = CategoryStandard), Refused, Invalid))]
async fn update(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
    JsonBody(input): JsonBody<CategoryStandard>,
) -> ApiResult<Json<CategoryStandard>> {
    let now = state.clock.now();
    Ok(Json(
        categories::put(&state, &user, &code, input, now).await?,
    ))
}

/// Administrators: the standards table as an XLSX workbook (Chinese headers), to edit and import back
#[utoipa::path(get, path = "/categories.xlsx", tag = "standards",
    responses((status = 200, description = "the workbook", body = Binary, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Refused))]
async fn export(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Response> {
    let bytes = categories::export(&state, &user).await?;
    Ok(super::download(bytes, super::XLSX_TYPE, "categories.xlsx"))
}

/// Administrators: write the standards table from a table
///
/// CSV in UTF-8 or XLSX, the export's columns 编码, 所属大类, 部件事件编码, 部件/事件, 名称,
/// 英文名称, 立案标准, 结案标准, 默认分类, 紧急, 主管部门, 报到/处置/核查时限（工作小时）.
/// All rows or none.
#[utoipa::path(post, path = "/categories/import", tag = "standards",
    request_body(content((Binary = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), description = "the table (at most 1 MB)"),
    responses((status = 200, description = "the codes written", body = CategoriesWritten),
        (status = 422, description = "`categories_refused`: nothing was written", body = TableRefused), Refused, crate::http::doc::TooLarge))]
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    crate::http::FileBody(body): crate::http::FileBody,
) -> Response {
    let done = categories::import(&state, &user, body, state.clock.now())
        .await
        .map(|written| CategoriesWritten { written });
    super::table_import(
        done,
        StatusCode::OK,
        "categories_refused",
        ("类别", "category"),
    )
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct CategoriesWritten {
    written: Vec<String>,
}
