//! Steps that carry photos — `POST /cases/{id}/photos` (photos for one's own latest step)
//! and `POST /cases/{id}/resolution` (a result with its photos) — and `GET /photos/{name}`.
//! Multipart, field `photo`, up to 3. A browser form post gets a redirect back to the case
//! page; scripts get JSON.

use super::{
    ApiError, ApiResult, Auth, Conflicting, Invalid, Missing, OpenApiRouter, Refused, routes,
};
use crate::http::doc::Binary;
use crate::http::{MultipartBody, read_parts};
use app::domain::case::view::CaseDetail;
use app::error::AppError;
use app::ssr::AppState;
use app::ssr::photos::{MAX_BYTES, MAX_PER_STEP};
use app::ssr::services::cases;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::limited(routes!(upload), STEP_LIMIT))
        .merge(super::limited(routes!(resolve), STEP_LIMIT))
        .routes(routes!(download))
}

/// A step's photos and its text, with room for the form's framing.
const STEP_LIMIT: usize = MAX_PER_STEP * MAX_BYTES + 64 * 1024;

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
    MultipartBody(form): MultipartBody,
) -> ApiResult<Response> {
    let (id, _, files) = step_form(&id, form).await?;
    let detail = cases::attach_photos(&state, &user, id, files, state.clock.now()).await?;
    Ok(answer(&headers, detail, StatusCode::CREATED))
}

/// A result (办结) and its photos, as a form posts them.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct ResolutionForm {
    /// What was done (at most 2,000 characters).
    result: String,
    /// 0–3 photos of the result: JPEG, PNG or WebP, at most 10 MB each. Required where the
    /// case's category asks for a result photo (`result_photo_required` on the case).
    #[schema(max_items = 3)]
    photo: Vec<Binary>,
}

/// Resolve a case with the photos of its result (办结)
///
/// One step: the photos are checked before anything is written and stored with the
/// result. Where the category's standard asks for a result photo (`result_photo_required`),
/// a result without one is refused (409, with the reason); `POST /cases/{id}/actions`
/// with `resolve` carries no photos, so such cases are resolved here.
#[utoipa::path(post, path = "/cases/{id}/resolution", tag = "cases", params(("id" = i64, Path, description = "the case"),
        ("Idempotency-Key" = Option<String>, Header, description = "16–64 letters, digits or `-`: a resend with the same key and content answers with the case again, never a second result; the key with other content is refused (409)")),
    request_body(content = ResolutionForm, content_type = "multipart/form-data"),
    responses((status = 200, description = "the case after its result", body = CaseDetail),
        (status = 303, description = "a browser form (`Accept: text/html`) goes back to the case page"),
        Refused, Missing, Conflicting, Invalid))]
async fn resolve(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    MultipartBody(form): MultipartBody,
) -> ApiResult<Response> {
    let (id, parts, files) = step_form(&id, form).await?;
    let result = parts.get("result");
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let now = state.clock.now();
    let detail = cases::resolve_with_photos(&state, &user, id, result, files, key, now).await?;
    Ok(answer(&headers, detail, StatusCode::OK))
}

/// The case the path names, the form's text fields and its photos.
async fn step_form(
    id: &str,
    form: axum::extract::Multipart,
) -> ApiResult<(i64, crate::http::Parts, Vec<Vec<u8>>)> {
    let id = super::path_id(id)?;
    let mut parts = read_parts(form, &["photo"]).await?;
    let files = parts.files.remove("photo").unwrap_or_default();
    Ok((id, parts, files))
}

/// A browser's form goes back to the case page; a script gets the case.
fn answer(headers: &HeaderMap, detail: CaseDetail, status: StatusCode) -> Response {
    let wants_html = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if wants_html {
        Redirect::to(&format!("/cases/{}", detail.summary.id)).into_response()
    } else {
        (status, Json::<CaseDetail>(detail)).into_response()
    }
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
