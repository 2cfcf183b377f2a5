//! Loads the logged-in account of the session into the request extensions, where handlers
//! (`api::Auth`) and server functions (`require_user`) find it. A session whose account was
//! deactivated, whose password changed since the session began, or that is older than its
//! absolute lifetime, ends here. An account
//! holding a temporary password reaches only the password change (and logging out).

use app::i18n::{Lang, Msg, t};
use app::ssr::AppState;
use app::ssr::services::auth::{
    SESSION_ACCOUNT_KEY, SESSION_STARTED_KEY, SESSION_VERSION_KEY, load_current_user,
    within_lifetime,
};
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

pub async fn load_user(
    State(state): State<AppState>,
    session: Session,
    mut req: Request,
    next: Next,
) -> Response {
    match session.get::<i64>(SESSION_ACCOUNT_KEY).await {
        Ok(Some(id)) => match load_current_user(&state, id).await {
            Ok(Some(user)) => {
                let began_with = session.get::<i64>(SESSION_VERSION_KEY).await.ok().flatten();
                let started = session.get::<i64>(SESSION_STARTED_KEY).await.ok().flatten();
                let max_days = state.config.session_max_days;
                if began_with.unwrap_or(0) != user.credentials_version
                    || !within_lifetime(started, state.clock.now(), max_days)
                {
                    let _ = session.flush().await;
                } else if user.must_change_password && !allowed_before_change(req.uri().path()) {
                    return change_required(req.uri().path());
                } else {
                    req.extensions_mut().insert(user);
                }
            }
            // The account was removed or disabled: end its sessions.
            Ok(None) => {
                let _ = session.flush().await;
            }
            Err(_) => {} // already logged; the request continues as a visitor
        },
        Ok(None) => {}
        Err(e) => tracing::warn!(error = %e, "session could not be read"),
    }
    next.run(req).await
}

/// What a temporary password opens: the password change, who am I, logging out, the
/// language switch and the files the password page needs.
fn allowed_before_change(path: &str) -> bool {
    const PATHS: [&str; 5] = [
        "/account/password",
        "/api/v1/me/password",
        "/api/v1/me",
        "/api/v1/logout",
        "/logout",
    ];
    PATHS.contains(&path)
        || path.starts_with("/lang/")
        || path
            .rsplit('/')
            .next()
            .is_some_and(|last| last.contains('.'))
}

fn change_required(path: &str) -> Response {
    if path.starts_with("/api/") {
        let body = serde_json::json!({
            "error": "password_change_required",
            "message": t(Lang::Zh, Msg::ErrPasswordChangeRequired),
            "message_en": t(Lang::En, Msg::ErrPasswordChangeRequired),
        });
        (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
    } else {
        Redirect::to("/account/password").into_response()
    }
}
