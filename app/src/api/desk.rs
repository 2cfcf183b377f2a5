//! Server functions of the 吹哨报到 desk: the command inbox, the department desk and the
//! notification bell.

use crate::domain::case::view::{CommandInbox, DepartmentDesk};
use crate::domain::notify::Inbox;
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/api/fn", endpoint = "command_inbox")]
pub async fn get_command_inbox() -> Result<CommandInbox, AppError> {
    use crate::ssr::{current_user::require_user, services::cases::desk, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            desk::command_inbox(&state, &require_user()?, state.clock.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "department_desk")]
pub async fn get_department_desk() -> Result<DepartmentDesk, AppError> {
    use crate::ssr::{current_user::require_user, services::cases::desk, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            desk::department_desk(&state, &require_user()?, state.clock.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "notifications")]
pub async fn get_notifications() -> Result<Inbox, AppError> {
    use crate::ssr::{current_user::require_user, services::notify, state::app_state};
    super::respond(async { notify::inbox(&app_state()?, &require_user()?).await }.await)
}

#[server(prefix = "/api/fn", endpoint = "notification_count")]
pub async fn get_unread_count() -> Result<i64, AppError> {
    use crate::ssr::{current_user::require_user, services::notify, state::app_state};
    super::respond(async { notify::unread(&app_state()?, &require_user()?).await }.await)
}

/// Marks one notification (`id`) or all as read; a plain form post works without JS.
#[server(prefix = "/api/fn", endpoint = "notifications_read")]
pub async fn mark_notifications_read(id: Option<i64>) -> Result<u64, AppError> {
    use crate::ssr::{current_user::require_user, services::notify, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            notify::mark_read(&state, &require_user()?, id, state.clock.now()).await
        }
        .await,
    )
}
