//! 12345 hotline work orders, for command centres and administrators:
//! `POST /hotline/import` (the hotline's export as XLSX or CSV; all rows or none, 422
//! `{errors: [{row, column, msg}]}`), `POST /hotline/orders` (one order as JSON, from a
//! connector) and `GET /hotline/returns.xlsx?from=&to=` (the return sheet, 回传表).

use super::{
    ApiError, ApiResult, Auth, Invalid, JsonBody, OpenApiRouter, Query, Refused, download, routes,
};
use crate::http::doc::Binary;
use app::domain::calendar::district_tz;
use app::domain::hotline::order::OrderInput;
use app::error::AppError;
use app::i18n::Msg;
use app::ssr::AppState;
use app::ssr::services::hotline;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate, TimeZone, Utc};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(super::limited(routes!(import), 2 * 1024 * 1024))
        .routes(routes!(order))
        .routes(routes!(returns))
}

/// A refused 12345 import or order (422): nothing was written.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct HotlineRefused {
    /// `hotline_refused`
    error: String,
    message: String,
    message_en: String,
    /// Every refused row, as integrators read it (absent when the request itself was
    /// refused: `validation`, with `field`).
    errors: Option<Vec<HotlineProblem>>,
    /// The same rows as the other imports report them.
    problems: Option<Vec<crate::http::doc::TableProblem>>,
    field: Option<String>,
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct HotlineProblem {
    /// The row in the file, the header being row 1 (1 for a posted order).
    row: u32,
    /// The column's field name (order_no, received_at, …), when one column is at fault.
    column: Option<String>,
    msg: String,
    msg_en: String,
    value: String,
}

/// Centres and administrators: import the 12345 hotline's export
///
/// Columns 工单编号, 接收时间, 问题描述, 地址 or 纬度/经度, 工单类别, 紧急程度, 办结时限, 转办意见,
/// 联系人, 联系电话, 回访结果. All rows or none; a known 工单编号 updates its order (and applies a
/// 回访结果) instead of adding it again.
#[utoipa::path(post, path = "/hotline/import", tag = "integrations",
    request_body(content((Binary = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), description = "the hotline's export (at most 2 MB)"),
    responses((status = 200, description = "what was created and updated", body = hotline::Imported),
        (status = 422, description = "every refused row; nothing was written", body = HotlineRefused), Refused, crate::http::doc::TooLarge))]
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    crate::http::FileBody(body): crate::http::FileBody,
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

/// Centres and administrators: one 12345 order from a connector, checked as one row of the import
#[utoipa::path(post, path = "/hotline/orders", tag = "integrations", request_body = OrderInput,
    responses((status = 201, description = "what was created and updated", body = hotline::Imported),
        (status = 422, description = "the refused fields; nothing was written", body = HotlineRefused), Refused))]
async fn order(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(input): JsonBody<OrderInput>,
) -> Response {
    let done = hotline::post_order(&state, &user, input, state.clock.now()).await;
    answer(done, StatusCode::CREATED)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Period {
    /// `YYYY-MM-DD` (district time); default: the first of this month.
    #[param(value_type = Option<NaiveDate>)]
    from: Option<String>,
    /// `YYYY-MM-DD`, included; default: today. At most 366 days after `from`.
    #[param(value_type = Option<NaiveDate>)]
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

/// Centres and administrators: the return sheet (回传表) of a period
///
/// 签收, 退单申请, 延期申请, 办结回复 (with the result and photo links), 回访结果 — one row per step.
#[utoipa::path(get, path = "/hotline/returns.xlsx", tag = "integrations", params(Period),
    responses((status = 200, description = "the workbook", body = Binary, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), Refused, Invalid))]
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
