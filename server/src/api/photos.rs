//! `POST /cases/{id}/photos` (multipart, field `photo`, up to 3) and `GET /photos/{name}`.
//! A browser form post gets a redirect back to the case page; scripts get JSON.

use super::{ApiError, ApiResult, Auth};
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::photos::{MAX_BYTES, MAX_PER_STEP};
use app::ssr::services::cases;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/cases/{id}/photos",
            post(upload).layer(DefaultBodyLimit::max(MAX_PER_STEP * MAX_BYTES + 64 * 1024)),
        )
        .route("/photos/{name}", get(download))
}

async fn upload(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    mut form: Multipart,
) -> ApiResult<Response> {
    let id = id
        .parse::<i64>()
        .map_err(|_| ApiError(AppError::NotFound))?;
    let bad = || ApiError(AppError::validation("photo", Msg::ErrBadRequest));
    let mut files = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| bad())? {
        if field.name() != Some("photo") {
            continue;
        }
        let bytes = field.bytes().await.map_err(|_| bad())?;
        if !bytes.is_empty() {
            files.push(bytes.to_vec());
        }
    }
    let detail = cases::attach_photos(&state, &user, id, files, state.clock.now()).await?;
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    Ok(if wants_html {
        Redirect::to(&format!("/cases/{id}")).into_response()
    } else {
        (StatusCode::CREATED, Json(detail)).into_response()
    })
}

async fn download(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(name): Path<String>,
) -> ApiResult<Response> {
    let path = cases::photo_path(&state, &user, &name).await?;
    let bytes = tokio::fs::read(&path).await.map_err(|e| {
        tracing::error!(error = %e, "a stored photo is missing");
        ApiError(AppError::NotFound)
    })?;
    Ok(super::jpeg(bytes))
}
