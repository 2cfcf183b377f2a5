//! QR code downloads of a grid (public: the code only holds a public URL) and the
//! printable posters (staff, inside their own area).

use crate::http::{html, page_ctx};
use app::domain::territory::Level;
use app::error::AppError;
use app::i18n::{Msg, t};
use app::light::{self, Poster, PosterPage, PosterPageProps};
use app::ssr::services::residents;
use app::ssr::{AppState, CurrentUser, qr};
use axum::extract::{Path, State};
use axum::http::Extensions;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::IntoAny;

/// The base URL residents reach us at: configured, or else the request's own host.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.clone();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
        })
        .unwrap_or("127.0.0.1:3000");
    format!("http://{host}")
}

/// The grid must exist: no QR codes for codes we do not serve.
async fn grid_exists(state: &AppState, code: &str) -> Result<(), AppError> {
    let node = app::ssr::store::territory::get(&state.db.pool, code)
        .await?
        .filter(|n| n.level == Level::Grid.as_str());
    node.map(|_| ()).ok_or(AppError::NotFound)
}

fn download(bytes: Vec<u8>, content_type: &'static str, file_name: String) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

pub async fn qr_svg(
    State(state): State<AppState>,
    Path(grid): Path<String>,
    headers: HeaderMap,
) -> Response {
    qr_download(state, grid, headers, false).await
}

pub async fn qr_png(
    State(state): State<AppState>,
    Path(grid): Path<String>,
    headers: HeaderMap,
) -> Response {
    qr_download(state, grid, headers, true).await
}

/// The grid's QR code as an SVG or PNG download (PNG drawn off the async threads).
async fn qr_download(state: AppState, grid: String, headers: HeaderMap, png: bool) -> Response {
    if let Err(e) = grid_exists(&state, &grid).await {
        return crate::http::ApiError(e).into_response();
    }
    let url = qr::grid_url(&base_url(&state, &headers), &grid);
    if !png {
        return download(
            qr::svg(&url).into_bytes(),
            "image/svg+xml",
            format!("grid-{grid}-qr.svg"),
        );
    }
    match tokio::task::spawn_blocking(move || qr::png(&url)).await {
        Ok(p) => download(p, "image/png", format!("grid-{grid}-qr.png")),
        Err(_) => crate::http::ApiError(AppError::Internal).into_response(),
    }
}

/// One grid's poster, or all posters of a community (or street), each on its own A4 page.
pub async fn posters(
    State(state): State<AppState>,
    Path(node): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
) -> Response {
    let ctx = page_ctx(&headers, &extensions, &uri);
    let Some(user) = extensions.get::<CurrentUser>() else {
        return Redirect::to(&format!("/login?next=/posters/{node}")).into_response();
    };
    let cards = match residents::poster_cards(&state, user, &node, state.clock.now()).await {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => {
            return html(
                StatusCode::NOT_FOUND,
                light::message_page(&ctx, Msg::ErrNotFound),
            );
        }
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND);
            return html(status, light::message_page(&ctx, e.msg()));
        }
    };
    let base = base_url(&state, &headers);
    let posters: Vec<Poster> = cards
        .into_iter()
        .map(|card| {
            let url = qr::grid_url(&base, &card.grid_code);
            Poster {
                qr_svg: qr::svg_element(&url),
                url,
                card,
            }
        })
        .collect();
    let title = if posters.len() == 1 {
        format!(
            "{} · {}",
            posters[0].card.grid_name,
            t(ctx.lang, Msg::Poster)
        )
    } else {
        t(ctx.lang, Msg::PrintAllPosters).to_owned()
    };
    let props = PosterPageProps {
        ctx: ctx.clone(),
        posters,
    };
    html(
        StatusCode::OK,
        light::document_with(&ctx, &title, &["/poster.css"], &["/poster.js"], move || {
            PosterPage(props).into_any()
        }),
    )
}
