//! The audit log: who did what to which record, and who saw which personal data. Rows are
//! only ever inserted.

use super::StoreResult;
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor};

pub async fn record<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    at: DateTime<Utc>,
    account: i64,
    action: &str,
    subject_kind: &str,
    subject_id: i64,
    detail: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, account_id, action, subject_kind, subject_id, detail) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(to_millis(at))
    .bind(account)
    .bind(action)
    .bind(subject_kind)
    .bind(subject_id)
    .bind(detail)
    .execute(ex)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: i64,
    pub username: String,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub detail: String,
}

/// What an administrator looks for; empty strings match everything.
pub struct AuditFilter<'a> {
    pub username: &'a str,
    pub action: &'a str,
    pub from_ms: i64,
    pub to_ms: i64,
    pub limit: i64,
}

/// Matching rows, newest first.
pub async fn search<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    f: &AuditFilter<'_>,
) -> StoreResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(
        "SELECT l.id, l.at, a.username, l.action, l.subject_kind, l.subject_id, l.detail \
         FROM audit_log l JOIN accounts a ON a.id = l.account_id \
         WHERE ($1 = '' OR a.username = $1) AND ($2 = '' OR l.action = $2) \
         AND l.at >= $3 AND l.at < $4 ORDER BY l.id DESC LIMIT $5",
    )
    .bind(f.username)
    .bind(f.action)
    .bind(f.from_ms)
    .bind(f.to_ms)
    .bind(f.limit)
    .fetch_all(ex)
    .await?)
}
