//! Oversight figures (`/boards`, `/kpis`, `/rankings`): the same numbers the leaders' pages
//! show, scoped to the user's area.

use super::{ApiError, ApiResult, Auth};
use app::domain::board::Board;
use app::domain::case_map::MapCases;
use app::domain::kpi::Kpis;
use app::domain::ranking::{Ranking, RankingKind};
use app::domain::report::RhythmReport;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::oversight;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/boards", get(boards))
        .route("/kpis", get(kpis))
        .route("/rankings", get(rankings))
        .route("/map/cases", get(map_cases))
        .route("/reports", get(report))
        .route("/reports.xlsx", get(report_xlsx))
        .route("/rankings.xlsx", get(rankings_xlsx))
}

#[derive(Deserialize)]
struct AreaPeriod {
    area: Option<String>,
    period: Option<String>,
    kind: Option<String>,
}

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

#[derive(Deserialize)]
struct AreaRange {
    area: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

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

#[derive(Deserialize)]
struct MapParams {
    bbox: Option<String>,
    zoom: Option<u8>,
    area: Option<String>,
    period: Option<String>,
    category: Option<String>,
    tier: Option<String>,
    colour: Option<String>,
    department: Option<String>,
}

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

/// The ranking of `GET /rankings` as a workbook: every row with its parts.
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
    let bytes = app::ssr::xlsx::write(&[app::domain::ranking::sheet::sheet(&r)]).map_err(|e| {
        tracing::error!(error = %e, "the ranking workbook could not be written");
        ApiError(AppError::Internal)
    })?;
    let mut res = crate::http::download(bytes, crate::http::XLSX_TYPE, "ranking.xlsx");
    let chinese = format!(
        "{}{}{}.xlsx",
        r.area_name,
        r.period_label,
        app::domain::ranking::sheet::sheet(&r).name
    );
    let ascii = format!(
        "ranking-{}-{}-{}.xlsx",
        r.kind.as_str(),
        r.area_code,
        r.period
    );
    let value = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent(&chinese)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(res)
}

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

/// The report as an XLSX download, named after the area and period.
async fn report_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<AreaPeriod>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    let r = oversight::report(&state, &user, p.area.as_deref(), p.period.as_deref(), now).await?;
    let bytes = oversight::report_xlsx(&r)?;
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    // An ASCII name for old clients, the Chinese one (RFC 5987) for the others.
    let ascii = format!("report-{}-{}.xlsx", r.board.area_code, r.period);
    let chinese = format!("{}{}{}.xlsx", r.area_name, r.period_label, r.title);
    let value = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent(&chinese)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

fn utf8_percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
