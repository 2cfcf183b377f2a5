//! 12345 work orders: the order behind a case, and the steps the hotline is told of.

use super::StoreResult;
use sqlx::{Any, Executor, Transaction};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct OrderRow {
    pub order_no: String,
    pub case_id: i64,
    pub due_at: Option<i64>,
    pub revisit: Option<String>,
}

pub async fn by_number<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    order_no: &str,
) -> StoreResult<Option<OrderRow>> {
    Ok(sqlx::query_as(
        "SELECT order_no, case_id, due_at, revisit FROM hotline_orders WHERE order_no = $1",
    )
    .bind(order_no)
    .fetch_optional(ex)
    .await?)
}

pub async fn of_case(tx: &mut Transaction<'_, Any>, case_id: i64) -> StoreResult<Option<OrderRow>> {
    Ok(sqlx::query_as(
        "SELECT order_no, case_id, due_at, revisit FROM hotline_orders WHERE case_id = $1",
    )
    .bind(case_id)
    .fetch_optional(&mut **tx)
    .await?)
}

pub struct NewOrder<'a> {
    pub order_no: &'a str,
    pub case_id: i64,
    pub received_at: i64,
    pub category_text: &'a str,
    pub urgent: bool,
    pub due_at: Option<i64>,
    pub referral: &'a str,
    pub address: &'a str,
    pub by: i64,
    pub now: i64,
}

pub async fn insert(tx: &mut Transaction<'_, Any>, o: &NewOrder<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO hotline_orders (order_no, case_id, received_at, category_text, urgent, due_at, \
         referral, address, imported_by, imported_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(o.order_no)
    .bind(o.case_id)
    .bind(o.received_at)
    .bind(o.category_text)
    .bind(i64::from(o.urgent))
    .bind(o.due_at)
    .bind(o.referral)
    .bind(o.address)
    .bind(o.by)
    .bind(o.now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A re-imported order: what the hotline may change, and the revisit when it came back.
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    o: &NewOrder<'_>,
    revisit: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE hotline_orders SET category_text = $2, urgent = $3, due_at = $4, referral = $5, \
         address = $6, revisit = COALESCE($7, revisit), updated_at = $8 WHERE order_no = $1",
    )
    .bind(o.order_no)
    .bind(o.category_text)
    .bind(i64::from(o.urgent))
    .bind(o.due_at)
    .bind(o.referral)
    .bind(o.address)
    .bind(revisit)
    .bind(o.now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A step of a hotline case that may matter to the hotline.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StepRow {
    pub order_no: String,
    pub tracking_code: String,
    pub case_id: i64,
    pub seq: i64,
    pub action: String,
    pub at: i64,
    pub note: String,
    pub data: String,
    pub first_triage: i64,
}

/// The steps of hotline cases in `[from, to)`, oldest first.
pub async fn steps<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    from_ms: i64,
    to_ms: i64,
) -> StoreResult<Vec<StepRow>> {
    Ok(sqlx::query_as(
        "SELECT o.order_no, c.tracking_code, e.case_id, e.seq, e.action, e.at, e.note, e.data, \
         CASE WHEN e.action = 'triage' AND e.seq = (SELECT MIN(x.seq) FROM case_events x \
           WHERE x.case_id = e.case_id AND x.action = 'triage') THEN 1 ELSE 0 END AS first_triage \
         FROM case_events e JOIN hotline_orders o ON o.case_id = e.case_id \
         JOIN cases c ON c.id = e.case_id \
         WHERE e.action IN ('triage', 'invalidate', 'request_extension', 'resolve', 'verify', 'feedback') \
         AND e.at >= $1 AND e.at < $2 ORDER BY e.at, e.id",
    )
    .bind(from_ms)
    .bind(to_ms)
    .fetch_all(ex)
    .await?)
}

/// The latest resolve step before `seq`: the result a passed check confirms.
pub async fn result_before<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    case_id: i64,
    seq: i64,
) -> StoreResult<Option<(i64, String)>> {
    Ok(sqlx::query_as(
        "SELECT seq, note FROM case_events WHERE case_id = $1 AND action = 'resolve' AND seq <= $2 \
         ORDER BY seq DESC LIMIT 1",
    )
    .bind(case_id)
    .bind(seq)
    .fetch_optional(ex)
    .await?)
}
