//! The work ledger's rows: a worker's reports, resolve steps, dispatches of their reports
//! and visits in a month.

use super::StoreResult;
use crate::ssr::db::to_millis;
use chrono::{DateTime, Utc};
use sqlx::{Any, Executor};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct LedgerCaseRow {
    pub id: i64,
    pub tracking_code: String,
    pub at: i64,
    pub category: String,
    pub grid: String,
    pub description: String,
    pub status: String,
}

/// The ledger's case sections for one worker and `[from, to)`: "found" (reported by the
/// worker), "resolved" (the worker's resolve steps), "dispatched" (dispatch steps on cases
/// the worker reported).
pub async fn ledger_cases<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    section: &str,
    account: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<LedgerCaseRow>> {
    let sql = match section {
        "found" => {
            "SELECT c.id, c.tracking_code, c.reported_at AS at, k.name AS category, t.name AS grid, \
             c.description, c.status FROM cases c JOIN categories k ON k.code = c.category \
             JOIN territory_nodes t ON t.code = c.grid_code \
             WHERE c.reporter_account = $1 AND c.reported_at >= $2 AND c.reported_at < $3 \
             ORDER BY c.reported_at, c.id"
        }
        "resolved" => {
            "SELECT c.id, c.tracking_code, MIN(e.at) AS at, k.name AS category, t.name AS grid, \
             c.description, c.status FROM case_events e JOIN cases c ON c.id = e.case_id \
             JOIN categories k ON k.code = c.category JOIN territory_nodes t ON t.code = c.grid_code \
             WHERE e.actor_account = $1 AND e.action = 'resolve' AND e.at >= $2 AND e.at < $3 \
             GROUP BY c.id, c.tracking_code, k.name, t.name, c.description, c.status ORDER BY at, c.id"
        }
        _ => {
            "SELECT c.id, c.tracking_code, MIN(e.at) AS at, k.name AS category, t.name AS grid, \
             c.description, c.status FROM case_events e JOIN cases c ON c.id = e.case_id \
             JOIN categories k ON k.code = c.category JOIN territory_nodes t ON t.code = c.grid_code \
             WHERE c.reporter_account = $1 AND e.action = 'dispatch' AND e.at >= $2 AND e.at < $3 \
             GROUP BY c.id, c.tracking_code, k.name, t.name, c.description, c.status ORDER BY at, c.id"
        }
    };
    Ok(sqlx::query_as(sql)
        .bind(account)
        .bind(to_millis(from))
        .bind(to_millis(to))
        .fetch_all(ex)
        .await?)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct LedgerVisitRow {
    pub at: i64,
    pub address: String,
    pub minutes: i64,
    pub notes: String,
    pub needs: String,
    pub case_code: Option<String>,
}

pub async fn ledger_visits<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    account: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<LedgerVisitRow>> {
    Ok(sqlx::query_as(
        "SELECT v.visited_at AS at, h.address, v.minutes, v.notes, v.needs, c.tracking_code AS case_code \
         FROM visits v JOIN households h ON h.id = v.household_id \
         LEFT JOIN cases c ON c.id = v.case_id \
         WHERE v.account_id = $1 AND v.visited_at >= $2 AND v.visited_at < $3 \
         ORDER BY v.visited_at, v.id",
    )
    .bind(account)
    .bind(to_millis(from))
    .bind(to_millis(to))
    .fetch_all(ex)
    .await?)
}
