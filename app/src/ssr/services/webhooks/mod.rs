//! Outbound webhooks: administrators register a URL; every notice is POSTed to it as
//! JSON, signed, and retried with back-off until it is accepted or eight tries fail.
//!
//! Signature: `X-Gridgov-Signature: sha256=<hex HMAC-SHA256(secret, "{timestamp}.{body}")>`
//! with `X-Gridgov-Timestamp` (Unix seconds), so a receiver can refuse replays.

use crate::domain::notify::NoticeKind;
pub use crate::domain::notify::{DeliveryView, WebhookView};
use crate::domain::outbound::TargetRefusal;
use crate::domain::people::Role;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::from_millis;
use crate::ssr::state::AppState;
use crate::ssr::store::webhooks;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

mod deliver;
pub use deliver::deliver_due;

#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewWebhook {
    pub url: String,
    /// Notice kinds to receive; empty: all.
    #[serde(default)]
    pub kinds: Vec<String>,
}

fn admin_only(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn view(row: webhooks::WebhookRow, secret: Option<String>) -> WebhookView {
    WebhookView {
        id: row.id,
        url: row.url,
        kinds: serde_json::from_str(&row.kinds).unwrap_or_default(),
        active: row.active == 1,
        created_at: from_millis(row.created_at),
        secret,
    }
}

pub async fn create(
    state: &AppState,
    user: &CurrentUser,
    input: NewWebhook,
    now: DateTime<Utc>,
) -> Result<WebhookView, AppError> {
    admin_only(user)?;
    let url = input.url.trim();
    let parsed =
        reqwest::Url::parse(url).map_err(|_| AppError::validation("url", Msg::ErrWebhookUrl))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(AppError::validation("url", Msg::ErrWebhookUrl));
    }
    deliver::target_allowed(state, &parsed).await.map_err(|r| {
        let msg = match r {
            TargetRefusal::NotHttps => Msg::ErrWebhookHttps,
            TargetRefusal::ForbiddenAddress => Msg::ErrWebhookAddress,
        };
        AppError::validation("url", msg)
    })?;
    let mut kinds = Vec::new();
    for k in &input.kinds {
        // A notice of the desk, or an event for the 12345 hotline's connector.
        let kind = NoticeKind::parse(k.trim())
            .map(|n| n.as_str())
            .or_else(|| crate::domain::hotline::ReturnKind::parse(k.trim()).map(|r| r.as_str()))
            .ok_or_else(|| AppError::validation("kinds", Msg::ErrBadRequest))?;
        kinds.push(kind.to_owned());
    }
    kinds.sort();
    kinds.dedup();
    let secret = crate::ssr::crypto::random_hex(32);
    let kinds_json = serde_json::to_string(&kinds).unwrap_or_else(|_| "[]".into());
    let id = webhooks::insert(
        &state.db.pool,
        url,
        &state.sealer.seal(&secret),
        &kinds_json,
        user.id,
        now,
    )
    .await?;
    let row = webhooks::get(&state.db.pool, id)
        .await?
        .ok_or(AppError::Internal)?;
    tracing::info!(webhook = id, url, "webhook registered");
    Ok(view(row, Some(secret)))
}

pub async fn list(state: &AppState, user: &CurrentUser) -> Result<Vec<WebhookView>, AppError> {
    admin_only(user)?;
    Ok(webhooks::list(&state.db.pool)
        .await?
        .into_iter()
        .map(|r| view(r, None))
        .collect())
}

pub async fn deactivate(state: &AppState, user: &CurrentUser, id: i64) -> Result<(), AppError> {
    admin_only(user)?;
    if webhooks::deactivate(&state.db.pool, id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn deliveries(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
) -> Result<Vec<DeliveryView>, AppError> {
    admin_only(user)?;
    webhooks::get(&state.db.pool, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(webhooks::deliveries(&state.db.pool, id, 100)
        .await?
        .into_iter()
        .map(|d| DeliveryView {
            id: d.id,
            kind: d.kind,
            attempts: d.attempts,
            delivered_at: d.delivered_at.map(from_millis),
            failed_at: d.failed_at.map(from_millis),
            next_attempt_at: from_millis(d.next_attempt_at),
            last_status: d.last_status,
            last_error: d.last_error,
        })
        .collect())
}

/// The signature header's value for a body sent at `timestamp`.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(format!("{timestamp}.{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn signatures_are_hmac_sha256_of_timestamp_and_body() {
        // Known answer, computed independently: printf '1700000000.{}' | openssl dgst -sha256 -hmac key
        let s = super::signature("key", 1_700_000_000, "{}");
        assert_eq!(
            s,
            "sha256=9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"
        );
        assert_ne!(s, super::signature("key", 1_700_000_001, "{}"));
        assert_ne!(s, super::signature("other", 1_700_000_000, "{}"));
    }
}
