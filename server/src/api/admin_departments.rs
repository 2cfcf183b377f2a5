//! `/api/v1/admin/departments`: administrators create, rename and deactivate departments
//! and set the categories each is competent for (`services::departments`).

use super::{ApiResult, Auth, JsonBody};
use app::ssr::AppState;
use app::ssr::services::departments::{self, DepartmentAdmin, DepartmentInput};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/departments", get(list).post(create))
        .route(
            "/admin/departments/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(1024 * 1024)),
        )
        .route("/admin/departments/{code}", put(update))
        .route("/admin/departments/{code}/deactivate", post(deactivate))
}

async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<DepartmentAdmin>>> {
    Ok(Json(departments::list(&state, &user).await?))
}

/// The table itself as the body (CSV or XLSX): 201 `{created: [codes]}`, or 422 with every
/// refused row and nothing created.
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    body: axum::body::Bytes,
) -> axum::response::Response {
    let done =
        app::ssr::services::department_import::import(&state, &user, body, state.clock.now())
            .await
            .map(|created| serde_json::json!({ "created": created }));
    super::table_import(
        done,
        StatusCode::CREATED,
        "departments_refused",
        ("部门", "department"),
    )
}

async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<DepartmentInput>,
) -> ApiResult<(StatusCode, Json<DepartmentAdmin>)> {
    let d = departments::create(&state, &user, input, state.clock.now()).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

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

async fn deactivate(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
) -> ApiResult<StatusCode> {
    departments::deactivate(&state, &user, &code, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}
