//! `/hotline`: the 12345 import page for command centres (light; view in
//! `app::light::hotline`) and `/hotline/template.csv`, the table to fill.

use crate::admin_pages::{CommandPage, Form, table_refused, with_status};
use crate::http::html;
use app::domain::calendar::district_tz;
use app::domain::hotline::order::Column;
use app::domain::table_rows::TableColumn;
use app::i18n::{Msg, t};
use app::light::{AdminOutcome, HotlineView, PageCtx, hotline_page};
use app::ssr::AppState;
use app::ssr::services::hotline;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Datelike;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/hotline", get(page_get).post(page_post))
        .route("/hotline/template.csv", get(template))
        .layer(DefaultBodyLimit::max(2 * 1024 * 1024))
}

async fn page_get(State(state): State<AppState>, CommandPage { ctx, .. }: CommandPage) -> Response {
    render(&state, &ctx, None, Vec::new())
}

async fn page_post(
    State(state): State<AppState>,
    CommandPage { ctx, user }: CommandPage,
    m: Multipart,
) -> Response {
    let form = Form::read(m).await;
    let lang = ctx.lang;
    match hotline::import(&state, &user, form.file("file"), state.clock.now()).await {
        Ok(done) => {
            let said = t(lang, Msg::HotlineImported)
                .replace("{created}", &done.created.to_string())
                .replace("{updated}", &done.updated.to_string())
                .replace("{revisits}", &done.revisits.to_string());
            render(
                &state,
                &ctx,
                Some(AdminOutcome::DoneWith(said)),
                done.orders,
            )
        }
        Err(e) => {
            let (status, outcome) = table_refused(lang, e);
            with_status(render(&state, &ctx, Some(outcome), Vec::new()), status)
        }
    }
}

fn render(
    state: &AppState,
    ctx: &PageCtx,
    outcome: Option<AdminOutcome>,
    orders: Vec<(String, String)>,
) -> Response {
    let today = state.clock.now().with_timezone(&district_tz()).date_naive();
    let view = HotlineView {
        outcome,
        orders,
        from: today.with_day(1).unwrap_or(today).to_string(),
        to: today.to_string(),
    };
    html(StatusCode::OK, hotline_page(ctx, view))
}

/// The template: every column's Chinese header and one example row.
async fn template(CommandPage { .. }: CommandPage) -> Response {
    let headers: Vec<&str> = Column::ALL
        .iter()
        .filter(|c| !matches!(c, Column::Point))
        .map(|c| c.header())
        .collect();
    let example = "GD20261124001,2026-11-24 08:40,3栋门口垃圾桶满溢,八一大道1号,28.699406,115.862711,环境卫生,一般,2026-11-27 18:00,请属地网格核实处理,王女士,13800001111,";
    let body = format!("\u{feff}{}\n{example}\n", headers.join(","));
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"hotline-template.csv\""),
    );
    res
}
