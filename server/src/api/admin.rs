//! `/api/v1/admin/…`: administrators create accounts (a temporary password shown once),
//! deactivate them and reset passwords (every change audited by the service), search the
//! audit log, and import and export the territory (GeoJSON).

use super::{ApiResult, Auth, JsonBody};
use app::ssr::AppState;
use app::ssr::services::accounts::{self, Issued, NewAccountInput};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/accounts", get(list).post(create))
        .route(
            "/admin/accounts/import",
            post(import).layer(axum::extract::DefaultBodyLimit::max(ROSTER_LIMIT)),
        )
        .route("/admin/audit", get(audit_search))
        .route("/admin/login-locks", get(login_locks))
        .route("/admin/login-locks/{username}/unlock", post(unlock_login))
        .route("/admin/accounts/{username}/deactivate", post(deactivate))
        .route(
            "/admin/accounts/{username}/reset-password",
            post(reset_password),
        )
        .route(
            "/admin/territory/import",
            post(territory_import).layer(axum::extract::DefaultBodyLimit::max(TERRITORY_LIMIT)),
        )
        .route("/admin/territory/export", get(territory_export))
}

/// A district's staff as a table: a few hundred rows.
const ROSTER_LIMIT: usize = 4 * 1024 * 1024;

/// A district's boundaries: a few MB of coordinates; the feature and vertex counts are
/// bounded again before any geometry is built.
const TERRITORY_LIMIT: usize = 32 * 1024 * 1024;

#[derive(serde::Deserialize)]
struct ImportQuery {
    /// `true` (the default): check and plan only.
    #[serde(default)]
    dry_run: Option<String>,
}

async fn territory_import(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<ImportQuery>,
    body: axum::body::Bytes,
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
        Ok(plan) => {
            let mut v = serde_json::to_value(plan).unwrap_or_default();
            v["dry_run"] = dry_run.into();
            Json(v).into_response()
        }
        Err(ImportError::Refused(problems)) => refused(problems),
        Err(ImportError::Other(e)) => super::ApiError(e).into_response(),
    }
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

async fn territory_export(State(state): State<AppState>, Auth(user): Auth) -> ApiResult<Response> {
    let doc = app::ssr::services::territory_import::export(&state, &user).await?;
    let mut res = Json(doc).into_response();
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

async fn create(
    State(state): State<AppState>,
    Auth(user): Auth,
    JsonBody(body): JsonBody<NewAccountInput>,
) -> ApiResult<Response> {
    let issued_password = accounts::create(&state, &user, body, state.clock.now()).await?;
    Ok(issued(StatusCode::CREATED, issued_password))
}

async fn list(
    State(state): State<AppState>,
    Auth(user): Auth,
) -> ApiResult<Json<Vec<app::ssr::store::accounts::AccountListed>>> {
    Ok(Json(accounts::list(&state, &user).await?))
}

/// The table itself as the body (CSV or XLSX): 201 with every temporary password (shown
/// once), or 422 with every refused row and nothing created.
async fn import(
    State(state): State<AppState>,
    Auth(user): Auth,
    body: axum::body::Bytes,
) -> Response {
    use app::ssr::services::roster;
    let done = roster::import(&state, &user, body, state.clock.now())
        .await
        .map(|created| serde_json::json!({ "count": created.len(), "created": created }));
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

async fn deactivate(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<StatusCode> {
    accounts::deactivate(&state, &user, &username, state.clock.now()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn reset_password(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<Response> {
    let issued_password =
        accounts::reset_password(&state, &user, &username, state.clock.now()).await?;
    Ok(issued(StatusCode::OK, issued_password))
}

async fn audit_search(
    State(state): State<AppState>,
    Auth(user): Auth,
    Query(q): Query<app::ssr::services::audit::AuditQuery>,
) -> ApiResult<Json<Vec<app::ssr::services::audit::AuditEntry>>> {
    Ok(Json(
        app::ssr::services::audit::search(&state, &user, q, state.clock.now()).await?,
    ))
}

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

async fn unlock_login(
    State(state): State<AppState>,
    Auth(user): Auth,
    Path(username): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let lifted = accounts::unlock_login(&state, &user, &username, state.clock.now()).await?;
    Ok(Json(serde_json::json!({ "lifted": lifted })))
}
