//! Who is logged in. Logging in and out are plain form posts (`POST /login`, `/logout`)
//! and JSON endpoints (`/api/v1/login`), so they work before and without JavaScript.

use crate::domain::people::Me;
use crate::error::AppError;
use leptos::prelude::*;

/// The logged-in account, or `None` for a visitor.
#[server(prefix = "/api/fn", endpoint = "me")]
pub async fn get_me() -> Result<Option<Me>, AppError> {
    Ok(crate::ssr::current_user::optional_user().map(|u| u.me()))
}

/// How many accounts still use the demo password (administrators of a server without the
/// demo; 0 for everyone else): the top bar warns while any remain.
#[server(prefix = "/api/fn", endpoint = "demo_password_accounts")]
pub async fn demo_password_accounts() -> Result<usize, AppError> {
    let Some(user) = crate::ssr::current_user::optional_user() else {
        return Ok(0);
    };
    let state = crate::ssr::state::app_state()?;
    Ok(crate::ssr::services::demo_passwords::count_for(
        &state, &user,
    ))
}

/// Whether this installation still has no account at all (a fresh database without the
/// demo): the login page then says how to create the first administrator. Never fails.
#[server(prefix = "/api/fn", endpoint = "setup_needed")]
pub async fn setup_needed() -> Result<bool, AppError> {
    let Ok(state) = crate::ssr::state::app_state() else {
        return Ok(false);
    };
    Ok(!crate::ssr::services::accounts::any_account(&state.db)
        .await
        .unwrap_or(true))
}
