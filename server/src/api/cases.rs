//! Cases: `GET /categories`, `GET|POST /cases`, `GET /cases/{id}`, `POST /cases/{id}/actions`.

use super::{ApiError, ApiResult, Auth, JsonBody};
use app::domain::calendar::district_tz;
use app::domain::case::view::{CaseDetail, CasePage};
use app::domain::case::{Action, Colour, Status, Tier};
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::cases::{self, ListQuery, NewCaseInput};
use app::ssr::store::case_list::Filter;
use app::ssr::store::catalogue::CategoryRow;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{NaiveDate, TimeZone};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/categories", get(categories))
        .route("/cases", get(list).post(create))
        .route("/cases/{id}", get(detail))
        .route("/cases/{id}/actions", post(act))
        .route("/cases/{id}/consultations", post(consult))
}

async fn categories(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<CategoryRow>>> {
    Ok(Json(cases::categories(&state).await?))
}

async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<NewCaseInput>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let now = state.clock.now();
    Ok((
        StatusCode::CREATED,
        Json(cases::create(&state, &user, input, now).await?),
    ))
}

async fn detail(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CaseDetail>> {
    let id = parse_id(&id)?;
    Ok(Json(
        cases::detail(&state, &user, id, state.clock.now()).await?,
    ))
}

async fn act(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    JsonBody(action): JsonBody<Action>,
) -> ApiResult<Json<CaseDetail>> {
    let id = parse_id(&id)?;
    Ok(Json(
        cases::act(&state, &user, id, action, state.clock.now()).await?,
    ))
}

fn parse_id(s: &str) -> Result<i64, ApiError> {
    s.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .ok_or(ApiError(AppError::NotFound))
}

/// `?colour=&tier=&status=&area=&category=&from=&to=&supervised=&page=&per_page=`; dates
/// are local (Asia/Shanghai) `YYYY-MM-DD`, `to` inclusive.
#[derive(Deserialize, Default)]
pub struct ListParams {
    colour: Option<String>,
    tier: Option<String>,
    status: Option<String>,
    area: Option<String>,
    category: Option<String>,
    from: Option<String>,
    to: Option<String>,
    supervised: Option<String>,
    page: Option<String>,
    per_page: Option<String>,
}

fn bad(field: &str) -> ApiError {
    ApiError(AppError::validation(field, Msg::ErrBadRequest))
}

fn parse_with<T>(
    v: &Option<String>,
    field: &str,
    f: impl Fn(&str) -> Option<T>,
) -> Result<Option<T>, ApiError> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => f(s).map(Some).ok_or_else(|| bad(field)),
    }
}

fn day_start_ms(d: NaiveDate) -> i64 {
    district_tz()
        .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
        .single()
        .expect("fixed offset")
        .timestamp_millis()
}

pub fn parse_list(p: &ListParams) -> Result<ListQuery, ApiError> {
    let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
    Ok(ListQuery {
        filter: Filter {
            colour: parse_with(&p.colour, "colour", Colour::parse)?,
            tier: parse_with(&p.tier, "tier", Tier::parse)?,
            status: parse_with(&p.status, "status", Status::parse)?,
            area_path: None,
            category: parse_with(&p.category, "category", |s| Some(s.to_owned()))?,
            from_ms: parse_with(&p.from, "from", date)?.map(day_start_ms),
            to_ms: parse_with(&p.to, "to", date)?
                .and_then(|d| d.succ_opt())
                .map(day_start_ms),
            supervised: parse_with(&p.supervised, "supervised", |s| match s {
                "true" | "1" => Some(true),
                "false" | "0" => Some(false),
                _ => None,
            })?,
            page: parse_with(&p.page, "page", |s| {
                s.parse::<i64>()
                    .ok()
                    .filter(|n| (1..=app::ssr::store::case_list::MAX_PAGE).contains(n))
            })?
            .unwrap_or(1),
            per_page: parse_with(&p.per_page, "per_page", |s| {
                s.parse::<i64>().ok().filter(|n| (1..=200).contains(n))
            })?
            .unwrap_or(50),
            due_before_ms: None,
            extension_requested: false,
            open_only: false,
        },
        area: parse_with(&p.area, "area", |s| Some(s.to_owned()))?,
    })
}

async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<CasePage>> {
    let q = parse_list(&p)?;
    Ok(Json(
        cases::list(&state, &user, q, state.clock.now()).await?,
    ))
}

async fn consult(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<cases::ConsultationInput>,
) -> ApiResult<(StatusCode, Json<CaseDetail>)> {
    let id = parse_id(&id)?;
    Ok((
        StatusCode::CREATED,
        Json(cases::consult(&state, &user, id, input, state.clock.now()).await?),
    ))
}
