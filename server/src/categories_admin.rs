//! `/admin/categories`: the category standards table and the reply templates for
//! administrators (light; view in `app::light::categories_admin`). A save posts one row,
//! an import the whole table, a template is added or removed; each calls the same service
//! as the API and shows the page again with what happened.

use crate::admin_pages::{AdminPage, Form, ok, refused, table_refused, with_status};
use crate::http::html;
use app::domain::case::Tier;
use app::domain::category_standard::{CategoryStandard, Kind, StageLimits};
use app::error::AppError;
use app::i18n::Msg;
use app::light::{AdminOutcome, CategoriesView, PageCtx, categories_page};
use app::ssr::services::categories;
use app::ssr::services::reply_templates::{self, TemplateInput};
use app::ssr::{AppState, CurrentUser, store};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/categories", get(page_get).post(page_post))
        .layer(DefaultBodyLimit::max(1024 * 1024))
}

async fn page_get(State(state): State<AppState>, AdminPage { ctx, user }: AdminPage) -> Response {
    render(&state, &ctx, &user, None).await
}

async fn page_post(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    m: Multipart,
) -> Response {
    let form = Form::read(m).await;
    let now = state.clock.now();
    let lang = ctx.lang;
    let outcome = match form.text("action").as_str() {
        "save" => match standard_of(&form) {
            Ok(s) => categories::put(&state, &user, &form.text("code"), s, now)
                .await
                .map(|_| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e)),
            Err(e) => refused(lang, e),
        },
        "template_add" => {
            let input = TemplateInput {
                category: Some(form.text("category")).filter(|c| !c.is_empty()),
                step: form.text("step"),
                text: form.text("text"),
            };
            reply_templates::add(&state, &user, input, now)
                .await
                .map(|_| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e))
        }
        "template_delete" => match form.text("id").parse::<i64>() {
            Ok(id) => reply_templates::delete(&state, &user, id, now)
                .await
                .map(|()| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e)),
            Err(_) => refused(lang, AppError::NotFound),
        },
        "import" => categories::import(&state, &user, form.file("file"), now)
            .await
            .map(|_| ok(AdminOutcome::Done))
            .unwrap_or_else(|e| table_refused(lang, e)),
        _ => refused(lang, AppError::NotFound),
    };
    with_status(
        render(&state, &ctx, &user, Some(outcome.1)).await,
        outcome.0,
    )
}

/// The row a form describes; the service checks it as an imported row.
fn standard_of(form: &Form) -> Result<CategoryStandard, AppError> {
    let opt = |name: &str| Some(form.text(name)).filter(|v| !v.is_empty());
    let hours = |name: &str| -> Result<Option<u32>, AppError> {
        opt(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| AppError::validation(name, Msg::ErrHours))
            })
            .transpose()
    };
    Ok(CategoryStandard {
        code: form.text("code"),
        parent: opt("parent"),
        cj_code: form.text("cj_code"),
        kind: Kind::parse(&form.text("kind"))
            .ok_or_else(|| AppError::validation("kind", Msg::ErrCategoryKind))?,
        name: form.text("name"),
        name_en: form.text("name_en"),
        filing_standard: form.text("filing_standard"),
        closing_standard: form.text("closing_standard"),
        default_tier: opt("default_tier").and_then(|t| Tier::parse(&t)),
        urgent: form.text("urgent") == "on",
        copy_department: opt("department"),
        limits: StageLimits {
            ack_hours: hours("ack_hours")?,
            handle_hours: hours("handle_hours")?,
            verify_hours: hours("verify_hours")?,
        },
        result_photo: match form.text("result_photo").as_str() {
            "" => None,
            "yes" => Some(true),
            "no" => Some(false),
            _ => return Err(AppError::validation("result_photo", Msg::ErrYesNo)),
        },
    })
}

async fn render(
    state: &AppState,
    ctx: &PageCtx,
    _user: &CurrentUser,
    outcome: Option<AdminOutcome>,
) -> Response {
    let pool = &state.db.pool;
    let view = CategoriesView {
        standards: categories::list(state).await.unwrap_or_default(),
        templates: reply_templates::list(state).await.unwrap_or_default(),
        departments: store::departments::list(pool).await.unwrap_or_default(),
        outcome,
    };
    html(StatusCode::OK, categories_page(ctx, view))
}
