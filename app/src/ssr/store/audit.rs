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
    pub at: i64,
    pub account_id: i64,
    pub action: String,
    pub subject_kind: String,
    pub subject_id: i64,
    pub detail: String,
}

pub async fn audit_of<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    subject_kind: &str,
    subject_id: i64,
) -> StoreResult<Vec<AuditRow>> {
    Ok(sqlx::query_as(
        "SELECT at, account_id, action, subject_kind, subject_id, detail FROM audit_log \
         WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id",
    )
    .bind(subject_kind)
    .bind(subject_id)
    .fetch_all(ex)
    .await?)
}
