//! Outbound webhooks and their delivery outbox.

use super::StoreResult;
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor, Transaction};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub secret_sealed: String,
    pub kinds: String,
    pub active: i64,
    pub created_at: i64,
}

pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    url: &str,
    secret_sealed: &str,
    kinds_json: &str,
    created_by: i64,
    at: DateTime<Utc>,
) -> StoreResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO webhooks (url, secret_sealed, kinds, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(url)
    .bind(secret_sealed)
    .bind(kinds_json)
    .bind(created_by)
    .bind(to_millis(at))
    .fetch_one(ex)
    .await?;
    Ok(id)
}

pub async fn list<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<WebhookRow>> {
    Ok(sqlx::query_as(
        "SELECT id, url, secret_sealed, kinds, active, created_at FROM webhooks ORDER BY id",
    )
    .fetch_all(ex)
    .await?)
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
) -> StoreResult<Option<WebhookRow>> {
    Ok(sqlx::query_as(
        "SELECT id, url, secret_sealed, kinds, active, created_at FROM webhooks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(ex)
    .await?)
}

/// Switches a webhook off (deliveries keep their history; nothing new is queued).
pub async fn deactivate<'e, E: Executor<'e, Database = Any>>(ex: E, id: i64) -> StoreResult<bool> {
    Ok(
        sqlx::query("UPDATE webhooks SET active = 0 WHERE id = $1 AND active = 1")
            .bind(id)
            .execute(ex)
            .await?
            .rows_affected()
            == 1,
    )
}

/// Queues one delivery per active webhook that wants this kind, in the caller's transaction.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    kind: &str,
    payload: &str,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    Ok(bind_enqueue(sqlx::query(ENQUEUE), kind, payload, at)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// A delivery for every active webhook that asked for the kind (`$1`) or for all.
pub const ENQUEUE: &str = "INSERT INTO webhook_deliveries (webhook_id, kind, payload, next_attempt_at, created_at) \
     SELECT id, $1, $2, $3, $3 FROM webhooks WHERE active = 1 AND (kinds = '[]' OR kinds LIKE $4)";

/// How many values `bind_enqueue` binds.
pub const ENQUEUE_BINDS: usize = 4;

/// Binds `ENQUEUE`'s values after whatever `q` bound already.
pub fn bind_enqueue<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    kind: &'q str,
    payload: &'q str,
    at: DateTime<Utc>,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(kind)
        .bind(payload)
        .bind(to_millis(at))
        .bind(format!("%\"{kind}\"%"))
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: i64,
    pub webhook_id: i64,
    pub kind: String,
    pub payload: String,
    pub attempts: i64,
    pub url: String,
    pub secret_sealed: String,
}

/// Deliveries due now, oldest first.
pub async fn due<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    now: DateTime<Utc>,
    limit: i64,
) -> StoreResult<Vec<DeliveryRow>> {
    Ok(sqlx::query_as(
        "SELECT d.id, d.webhook_id, d.kind, d.payload, d.attempts, w.url, w.secret_sealed \
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= $1 AND w.active = 1 \
         ORDER BY d.next_attempt_at, d.id LIMIT $2",
    )
    .bind(to_millis(now))
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

/// Records an attempt: delivered, to be retried at `retry_at`, or given up (`None`).
pub async fn record_attempt<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    id: i64,
    now: DateTime<Utc>,
    status: Option<u16>,
    error: &str,
    delivered: bool,
    retry_at: Option<DateTime<Utc>>,
) -> StoreResult<()> {
    let (delivered_at, failed_at, next) = match (delivered, retry_at) {
        (true, _) => (Some(to_millis(now)), None, to_millis(now)),
        (false, Some(r)) => (None, None, to_millis(r)),
        (false, None) => (None, Some(to_millis(now)), to_millis(now)),
    };
    sqlx::query(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, delivered_at = $2, failed_at = $3, \
         next_attempt_at = $4, last_status = $5, last_error = $6 WHERE id = $1",
    )
    .bind(id)
    .bind(delivered_at)
    .bind(failed_at)
    .bind(next)
    .bind(status.map(i64::from))
    .bind(error)
    .execute(ex)
    .await?;
    Ok(())
}

/// The delivery record of one webhook, newest first: (id, kind, attempts, delivered, failed, last status, last error).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryStatusRow {
    pub id: i64,
    pub kind: String,
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub next_attempt_at: i64,
    pub last_status: Option<i64>,
    pub last_error: String,
}

pub async fn deliveries<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    webhook_id: i64,
    limit: i64,
) -> StoreResult<Vec<DeliveryStatusRow>> {
    Ok(sqlx::query_as(
        "SELECT id, kind, attempts, delivered_at, failed_at, next_attempt_at, last_status, last_error \
         FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2",
    )
    .bind(webhook_id)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

/// Deliveries still to be sent or retried, and when the oldest of them was queued.
pub async fn queue<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<(u64, Option<i64>)> {
    let (n, oldest): (i64, Option<i64>) = sqlx::query_as(
        "SELECT COUNT(*), MIN(created_at) FROM webhook_deliveries \
         WHERE delivered_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(ex)
    .await?;
    Ok((u64::try_from(n).unwrap_or(0), oldest))
}
