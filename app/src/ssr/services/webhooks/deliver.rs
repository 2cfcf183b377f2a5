//! Sending due deliveries. Each webhook's deliveries go out in order, webhooks side by side,
//! so one slow receiver (10 s timeout) never delays the others. Before each send the target
//! is checked again (`domain::outbound`): a name that now resolves to a loopback or metadata
//! address is refused, not followed.

use super::signature;
use crate::domain::outbound::{self, TargetRefusal};
use crate::error::AppError;
use crate::ssr::state::AppState;
use crate::ssr::store::webhooks::{self, DeliveryRow};
use chrono::{DateTime, Duration, Utc};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Waits before the 2nd, 3rd, … attempt; after the last one the delivery is given up.
const BACKOFF_SECS: [i64; 7] = [30, 120, 600, 1800, 7200, 21600, 43200];

/// Whether the server may send to this URL: its scheme and every address its host has.
pub(super) async fn target_allowed(
    state: &AppState,
    url: &reqwest::Url,
) -> Result<(), TargetRefusal> {
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default();
    // A name that does not resolve now is let through: it is checked again at each send.
    let lookup = tokio::net::lookup_host((host, port.unwrap_or(443)));
    let addresses: Vec<IpAddr> =
        match tokio::time::timeout(std::time::Duration::from_secs(3), lookup).await {
            Ok(Ok(found)) => found.map(|a| a.ip()).collect(),
            _ => Vec::new(),
        };
    outbound::check(
        url.scheme(),
        host,
        port,
        &addresses,
        &state.config.webhook_allow,
    )
}

/// Sends every delivery that is due; returns how many were accepted.
#[tracing::instrument(skip_all, err(Debug))]
pub async fn deliver_due(state: &AppState, now: DateTime<Utc>) -> Result<usize, AppError> {
    let due = webhooks::due(&state.db.pool, now, 50).await?;
    let mut per_webhook: BTreeMap<i64, Vec<DeliveryRow>> = BTreeMap::new();
    for d in due {
        per_webhook.entry(d.webhook_id).or_default().push(d);
    }
    let mut tasks = tokio::task::JoinSet::new();
    for (_, deliveries) in per_webhook {
        let state = state.clone();
        tasks.spawn(async move { deliver_in_order(&state, deliveries, now).await });
    }
    let mut accepted = 0;
    while let Some(done) = tasks.join_next().await {
        accepted += done.map_err(|e| {
            tracing::error!(error = %e, "webhook task failed");
            AppError::Internal
        })??;
    }
    Ok(accepted)
}

async fn deliver_in_order(
    state: &AppState,
    deliveries: Vec<DeliveryRow>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let mut accepted = 0;
    for d in deliveries {
        let (ok, status, error) = send(state, &d, now).await;
        // A refused target or an unreadable secret will not get better by waiting.
        let final_failure = error.starts_with("refused:") || error == "secret unreadable";
        let retry_at = BACKOFF_SECS
            .get(d.attempts as usize)
            .filter(|_| !final_failure)
            .map(|s| now + Duration::seconds(*s));
        if ok {
            accepted += 1;
        } else {
            tracing::warn!(delivery = d.id, attempt = d.attempts + 1, %error, "webhook delivery failed");
        }
        webhooks::record_attempt(&state.db.pool, d.id, now, status, &error, ok, retry_at).await?;
    }
    Ok(accepted)
}

/// One attempt: (accepted, HTTP status, error text).
async fn send(
    state: &AppState,
    d: &DeliveryRow,
    now: DateTime<Utc>,
) -> (bool, Option<u16>, String) {
    let Ok(secret) = state.sealer.open(&d.secret_sealed) else {
        tracing::error!(
            webhook = d.webhook_id,
            "webhook secret cannot be opened; giving up"
        );
        return (false, None, "secret unreadable".to_owned());
    };
    let Ok(url) = reqwest::Url::parse(&d.url) else {
        return (false, None, "refused: not a URL".to_owned());
    };
    if let Err(r) = target_allowed(state, &url).await {
        return (false, None, format!("refused: {r:?}"));
    }
    let ts = now.timestamp();
    let sent = state
        .http
        .post(url)
        .header("content-type", "application/json")
        .header("x-gridgov-event", &d.kind)
        .header("x-gridgov-delivery", d.id.to_string())
        .header("x-gridgov-timestamp", ts.to_string())
        .header("x-gridgov-signature", signature(&secret, ts, &d.payload))
        .body(d.payload.clone())
        .send()
        .await;
    match sent {
        Ok(r) if r.status().is_success() => (true, Some(r.status().as_u16()), String::new()),
        Ok(r) => (
            false,
            Some(r.status().as_u16()),
            format!("HTTP {}", r.status().as_u16()),
        ),
        Err(e) => (false, None, e.to_string().chars().take(300).collect()),
    }
}
