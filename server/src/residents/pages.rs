//! The report page and its form post, the tracking page and its rating form.

use crate::http::{body_allowed, html, new_key, page_ctx, read_report};
use crate::middleware::client_ip;
use app::domain::resident::{FeedbackFields, ReportFields};
use app::error::AppError;
use app::i18n::{Msg, t};
use app::light::{self, PageCtx, ReportPage, ReportPageProps, TrackPage, TrackPageProps};
use app::ssr::AppState;
use app::ssr::services::cases::intake::{self, IntakeError, Submission};
use app::ssr::services::cases::reporter;
use app::ssr::services::residents;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::Extensions;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Redirect, Response};
use leptos::prelude::IntoAny;
use serde::Deserialize;

/// The report page of a grid, or a clear "not found".
pub async fn report_page(
    State(state): State<AppState>,
    Path(grid): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
) -> Response {
    let ctx = page_ctx(&headers, &extensions, &uri);
    render_report(
        &state,
        &ctx,
        &grid,
        ReportFields::default(),
        None,
        new_key(),
        false,
    )
    .await
}

/// Renders the form, refilled with what the resident typed and the reasons it was refused.
async fn render_report(
    state: &AppState,
    ctx: &PageCtx,
    grid: &str,
    fields: ReportFields,
    error: Option<&IntakeError>,
    idempotency_key: String,
    photos_again: bool,
) -> Response {
    let now = state.clock.now();
    let card = match residents::grid_card(state, grid, now).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, &e),
    };
    let categories = match residents::categories(state).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, &e),
    };
    let (errors, headline) = match error {
        Some(IntakeError::Invalid(errors)) => (errors.clone(), None),
        Some(e) => (vec![], Some(e.msg())),
        None => (vec![], None),
    };
    let status = error.map_or(StatusCode::OK, |e| {
        StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST)
    });
    let title = format!("{} · {}", card.grid_name, t(ctx.lang, Msg::ResidentTitle));
    let props = ReportPageProps {
        ctx: ctx.clone(),
        card,
        categories,
        fields,
        errors,
        headline,
        idempotency_key,
        photos_again,
    };
    let body = move || ReportPage(props).into_any();
    let mut res = html(
        status,
        light::document(ctx, &title, "/resident.css", true, body),
    );
    crate::http::set_retry_after(&mut res, error.and_then(IntakeError::retry_after));
    res
}

/// The form post without JavaScript: stored → the tracking page; refused → the form
/// again with everything typed and the reasons.
pub async fn report_form(
    State(state): State<AppState>,
    Path(grid): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
    form: Multipart,
) -> Response {
    let mut ctx = page_ctx(&headers, &extensions, &uri);
    ctx.path = format!("/r/{grid}");
    if let Err(e) = body_allowed(&state, &headers, &extensions) {
        let fields = ReportFields::default();
        return render_report(&state, &ctx, &grid, fields, Some(&e), new_key(), false).await;
    }
    let mut received = read_report(form).await;
    let key = received.idempotency_key.take().unwrap_or_else(new_key);
    let had_photos = !received.photos.is_empty();
    if let Some(e) = received.error.take() {
        return render_report(&state, &ctx, &grid, received.fields, Some(&e), key, true).await;
    }
    let submission = Submission {
        grid_code: grid.clone(),
        fields: received.fields.clone(),
        photos: received.photos,
        idempotency_key: Some(key.clone()),
        client_ip: client_ip(&headers, &extensions, state.config.trust_proxy),
    };
    match intake::submit(&state, submission, state.clock.now()).await {
        Ok(stored) => Redirect::to(&format!("{}&new=1", stored.receipt.url)).into_response(),
        Err(IntakeError::UnknownGrid) => error_page(&ctx, &AppError::NotFound),
        Err(e) => {
            render_report(
                &state,
                &ctx,
                &grid,
                received.fields,
                Some(&e),
                key,
                had_photos,
            )
            .await
        }
    }
}

#[derive(Deserialize, Default)]
pub struct TrackQuery {
    #[serde(default)]
    new: Option<String>,
    #[serde(default)]
    rated: Option<String>,
    #[serde(default)]
    code: Option<String>,
    /// The feedback token of the reporter's own link.
    #[serde(default)]
    k: Option<String>,
}

/// `/t?code=…`: the lookup form's target.
pub async fn lookup(
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
    Query(q): Query<TrackQuery>,
) -> Response {
    match q.code.as_deref().and_then(reporter::normalise_code) {
        Some(code) => Redirect::to(&format!("/t/{code}")).into_response(),
        None => {
            let ctx = page_ctx(&headers, &extensions, &uri);
            html(
                StatusCode::NOT_FOUND,
                light::message_page(&ctx, Msg::ErrTrackingCode),
            )
        }
    }
}

