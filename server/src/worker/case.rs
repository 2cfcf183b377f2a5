//! `/w/cases/{id}`: a case on the worker's phone (view in `app::light::worker::case`), its
//! steps posted as plain forms (`/act`: progress, escalate, request_extension, verify with
//! an optional photo) and photos added to the worker's own latest step (`/photos`). Each
//! answer is the page again: with "已提交" after a redirect, or with the reason.

use super::error_page;
use crate::http::PageUser;
use crate::http::html;
use crate::http::read_parts as read;
use app::domain::case::Action;
use app::error::AppError;
use app::i18n::Msg;
use app::light::PageCtx;
use app::light::worker::case::{Clock, render_case};
use app::ssr::services::cases;
use app::ssr::{AppState, CurrentUser};
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(serde::Deserialize, Default)]
pub struct Done {
    pub done: Option<String>,
}

pub async fn case_page(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<Done>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    render(&state, &ctx, &user, id, q.done.is_some(), None).await
}

pub(super) async fn render(
    state: &AppState,
    ctx: &PageCtx,
    user: &CurrentUser,
    id: i64,
    done: bool,
    error: Option<&AppError>,
) -> Response {
    let now = state.clock.now();
    let d = match cases::detail(state, user, id, now).await {
        Ok(d) => d,
        Err(e) => return error_page(ctx, &e),
    };
    let clock = match (d.summary.deadline, state.calendar().await) {
        (Some(due), Ok(cal)) if d.summary.status.is_open() => {
            let overdue = now > due;
            let working = if overdue {
                cal.working_time_between(due, now)
            } else {
                cal.working_time_between(now, due)
            };
            Some(Clock::new(ctx.lang, working, overdue, due))
        }
        _ => None,
    };
    html(
        super::status_of(error),
        render_case(ctx, d, clock, done, error.map(AppError::msg)),
    )
}

/// The step a posted form asks for, from its fields.
fn action_of(p: &crate::http::Parts) -> Result<Action, AppError> {
    let text = |k: &str| p.get(k).trim().to_owned();
    Ok(match text("action").as_str() {
        "progress" => Action::Progress { note: text("note") },
        "escalate" => Action::Escalate {
            reason: text("reason"),
        },
        "request_extension" => Action::RequestExtension {
            days: text("days")
                .parse()
                .map_err(|_| AppError::validation("days", Msg::ErrBadRequest))?,
            reason: text("reason"),
        },
        "verify" => Action::Verify {
            passed: match text("passed").as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(AppError::validation("passed", Msg::ErrRequired)),
            },
            note: text("note"),
        },
        // Not the phone's: the centre decides these on the desktop page.
        _ => return Err(AppError::validation("action", Msg::ErrBadRequest)),
    })
}

pub async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageUser { ctx, user }: PageUser,
    form: Multipart,
) -> Response {
    let outcome = async {
        let parts = read(form, &["photo"]).await?;
        let action = action_of(&parts)?;
        let now = state.clock.now();
        cases::act(&state, &user, id, action, now).await?;
        // A check's photo goes with the check that was just recorded.
        if let Some(photos) = parts.files.get("photo").filter(|p| !p.is_empty()) {
            cases::attach_photos(&state, &user, id, photos.clone(), now).await?;
        }
        Ok::<(), AppError>(())
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to(&format!("/w/cases/{id}?done=1")).into_response(),
        Err(e) => render(&state, &ctx, &user, id, false, Some(&e)).await,
    }
}

pub async fn photos(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageUser { ctx, user }: PageUser,
    form: Multipart,
) -> Response {
    let outcome = async {
        let parts = read(form, &["photo"]).await?;
        let files = parts.files.get("photo").cloned().unwrap_or_default();
        cases::attach_photos(&state, &user, id, files, state.clock.now())
            .await
            .map(|_| ())
    }
    .await;
    match outcome {
        Ok(()) => Redirect::to(&format!("/w/cases/{id}?done=1")).into_response(),
        Err(e) => render(&state, &ctx, &user, id, false, Some(&e)).await,
    }
}
