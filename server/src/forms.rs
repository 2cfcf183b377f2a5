//! Plain HTML form endpoints (they work without JavaScript): log in, log out, language.

use crate::middleware::client_ip;
use app::components::nav::percent_encode;
use app::error::AppError;
use app::i18n::{LANG_COOKIE, Lang};
use app::ssr::AppState;
use app::ssr::services::auth::{
    SESSION_ACCOUNT_KEY, SESSION_STARTED_KEY, SESSION_VERSION_KEY, login,
};
use axum::extract::{Path, Query, State};
use axum::http::{Extensions, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", post(login_form))
        .route("/logout", post(logout_form))
        .route("/lang/{code}", get(set_language))
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// Only local paths: never redirect a visitor to another site after login. Browsers drop
/// tabs and newlines from a URL and read `\\` as `/`, so `/\t/evil.example` would become
/// `//evil.example`: any control character, white space or backslash makes the path "/".
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/')
        && !next[1..].starts_with('/')
        && !next
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || c == '\\');
    if local { next } else { "/" }
}

async fn login_form(
    State(state): State<AppState>,
    session: Session,
    headers: axum::http::HeaderMap,
    extensions: Extensions,
    Form(form): Form<LoginForm>,
) -> Response {
    let ip = client_ip(&headers, &extensions, state.config.trust_proxy);
    match login(&state, &form.username, &form.password, &ip).await {
        Ok(id) => match start_session(&state, &session, id).await {
            Ok(()) => {
                Redirect::to(&landing(&state, id, safe_next(&form.next)).await).into_response()
            }
            Err(_) => Redirect::to("/login?error=internal").into_response(),
        },
        Err(e) => {
            let code = match e {
                AppError::InvalidCredentials => "invalid",
                AppError::RateLimited { .. } => "rate_limited",
                AppError::Validation { .. } => "required",
                _ => "internal",
            };
            Redirect::to(&format!(
                "/login?error={code}&username={}&next={}",
                percent_encode(form.username.trim()),
                percent_encode(safe_next(&form.next))
            ))
            .into_response()
        }
    }
}

/// Where a login goes: the page asked for, or — without one — the role's work page
/// (受理台, 部门工作台, 指挥看板, the grid workspace).
async fn landing(state: &AppState, account_id: i64, next: &str) -> String {
    if next != "/" {
        return next.to_owned();
    }
    match app::ssr::services::auth::load_current_user(state, account_id).await {
        Ok(Some(user)) => user.role.landing().to_owned(),
        _ => "/".to_owned(),
    }
}

/// A fresh session id on login, so an id planted before login is worthless after it. The
/// session keeps the account's credentials version: a later password change ends it.
pub async fn start_session(
    state: &AppState,
    session: &Session,
    account_id: i64,
) -> Result<(), AppError> {
    let version = app::ssr::services::auth::load_current_user(state, account_id)
        .await?
        .map(|u| u.credentials_version)
        .ok_or(AppError::Unauthorized)?;
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(SESSION_ACCOUNT_KEY, account_id)
        .await
        .map_err(session_error)?;
    session
        .insert(SESSION_STARTED_KEY, state.clock.now().timestamp_millis())
        .await
        .map_err(session_error)?;
    keep_version(session, version).await
}

/// The session that changed its own password stays; the others end.
pub async fn keep_version(session: &Session, version: i64) -> Result<(), AppError> {
    session
        .insert(SESSION_VERSION_KEY, version)
        .await
        .map_err(session_error)
}

pub fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(error = %e, "session store failed");
    AppError::Internal
}

async fn logout_form(session: Session) -> Response {
    let _ = session.flush().await;
    Redirect::to("/login").into_response()
}

#[derive(Deserialize)]
struct LangQuery {
    next: Option<String>,
}

async fn set_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let next = q.next.as_deref().map(safe_next).unwrap_or("/");
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    );
    let mut res = Redirect::to(next).into_response();
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[cfg(test)]
mod tests {
    #[test]
    fn next_stays_local() {
        assert_eq!(super::safe_next("/territory?grid=1"), "/territory?grid=1");
        assert_eq!(super::safe_next("//evil.example"), "/");
        assert_eq!(super::safe_next("https://evil.example"), "/");
        assert_eq!(super::safe_next("/\\evil"), "/");
        for sneaky in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil",
            "/a\\..\\/x",
            "/\u{0}/x",
        ] {
            assert_eq!(super::safe_next(sneaky), "/", "{sneaky:?}");
        }
        assert_eq!(
            super::safe_next("/cases?status=open&q=%2F%2Fx"),
            "/cases?status=open&q=%2F%2Fx"
        );
    }
}
