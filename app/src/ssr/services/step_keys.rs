//! Exactly once for a grid worker's queued steps. The phone's outbox gives every visit and
//! resolution an idempotency key when it is made and may send it again after a lost
//! answer (hours later, from a basement); the server must answer a known key with its
//! first answer, never do the step twice, and refuse the key reused for other content.
//! The key is written in the step's own transaction (`store::step_keys::remember`).

use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::store;
use crate::ssr::{AppState, CurrentUser};
use chrono::{DateTime, Utc};
use serde::{Serialize, de::DeserializeOwned};
use sqlx::{Any, Transaction};
use tokio::sync::OwnedMutexGuard;

/// How long a key is kept: an outbox resends within minutes of a signal, but a phone can
/// lose its signal again right after the first try and come back days later.
pub const KEEP_DAYS: i64 = 7;

/// A key's shape: what a browser's `crypto.randomUUID()` or our own form keys give.
pub fn well_formed(key: &str) -> bool {
    (16..=64).contains(&key.len()) && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A new key held for the length of its step (its twins wait for it).
pub struct KeyTurn {
    key: String,
    fingerprint: String,
    _turn: OwnedMutexGuard<()>,
}

/// What a key tells the step: do it, or answer as the first time.
pub enum Claim<T> {
    Fresh(KeyTurn),
    Replay(T),
}

/// Claims `key` for operation `op` over the request's `parts`. `None` without a key (a
/// plain form without one does the step as asked).
pub async fn claim<'a, T: DeserializeOwned>(
    state: &AppState,
    user: &CurrentUser,
    op: &'a str,
    key: &str,
    parts: impl IntoIterator<Item = &'a [u8]>,
) -> Result<Option<Claim<T>>, AppError> {
    let key = key.trim();
    if key.is_empty() {
        return Ok(None);
    }
    if !well_formed(key) {
        return Err(AppError::validation("idempotency_key", Msg::ErrBadRequest));
    }
    let fingerprint = state
        .sealer
        .fingerprint(std::iter::once(op.as_bytes()).chain(parts));
    let turn = state.key_locks.turn(&format!("step:{key}")).await;
    match store::step_keys::find(&state.db.pool, key).await? {
        None => Ok(Some(Claim::Fresh(KeyTurn {
            key: key.to_owned(),
            fingerprint,
            _turn: turn,
        }))),
        Some(row) if row.account_id == user.id && row.fingerprint == fingerprint => {
            let answer = serde_json::from_str(&row.answer).map_err(|_| AppError::Internal)?;
            Ok(Some(Claim::Replay(answer)))
        }
        Some(_) => Err(AppError::Conflict {
            msg: Msg::ErrIdempotencyMismatch,
        }),
    }
}

/// Records the key's answer in the step's transaction.
pub async fn remember(
    tx: &mut Transaction<'_, Any>,
    turn: &KeyTurn,
    user: &CurrentUser,
    answer: &impl Serialize,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let answer = serde_json::to_string(answer).map_err(|_| AppError::Internal)?;
    store::step_keys::remember(tx, &turn.key, user.id, &turn.fingerprint, &answer, now)
        .await
        .map_err(AppError::from)
}

/// After a step failed: whether its twin on another instance did it first (the key is
/// now known, for this very request). Then the first answer is the answer, not the error.
pub async fn twin_answer<T: DeserializeOwned>(
    state: &AppState,
    turn: Option<&KeyTurn>,
    user: &CurrentUser,
) -> Option<T> {
    let turn = turn?;
    let row = store::step_keys::find(&state.db.pool, &turn.key)
        .await
        .ok()
        .flatten()?;
    let same = row.account_id == user.id && row.fingerprint == turn.fingerprint;
    same.then(|| serde_json::from_str(&row.answer).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::well_formed;

    #[test]
    fn keys_are_uuids_or_form_keys_and_nothing_else() {
        assert!(well_formed("0b6f2c1e-8a4d-4c1b-9d2e-3f4a5b6c7d8e"));
        assert!(well_formed("abcdefABCDEF0123"));
        assert!(!well_formed("short"));
        assert!(!well_formed(&"a".repeat(65)));
        assert!(!well_formed("0b6f2c1e 8a4d 4c1b"));
        assert!(!well_formed("../../etc/passwd-xxxxxxxx"));
    }
}
