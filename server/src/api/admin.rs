//! `/api/v1/admin/…`: administrators create accounts (a temporary password shown once),
//! deactivate them and reset passwords (every change audited by the service), search the
//! audit log, and import and export the territory (GeoJSON).

use super::{
    ApiResult, Auth, Conflicting, Invalid, JsonBody, Missing, OpenApiRouter, Query, Refused, routes,
};
use crate::http::doc::{Binary, TableRefused};
use app::ssr::AppState;
use app::ssr::services::accounts::{self, Issued, NewAccountInput};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .merge(super::limited(routes!(import), ROSTER_LIMIT))
        .routes(routes!(audit_search))
        .routes(routes!(login_locks))
        .routes(routes!(unlock_login))
        .routes(routes!(deactivate))
        .routes(routes!(reset_password))
        .merge(super::limited(routes!(territory_import), TERRITORY_LIMIT))
        .routes(routes!(territory_export))
}

/// A district's staff as a table: a few hundred rows.
const ROSTER_LIMIT: usize = 4 * 1024 * 1024;

/// A district's boundaries: a few MB of coordinates; the feature and vertex counts are
/// bounded again before any geometry is built.
const TERRITORY_LIMIT: usize = 32 * 1024 * 1024;

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ImportQuery {
    /// `true` (the default): check and plan only; `false`: apply.
    #[param(value_type = Option<bool>)]
    #[serde(default)]
    dry_run: Option<String>,
}

/// Administrators: import the district's territory from GeoJSON
///
/// Features with properties `code`, `name`, `level` (street, community or grid), `parent`,
/// optional `name_en`; geometry Polygon or MultiPolygon in WGS-84 (parts must not overlap;
/// no holes). The file is the whole territory below the district: nodes it lacks are
/// removed (a removed grid's households and people go to the grid named by its
/// `reassign_to`). A dry run (the default) checks and plans only.
#[utoipa::path(post, path = "/admin/territory/import", tag = "territory", params(ImportQuery),
    request_body(content = Object, description = "a GeoJSON FeatureCollection (at most 32 MB; features bounded again before any geometry is built)", content_type = "application/geo+json"),
    responses((status = 200, description = "the plan (applied unless a dry run)", body = TerritoryPlan),
        (status = 422, description = "`territory_refused`: every problem; nothing was written", body = TerritoryRefused), Refused, crate::http::doc::TooLarge))]
async fn territory_import(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<ImportQuery>,
    crate::http::FileBody(body): crate::http::FileBody,
) -> Response {
    use app::domain::territory_import::{Problem, ProblemKind};
    use app::ssr::services::territory_import::{self as ti, ImportError};
    let dry_run = q.dry_run.as_deref() != Some("false");
    let doc: serde_json::Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            return refused(vec![Problem::new(
                "",
                ProblemKind::NotAFeatureCollection,
                format!("文件不是有效的 JSON：{e}"),
                format!("The file is not valid JSON: {e}"),
            )]);
        }
    };
    match ti::import(&state, &user, doc, dry_run, state.clock.now()).await {
        Ok(plan) => Json(TerritoryPlan { plan, dry_run }).into_response(),
        Err(ImportError::Refused(problems)) => refused(problems),
        Err(ImportError::Other(e)) => super::ApiError(e).into_response(),
    }
}

/// The plan of a territory import, and whether it was only a plan.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct TerritoryPlan {
    #[serde(flatten)]
    plan: app::domain::territory_import::Plan,
    dry_run: bool,
}

/// A refused territory (422): every problem, with where it lies.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
struct TerritoryRefused {
    /// `territory_refused`
    error: String,
    message: String,
    message_en: String,
    /// Absent when the request itself was refused (`validation`, with `field`).
    problems: Option<Vec<app::domain::territory_import::Problem>>,
    field: Option<String>,
}

/// 422 with every reason: nothing was written.
fn refused(problems: Vec<app::domain::territory_import::Problem>) -> Response {
    let body = serde_json::json!({
        "error": "territory_refused",
        "message": format!("边界数据有 {} 处问题，未导入任何内容。", problems.len()),
        "message_en": format!("The territory has {} problems; nothing was imported.", problems.len()),
        "problems": problems,
    });
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// Administrators: the territory below the district as GeoJSON (imports back unchanged)
#[utoipa::path(get, path = "/admin/territory/export", tag = "territory",
    responses((status = 200, description = "a FeatureCollection", body = Object, content_type = "application/geo+json"), Refused))]
async fn territory_export(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Response> {
    let doc = app::ssr::services::territory_import::export(&state, &user).await?;
    let mut res = Json(doc).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    res.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"territory.geojson\""),
    );
    Ok(res)
}

