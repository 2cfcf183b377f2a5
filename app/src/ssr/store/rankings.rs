//! The counts rankings are made of, each one `GROUP BY` (see `domain::ranking`). `$1` is
//! the territory prefix for `LIKE`, `$2`/`$3` the period in milliseconds.

use super::StoreResult;
use super::boards::like;
use super::case_list::{OPEN, red_sql};
use sqlx::{Any, Executor};

/// Active grid workers attached to a grid under the prefix: id, name, grid code and name.
pub async fn workers<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<(i64, String, String, String)>> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.display_name, n.code, n.name FROM accounts a \
         JOIN territory_nodes n ON n.code = a.node_code \
         WHERE a.role = 'worker' AND a.active = 1 AND n.level = 'grid' AND n.path LIKE $1 ORDER BY a.id",
    )
    .bind(like(prefix))
    .fetch_all(ex)
    .await?)
}

async fn keyed<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    sql: &str,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64)>> {
    Ok(sqlx::query_as(sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?)
}

/// Cases reported by each account in the period.
pub async fn found<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64)>> {
    keyed(
        ex,
        "SELECT CAST(c.reporter_account AS TEXT), COUNT(*) FROM cases c \
         WHERE c.grid_path LIKE $1 AND c.reported_at >= $2 AND c.reported_at < $3 \
         AND c.status <> 'merged' AND c.reporter_account IS NOT NULL GROUP BY c.reporter_account",
        prefix,
        from,
        to,
    )
    .await
}

/// Simple cases each account resolved in the period within the case's clock.
pub async fn self_closed_in_time<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64)>> {
    keyed(
        ex,
        "SELECT CAST(e.actor_account AS TEXT), COUNT(DISTINCT c.id) FROM case_events e \
         JOIN cases c ON c.id = e.case_id \
         WHERE c.grid_path LIKE $1 AND e.at >= $2 AND e.at < $3 AND e.action = 'resolve' \
         AND e.actor_account IS NOT NULL AND c.tier = 'simple' \
         AND (c.deadline_at IS NULL OR e.at <= c.deadline_at) GROUP BY e.actor_account",
        prefix,
        from,
        to,
    )
    .await
}

/// Per grid code: cases resolved in the period, and of them on time.
pub async fn resolved_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.grid_code, COUNT(*), \
         COALESCE(SUM(CASE WHEN c.deadline_at IS NULL OR c.resolved_at <= c.deadline_at THEN 1 ELSE 0 END), 0) \
         FROM cases c WHERE c.grid_path LIKE $1 AND c.resolved_at >= $2 AND c.resolved_at < $3 \
         AND c.status IN ('resolved', 'closed') GROUP BY c.grid_code",
    )
    .bind(like(prefix))
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await?)
}

/// Per grid code, rating and rater (1: the resident rated it, 0: staff recorded the
/// rating): cases resolved in the period with a rating.
pub async fn ratings_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT c.grid_code, c.feedback, \
         CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id AND e.action = 'feedback' \
                           AND e.actor_account IS NULL) THEN 1 ELSE 0 END AS by_resident, COUNT(*) \
         FROM cases c WHERE c.grid_path LIKE $1 AND c.resolved_at >= $2 AND c.resolved_at < $3 \
         AND c.feedback IS NOT NULL GROUP BY 1, 2, 3",
    )
    .bind(like(prefix))
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await?)
}

/// Visits each account made in the period.
pub async fn visits_done<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64)>> {
    keyed(
        ex,
        "SELECT CAST(v.account_id AS TEXT), COUNT(*) FROM visits v \
         JOIN territory_nodes n ON n.code = v.grid_code \
         WHERE n.path LIKE $1 AND v.visited_at >= $2 AND v.visited_at < $3 GROUP BY v.account_id",
        prefix,
        from,
        to,
    )
    .await
}

/// Per grid code and visit rule (days): households that must be visited.
pub async fn households_with_rule<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<(String, i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT h.grid_code, CAST(h.visit_every_days AS BIGINT), COUNT(*) FROM households h \
         JOIN territory_nodes n ON n.code = h.grid_code \
         WHERE n.path LIKE $1 AND h.visit_every_days IS NOT NULL GROUP BY 1, 2",
    )
    .bind(like(prefix))
    .fetch_all(ex)
    .await?)
}

/// Per grid (code and path): open red cases now.
pub async fn red_open_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, String, i64)>> {
    let sql = format!(
        "SELECT c.grid_code, c.grid_path, COUNT(*) FROM cases c WHERE c.grid_path LIKE $1 AND {OPEN} AND {} \
         GROUP BY c.grid_code, c.grid_path",
        red_sql("$2")
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(now)
        .fetch_all(ex)
        .await?)
}

#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct DepartmentRow {
    pub department: String,
    pub received: i64,
    pub ack_due: i64,
    pub ack_on_time: i64,
    pub completed: i64,
    pub completed_on_time: i64,
}

/// Per department: its dispatches (lead or co-handler) on cases under the prefix — received
/// in the period, acknowledged on time, resolved in the period and on time.
pub async fn departments<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<DepartmentRow>> {
    let received = "d.dispatched_at >= $2 AND d.dispatched_at < $3";
    let done = "d.resolved_at >= $2 AND d.resolved_at < $3";
    let sql = format!(
        "SELECT d.department, \
         COALESCE(SUM(CASE WHEN {received} THEN 1 ELSE 0 END), 0) AS received, \
         COALESCE(SUM(CASE WHEN {received} AND d.ack_due_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS ack_due, \
         COALESCE(SUM(CASE WHEN {received} AND d.ack_due_at IS NOT NULL AND d.acknowledged_at IS NOT NULL \
                      AND d.acknowledged_at <= d.ack_due_at THEN 1 ELSE 0 END), 0) AS ack_on_time, \
         COALESCE(SUM(CASE WHEN {done} THEN 1 ELSE 0 END), 0) AS completed, \
         COALESCE(SUM(CASE WHEN {done} AND (c.deadline_at IS NULL OR d.resolved_at <= c.deadline_at) \
                      THEN 1 ELSE 0 END), 0) AS completed_on_time \
         FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE c.grid_path LIKE $1 AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         AND (({received}) OR ({done})) GROUP BY d.department"
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?)
}

/// Per department and rating: cases it led that were resolved in the period.
pub async fn department_ratings<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT d.department, c.feedback, COUNT(*) FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE c.grid_path LIKE $1 AND d.resolved_at >= $2 AND d.resolved_at < $3 \
         AND d.withdrawn_at IS NULL AND d.role = 'lead' AND c.feedback IS NOT NULL GROUP BY 1, 2",
    )
    .bind(like(prefix))
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await?)
}

/// Per department: open red cases dispatched to it now.
pub async fn department_red_open<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, i64)>> {
    let sql = format!(
        "SELECT d.department, COUNT(DISTINCT c.id) FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE c.grid_path LIKE $1 AND d.withdrawn_at IS NULL AND d.role <> 'copy' AND {OPEN} AND {} \
         GROUP BY d.department",
        red_sql("$2")
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(now)
        .fetch_all(ex)
        .await?)
}
