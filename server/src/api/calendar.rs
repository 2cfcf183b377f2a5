//! `GET /calendar`, `PUT /calendar/{day}`, `DELETE /calendar/{day}` (administrators change it).

use super::{ApiError, ApiResult, Auth, JsonBody};
use app::domain::calendar::DayKind;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::calendar;
use app::ssr::store::catalogue::CalendarDay;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/calendar", get(list))
        .route("/calendar/{day}", axum::routing::put(set).delete(remove))
}

async fn list(State(state): State<AppState>, _: Auth) -> ApiResult<Json<Vec<CalendarDay>>> {
    Ok(Json(calendar::list(&state).await?))
}

#[derive(Deserialize)]
struct DayBody {
    kind: DayKind,
    #[serde(default)]
    note: String,
}

fn day(s: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| ApiError(AppError::validation("day", Msg::ErrBadRequest)))
}

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

async fn remove(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(d): Path<String>,
) -> ApiResult<StatusCode> {
    calendar::remove(&state, &user, day(&d)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