pub async fn track_page(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
    Query(q): Query<TrackQuery>,
) -> Response {
    let ctx = page_ctx(&headers, &extensions, &uri);
    if let Some(refused) = lookup_limited(&state, &headers, &extensions, &ctx) {
        return refused;
    }
    let from_link =
        q.k.filter(|k| reporter::holds_feedback_token(&state, &code, k));
    let rate_key = from_link
        .clone()
        .or_else(|| rate_cookie(&state, &headers, &code));
    let view = TrackView {
        fresh: q.new.is_some(),
        rated: q.rated.is_some(),
        rate_key,
        ..TrackView::default()
    };
    let mut res = render_track(&state, &ctx, &code, view).await;
    // The reporter's own link leaves the token in this browser too, so that the plain
    // tracking link (or the lookup form) later still lets them rate.
    if let (Some(k), true) = (from_link, res.status().is_success()) {
        if let Some(c) = set_rate_cookie(&state, &code, &k) {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
    }
    res
}

fn rate_cookie_name(code: &str) -> Option<String> {
    reporter::normalise_code(code).map(|c| format!("gridgov_rate_{c}"))
}

/// The feedback token this browser holds for the case, if it is the right one.
fn rate_cookie(state: &AppState, headers: &HeaderMap, code: &str) -> Option<String> {
    let k = crate::middleware::cookie(headers, &rate_cookie_name(code)?)?;
    reporter::holds_feedback_token(state, code, &k).then_some(k)
}

fn set_rate_cookie(state: &AppState, code: &str, token: &str) -> Option<HeaderValue> {
    let name = rate_cookie_name(code)?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    // Two years: a case may take months, and a rating is welcome until it is closed.
    let c = format!(
        "{name}={token}; Path=/t/{}; Max-Age=63072000; HttpOnly; SameSite=Lax{secure}",
        &name["gridgov_rate_".len()..]
    );
    HeaderValue::from_str(&c).ok()
}

/// What the tracking page shows beyond the case itself.
#[derive(Default)]
struct TrackView {
    /// Just reported.
    fresh: bool,
    /// Just rated.
    rated: bool,
    error: Option<(StatusCode, Msg)>,
    feedback: FeedbackFields,
    /// The feedback token the visitor proved.
    rate_key: Option<String>,
}

async fn render_track(state: &AppState, ctx: &PageCtx, code: &str, v: TrackView) -> Response {
    let TrackView {
        fresh,
        rated,
        error,
        feedback,
        rate_key,
    } = v;
    let case = match reporter::public_case(state, code, state.clock.now()).await {
        Ok(c) => c,
        Err(AppError::NotFound) => {
            return html(
                StatusCode::NOT_FOUND,
                light::message_page(ctx, Msg::ErrTrackingCode),
            );
        }
        Err(e) => return error_page(ctx, &e),
    };
    let title = format!("{} · {}", case.tracking_code, t(ctx.lang, Msg::TrackTitle));
    let status = error.map_or(StatusCode::OK, |(s, _)| s);
    let props = TrackPageProps {
        ctx: ctx.clone(),
        case,
        fresh,
        rated,
        error: error.map(|(_, m)| m),
        feedback,
        rate_key,
        public_url: state.config.public_url.clone(),
    };
    let body = move || TrackPage(props).into_any();
    html(
        status,
        light::document(ctx, &title, "/resident.css", false, body),
    )
}

/// The rating form of the tracking page.
pub async fn feedback_form(
    State(state): State<AppState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
    Form(mut fields): Form<FeedbackFields>,
) -> Response {
    let mut ctx = page_ctx(&headers, &extensions, &uri);
    ctx.path = format!("/t/{code}");
    if let Some(refused) = lookup_limited(&state, &headers, &extensions, &ctx) {
        return refused;
    }
    if fields.token.is_empty() {
        fields.token = rate_cookie(&state, &headers, &code).unwrap_or_default();
    }
    let rate_key =
        reporter::holds_feedback_token(&state, &code, &fields.token).then(|| fields.token.clone());
    let (satisfaction, comment) = match fields.validate() {
        Ok(v) => v,
        Err(e) => {
            let view = TrackView {
                error: Some((StatusCode::UNPROCESSABLE_ENTITY, e.msg)),
                feedback: fields,
                rate_key,
                ..TrackView::default()
            };
            return render_track(&state, &ctx, &code, view).await;
        }
    };
    let now = state.clock.now();
    match reporter::rate(&state, &code, &fields.token, satisfaction, &comment, now).await {
        Ok(case) => Redirect::to(&format!("/t/{}?rated=1", case.tracking_code)).into_response(),
        Err(AppError::NotFound) => html(
            StatusCode::NOT_FOUND,
            light::message_page(&ctx, Msg::ErrTrackingCode),
        ),
        Err(e @ (AppError::Conflict { .. } | AppError::NotAllowed { .. })) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::CONFLICT);
            let view = TrackView {
                error: Some((status, e.msg())),
                feedback: fields,
                rate_key,
                ..TrackView::default()
            };
            render_track(&state, &ctx, &code, view).await
        }
        Err(e) => error_page(&ctx, &e),
    }
}

pub async fn public_photo(
    State(state): State<AppState>,
    Path((code, name)): Path<(String, String)>,
) -> Response {
    let path = match reporter::public_photo_path(&state, &code, &name).await {
        Ok(p) => p,
        Err(e) => return crate::http::ApiError(e).into_response(),
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => crate::http::jpeg(bytes),
        Err(e) => {
            tracing::error!(error = %e, "a stored photo is missing");
            crate::http::ApiError(AppError::NotFound).into_response()
        }
    }
}

/// Tracking-page lookups and ratings per address: past the limit, a page that says so.
fn lookup_limited(
    state: &AppState,
    headers: &HeaderMap,
    extensions: &Extensions,
    ctx: &PageCtx,
) -> Option<Response> {
    let ip = client_ip(headers, extensions, state.config.trust_proxy);
    let secs = state.lookup_limiter.check(&format!("ip:{ip}")).err()?;
    Some(error_page(
        ctx,
        &AppError::RateLimited {
            retry_after_secs: secs,
        },
    ))
}

/// Any other failure as a page in the resident's language.
fn error_page(ctx: &PageCtx, e: &AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = html(status, light::message_page(ctx, e.msg()));
    crate::http::set_retry_after(&mut res, e.retry_after());
    res
}
