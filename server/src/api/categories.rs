//! The category standards table: `GET /categories` (everyone signed in), and for
//! administrators `PUT /categories/{code}`, `GET /categories.xlsx`, `POST /categories/import`.

use super::{ApiResult, Auth, JsonBody};
use app::domain::category_standard::CategoryStandard;
use app::ssr::AppState;
use app::ssr::services::categories;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(list))
        .route("/categories.xlsx", get(export))
        .route(
            "/categories/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(1024 * 1024)),
        )
        .route("/categories/{code}", put(update))
}

/// Categories and their subcategories (`parent`), with codes, standards and limits.
async fn list(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<CategoryStandard>>> {
    Ok(Json(categories::list(&state).await?))
}

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

async fn export(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Response> {
    let bytes = categories::export(&state, &user).await?;
    Ok(super::download(bytes, super::XLSX_TYPE, "categories.xlsx"))
}

/// The table as the body (CSV or XLSX): 200 `{written: [codes]}`, or 422 with every
/// refused row and nothing written.
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    body: axum::body::Bytes,
) -> Response {
    let done = categories::import(&state, &user, body, state.clock.now())
        .await
        .map(|written| serde_json::json!({ "written": written }));
    super::table_import(
        done,
        StatusCode::OK,
        "categories_refused",
        ("类别", "category"),
    )
}
