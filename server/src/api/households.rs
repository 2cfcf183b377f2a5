//! Households, visits and the work ledger (`/households`, `/visits`, `/ledger`): JSON for
//! integrations and scripts, the same figures the worker's pages show. Lists carry masked
//! numbers; `…/reveal` returns one member's full numbers and writes the audit log.

use super::{ApiError, ApiResult, Auth, JsonBody};
use app::domain::household::PopulationTag;
use app::domain::household::import::ImportReport;
use app::domain::household::ledger::Ledger;
use app::domain::household::view::{
    GridVisitCount, HouseholdDetail, HouseholdView, Revealed, WorkerWeek,
};
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::households;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/households", get(list))
        .route(
            "/households/import",
            post(import).layer(DefaultBodyLimit::max(8 * 1024 * 1024)),
        )
        .route("/households/{id}", get(detail))
        .route("/households/{id}/members/{member}/reveal", post(reveal))
        .route("/households/{id}/visits", post(visit))
        .route("/visits/overdue", get(overdue))
        .route("/visits/per-grid", get(per_grid))
        .route("/visits/week", get(week))
        .route("/ledger", get(ledger))
        .route("/ledger.xlsx", get(ledger_xlsx))
        .route("/population-tags", get(tags))
        .route("/population-tags/{code}", axum::routing::put(save_tag))
}

async fn tags(State(state): State<AppState>, Auth(_): Auth) -> ApiResult<Json<Vec<PopulationTag>>> {
    Ok(Json(households::tags(&state).await?))
}

#[derive(Deserialize)]
struct TagBody {
    name: String,
    #[serde(default)]
    name_en: String,
    visit_every_days: Option<u32>,
}

/// Administrators: add a tag or change its name or visit rule.
async fn save_tag(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(code): Path<String>,
    JsonBody(b): JsonBody<TagBody>,
) -> ApiResult<Json<PopulationTag>> {
    let tag = PopulationTag {
        code,
        name: b.name,
        name_en: b.name_en,
        visit_every_days: b.visit_every_days,
    };
    Ok(Json(
        households::save_tag(&state, &user, tag, state.clock.now()).await?,
    ))
}

#[derive(Deserialize, Default)]
struct GridParam {
    grid: Option<String>,
}

fn grid_of(p: GridParam, user: &app::ssr::CurrentUser) -> Result<String, ApiError> {
    p.grid
        .filter(|g| !g.is_empty())
        .or_else(|| households::own_grid(user))
        .ok_or(ApiError(AppError::validation("grid", Msg::ErrRequired)))
}

async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<GridParam>,
) -> ApiResult<Json<Vec<HouseholdView>>> {
    let grid = grid_of(p, &user)?;
    Ok(Json(
        households::list(&state, &user, &grid, state.clock.now()).await?,
    ))
}

async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<i64>,
) -> ApiResult<Json<HouseholdDetail>> {
    Ok(Json(
        households::detail(&state, &user, id, state.clock.now()).await?,
    ))
}

async fn reveal(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path((id, member)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let r: Revealed = households::reveal(&state, &user, id, member, state.clock.now()).await?;
    let mut res = Json(r).into_response();
    // Full numbers are never kept by caches.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The file itself as the body (CSV or XLSX); 422 with the per-row report when refused.
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<GridParam>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportReport>)> {
    let grid = grid_of(p, &user)?;
    let report = households::import(&state, &user, &grid, body, state.clock.now()).await?;
    let status = if report.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)))
}

#[derive(Deserialize, Default)]
struct VisitBody {
    minutes: u32,
    notes: String,
    #[serde(default)]
    needs: String,
    lat: Option<f64>,
    lng: Option<f64>,
    /// A category: the needs are reported as a case of it.
    need_case_category: Option<String>,
}

async fn visit(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<i64>,
    JsonBody(b): JsonBody<VisitBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let input = households::VisitInput {
        minutes: b.minutes.to_string(),
        notes: b.notes,
        needs: b.needs,
        lat: b.lat.map(|v| v.to_string()).unwrap_or_default(),
        lng: b.lng.map(|v| v.to_string()).unwrap_or_default(),
        photo: None,
        need_case_category: b.need_case_category,
    };
    let logged = households::log_visit(&state, &user, id, input, state.clock.now()).await?;
    let (case_id, tracking_code) = logged.case.unzip();
    Ok((
        StatusCode::CREATED,
        Json(
            serde_json::json!({ "id": logged.id, "case_id": case_id, "tracking_code": tracking_code }),
        ),
    ))
}

async fn overdue(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<GridParam>,
) -> ApiResult<Json<Vec<HouseholdView>>> {
    Ok(Json(
        households::overdue(
            &state,
            &user,
            p.grid.as_deref().filter(|g| !g.is_empty()),
            state.clock.now(),
        )
        .await?,
    ))
}

async fn per_grid(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<GridVisitCount>>> {
    Ok(Json(
        households::counts_per_grid(&state, &user, state.clock.now()).await?,
    ))
}

async fn week(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Json<Vec<WorkerWeek>>> {
    Ok(Json(
        households::week_per_worker(&state, &user, state.clock.now()).await?,
    ))
}

#[derive(Deserialize, Default)]
struct LedgerParams {
    worker: Option<i64>,
    month: Option<String>,
}

async fn load_ledger(
    state: &AppState,
    user: &app::ssr::CurrentUser,
    p: LedgerParams,
) -> Result<Ledger, ApiError> {
    let month = p
        .month
        .ok_or(ApiError(AppError::validation("month", Msg::ErrBadMonth)))?;
    Ok(households::ledger(state, user, p.worker.unwrap_or(user.id), &month).await?)
}

async fn ledger(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<LedgerParams>,
) -> ApiResult<Json<serde_json::Value>> {
    let l = load_ledger(&state, &user, p).await?;
    let summary = l.summary();
    Ok(Json(serde_json::json!({ "ledger": l, "summary": summary })))
}

async fn ledger_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<LedgerParams>,
) -> ApiResult<Response> {
    let l = load_ledger(&state, &user, p).await?;
    let bytes = households::ledger_xlsx(&l)?;
    let file = format!("ledger-{}-{}.xlsx", l.account_id, l.month);
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}
