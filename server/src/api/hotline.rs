//! 12345 hotline work orders, for command centres and administrators:
//! `POST /hotline/import` (the hotline's export as XLSX or CSV; all rows or none, 422
//! `{errors: [{row, column, msg}]}`), `POST /hotline/orders` (one order as JSON, from a
//! connector) and `GET /hotline/returns.xlsx?from=&to=` (the return sheet, 回传表).

use super::{ApiError, ApiResult, Auth, JsonBody, download};
use app::domain::calendar::district_tz;
use app::domain::hotline::order::OrderInput;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::hotline;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate, TimeZone, Utc};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/hotline/import",
            post(import).layer(DefaultBodyLimit::max(2 * 1024 * 1024)),
        )
        .route("/hotline/orders", post(order))
        .route("/hotline/returns.xlsx", get(returns))
}

async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    body: axum::body::Bytes,
) -> Response {
    let done = hotline::import(&state, &user, body, state.clock.now()).await;
    answer(done, StatusCode::OK)
}

/// Done with `status`, or 422 with every refused row as `errors: [{row, column, msg}]`
/// (the interface integrators code against; `problems` too, as the other imports say it).
fn answer(
    done: Result<
        hotline::Imported,
        app::ssr::services::roster::TableError<app::domain::hotline::order::Column>,
    >,
    status: StatusCode,
) -> Response {
    use app::ssr::services::roster::{TableError, refused_json};
    use axum::response::IntoResponse;
    match done {
        Ok(d) => (status, axum::Json(d)).into_response(),
        Err(TableError::Refused(rows)) => {
            let mut body = refused_json("hotline_refused", ("工单", "order"), &rows);
            body["errors"] = rows
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "row": e.row,
                        "column": e.column,
                        "msg": app::i18n::t(app::i18n::Lang::Zh, e.msg),
                        "msg_en": app::i18n::t(app::i18n::Lang::En, e.msg),
                        "value": e.value,
                    })
                })
                .collect();
            (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
        }
        Err(TableError::Other(e)) => ApiError(e).into_response(),
    }
}

async fn order(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<OrderInput>,
) -> Response {
    let done = hotline::post_order(&state, &user, input, state.clock.now()).await;
    answer(done, StatusCode::CREATED)
}

#[derive(serde::Deserialize)]
struct Period {
    from: Option<String>,
    to: Option<String>,
}

/// `from`..=`to` (district days) as `[start, end)`; by default this month so far.
fn period(
    p: &Period,
    now: chrono::DateTime<Utc>,
) -> Result<(chrono::DateTime<Utc>, chrono::DateTime<Utc>), AppError> {
    let today = now.with_timezone(&district_tz()).date_naive();
    let day = |v: &Option<String>, field: &str, default: NaiveDate| match v
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Ok(default),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map_err(|_| AppError::validation(field, Msg::ErrBadRequest)),
    };
    let from = day(&p.from, "from", today.with_day(1).unwrap_or(today))?;
    let to = day(&p.to, "to", today)?;
    if to < from || (to - from).num_days() > 366 {
        return Err(AppError::validation("to", Msg::ErrBadRequest));
    }
    let start = |d: NaiveDate| {
        district_tz()
            .from_local_datetime(&d.and_hms_opt(0, 0, 0).expect("midnight"))
            .single()
            .expect("a fixed offset")
            .with_timezone(&Utc)
    };
    Ok((start(from), start(to.succ_opt().unwrap_or(to))))
}

async fn returns(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(p): Query<Period>,
) -> ApiResult<Response> {
    let (from, to) = period(&p, state.clock.now())?;
    let sheet = hotline::returns_sheet(&state, &user, from, to).await?;
    let bytes = app::ssr::xlsx::write(&[sheet]).map_err(|e| {
        tracing::error!(error = %e, "the hotline return sheet could not be written");
        ApiError(AppError::Internal)
    })?;
    Ok(download(bytes, super::XLSX_TYPE, "hotline-returns.xlsx"))
}
