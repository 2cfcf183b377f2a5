//! The POST side of the worker's workspace: report, resolve, import, reveal, visit.
//! A script (worker.js) asking for JSON gets JSON; a plain form gets a redirect or the
//! page again with the reason.

use super::error_page;
use super::pages::{render_household, render_households, render_report, render_resolve};
use crate::http::{PageUser, read_parts as read};
use app::error::AppError;
use app::i18n::Msg;
use app::light::worker::report::ReportForm;
use app::ssr::services::{households, worker};
use app::ssr::{AppState, CurrentUser};
use axum::Json;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// A household file: 5,000 rows of text fit easily.
pub const IMPORT_LIMIT: usize = 8 * 1024 * 1024;
fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.starts_with("application/json"))
}

fn json_error(e: AppError) -> Response {
    crate::http::ApiError(e).into_response()
}

pub async fn report(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser { ctx, user }: PageUser,
    form: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let parts = match read(form, &["photo"]).await {
        Ok(p) => p,
        Err(e) if json => return json_error(e),
        Err(e) => {
            return render_report(
                &state,
                &ctx,
                &user,
                ReportForm::default(),
                Some(&e),
                crate::http::new_key(),
            )
            .await;
        }
    };
    let filled = ReportForm {
        category: parts.get("category"),
        description: parts.get("description"),
        lat: parts.get("lat"),
        lng: parts.get("lng"),
        handle_myself: parts.get("mode") == "self",
    };
    let key = parts.get("idempotency_key");
    let input = worker::QuickReport {
        category: filled.category.clone(),
        description: filled.description.clone(),
        lat: filled.lat.clone(),
        lng: filled.lng.clone(),
        photos: parts.files.get("photo").cloned().unwrap_or_default(),
        handle_myself: filled.handle_myself,
        idempotency_key: key.clone(),
    };
    match worker::quick_report(&state, &user, input, state.clock.now()).await {
        Ok((id, code)) if json => (
            StatusCode::CREATED,
            Json(serde_json::json!({ "id": id, "code": code, "url": format!("/w?sent={id}") })),
        )
            .into_response(),
        Ok((id, _)) => Redirect::to(&format!("/w?sent={id}")).into_response(),
        Err(e) if json => json_error(e),
        // The same key again: a retry of this very form is still answered idempotently.
        Err(e) => render_report(&state, &ctx, &user, filled, Some(&e), key).await,
    }
}

pub async fn resolve(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    PageUser { ctx, user }: PageUser,
    form: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let result = async {
        let mut parts = read(form, &["photo"]).await?;
        let photos = parts.files.remove("photo").unwrap_or_default();
        let (result, key) = (parts.get("result"), parts.get("idempotency_key"));
        let now = state.clock.now();
        app::ssr::services::cases::resolve_with_photos(&state, &user, id, result, photos, &key, now)
            .await
    }
    .await;
    let url = format!("/w/cases/{id}?done=1");
    match result {
        Ok(detail) if json => Json(serde_json::json!({
            "id": id, "code": detail.summary.tracking_code, "url": url,
        }))
        .into_response(),
        Ok(_) => Redirect::to(&url).into_response(),
        Err(e) if json => json_error(e),
        Err(e) => render_resolve(&state, &ctx, &user, id, Some(&e)).await,
    }
}

/// The households page's answer to an import or a member added by hand: the list with
/// the report, or the reason on its own page. `write` gets the grid (asked, or the
/// worker's own).
async fn households_answer<F>(
    state: &AppState,
    q: super::pages::GridQuery,
    PageUser { ctx, user }: PageUser,
    write: impl FnOnce(String, CurrentUser) -> F,
) -> Response
where
    F: std::future::Future<Output = Result<app::domain::household::import::ImportReport, AppError>>,
{
    let Some(grid) = q.grid.or_else(|| households::own_grid(&user)) else {
        return error_page(&ctx, &AppError::validation("grid", Msg::ErrRequired));
    };
    match write(grid.clone(), user.clone()).await {
        Ok(report) => render_households(state, &ctx, &user, Some(grid), Some(report)).await,
        Err(e) => error_page(&ctx, &e),
    }
}

pub async fn import(
    State(state): State<AppState>,
    Query(q): Query<super::pages::GridQuery>,
    page: PageUser,
    form: Multipart,
) -> Response {
    let (now, writer) = (state.clock.now(), state.clone());
    households_answer(&state, q, page, |grid, user| async move {
        let mut parts = read(form, &["file"]).await?;
        let file = parts
            .files
            .remove("file")
            .and_then(|f| f.into_iter().next())
            .ok_or_else(|| AppError::validation("file", Msg::ErrRequired))?;
        households::import(&writer, &user, &grid, file.into(), now).await
    })
    .await
}

/// One member added by hand on `/w/households`: the page again with what was done (or
/// every refused field, as the import names them).
pub async fn add_member(
    State(state): State<AppState>,
    Query(q): Query<super::pages::GridQuery>,
    page: PageUser,
    form: Multipart,
) -> Response {
    use app::domain::household::import::Column;
    let (now, writer) = (state.clock.now(), state.clone());
    households_answer(&state, q, page, |grid, user| async move {
        let p = read(form, &[]).await?;
        let cells = [
            (Column::Building, "building"),
            (Column::Address, "address"),
            (Column::Name, "name"),
            (Column::Relation, "relation"),
            (Column::Phone, "phone"),
            (Column::IdNumber, "id_number"),
            (Column::Tags, "tags"),
        ]
        .map(|(c, field)| (c, p.get(field)));
        households::add_member(&writer, &user, &grid, &cells, now).await
    })
    .await
}

pub async fn reveal(
    State(state): State<AppState>,
    Path((id, member)): Path<(i64, i64)>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    match households::reveal(&state, &user, id, member, state.clock.now()).await {
        Ok(r) => render_household(&state, &ctx, &user, id, Some(r), None, None).await,
        Err(e) => render_household(&state, &ctx, &user, id, None, None, Some(&e)).await,
    }
}

pub async fn visit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    PageUser { ctx, user }: PageUser,
    form: Multipart,
) -> Response {
    let result = async {
        let p = read(form, &["photo"]).await?;
        let input = households::VisitInput {
            minutes: p.get("minutes"),
            notes: p.get("notes"),
            needs: p.get("needs"),
            lat: p.get("lat"),
            lng: p.get("lng"),
            photo: p.files.get("photo").and_then(|f| f.first().cloned()),
            need_case_category: (p.get("to_case") == "1").then(|| p.get("category")),
            idempotency_key: p.get("idempotency_key"),
        };
        households::log_visit(&state, &user, id, input, state.clock.now()).await
    }
    .await;
    // The case its needs became is named on the next page, by its tracking code.
    let url = |case: &Option<(i64, String)>| match case {
        Some((case, code)) => format!("/w/households/{id}?logged=1&case={case}&code={code}"),
        None => format!("/w/households/{id}?logged=1"),
    };
    match result {
        Ok(logged) if wants_json(&headers) => Json(serde_json::json!({
            "id": logged.id,
            "case": logged.case.as_ref().map(|c| c.0),
            "code": logged.case.as_ref().map(|c| c.1.clone()),
            "url": url(&logged.case),
        }))
        .into_response(),
        Ok(logged) => Redirect::to(&url(&logged.case)).into_response(),
        Err(e) if wants_json(&headers) => json_error(e),
        Err(e) => render_household(&state, &ctx, &user, id, None, None, Some(&e)).await,
    }
}
