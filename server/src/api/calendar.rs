//! `GET /calendar`, `PUT /calendar/{day}`, `DELETE /calendar/{day}` (administrators change it).

use super::{
    ApiError, ApiResult, Auth, Invalid, JsonBody, Missing, OpenApiRouter, Refused, routes,
};
use app::domain::calendar::DayKind;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::calendar;
use app::ssr::store::catalogue::CalendarDay;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(set, remove))
}

/// Listed days of the working calendar (holidays, adjusted working days)
#[utoipa::path(get, path = "/calendar", tag = "standards",
    responses((status = 200, description = "days", body = Vec<CalendarDay>), Refused))]
async fn list(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<CalendarDay>>> {
    Ok(Json(calendar::list(&state).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct DayBody {
    kind: DayKind,
    /// What the day is (国庆节, 调休上班).
    #[serde(default)]
    #[schema(max_length = 100)]
    note: String,
}

fn day(s: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ApiError(AppError::validation("day", Msg::ErrBadRequest)))
}

/// Administrators: set a day (holiday or working day); open cases' deadlines stay as set
#[utoipa::path(put, path = "/calendar/{day}", tag = "standards", params(("day" = chrono::NaiveDate, Path, description = "YYYY-MM-DD")), request_body = DayBody,
    responses((status = 200, description = "the day", body = CalendarDay), Refused, Invalid))]
async fn set(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(d): Path<String>,
    JsonBody(b): JsonBody<DayBody>,
) -> ApiResult<Json<CalendarDay>> {
    Ok(Json(
        calendar::set(&state, &user, day(&d)?, b.kind, &b.note).await?,
    ))
}

/// Administrators: remove a listed day
#[utoipa::path(delete, path = "/calendar/{day}", tag = "standards", params(("day" = chrono::NaiveDate, Path, description = "YYYY-MM-DD")),
    responses((status = 204, description = "removed"), Refused, Missing, Invalid))]
async fn remove(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(d): Path<String>,
) -> ApiResult<StatusCode> {
    calendar::remove(&state, &user, day(&d)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
