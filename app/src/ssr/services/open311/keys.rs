//! API keys: issued by administrators (shown once, only a keyed hash kept), listed,
//! revoked; each bound to a name and a rate of posts per minute.

use super::Refusal;
use crate::domain::open311::KeyView;
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::{from_millis, to_millis};
use crate::ssr::rate_limit::RateLimiter;
use crate::ssr::state::AppState;
use crate::ssr::store::{audit, open311};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const DEFAULT_RATE: i64 = 60;
pub const MAX_RATE: i64 = 6000;

/// A key's name, rate and use; never the key.
fn view(k: open311::KeyRow) -> KeyView {
    KeyView {
        id: k.id,
        name: k.name,
        rate_limit: k.rate_limit,
        created_at: from_millis(k.created_at),
        created_by: k.created_by,
        revoked_at: k.revoked_at.map(from_millis),
        last_used_at: k.last_used_at.map(from_millis),
    }
}

fn hash(state: &AppState, key: &str) -> String {
    state
        .sealer
        .fingerprint([b"open311-key:".as_slice(), key.as_bytes()])
}

/// A new key `{id, api_key}`: the only time the key is seen.
pub async fn issue(
    state: &AppState,
    admin: &CurrentUser,
    name: &str,
    rate_limit: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(i64, String), AppError> {
    admin.require_admin()?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::validation("name", Msg::ErrRequired));
    }
    let rate = rate_limit.unwrap_or(DEFAULT_RATE);
    if !(1..=MAX_RATE).contains(&rate) {
        return Err(AppError::validation("rate_limit", Msg::ErrOpen311Rate));
    }
    let key = crate::ssr::crypto::random_code(
        b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
        40,
    );
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(crate::ssr::store::StoreError::from)?;
    let id = open311::insert_key(
        &mut **tx,
        name,
        &hash(state, &key),
        rate,
        to_millis(now),
        admin.id,
    )
    .await?;
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "open311_key_issue",
        "open311_key",
        id,
        &format!("{name}, {rate}/min"),
    )
    .await?;
    tx.commit()
        .await
        .map_err(crate::ssr::store::StoreError::from)?;
    Ok((id, key))
}

pub async fn list(state: &AppState, admin: &CurrentUser) -> Result<Vec<KeyView>, AppError> {
    admin.require_admin()?;
    Ok(open311::keys(&state.db.pool)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

pub async fn revoke(
    state: &AppState,
    admin: &CurrentUser,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    admin.require_admin()?;
    let mut tx = state
        .db
        .begin_write()
        .await
        .map_err(crate::ssr::store::StoreError::from)?;
    if !open311::revoke(&mut **tx, id, to_millis(now)).await? {
        return Err(AppError::NotFound);
    }
    audit::record(
        &mut **tx,
        now,
        admin.id,
        "open311_key_revoke",
        "open311_key",
        id,
        "",
    )
    .await?;
    tx.commit()
        .await
        .map_err(crate::ssr::store::StoreError::from)?;
    Ok(())
}

/// One limiter per key and rate (a changed rate starts afresh).
#[derive(Default)]
pub struct KeyLimiters(Mutex<HashMap<(i64, i64), Arc<RateLimiter>>>);

impl KeyLimiters {
    fn check(&self, id: i64, per_minute: i64) -> Result<(), u64> {
        let limiter = {
            let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
            map.entry((id, per_minute))
                .or_insert_with(|| {
                    Arc::new(RateLimiter::new(
                        u32::try_from(per_minute).unwrap_or(u32::MAX),
                        std::time::Duration::from_secs(60),
                    ))
                })
                .clone()
        };
        limiter.check("key")
    }
}

/// The key in force that `api_key` is, within its rate: else 403 (missing, unknown or
/// revoked — the same answer, so a guess learns nothing) or 429.
pub async fn authenticate(
    state: &AppState,
    api_key: Option<&str>,
    now: DateTime<Utc>,
) -> Result<open311::KeyRow, Refusal> {
    let key = api_key.map(str::trim).filter(|k| !k.is_empty());
    let Some(key) = key else {
        return Err(Refusal::new(403, "api_key: a valid key is required"));
    };
    let Some(row) = open311::live_key(&state.db.pool, &hash(state, key)).await? else {
        tracing::info!("an Open311 post with an unknown or revoked key");
        return Err(Refusal::new(403, "api_key: a valid key is required"));
    };
    if let Err(secs) = state.open311_limiters.check(row.id, row.rate_limit) {
        let mut r = Refusal::new(
            429,
            "rate limit: too many requests with this key, try again later",
        );
        r.retry_after = Some(secs);
        return Err(r);
    }
    open311::touch(&state.db.pool, row.id, to_millis(now)).await?;
    Ok(row)
}
