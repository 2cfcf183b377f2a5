//! `/admin/accounts`, `/admin/departments`, `/admin/members`: the administrators' pages for
//! the district's people (light; views in `app::light::people_admin`). Each GET shows the
//! page; each POST carries an `action` field, calls the same service as the API, and shows
//! the page again with what happened.

use crate::admin_pages::{AdminPage, Form, ok, refused, table_refused, with_status};
use crate::http::html;
use app::domain::people::Role;
use app::domain::territory::Level;
use app::error::AppError;
use app::light::{
    AccountsView, AdminOutcome, DepartmentsView, MembersView, PageCtx, accounts_page,
    departments_page, members_page,
};
use app::ssr::services::{accounts, department_import, departments, members, roster};
use app::ssr::{AppState, CurrentUser, store};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

/// A table of a district's people, or a small form.
const LIMIT: usize = 4 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(accounts_get).post(accounts_post))
        .route(
            "/admin/departments",
            get(departments_get).post(departments_post),
        )
        .route("/admin/members", get(members_get).post(members_post))
        .layer(DefaultBodyLimit::max(LIMIT))
}

async fn accounts_get(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
) -> Response {
    render_accounts(&state, &ctx, &user, None).await
}

async fn accounts_post(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    m: Multipart,
) -> Response {
    let form = Form::read(m).await;
    let now = state.clock.now();
    let lang = ctx.lang;
    let issued = |v: Vec<accounts::Issued>| {
        ok(AdminOutcome::Issued(
            v.into_iter()
                .map(|i| (i.username, i.temporary_password))
                .collect(),
        ))
    };
    let outcome = match form.text("action").as_str() {
        "create" => match new_account(&form) {
            Ok(input) => accounts::create(&state, &user, input, now)
                .await
                .map(|i| issued(vec![i])),
            Err(e) => Err(e),
        }
        .unwrap_or_else(|e| refused(lang, e)),
        "import" => roster::import(&state, &user, form.file("file"), now)
            .await
            .map(issued)
            .unwrap_or_else(|e| table_refused(lang, e)),
        "reset" => accounts::reset_password(&state, &user, &form.text("username"), now)
            .await
            .map(|i| issued(vec![i]))
            .unwrap_or_else(|e| refused(lang, e)),
        "deactivate" => accounts::deactivate(&state, &user, &form.text("username"), now)
            .await
            .map(|()| ok(AdminOutcome::Done))
            .unwrap_or_else(|e| refused(lang, e)),
        _ => refused(lang, AppError::NotFound),
    };
    with_status(
        render_accounts(&state, &ctx, &user, Some(outcome.1)).await,
        outcome.0,
    )
}

fn new_account(form: &Form) -> Result<accounts::NewAccountInput, AppError> {
    let role = Role::parse(&form.text("role"))
        .ok_or_else(|| AppError::validation("role", app::i18n::Msg::ErrRosterRole))?;
    let attachment = Some(form.text("attachment"));
    let dept = role.is_department_role();
    Ok(accounts::NewAccountInput {
        username: form.text("username"),
        display_name: form.text("display_name"),
        role,
        node: if dept { None } else { attachment.clone() },
        department: if dept { attachment } else { None },
        work_phone: Some(form.text("work_phone")),
    })
}

async fn render_accounts(
    state: &AppState,
    ctx: &PageCtx,
    user: &CurrentUser,
    outcome: Option<AdminOutcome>,
) -> Response {
    let pool = &state.db.pool;
    let listed = accounts::list(state, user).await.unwrap_or_default();
    let mut attachments: Vec<(String, String)> = match &user.scope {
        app::domain::scope::Scope::Subtree { path } => store::territory::subtree(pool, path)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter(|n| n.level != Level::Building.as_str())
            .map(|n| (n.code, n.name))
            .collect(),
        _ => Vec::new(),
    };
    for d in store::departments::list(pool).await.unwrap_or_default() {
        attachments.push((d.code, d.name));
    }
    let view = AccountsView {
        me: user.username.clone(),
        accounts: listed,
        attachments,
        outcome,
    };
    html(StatusCode::OK, accounts_page(ctx, view))
}

async fn departments_get(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
) -> Response {
    render_departments(&state, &ctx, &user, None).await
}

