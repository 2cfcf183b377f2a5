//! Residents' reports: sealed contacts, idempotency answers, the public grid figures and
//! the units (department or territory node) behind each step of a public timeline.

use super::StoreResult;
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor, Transaction};

pub async fn insert_contact(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    name_sealed: Option<&str>,
    phone_sealed: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO case_contacts (case_id, name_sealed, phone_sealed) VALUES ($1, $2, $3)",
    )
    .bind(case_id)
    .bind(name_sealed)
    .bind(phone_sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The sealed (name, phone) of a case's reporter, if they left any.
pub async fn contact<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    case_id: i64,
) -> StoreResult<Option<(Option<String>, Option<String>)>> {
    Ok(
        sqlx::query_as("SELECT name_sealed, phone_sealed FROM case_contacts WHERE case_id = $1")
            .bind(case_id)
            .fetch_optional(ex)
            .await?,
    )
}

/// The (fingerprint, case id) stored for an idempotency key.
/// Whose idempotency key it is. Residents choose theirs freely, so a staff key can never be
/// taken by a resident (nor one account's by another): each space has its own prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeySpace {
    /// Residents' reports (the QR page and the public API).
    Public,
    /// A staff account's reports.
    Staff(i64),
}

impl KeySpace {
    /// The key as stored.
    pub fn stored(self, key: &str) -> String {
        match self {
            KeySpace::Public => format!("public:{key}"),
            KeySpace::Staff(account) => format!("staff:{account}:{key}"),
        }
    }
}

pub async fn idempotent_answer<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    key: &str,
) -> StoreResult<Option<(String, i64)>> {
    Ok(
        sqlx::query_as("SELECT fingerprint, case_id FROM idempotency_keys WHERE key = $1")
            .bind(key)
            .fetch_optional(ex)
            .await?,
    )
}

/// Records the key in the case's own transaction: a concurrent twin fails on the
/// primary key and is then answered from the row this one wrote.
pub async fn remember_key(
    tx: &mut Transaction<'_, Any>,
    key: &str,
    fingerprint: &str,
    case_id: i64,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO idempotency_keys (key, fingerprint, case_id, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(key)
    .bind(fingerprint)
    .bind(case_id)
    .bind(to_millis(at))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Retries come within minutes; a day later the key is no longer needed.
pub async fn forget_idempotency_keys<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    before: DateTime<Utc>,
) -> StoreResult<u64> {
    Ok(
        sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
            .bind(to_millis(before))
            .execute(ex)
            .await?
            .rows_affected(),
    )
}

/// (resolved since `since`, open now) for one grid's public card.
pub async fn grid_figures<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    grid_code: &str,
    since: DateTime<Utc>,
) -> StoreResult<(i64, i64)> {
    Ok(sqlx::query_as(
        "SELECT \
           COALESCE(SUM(CASE WHEN resolved_at >= $2 AND status IN ('resolved', 'closed') THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN status NOT IN ('resolved', 'closed', 'merged', 'invalid') THEN 1 ELSE 0 END), 0) \
         FROM cases WHERE grid_code = $1",
    )
    .bind(grid_code)
    .bind(to_millis(since))
    .fetch_one(ex)
    .await?)
}

/// For each account id: (id, department code, territory node code).
pub async fn account_units<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    ids: &[i64],
) -> StoreResult<Vec<(i64, Option<String>, Option<String>)>> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let params: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT id, department_code, node_code FROM accounts WHERE id IN ({})",
        params.join(", ")
    );
    let mut q = sqlx::query_as(&sql);
    for id in ids {
        q = q.bind(*id);
    }
    Ok(q.fetch_all(ex).await?)
}
