//! `/account/password`: every account's own password change, as a light page that works
//! without JavaScript (a temporary password is sent here until it is replaced).

use crate::forms::keep_version;
use crate::http::user_or_login;
use crate::http::{html, page_ctx};
use app::error::AppError;
use app::light::{PasswordPageState, password_page};
use app::ssr::services::accounts;
use app::ssr::{AppState, CurrentUser};
use axum::extract::State;
use axum::http::{Extensions, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::get;
use axum::{Form, Router};
use serde::Deserialize;
use tower_sessions::Session;

pub fn router() -> Router<AppState> {
    Router::new().route("/account/password", get(page).post(change))
}

async fn page(headers: HeaderMap, extensions: Extensions, uri: Uri) -> Response {
    let user = match user_or_login(&extensions, &uri) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let ctx = page_ctx(&headers, &extensions, &uri);
    let state = PasswordPageState {
        required: user.must_change_password,
        ..PasswordPageState::default()
    };
    html(StatusCode::OK, password_page(&ctx, &user.username, state))
}

#[derive(Deserialize)]
struct ChangeForm {
    #[serde(default)]
    old_password: String,
    #[serde(default)]
    new_password: String,
}

async fn change(
    State(state): State<AppState>,
    session: Session,
    headers: HeaderMap,
    extensions: Extensions,
    uri: Uri,
    Form(form): Form<ChangeForm>,
) -> Response {
    let user = match user_or_login(&extensions, &uri) {
        Ok(u) => u,
        Err(r) => return r,
    };
    let ctx = page_ctx(&headers, &extensions, &uri);
    let now = state.clock.now();
    let result =
        accounts::change_own_password(&state, &user, &form.old_password, &form.new_password, now)
            .await;
    let (status, page_state) = match result {
        Ok(version) => match keep_version(&session, version).await {
            Ok(()) => (
                StatusCode::OK,
                PasswordPageState {
                    done: true,
                    ..Default::default()
                },
            ),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, refused(&user, e)),
        },
        Err(e) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::UNPROCESSABLE_ENTITY),
            refused(&user, e),
        ),
    };
    html(status, password_page(&ctx, &user.username, page_state))
}

fn refused(user: &CurrentUser, e: AppError) -> PasswordPageState {
    let field = match &e {
        AppError::Validation { field, .. } => field.clone(),
        _ => "new_password".to_owned(),
    };
    PasswordPageState {
        required: user.must_change_password,
        done: false,
        error: Some((field, e.msg())),
    }
}
