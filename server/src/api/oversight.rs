//! Oversight figures (`/boards`, `/kpis`, `/rankings`): the same numbers the leaders' pages
//! show, scoped to the user's area.

use super::{ApiError, ApiResult, Auth, Invalid, Missing, OpenApiRouter, Query, Refused, routes};
use crate::http::doc::Binary;
use app::domain::board::Board;
use app::domain::case_map::MapCases;
use app::domain::kpi::Kpis;
use app::domain::ranking::{Ranking, RankingKind};
use app::domain::report::RhythmReport;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::oversight;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(boards))
        .routes(routes!(kpis))
        .routes(routes!(rankings))
        .routes(routes!(map_cases))
        .routes(routes!(report))
        .routes(routes!(report_xlsx))
        .routes(routes!(rankings_xlsx))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AreaPeriod {
    /// A territory node's code inside the caller's area; default: the caller's own node.
    area: Option<String>,
    /// `YYYY-MM`, `YYYY-Qn`, `YYYY-Hn` or `YYYY` (district time); default: this month.
    #[param(pattern = r"^\d{4}(-(\d{2}|Q[1-4]|H[12]))?$")]
    period: Option<String>,
    /// Rankings only: `worker` (十佳格格, the default), `department` or `area`.
    #[param(value_type = Option<RankingKind>)]
    kind: Option<String>,
}

/// Three-colour board (红黄绿) of a period
///
/// Cases reported in the period plus those reported before and still open: totals, per
/// child area, per department (lead or co-handler), and the red list (at most 200) with
/// reasons, hours overdue and the supervised flag.
#[utoipa::path(get, path = "/boards", tag = "oversight", params(AreaPeriod),
    responses((status = 200, description = "the board", body = Board), Refused, Missing, Invalid))]
async fn boards(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaPeriod>,
) -> ApiResult<Json<Board>> {
    let now = state.clock.now();
    Ok(Json(
        oversight::board(&state, &user, p.area.as_deref(), p.period.as_deref(), now).await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AreaRange {
    /// A territory node's code inside the caller's area; default: the caller's own node.
    area: Option<String>,
    /// `YYYY-MM-DD` (district time); default: 30 days before `to`.
    #[param(value_type = Option<chrono::NaiveDate>)]
    from: Option<String>,
    /// `YYYY-MM-DD`, included; default: today.
    #[param(value_type = Option<chrono::NaiveDate>)]
    to: Option<String>,
}

/// KPIs of the cases reported between two days (both included)
///
/// Received, completion rate 办结率, on-time rate 按期办结率, satisfaction rate 满意率 (closed
/// unrated counts as satisfied), average handling hours per tier, weekly and monthly trends,
/// the problem portrait (category × child area) and the needs list (category × tier).
#[utoipa::path(get, path = "/kpis", tag = "oversight", params(AreaRange),
    responses((status = 200, description = "the figures", body = Kpis), Refused, Missing, Invalid))]
async fn kpis(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaRange>,
) -> ApiResult<Json<Kpis>> {
    let now = state.clock.now();
    let (area, from, to) = (p.area.as_deref(), p.from.as_deref(), p.to.as_deref());
    Ok(Json(
        oversight::kpis(&state, &user, area, from, to, now).await?,
    ))
}

/// Rankings for a period
///
/// `worker` (十佳格格; five parts, configurable weights, red penalty), `department` or `area`
/// (the child areas; rates only). Every score with its parts; ties break by the on-time part,
/// then volume, then id. An empty or future period has no rows.
#[utoipa::path(get, path = "/rankings", tag = "oversight", params(AreaPeriod),
    responses((status = 200, description = "the ranking", body = Ranking), Refused, Missing, Invalid))]
