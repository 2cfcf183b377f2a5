//! In-app notifications, one row per recipient account, fanned out in SQL.

use super::StoreResult;
use crate::domain::notify::{Audience, NoticeKind};
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor, Transaction};

/// The case a notice is about, as far as choosing recipients goes.
pub struct About<'a> {
    pub case_id: i64,
    pub grid_code: &'a str,
    pub grid_path: &'a str,
}

/// Inserts the notice for every active account of the audience; returns how many.
pub async fn fan_out(
    tx: &mut Transaction<'_, Any>,
    audience: &Audience,
    about: &About<'_>,
    kind: NoticeKind,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    let (sql, key) = fan_out_sql(audience, about);
    Ok(bind_fan_out(sqlx::query(&sql), about, kind, at, key)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// A notice's rows: its notifications for each audience and its webhook deliveries
/// (`payload`) — one query text on SQLite (`batch`: one turn of the writer's thread), one
/// statement each on PostgreSQL.
pub async fn raise(
    tx: &mut Transaction<'_, Any>,
    audiences: &[Audience],
    about: &About<'_>,
    kind: NoticeKind,
    at: DateTime<Utc>,
    payload: &str,
) -> StoreResult<()> {
    if !super::batch::takes_one_text(tx) {
        for audience in audiences {
            fan_out(tx, audience, about, kind, at).await?;
        }
        super::webhooks::enqueue(tx, kind.as_str(), payload, at).await?;
        return Ok(());
    }
    let fan_outs: Vec<(String, &str)> = audiences.iter().map(|a| fan_out_sql(a, about)).collect();
    let mut parts: Vec<(&str, usize)> = fan_outs.iter().map(|(sql, _)| (sql.as_str(), 4)).collect();
    parts.push((super::webhooks::ENQUEUE, super::webhooks::ENQUEUE_BINDS));
    let text = super::batch::join(&parts);
    let mut q = sqlx::query(&text);
    for (_, key) in &fan_outs {
        q = bind_fan_out(q, about, kind, at, key);
    }
    super::webhooks::bind_enqueue(q, kind.as_str(), payload, at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The fan-out's statement for `audience` and the key it binds as `$4`.
fn fan_out_sql<'k>(audience: &'k Audience, about: &About<'k>) -> (String, &'k str) {
    const INSERT: &str =
        "INSERT INTO notifications (account_id, case_id, kind, created_at) SELECT a.id, $1, $2, $3";
    match audience {
        Audience::Department(code) => (
            format!(
                "{INSERT} FROM accounts a WHERE a.active = 1 AND a.role = 'dept' AND a.department_code = $4"
            ),
            code.as_str(),
        ),
        // Command staff whose node's path is a prefix of the grid's: the community's grid
        // leaders and the street's and district's centres.
        Audience::AreaCommand => (
            format!(
                "{INSERT} FROM accounts a JOIN territory_nodes n ON n.code = a.node_code \
                 WHERE a.active = 1 AND a.role IN ('center', 'grid_leader') \
                 AND substr(CAST($4 AS TEXT), 1, length(n.path)) = n.path"
            ),
            about.grid_path,
        ),
        Audience::GridWorkers => (
            format!(
                "{INSERT} FROM accounts a WHERE a.active = 1 AND a.role = 'worker' AND a.node_code = $4"
            ),
            about.grid_code,
        ),
    }
}

/// Binds a fan-out's four values after whatever `q` bound already.
fn bind_fan_out<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    about: &About<'_>,
    kind: NoticeKind,
    at: DateTime<Utc>,
    key: &'q str,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(about.case_id)
        .bind(kind.as_str())
        .bind(to_millis(at))
        .bind(key)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRow {
    pub id: i64,
    pub case_id: i64,
    pub kind: String,
    pub created_at: i64,
    pub read_at: Option<i64>,
    pub tracking_code: String,
    pub category: String,
    pub category_name: String,
    pub category_name_en: String,
    pub description: String,
    pub grid_code: String,
    pub supervised: i64,
}

/// The newest notifications of an account.
pub async fn list<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    account_id: i64,
    limit: i64,
) -> StoreResult<Vec<NotificationRow>> {
    Ok(sqlx::query_as(
        "SELECT n.id, n.case_id, n.kind, n.created_at, n.read_at, c.tracking_code, c.category, \
                k.name AS category_name, k.name_en AS category_name_en, c.description, c.grid_code, c.supervised \
         FROM notifications n JOIN cases c ON c.id = n.case_id JOIN categories k ON k.code = c.category \
         WHERE n.account_id = $1 ORDER BY n.id DESC LIMIT $2",
    )
    .bind(account_id)
    .bind(limit)
    .fetch_all(ex)
    .await?)
}

pub async fn unread_count<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    account_id: i64,
) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND read_at IS NULL",
    )
    .bind(account_id)
    .fetch_one(ex)
    .await?;
    Ok(n)
}

/// Marks one (or, with `None`, every) unread notification of the account as read.
pub async fn mark_read<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    account_id: i64,
    id: Option<i64>,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    let q = match id {
        Some(id) => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL AND id = $3",
        )
        .bind(to_millis(at))
        .bind(account_id)
        .bind(id),
        None => sqlx::query(
            "UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL",
        )
        .bind(to_millis(at))
        .bind(account_id),
    };
    Ok(q.execute(ex).await?.rows_affected())
}

/// Dispatches whose acknowledgement is overdue and not yet announced:
/// (case id, dispatch seq, department).
pub async fn unannounced_overdue_acks<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    now: DateTime<Utc>,
) -> StoreResult<Vec<(i64, i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT d.case_id, d.seq, d.department FROM case_dispatches d \
         WHERE d.ack_overdue_notified = 0 AND d.role <> 'copy' AND d.ack_due_at < $1 \
           AND d.acknowledged_at IS NULL AND d.resolved_at IS NULL AND d.returned_at IS NULL \
           AND d.withdrawn_at IS NULL \
         ORDER BY d.case_id LIMIT 500",
    )
    .bind(to_millis(now))
    .fetch_all(ex)
    .await?)
}

pub async fn mark_ack_overdue_announced(
    tx: &mut Transaction<'_, Any>,
    case_id: i64,
    seq: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE case_dispatches SET ack_overdue_notified = 1 WHERE case_id = $1 AND seq = $2",
    )
    .bind(case_id)
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
