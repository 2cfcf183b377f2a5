//! What handlers take from a request: the user (a 401 in JSON, or the way to the login
//! page), a JSON body with a clear error, a light page's context, a fresh form key.

use super::ApiError;
use app::components::csrf::{CSRF_COOKIE, CsrfToken};
use app::error::AppError;
use app::i18n::Lang;
use app::light::PageCtx;
use app::ssr::CurrentUser;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};

/// The logged-in user, or a 401 in JSON.
pub struct Auth(pub CurrentUser);

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Auth, ApiError> {
        parts
            .extensions
            .get::<CurrentUser>()
            .cloned()
            .map(Auth)
            .ok_or(ApiError(AppError::Unauthorized))
    }
}

/// A JSON body, with a clear error in both languages when it does not parse.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(v)| JsonBody(v))
            .map_err(|_| ApiError(AppError::validation("body", app::i18n::Msg::ErrBadRequest)))
    }
}

/// A query string, refused like a bad body (422 in JSON, `field: query`) rather than with
/// axum's plain-text 400, so that every refusal of the API has the one error body.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(v)| Query(v))
            .map_err(|_| ApiError(AppError::validation("query", app::i18n::Msg::ErrBadRequest)))
    }
}

/// A multipart form, refused like a bad body (422 in JSON, `field: body`) rather than with
/// axum's plain-text 400 when the request is not one.
pub struct MultipartBody(pub axum::extract::Multipart);

impl<S: Send + Sync> axum::extract::FromRequest<S> for MultipartBody {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        axum::extract::Multipart::from_request(req, state)
            .await
            .map(MultipartBody)
            .map_err(|_| ApiError(AppError::validation("body", app::i18n::Msg::ErrBadRequest)))
    }
}

/// A file as the whole body (a table, GeoJSON): past the route's limit a 413, and any other
/// failure to read it a 422, both in the one JSON error body (not axum's plain text).
pub struct FileBody(pub axum::body::Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for FileBody {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Response> {
        use axum::http::StatusCode;
        axum::body::Bytes::from_request(req, state)
            .await
            .map(FileBody)
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    let body = serde_json::json!({
                        "error": "too_large",
                        "message": app::i18n::t(Lang::Zh, app::i18n::Msg::ErrFileTooLarge),
                        "message_en": app::i18n::t(Lang::En, app::i18n::Msg::ErrFileTooLarge),
                        "field": "body",
                    });
                    (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response()
                } else {
                    ApiError(AppError::validation("body", app::i18n::Msg::ErrBadRequest))
                        .into_response()
                }
            })
    }
}

/// Language, path and CSRF token of the request, for rendering a light page.
pub fn page_ctx(headers: &HeaderMap, extensions: &Extensions, uri: &Uri) -> PageCtx {
    let cookies = headers
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let csrf = extensions
        .get::<CsrfToken>()
        .map(|t| t.0.clone())
        .or_else(|| crate::middleware::cookie(headers, CSRF_COOKIE))
        .unwrap_or_default();
    PageCtx {
        lang: Lang::from_cookie_header(cookies),
        path: uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".to_owned()),
        csrf,
        account: extensions.get::<CurrentUser>().map(|u| u.id),
    }
}

/// The logged-in user, or the way to the login page (POSTs pass the login wall untouched).
pub fn user_or_login(extensions: &Extensions, uri: &Uri) -> Result<CurrentUser, Response> {
    extensions.get::<CurrentUser>().cloned().ok_or_else(|| {
        let next = app::components::nav::percent_encode(uri.path());
        Redirect::to(&format!("/login?next={next}")).into_response()
    })
}

/// A random idempotency key for a freshly rendered form.
pub fn new_key() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A light page's request from a logged-in user: the page's context and the user; anyone
/// else is sent to log in (and back afterwards).
pub struct PageUser {
    pub ctx: PageCtx,
    pub user: CurrentUser,
}

impl<S: Send + Sync> FromRequestParts<S> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        let ctx = page_ctx(&parts.headers, &parts.extensions, &parts.uri);
        let user = user_or_login(&parts.extensions, &parts.uri)?;
        Ok(PageUser { ctx, user })
    }
}
