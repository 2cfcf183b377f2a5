//! Households, visits and the work ledger (`/households`, `/visits`, `/ledger`): JSON for
//! integrations and scripts, the same figures the worker's pages show. Lists carry masked
//! numbers; `…/reveal` returns one member's full numbers and writes the audit log.

use super::{
    ApiError, ApiResult, Auth, Conflicting, Invalid, JsonBody, Missing, OpenApiRouter, Query,
    Refused, routes,
};
use crate::http::doc::Binary;
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
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .merge(super::limited(routes!(import), 8 * 1024 * 1024))
        .routes(routes!(detail))
        .routes(routes!(reveal))
        .routes(routes!(visit))
        .routes(routes!(overdue))
        .routes(routes!(per_grid))
        .routes(routes!(week))
        .routes(routes!(ledger))
        .routes(routes!(ledger_xlsx))
        .routes(routes!(tags))
        .routes(routes!(save_tag))
}

/// Special-population tags with their visit rules
#[utoipa::path(get, path = "/population-tags", tag = "households",
    responses((status = 200, description = "tags", body = Vec<PopulationTag>), Refused))]
async fn tags(State(state): State<AppState>, Auth(_): Auth) -> ApiResult<Json<Vec<PopulationTag>>> {
    Ok(Json(households::tags(&state).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct TagBody {
    #[schema(min_length = 1, max_length = 40)]
    name: String,
    #[serde(default)]
    #[schema(max_length = 80)]
    name_en: String,
    /// Visit a household with this tag at least every so many days; none: no rule.
    #[schema(minimum = 1, maximum = 366)]
    visit_every_days: Option<u32>,
}

/// Administrators: add a tag or change its name or visit rule; households with the tag get their rule recomputed
#[utoipa::path(put, path = "/population-tags/{code}", tag = "households", params(("code" = String, Path)),
    request_body = TagBody,
    responses((status = 200, description = "the tag", body = PopulationTag), Refused, Invalid))]
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

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct GridParam {
    /// A grid's code; default: the worker's own grid.
    grid: Option<String>,
}

fn grid_of(p: GridParam, user: &app::ssr::CurrentUser) -> Result<String, ApiError> {
    p.grid
        .filter(|g| !g.is_empty())
        .or_else(|| households::own_grid(user))
        .ok_or(ApiError(AppError::validation("grid", Msg::ErrRequired)))
}

/// The households of a grid with their members
///
/// Phone and ID numbers masked (138****1234; ID numbers: the last four only).
#[utoipa::path(get, path = "/households", tag = "households", params(GridParam),
    responses((status = 200, description = "households", body = Vec<HouseholdView>), Refused, Missing, Invalid))]
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

/// One household: members (masked), visit rule and state, the last 50 visits
#[utoipa::path(get, path = "/households/{id}", tag = "households", params(("id" = i64, Path, description = "the household")),
    responses((status = 200, description = "the household", body = HouseholdDetail), Refused, Missing))]
async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<HouseholdDetail>> {
    let id = super::path_id(&id)?;
    Ok(Json(
        households::detail(&state, &user, id, state.clock.now()).await?,
    ))
}

/// One member's full phone and ID numbers
///
/// For grid workers, grid leaders and command centres; written to the audit log first.
#[utoipa::path(post, path = "/households/{id}/members/{member}/reveal", tag = "households",
    params(("id" = i64, Path, description = "the household"), ("member" = i64, Path, description = "the member")),
    responses((status = 200, description = "the numbers (`Cache-Control: no-store`)", body = Revealed), Refused, Missing))]
async fn reveal(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path((id, member)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (id, member) = (super::path_id(&id)?, super::path_id(&member)?);
    let r: Revealed = households::reveal(&state, &user, id, member, state.clock.now()).await?;
    let mut res = Json(r).into_response();
    // Full numbers are never kept by caches.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Import a grid's households from a table
///
/// All rows or none: 422 with `errors` when any row is refused.
#[utoipa::path(post, path = "/households/import", tag = "households", params(GridParam),
    request_body(content((Binary = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), description = "one member per row: 门牌地址, 姓名, 楼栋, 与户主关系, 手机号码, 身份证号, 特殊人群 (at most 8 MB)"),
    responses((status = 200, description = "what was created and updated", body = ImportReport),
        (status = 422, description = "every refused row in `errors`; nothing was written", body = HouseholdsRefused), Refused, Missing, crate::http::doc::TooLarge))]
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<GridParam>,
    crate::http::FileBody(body): crate::http::FileBody,
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

/// A refused household import (422): the import report with every refused row in
/// `errors`, or, when the request itself was refused, the error body.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct HouseholdsRefused {
    errors: Option<Vec<app::domain::household::import::RowError>>,
    rows: Option<u32>,
    error: Option<String>,
    message: Option<String>,
    message_en: Option<String>,
    field: Option<String>,
}

