//! `POST /cases/{id}/photos` (multipart, field `photo`, up to 3) and `GET /photos/{name}`.
//! A browser form post gets a redirect back to the case page; scripts get JSON.

use super::{
    ApiError, ApiResult, Auth, Conflicting, Invalid, Missing, OpenApiRouter, Refused, routes,
};
use crate::http::MultipartBody;
use crate::http::doc::Binary;
use app::domain::case::view::CaseDetail;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::photos::{MAX_BYTES, MAX_PER_STEP};
use app::ssr::services::cases;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::limited(
            routes!(upload),
            MAX_PER_STEP * MAX_BYTES + 64 * 1024,
        ))
        .routes(routes!(download))
}

/// The photos of one step, as a form posts them.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct PhotoForm {
    /// 1–3 photos: JPEG, PNG or WebP, at most 10 MB each.
    #[schema(min_items = 1, max_items = 3)]
    photo: Vec<Binary>,
}

/// Add photos to one's own latest step
///
/// Stored re-encoded as JPEG with EXIF removed. 409 when the step has no room left.
#[utoipa::path(post, path = "/cases/{id}/photos", tag = "cases", params(("id" = i64, Path, description = "the case")),
    request_body(content = PhotoForm, content_type = "multipart/form-data"),
    responses((status = 201, description = "the case", body = CaseDetail),
        (status = 303, description = "a browser form (`Accept: text/html`) goes back to the case page"),
        Refused, Missing, Conflicting, Invalid))]
async fn upload(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    MultipartBody(mut form): MultipartBody,
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
        (StatusCode::CREATED, Json::<CaseDetail>(detail)).into_response()
    })
}

/// A stored photo, if its case is visible to the caller
#[utoipa::path(get, path = "/photos/{name}", tag = "cases", params(("name" = String, Path)),
    responses((status = 200, description = "the photo", body = Binary, content_type = "image/jpeg"), Refused, Missing))]
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
