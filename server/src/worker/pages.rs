//! The GET side of the worker's workspace.

use super::error_page;
use crate::http::PageUser;
use crate::http::{html, new_key};
use app::domain::people::Attachment;
use app::error::AppError;
use app::light::worker::{home, households as hpages, ledger as lpage, report, visits as vpage};
use app::ssr::services::{households, residents, worker};
use app::ssr::{AppState, CurrentUser};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct HomeQuery {
    sent: Option<i64>,
}

pub async fn home(
    State(state): State<AppState>,
    Query(q): Query<HomeQuery>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    let now = state.clock.now();
    let data = match worker::my_grid(&state, &user, now).await {
        Ok(d) => d,
        Err(e) => return error_page(&ctx, &e),
    };
    let sent = match q.sent {
        Some(id) => app::ssr::services::cases::detail(&state, &user, id, now)
            .await
            .ok()
            .map(|d| d.summary.tracking_code),
        None => None,
    };
    let area = match &user.attachment {
        Attachment::Node { name, .. } | Attachment::Department { name, .. } => name.clone(),
    };
    html(
        StatusCode::OK,
        home::render(&ctx, user.display_name.clone(), area, data, now, sent),
    )
}

pub async fn report_page(
    State(state): State<AppState>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    render_report(
        &state,
        &ctx,
        &user,
        report::ReportForm::default(),
        None,
        new_key(),
    )
    .await
}

pub(super) async fn render_report(
    state: &AppState,
    ctx: &app::light::PageCtx,
    user: &CurrentUser,
    form: report::ReportForm,
    error: Option<&AppError>,
    key: String,
) -> Response {
    let categories = match residents::categories(state).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, &e),
    };
    let centre = households::own_grid(user)
        .and_then(|g| state.grid_index().interior_point(&g))
        .map(|p| (p.lat(), p.lng()));
    let status = super::status_of(error);
    html(
        status,
        report::render(
            ctx,
            categories,
            form,
            error.map(AppError::msg),
            key,
            centre,
            worker::may_self_handle(user),
        ),
    )
}

pub async fn resolve_page(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    render_resolve(&state, &ctx, &user, id, None).await
}

pub(super) async fn render_resolve(
    state: &AppState,
    ctx: &app::light::PageCtx,
    user: &CurrentUser,
    id: i64,
    error: Option<&AppError>,
) -> Response {
    let now = state.clock.now();
    match app::ssr::services::cases::detail(state, user, id, now).await {
        Ok(d) => {
            let status = super::status_of(error);
            html(
                status,
                report::render_resolve(
                    ctx,
                    d.summary,
                    d.result_photo_required,
                    error.map(AppError::msg),
                    now,
                ),
            )
        }
        Err(e) => error_page(ctx, &e),
    }
}

#[derive(Deserialize, Default)]
pub struct GridQuery {
    pub grid: Option<String>,
}

pub async fn households(
    State(state): State<AppState>,
    Query(q): Query<GridQuery>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    render_households(&state, &ctx, &user, q.grid, None).await
}

pub(super) async fn render_households(
    state: &AppState,
    ctx: &app::light::PageCtx,
    user: &CurrentUser,
    grid: Option<String>,
    report: Option<app::domain::household::import::ImportReport>,
) -> Response {
    let Some(grid) = grid.or_else(|| households::own_grid(user)) else {
        // Staff above the grid level choose a grid from the per-grid table.
        return Redirect::to("/w/visits#per-grid").into_response();
    };
    let now = state.clock.now();
    let list = match households::list(state, user, &grid, now).await {
        Ok(l) => l,
        Err(e) => return error_page(ctx, &e),
    };
    let name = match app::ssr::store::territory::get(&state.db.pool, &grid).await {
        Ok(Some(n)) => n.name,
        _ => grid.clone(),
    };
    let status = match &report {
        Some(r) if !r.errors.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let can_import = app::domain::household::policy::may_import(user.role);
    html(
        status,
        hpages::render_list(ctx, grid, name, list, can_import, report),
    )
}

#[derive(Deserialize, Default)]
pub struct DetailQuery {
    logged: Option<String>,
    /// The case a visit's needs became: its id and tracking code.
    case: Option<i64>,
    code: Option<String>,
}

pub async fn household(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<DetailQuery>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    let case = q.case.zip(
        q.code
            .as_deref()
            .and_then(app::ssr::services::cases::reporter::normalise_code),
    );
    let notice = q
        .logged
        .map(|_| app::light::worker::households::VisitNotice { case });
    render_household(&state, &ctx, &user, id, None, notice, None).await
}

pub(super) async fn render_household(
    state: &AppState,
    ctx: &app::light::PageCtx,
    user: &CurrentUser,
    id: i64,
    revealed: Option<app::domain::household::view::Revealed>,
    notice: Option<app::light::worker::households::VisitNotice>,
    error: Option<&AppError>,
) -> Response {
    let now = state.clock.now();
    let detail = match households::detail(state, user, id, now).await {
        Ok(d) => d,
        Err(e) => return error_page(ctx, &e),
    };
    let categories = match residents::categories(state).await {
        Ok(c) => c,
        Err(e) => return error_page(ctx, &e),
    };
    let status = super::status_of(error);
    html(
        status,
        hpages::render_detail(
            ctx,
            detail,
            revealed,
            categories,
            notice,
            error.map(AppError::msg),
        ),
    )
}

pub async fn visits(State(state): State<AppState>, PageUser { ctx, user }: PageUser) -> Response {
    let now = state.clock.now();
    let result = async {
        Ok::<_, AppError>((
            households::overdue(&state, &user, None, now).await?,
            households::counts_per_grid(&state, &user, now).await?,
            households::week_per_worker(&state, &user, now).await?,
        ))
    }
    .await;
    match result {
        Ok((overdue, per_grid, week)) => {
            html(StatusCode::OK, vpage::render(&ctx, overdue, per_grid, week))
        }
        Err(e) => error_page(&ctx, &e),
    }
}

#[derive(Deserialize, Default)]
pub struct LedgerQuery {
    pub worker: Option<i64>,
    pub month: Option<String>,
}

pub async fn ledger(
    State(state): State<AppState>,
    Query(q): Query<LedgerQuery>,
    PageUser { ctx, user }: PageUser,
) -> Response {
    let month = q.month.filter(|m| !m.is_empty()).unwrap_or_else(|| {
        state
            .clock
            .now()
            .with_timezone(&app::domain::calendar::district_tz())
            .format("%Y-%m")
            .to_string()
    });
    match households::ledger(&state, &user, q.worker.unwrap_or(user.id), &month).await {
        Ok(l) => html(StatusCode::OK, lpage::render(&ctx, l)),
        Err(e) => error_page(&ctx, &e),
    }
}

pub async fn photo(
    State(state): State<AppState>,
    Path(name): Path<String>,
    PageUser { user, .. }: PageUser,
) -> Response {
    let path = match households::visit_photo(&state, &user, &name).await {
        Ok(p) => p,
        Err(e) => return crate::http::ApiError(e).into_response(),
    };
    match tokio::fs::read(&path).await {
        Ok(bytes) => crate::http::jpeg(bytes),
        Err(_) => crate::http::ApiError(AppError::NotFound).into_response(),
    }
}