#[derive(Deserialize, Default, utoipa::ToSchema)]
struct VisitBody {
    #[schema(minimum = 1, maximum = 480)]
    minutes: u32,
    #[schema(max_length = 2000)]
    notes: String,
    #[serde(default)]
    needs: String,
    lat: Option<f64>,
    lng: Option<f64>,
    /// A category: the needs are reported as a case of it.
    need_case_category: Option<String>,
}

/// Log a visit; with `need_case_category` the needs are reported as a case in the same step
#[utoipa::path(post, path = "/households/{id}/visits", tag = "households", params(("id" = i64, Path, description = "the household"),
        ("Idempotency-Key" = Option<String>, Header, description = "16–64 letters, digits or `-`: a resend with the same key and content answers with the first visit, never a second one; the key with other content is refused (409)")),
    request_body = VisitBody,
    responses((status = 201, description = "the visit (and the case of its needs)", body = VisitLogged), Refused, Missing, Conflicting, Invalid))]
async fn visit(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    headers: axum::http::HeaderMap,
    JsonBody(b): JsonBody<VisitBody>,
) -> ApiResult<(StatusCode, Json<VisitLogged>)> {
    let id = super::path_id(&id)?;
    let input = households::VisitInput {
        minutes: b.minutes.to_string(),
        notes: b.notes,
        needs: b.needs,
        lat: b.lat.map(|v| v.to_string()).unwrap_or_default(),
        lng: b.lng.map(|v| v.to_string()).unwrap_or_default(),
        photo: None,
        need_case_category: b.need_case_category,
        idempotency_key: headers
            .get("idempotency-key")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned(),
    };
    let logged = households::log_visit(&state, &user, id, input, state.clock.now()).await?;
    let (case_id, tracking_code) = logged.case.unzip();
    Ok((
        StatusCode::CREATED,
        Json(VisitLogged {
            id: logged.id,
            case_id,
            tracking_code,
        }),
    ))
}

/// A logged visit, and the case its needs became, if any.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct VisitLogged {
    id: i64,
    case_id: Option<i64>,
    tracking_code: Option<String>,
}

/// Households overdue for a visit, longest overdue first
///
/// In one grid, or the caller's whole area.
#[utoipa::path(get, path = "/visits/overdue", tag = "households", params(GridParam),
    responses((status = 200, description = "households", body = Vec<HouseholdView>), Refused, Missing))]
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

/// Per grid of the caller's area: households, households with a visit rule, overdue now
#[utoipa::path(get, path = "/visits/per-grid", tag = "households",
    responses((status = 200, description = "grids", body = Vec<GridVisitCount>), Refused))]
async fn per_grid(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<GridVisitCount>>> {
    Ok(Json(
        households::counts_per_grid(&state, &user, state.clock.now()).await?,
    ))
}

/// Visits and minutes per worker this week (from Monday 00:00, district time)
#[utoipa::path(get, path = "/visits/week", tag = "households",
    responses((status = 200, description = "workers", body = Vec<WorkerWeek>), Refused))]
async fn week(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Json<Vec<WorkerWeek>>> {
    Ok(Json(
        households::week_per_worker(&state, &user, state.clock.now()).await?,
    ))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct LedgerParams {
    /// An account id; default: the caller.
    worker: Option<i64>,
    /// `YYYY-MM` (district time), required.
    #[param(required = true, pattern = r"^\d{4}-\d{2}$")]
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

/// A worker's month (工作台账): cases reported, resolved, dispatched; visits; summary
#[utoipa::path(get, path = "/ledger", tag = "households", params(LedgerParams),
    responses((status = 200, description = "the ledger and its summary", body = LedgerAnswer), Refused, Missing, Invalid))]
async fn ledger(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<LedgerParams>,
) -> ApiResult<Json<LedgerAnswer>> {
    let ledger = load_ledger(&state, &user, p).await?;
    let summary = ledger.summary();
    Ok(Json(LedgerAnswer { ledger, summary }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct LedgerAnswer {
    ledger: Ledger,
    summary: app::domain::household::ledger::LedgerSummary,
}

/// The same ledger as an XLSX workbook, one sheet per section, Chinese headers
#[utoipa::path(get, path = "/ledger.xlsx", tag = "households", params(LedgerParams),
    responses((status = 200, description = "the workbook", body = Binary, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Refused, Missing, Invalid))]
async fn ledger_xlsx(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<LedgerParams>,
) -> ApiResult<Response> {
    let l = load_ledger(&state, &user, p).await?;
    let bytes = households::ledger_xlsx(&l)?;
    let file = format!("ledger-{}-{}.xlsx", l.account_id, l.month);
    Ok(crate::http::download(bytes, crate::http::XLSX_TYPE, &file))
}
