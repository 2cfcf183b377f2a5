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

/// The bell's count; 0 for a visitor (the top bar asks on every page, the login page
/// included, which must not answer 401 for it).
#[server(prefix = "/api/fn", endpoint = "notification_count")]
pub async fn get_unread_count() -> Result<i64, AppError> {
    use crate::ssr::{current_user::optional_user, services::notify, state::app_state};
    super::respond(
        async {
            match optional_user() {
                Some(user) => notify::unread(&app_state()?, &user).await,
                None => Ok(0),
            }
        }
        .await,
    )
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

/// Administrators: every webhook with its newest deliveries.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WebhookWithDeliveries {
    pub hook: crate::domain::notify::WebhookView,
    pub deliveries: Vec<crate::domain::notify::DeliveryView>,
}

#[server(prefix = "/api/fn", endpoint = "webhooks")]
pub async fn get_webhooks() -> Result<Vec<WebhookWithDeliveries>, AppError> {
    use crate::ssr::{current_user::require_user, services::webhooks, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let user = require_user()?;
            let mut out = Vec::new();
            for hook in webhooks::list(&state, &user).await? {
                let mut deliveries = webhooks::deliveries(&state, &user, hook.id).await?;
                deliveries.truncate(10);
                out.push(WebhookWithDeliveries { hook, deliveries });
            }
            Ok(out)
        }
        .await,
    )
}

/// The registration form: a URL and a box per notice kind (none ticked: all kinds).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WebhookFields {
    pub url: String,
    #[serde(default)]
    pub dispatched: Option<String>,
    #[serde(default)]
    pub ack_overdue: Option<String>,
    #[serde(default)]
    pub returned: Option<String>,
    #[serde(default)]
    pub extension_requested: Option<String>,
    #[serde(default)]
    pub supervised: Option<String>,
}

#[server(prefix = "/api/fn", endpoint = "webhook_create")]
pub async fn create_webhook(
    form: WebhookFields,
) -> Result<crate::domain::notify::WebhookView, AppError> {
    use crate::ssr::{current_user::require_user, services::webhooks, state::app_state};
    super::respond(
        async {
            let state = app_state()?;
            let ticked = [
                ("dispatched", &form.dispatched),
                ("ack_overdue", &form.ack_overdue),
                ("returned", &form.returned),
                ("extension_requested", &form.extension_requested),
                ("supervised", &form.supervised),
            ];
            let kinds = ticked
                .into_iter()
                .filter(|(_, v)| v.is_some())
                .map(|(k, _)| k.to_owned())
                .collect();
            let input = webhooks::NewWebhook {
                url: form.url,
                kinds,
            };
            webhooks::create(&state, &require_user()?, input, state.clock.now()).await
        }
        .await,
    )
}

#[server(prefix = "/api/fn", endpoint = "webhook_off")]
pub async fn deactivate_webhook(id: i64) -> Result<(), AppError> {
    use crate::ssr::{current_user::require_user, services::webhooks, state::app_state};
    super::respond(async { webhooks::deactivate(&app_state()?, &require_user()?, id).await }.await)
}
