//! The category standards table: `GET /categories` (everyone signed in), and for
//! administrators `PUT /categories/{code}`, `GET /categories.xlsx`, `POST /categories/import`.

use super::{ApiResult, Auth, JsonBody};
use app::domain::category_standard::CategoryStandard;
use app::ssr::AppState;
use app::ssr::services::categories;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
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
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"categories.xlsx\""),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
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
