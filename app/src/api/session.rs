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
