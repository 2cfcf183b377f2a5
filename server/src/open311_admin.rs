//! `/admin/open311`: Open311 API keys for administrators (light; view in
//! `app::light::open311_admin`). Issue and revoke call the same service as the API.

use crate::admin_pages::{AdminPage, Form, ok, refused, with_status};
use crate::http::html;
use app::error::AppError;
use app::light::{AdminOutcome, Open311View, PageCtx, open311_page};
use app::ssr::services::open311::keys;
use app::ssr::{AppState, CurrentUser};
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/open311", get(page_get).post(page_post))
}

async fn page_get(State(state): State<AppState>, AdminPage { ctx, user }: AdminPage) -> Response {
    render(&state, &ctx, &user, None, None).await
}

async fn page_post(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    m: Multipart,
) -> Response {
    let form = Form::read(m).await;
    let now = state.clock.now();
    let lang = ctx.lang;
    let mut issued = None;
    let done: Result<(), AppError> = match form.text("action").as_str() {
        "issue" => {
            // An empty or unreadable rate is refused by the service, not defaulted.
            let rate = form.text("rate_limit").trim().parse::<i64>().unwrap_or(0);
            let name = form.text("name");
            keys::issue(&state, &user, &name, Some(rate), now)
                .await
                .map(|(_, key)| issued = Some((name.trim().to_owned(), key)))
        }
        "revoke" => match form.text("id").parse::<i64>() {
            Ok(id) => keys::revoke(&state, &user, id, now).await,
            Err(_) => Err(AppError::NotFound),
        },
        _ => Err(AppError::NotFound),
    };
    let outcome = match done {
        Ok(()) if issued.is_some() => (StatusCode::CREATED, None),
        Ok(()) => {
            let (status, o) = ok(AdminOutcome::Done);
            (status, Some(o))
        }
        Err(e) => {
            let (status, o) = refused(lang, e);
            (status, Some(o))
        }
    };
    with_status(
        render(&state, &ctx, &user, outcome.1, issued).await,
        outcome.0,
    )
}

async fn render(
    state: &AppState,
    ctx: &PageCtx,
    user: &CurrentUser,
    outcome: Option<AdminOutcome>,
    issued: Option<(String, String)>,
) -> Response {
    let view = Open311View {
        keys: keys::list(state, user).await.unwrap_or_default(),
        issued,
        outcome,
    };
    html(StatusCode::OK, open311_page(ctx, view))
}
