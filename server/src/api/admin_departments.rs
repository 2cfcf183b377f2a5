//! `/api/v1/admin/departments`: administrators create, rename and deactivate departments
//! and set the categories each is competent for (`services::departments`).

use super::{
    ApiResult, Auth, Conflicting, Invalid, JsonBody, Missing, OpenApiRouter, Refused, routes,
};
use crate::http::doc::{Binary, TableRefused};
use app::ssr::AppState;
use app::ssr::services::departments::{self, DepartmentAdmin, DepartmentInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .merge(super::limited(routes!(import), 1024 * 1024))
        .routes(routes!(update))
        .routes(routes!(deactivate))
}

/// Administrators: every department, active or not, with the categories it is competent for
#[utoipa::path(get, path = "/admin/departments", tag = "accounts",
    responses((status = 200, description = "departments", body = Vec<DepartmentAdmin>), Refused))]
async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<DepartmentAdmin>>> {
    Ok(Json(departments::list(&state, &user).await?))
}

/// Administrators: create many departments from a table
///
/// CSV in UTF-8 or XLSX; columns 编码/code, 名称/name, 英文名称/name_en, 主管类别/categories
/// separated by ; or 、. All rows or none.
#[utoipa::path(post, path = "/admin/departments/import", tag = "accounts",
    request_body(content((Binary = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), description = "the table (at most 1 MB)"),
    responses((status = 201, description = "the codes created", body = DepartmentsCreated),
        (status = 422, description = "`departments_refused`: nothing was created", body = TableRefused), Refused, crate::http::doc::TooLarge))]
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    crate::http::FileBody(body): crate::http::FileBody,
) -> axum::response::Response {
    let done =
        app::ssr::services::department_import::import(&state, &user, body, state.clock.now())
            .await
            .map(|created| DepartmentsCreated { created });
    super::table_import(
        done,
        StatusCode::CREATED,
        "departments_refused",
        ("部门", "department"),
    )
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct DepartmentsCreated {
    created: Vec<String>,
}

/// Administrators: create a department; 409 if the code is taken
#[utoipa::path(post, path = "/admin/departments", tag = "accounts", request_body = DepartmentInput,
    responses((status = 201, description = "the department", body = DepartmentAdmin), Refused, Conflicting, Invalid))]
async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<DepartmentInput>,
) -> ApiResult<(StatusCode, Json<DepartmentAdmin>)> {
    let d = departments::create(&state, &user, input, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// Administrators: rename a department and set its categories (audited: before → after)
#[utoipa::path(put, path = "/admin/departments/{code}", tag = "accounts", params(("code" = String, Path)),
    request_body = DepartmentInput,
    responses((status = 200, description = "the department", body = DepartmentAdmin), Refused, Missing, Invalid))]
async fn update(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
    JsonBody(input): JsonBody<DepartmentInput>,
) -> ApiResult<Json<DepartmentAdmin>> {
    Ok(Json(
        departments::update(&state, &user, &code, input, state.clock.now()).await?,
    ))
}

/// Administrators: deactivate a department
///
/// 409 while it holds open dispatches. It then receives nothing new and keeps its history.
#[utoipa::path(post, path = "/admin/departments/{code}/deactivate", tag = "accounts", params(("code" = String, Path)),
    responses((status = 204, description = "deactivated"), Refused, Missing, Conflicting))]
async fn deactivate(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    departments::deactivate(&state, &user, &code, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