async fn rankings(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaPeriod>,
) -> ApiResult<Json<Ranking>> {
    let kind = RankingKind::parse(p.kind.as_deref().unwrap_or("worker"))
        .ok_or_else(|| AppError::validation("kind", Msg::ErrBadKind))?;
    let now = state.clock.now();
    Ok(Json(
        oversight::rankings(
            &state,
            &user,
            kind,
            p.area.as_deref(),
            p.period.as_deref(),
            now,
        )
        .await?,
    ))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct MapParams {
    /// `south,west,north,east` in WGS-84 degrees (required).
    #[param(required = true)]
    bbox: Option<String>,
    /// The map's zoom, 0–22: from 15 on single cases.
    #[param(maximum = 22)]
    zoom: Option<u8>,
    area: Option<String>,
    /// As `GET /boards`.
    period: Option<String>,
    category: Option<String>,
    #[param(value_type = Option<app::domain::case::Tier>)]
    tier: Option<String>,
    #[param(value_type = Option<app::domain::case::Colour>)]
    colour: Option<String>,
    /// A department's code: its dispatches only.
    department: Option<String>,
}

/// The live map's viewport
///
/// From zoom 15 on, single cases (at most 2,000); below, or when more, counts per grid for
/// every grid in view (as the board counts them; the point lies inside the grid).
#[utoipa::path(get, path = "/map/cases", tag = "oversight", params(MapParams),
    responses((status = 200, description = "cases or counts per grid", body = MapCases), Refused, Missing, Invalid))]
async fn map_cases(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<MapParams>,
) -> ApiResult<Json<MapCases>> {
    let q = oversight::MapQuery {
        bbox: p.bbox.unwrap_or_default(),
        zoom: p.zoom,
        area: p.area,
        period: p.period,
        category: p.category,
        tier: p.tier,
        colour: p.colour,
        department: p.department,
    };
    Ok(Json(
        oversight::map_cases(&state, &user, &q, state.clock.now()).await?,
    ))
}

/// The ranking of `GET /rankings` as an XLSX sheet: every row with each part's value and points
#[utoipa::path(get, path = "/rankings.xlsx", tag = "oversight", params(AreaPeriod),
    responses((status = 200, description = "the workbook", body = Binary, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Refused, Missing, Invalid))]
async fn rankings_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaPeriod>,
) -> ApiResult<Response> {
    let kind = RankingKind::parse(p.kind.as_deref().unwrap_or("worker"))
        .ok_or_else(|| AppError::validation("kind", Msg::ErrBadKind))?;
    let now = state.clock.now();
    let r = oversight::rankings(
        &state,
        &user,
        kind,
        p.area.as_deref(),
        p.period.as_deref(),
        now,
    )
    .await?;
    let sheet = app::domain::ranking::sheet::sheet(&r);
    let chinese = format!("{}{}{}.xlsx", r.area_name, r.period_label, sheet.name);
    let bytes = app::ssr::xlsx::write(&[sheet]).map_err(|e| {
        tracing::error!(error = %e, "the ranking workbook could not be written");
        ApiError(AppError::Internal)
    })?;
    let ascii = format!(
        "ranking-{}-{}-{}.xlsx",
        r.kind.as_str(),
        r.area_code,
        r.period
    );
    Ok(crate::http::download_named(
        bytes,
        crate::http::XLSX_TYPE,
        &ascii,
        &chinese,
    ))
}

/// Rhythm report (月度调度表 / 季度督查报告 / 半年工作通报 by the period's kind)
///
/// KPIs, board, red list and the three rankings in one document.
#[utoipa::path(get, path = "/reports", tag = "oversight", params(AreaPeriod),
    responses((status = 200, description = "the report", body = RhythmReport), Refused, Missing, Invalid))]
async fn report(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaPeriod>,
) -> ApiResult<Json<RhythmReport>> {
    let now = state.clock.now();
    Ok(Json(
        oversight::report(&state, &user, p.area.as_deref(), p.period.as_deref(), now).await?,
    ))
}

/// The same report as an XLSX workbook
///
/// Sheets 总览, 三色看板·区域, 三色看板·部门, 红色预警清单, 十佳格格, 部门排名, 区域排名, 民生需求清单.
#[utoipa::path(get, path = "/reports.xlsx", tag = "oversight", params(AreaPeriod),
    responses((status = 200, description = "the workbook", body = Binary, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Refused, Missing, Invalid))]
async fn report_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaPeriod>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    let r = oversight::report(&state, &user, p.area.as_deref(), p.period.as_deref(), now).await?;
    let bytes = oversight::report_xlsx(&r)?;
    let ascii = format!("report-{}-{}.xlsx", r.board.area_code, r.period);
    let chinese = format!("{}{}{}.xlsx", r.area_name, r.period_label, r.title);
    Ok(crate::http::download_named(
        bytes,
        crate::http::XLSX_TYPE,
        &ascii,
        &chinese,
    ))
}