/// A temporary password is shown once: never kept by a cache.
fn issued(status: StatusCode, body: Issued) -> Response {
    let mut res = (status, Json(body)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// Administrators: create an account with a temporary password
///
/// 409 if the username is taken. The person sets their own password at the first login.
#[utoipa::path(post, path = "/admin/accounts", tag = "accounts", request_body = NewAccountInput,
    responses((status = 201, description = "the temporary password, shown once (`Cache-Control: no-store`)", body = Issued),
        Refused, Conflicting, Invalid))]
async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<NewAccountInput>,
) -> ApiResult<Response> {
    let issued_password = accounts::create(&state, &user, body, state.clock.now()).await?;
    Ok(issued(StatusCode::CREATED, issued_password))
}

/// Administrators: the accounts of their area and the departments' staff
#[utoipa::path(get, path = "/admin/accounts", tag = "accounts",
    responses((status = 200, description = "accounts", body = Vec<app::ssr::store::accounts::AccountListed>), Refused))]
async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<app::ssr::store::accounts::AccountListed>>> {
    Ok(Json(accounts::list(&state, &user).await?))
}

/// Administrators: create many accounts from a table
///
/// CSV in UTF-8 or XLSX; columns 用户名/username, 姓名/display_name, 角色/role (code or
/// Chinese name), 所属/attachment (node code, or department code for dept), 工作电话/work_phone.
/// All rows or none.
#[utoipa::path(post, path = "/admin/accounts/import", tag = "accounts",
    request_body(content((Binary = "text/csv"), (Binary = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")),
        description = "the table (at most 1,000 rows, 4 MB)"),
    responses((status = 201, description = "the accounts with their temporary passwords (`no-store`)", body = RosterDone),
        (status = 422, description = "`accounts_refused`: nothing was created", body = TableRefused), Refused, crate::http::doc::TooLarge))]
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    crate::http::FileBody(body): crate::http::FileBody,
) -> Response {
    use app::ssr::services::roster;
    let done = roster::import(&state, &user, body, state.clock.now())
        .await
        .map(|created| RosterDone {
            count: created.len(),
            created,
        });
    let mut res = super::table_import(
        done,
        StatusCode::CREATED,
        "accounts_refused",
        ("账号", "account"),
    );
    // Temporary passwords are shown once: never kept by a cache.
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The accounts an imported table created.
#[derive(serde::Serialize, utoipa::ToSchema)]
struct RosterDone {
    count: usize,
    created: Vec<Issued>,
}

/// Administrators: deactivate an account; it cannot log in and its sessions end
#[utoipa::path(post, path = "/admin/accounts/{username}/deactivate", tag = "accounts",
    params(("username" = String, Path)),
    responses((status = 204, description = "deactivated"), Refused, Missing, Conflicting))]
async fn deactivate(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<StatusCode> {
    accounts::deactivate(&state, &user, &username, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Administrators: a new temporary password; the account's sessions end
#[utoipa::path(post, path = "/admin/accounts/{username}/reset-password", tag = "accounts",
    params(("username" = String, Path)),
    responses((status = 200, description = "the temporary password, shown once", body = Issued), Refused, Missing))]
async fn reset_password(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<Response> {
    let issued_password =
        accounts::reset_password(&state, &user, &username, state.clock.now()).await?;
    Ok(issued(StatusCode::OK, issued_password))
}

/// Administrators: search the audit log, newest first
///
/// Reads of personal data, imports, account changes; rows are append-only and kept at least
/// six months.
#[utoipa::path(get, path = "/admin/audit", tag = "accounts", params(app::ssr::services::audit::AuditQuery),
    responses((status = 200, description = "entries", body = Vec<app::ssr::services::audit::AuditEntry>), Refused, Invalid))]
async fn audit_search(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<app::ssr::services::audit::AuditQuery>,
) -> ApiResult<Json<Vec<app::ssr::services::audit::AuditEntry>>> {
    Ok(Json(
        app::ssr::services::audit::search(&state, &user, q, state.clock.now()).await?,
    ))
}

/// Administrators: the (username, address) pairs that must wait after failed logins
#[utoipa::path(get, path = "/admin/login-locks", tag = "accounts",
    responses((status = 200, description = "locks", body = Vec<app::ssr::login_throttle::LoginLock>), Refused))]
async fn login_locks(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<app::ssr::login_throttle::LoginLock>>> {
    Ok(Json(accounts::login_locks(
        &state,
        &user,
        state.clock.now(),
    )?))
}

/// Administrators: lift every wait of a username (audited)
#[utoipa::path(post, path = "/admin/login-locks/{username}/unlock", tag = "accounts",
    params(("username" = String, Path)),
    responses((status = 200, description = "how many addresses were let go", body = Lifted), Refused))]
async fn unlock_login(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<Json<Lifted>> {
    let lifted = accounts::unlock_login(&state, &user, &username, state.clock.now()).await?;
    Ok(Json(Lifted { lifted }))
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Lifted {
    lifted: usize,
}