async fn departments_post(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    m: Multipart,
) -> Response {
    let form = Form::read(m).await;
    let now = state.clock.now();
    let lang = ctx.lang;
    let outcome = match form.text("action").as_str() {
        "create" => {
            let input = departments::DepartmentInput {
                code: form.text("code"),
                name: form.text("name"),
                name_en: form.text("name_en"),
                categories: form.texts("categories"),
            };
            departments::create(&state, &user, input, now)
                .await
                .map(|_| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e))
        }
        "import" => department_import::import(&state, &user, form.file("file"), now)
            .await
            .map(|_| ok(AdminOutcome::Done))
            .unwrap_or_else(|e| table_refused(lang, e)),
        "update" => {
            let input = departments::DepartmentInput {
                code: String::new(),
                name: form.text("name"),
                name_en: form.text("name_en"),
                categories: form.texts("categories"),
            };
            departments::update(&state, &user, &form.text("code"), input, now)
                .await
                .map(|_| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e))
        }
        "deactivate" => departments::deactivate(&state, &user, &form.text("code"), now)
            .await
            .map(|()| ok(AdminOutcome::Done))
            .unwrap_or_else(|e| refused(lang, e)),
        _ => refused(lang, AppError::NotFound),
    };
    with_status(
        render_departments(&state, &ctx, &user, Some(outcome.1)).await,
        outcome.0,
    )
}

async fn render_departments(
    state: &AppState,
    ctx: &PageCtx,
    user: &CurrentUser,
    outcome: Option<AdminOutcome>,
) -> Response {
    let view = DepartmentsView {
        departments: departments::list(state, user).await.unwrap_or_default(),
        categories: store::catalogue::categories(&state.db.pool)
            .await
            .unwrap_or_default(),
        outcome,
    };
    html(StatusCode::OK, departments_page(ctx, view))
}

#[derive(serde::Deserialize)]
struct GridQuery {
    #[serde(default)]
    grid: Option<String>,
}

async fn members_get(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    Query(q): Query<GridQuery>,
) -> Response {
    render_members(&state, &ctx, &user, q.grid, None).await
}

async fn members_post(
    State(state): State<AppState>,
    AdminPage { ctx, user }: AdminPage,
    Query(q): Query<GridQuery>,
    m: Multipart,
) -> Response {
    let form = Form::read(m).await;
    let now = state.clock.now();
    let lang = ctx.lang;
    let grid = q.grid.clone().unwrap_or_default();
    let outcome = match form.text("action").as_str() {
        "add" => {
            let kind = form.text("kind");
            let (kind, support_role) = match kind.split_once(':') {
                Some((k, r)) => (k.to_owned(), Some(r.to_owned())),
                None => (kind, None),
            };
            let input = members::MemberInput {
                name: form.text("name"),
                kind,
                support_role,
                duties: form.text("duties"),
                work_phone: form.text("work_phone"),
                username: Some(form.text("username")),
            };
            members::add(&state, &user, &grid, input, now)
                .await
                .map(|_| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e))
        }
        "remove" => match form.text("id").parse::<i64>() {
            Ok(id) => members::remove(&state, &user, &grid, id, now)
                .await
                .map(|()| ok(AdminOutcome::Done))
                .unwrap_or_else(|e| refused(lang, e)),
            Err(_) => refused(lang, AppError::NotFound),
        },
        _ => refused(lang, AppError::NotFound),
    };
    with_status(
        render_members(&state, &ctx, &user, q.grid, Some(outcome.1)).await,
        outcome.0,
    )
}

async fn render_members(
    state: &AppState,
    ctx: &PageCtx,
    user: &CurrentUser,
    grid: Option<String>,
    outcome: Option<AdminOutcome>,
) -> Response {
    let grids: Vec<(String, String)> = match &user.scope {
        app::domain::scope::Scope::Subtree { path } => {
            store::territory::subtree(&state.db.pool, path)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter(|n| n.level == Level::Grid.as_str())
                .map(|n| (n.code, n.name))
                .collect()
        }
        _ => Vec::new(),
    };
    let chosen = grid.or_else(|| grids.first().map(|g| g.0.clone()));
    let shown = match chosen {
        Some(g) => members::list(state, user, &g).await.ok().map(|m| (g, m)),
        None => None,
    };
    let view = MembersView {
        grids,
        grid: shown,
        outcome,
    };
    html(StatusCode::OK, members_page(ctx, view))
}
