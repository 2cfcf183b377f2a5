//! The first answers to grid workers' queued steps, by idempotency key (`step_keys`).

use super::StoreResult;
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor, Transaction};

/// What a key was first used for: its account, the request's fingerprint and the answer.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRow {
    pub account_id: i64,
    pub fingerprint: String,
    pub answer: String,
}

pub async fn find<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    key: &str,
) -> StoreResult<Option<KeyRow>> {
    Ok(
        sqlx::query_as("SELECT account_id, fingerprint, answer FROM step_keys WHERE key = $1")
            .bind(key)
            .fetch_optional(ex)
            .await?,
    )
}

/// Written in the step's own transaction: the step and its key commit together, and a
/// twin from another instance fails on the primary key and rolls its step back.
pub async fn remember(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    account_id: i64,
    fingerprint: &str,
    answer: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO step_keys (key, account_id, fingerprint, answer, created_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(key)
    .bind(account_id)
    .bind(fingerprint)
    .bind(answer)
    .bind(to_millis(at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn forget<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    before: DateTime<Utc>,
) -> StoreResult<u64> {
    Ok(sqlx::query("DELETE FROM step_keys WHERE created_at < $1")
        .bind(to_millis(before))
        .execute(ex)
        .await?
        .rows_affected())
}
