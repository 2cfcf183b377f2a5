//! Monthly tallies per grid (`case_tallies`, migration 0007): what boards and rankings
//! read instead of a month of cases. A grid's month is recomputed from its cases inside
//! the transaction that changes one of them (`refresh`), so the tallies can never drift
//! from the cases; `rebuild` recomputes everything (first start, bulk loads).
//!
//! Open cases are tallied with the colour `open`: their colour moves with the clock, so
//! readers count them from the cases themselves (the small `cases_open` index).

use super::StoreResult;
use super::sql::{OPEN, colour_name_sql, count_if, like};
use crate::domain::period::Period;
use crate::ssr::db::{from_millis, to_millis};
use sqlx::{Any, Executor, Transaction};
use std::collections::BTreeSet;

/// The start of the district month holding `ms`, and the start of the next one.
pub fn month_of(ms: i64) -> (i64, i64) {
    let (from, to) = Period::month_of(from_millis(ms)).bounds();
    (to_millis(from), to_millis(to))
}

/// A case's grid and the months its tallies depend on.
pub struct CaseMonths {
    pub grid_code: String,
    pub grid_path: String,
    pub months: BTreeSet<i64>,
}

/// The months of a case: when it was reported and resolved, when each of its dispatches
/// was sent and resolved, and each resolution step.
pub async fn case_months(tx: &mut Transaction<'_, Any>, case_id: i64) -> StoreResult<CaseMonths> {
    let (grid_code, grid_path, reported, resolved): (String, String, i64, Option<i64>) =
        sqlx::query_as(
            "SELECT grid_code, grid_path, reported_at, resolved_at FROM cases WHERE id = $1",
        )
        .bind(case_id)
        .fetch_one(&mut **tx)
        .await?;
    let dispatches: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT dispatched_at, resolved_at FROM case_dispatches WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(&mut **tx)
            .await?;
    let resolutions: Vec<(i64,)> =
        sqlx::query_as("SELECT at FROM case_events WHERE case_id = $1 AND action = 'resolve'")
            .bind(case_id)
            .fetch_all(&mut **tx)
            .await?;
    let times = [Some(reported), resolved]
        .into_iter()
        .chain(dispatches.into_iter().flat_map(|(d, r)| [Some(d), r]))
        .chain(resolutions.into_iter().map(|(at,)| Some(at)))
        .flatten();
    Ok(CaseMonths {
        grid_code,
        grid_path,
        months: times.map(|t| month_of(t).0).collect(),
    })
}

/// Recomputes the tallies of one grid: the given months (month starts) of every dated
/// axis, and its open cases.
pub async fn refresh(tx: &mut Transaction<'_, Any>, grid: &CaseMonths) -> StoreResult<()> {
    let postgres = tx.backend_name() == "PostgreSQL";
    // Two transactions recomputing the same rows would each insert them: take turns
    // (released at commit). Key 0 stands for the grid's open cases.
    let lock = |key: i64| {
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1), CAST($2 AS INTEGER))")
            .bind(grid.grid_code.clone())
            .bind(key)
    };
    for &month in &grid.months {
        let (from, to) = month_of(month);
        if postgres {
            lock(from / 86_400_000).execute(&mut **tx).await?;
        }
        sqlx::query(&format!(
            "DELETE FROM case_tallies WHERE grid_code = $1 AND month = $2 AND axis NOT IN {OPEN_AXES}"
        ))
        .bind(&grid.grid_code)
        .bind(from)
        .execute(&mut **tx)
        .await?;
        for sql in inserts(true) {
            sqlx::query(&sql)
                .bind(from)
                .bind(to)
                .bind(&grid.grid_code)
                .bind(&grid.grid_path)
                .execute(&mut **tx)
                .await?;
        }
    }
    if postgres {
        lock(0).execute(&mut **tx).await?;
    }
    sqlx::query(&format!(
        "DELETE FROM case_tallies WHERE grid_code = $1 AND axis IN {OPEN_AXES}"
    ))
    .bind(&grid.grid_code)
    .execute(&mut **tx)
    .await?;
    for sql in open_inserts("c.grid_path = $1") {
        sqlx::query(&sql)
            .bind(&grid.grid_path)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Recomputes every tally, month by month, in one transaction.
pub async fn rebuild(pool: &sqlx::Pool<Any>) -> StoreResult<()> {
    let mut tx = pool.begin().await?;
    rebuild_in(&mut tx).await?;
    tx.commit().await?;
    Ok(())
}

/// `rebuild` inside the caller's transaction.
pub async fn rebuild_in(tx: &mut Transaction<'_, Any>) -> StoreResult<()> {
    sqlx::query("DELETE FROM case_tallies")
        .execute(&mut **tx)
        .await?;
    let (first, last): (Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT MIN(t), MAX(t) FROM (SELECT MIN(reported_at) AS t FROM cases \
         UNION ALL SELECT MAX(COALESCE(resolved_at, reported_at)) FROM cases \
         UNION ALL SELECT MAX(dispatched_at) FROM case_dispatches \
         UNION ALL SELECT MAX(resolved_at) FROM case_dispatches) AS x",
    )
    .fetch_one(&mut **tx)
    .await?;
    if let (Some(first), Some(last)) = (first, last) {
        let (mut from, _) = month_of(first);
        while from <= last {
            let (_, to) = month_of(from);
            for sql in inserts(false) {
                sqlx::query(&sql)
                    .bind(from)
                    .bind(to)
                    .bind("")
                    .bind("")
                    .execute(&mut **tx)
                    .await?;
            }
            from = to;
        }
    }
    for sql in open_inserts("$1 = $1") {
        sqlx::query(&sql).bind("").execute(&mut **tx).await?;
    }
    Ok(())
}

/// Rebuilds the tallies when there are cases but no tallies (the first start after the
/// migration that made them).
pub async fn rebuild_if_empty(pool: &sqlx::Pool<Any>) -> StoreResult<bool> {
    let (cases, tallies): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM (SELECT id FROM cases LIMIT 1) AS a), \
                (SELECT COUNT(*) FROM (SELECT month FROM case_tallies LIMIT 1) AS b)",
    )
    .fetch_one(pool)
    .await?;
    if cases > 0 && tallies == 0 {
        rebuild(pool).await?;
        return Ok(true);
    }
    Ok(false)
}

/// The axes of open cases (not dated: `month` is the week an open case turns red).
const OPEN_AXES: &str = "('open', 'open_department')";
/// The open axes' buckets: weeks of `red_at` since the epoch (finer buckets would make a
/// row per case); `NEVER` holds open cases with nothing due.
pub const RED_BUCKET_MS: i64 = 7 * 86_400_000;
const NEVER: i64 = 9_000_000_000_000_000;

/// The statements filling the open axes, `cond` selecting the cases (with `$1`).
fn open_inserts(cond: &str) -> [String; 2] {
    const COLUMNS: &str = "grid_code, grid_path, month, axis, subject, colour, cases, completed, on_time, \
        satisfied, basically, dissatisfied, closed_unrated, resident_satisfied, resident_basically, \
        resident_dissatisfied, ack_due, ack_on_time";
    let bucket = format!("COALESCE((c.red_at / {RED_BUCKET_MS}) * {RED_BUCKET_MS}, {NEVER})");
    [
        format!(
            "INSERT INTO case_tallies ({COLUMNS}) \
             SELECT c.grid_code, c.grid_path, {bucket}, 'open', '', '', COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
             FROM cases c WHERE {cond} AND {OPEN} GROUP BY c.grid_code, c.grid_path, 3"
        ),
        format!(
            "INSERT INTO case_tallies ({COLUMNS}) \
             SELECT c.grid_code, c.grid_path, {bucket}, 'open_department', d.department, '', COUNT(DISTINCT c.id), \
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
             FROM cases c JOIN case_dispatches d ON d.case_id = c.id AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
             WHERE {cond} AND {OPEN} GROUP BY c.grid_code, c.grid_path, 3, d.department"
        ),
    ]
}

/// The statements filling one month `[$1, $2)` of every dated axis; with `one_grid`, only
/// for the grid `$3` whose path is `$4`.
fn inserts(one_grid: bool) -> [String; 6] {
    let (grid, dispatch_grid, event_grid) = if one_grid {
        (
            "c.grid_path = $4 AND $3 = $3 AND",
            "d.grid_code = $3 AND $4 = $4 AND",
            "e.grid_code = $3 AND $4 = $4 AND",
        )
    } else {
        (
            "$3 = $3 AND $4 = $4 AND",
            "$3 = $3 AND $4 = $4 AND",
            "$3 = $3 AND $4 = $4 AND",
        )
    };
    const COLUMNS: &str = "grid_code, grid_path, month, axis, subject, colour, cases, completed, on_time, \
        satisfied, basically, dissatisfied, closed_unrated, resident_satisfied, resident_basically, \
        resident_dissatisfied, ack_due, ack_on_time";
    let done = "c.status IN ('resolved', 'closed')";
    let colour = format!(
        "CASE WHEN {OPEN} THEN 'open' ELSE {} END",
        colour_name_sql("0")
    );
    let by_resident = "EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id \
                       AND e.action = 'feedback' AND e.actor_account IS NULL)";
    let rated = |level: &str| count_if(&format!("c.feedback = '{level}'"));
    let rated_by_resident =
        |level: &str| count_if(&format!("c.feedback = '{level}' AND {by_resident}"));
    let lead_rated = |level: &str| count_if(&format!("d.role = 'lead' AND c.feedback = '{level}'"));
    let lead_rated_by_resident = |level: &str| {
        count_if(&format!(
            "d.role = 'lead' AND c.feedback = '{level}' AND {by_resident}"
        ))
    };
    let reported = format!(
        "INSERT INTO case_tallies ({COLUMNS}) \
         SELECT c.grid_code, c.grid_path, $1, 'reported', COALESCE(CAST(c.reporter_account AS TEXT), ''), {colour}, \
                COUNT(*), {}, {}, {}, {}, {}, {}, 0, 0, 0, 0, 0 \
         FROM cases c WHERE {grid} c.reported_at >= $1 AND c.reported_at < $2 AND c.status NOT IN ('merged', 'invalid') \
         GROUP BY c.grid_code, c.grid_path, 5, 6",
        count_if(done),
        count_if(&format!(
            "{done} AND (c.deadline_at IS NULL OR c.resolved_at IS NULL OR c.resolved_at <= c.deadline_at)"
        )),
        rated("satisfied"),
        rated("basically_satisfied"),
        rated("dissatisfied"),
        count_if("c.feedback IS NULL AND c.status = 'closed' AND c.closed_without_feedback = 1"),
    );
    let department = format!(
        "INSERT INTO case_tallies ({COLUMNS}) \
         SELECT c.grid_code, c.grid_path, $1, 'department', d.department, {colour}, \
                COUNT(DISTINCT c.id), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
         FROM cases c JOIN case_dispatches d ON d.case_id = c.id AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         WHERE {grid} c.reported_at >= $1 AND c.reported_at < $2 AND c.status NOT IN ('merged', 'invalid') \
         GROUP BY c.grid_code, c.grid_path, 5, 6"
    );
    let resolved = format!(
        "INSERT INTO case_tallies ({COLUMNS}) \
         SELECT c.grid_code, c.grid_path, $1, 'resolved', '', '', COUNT(*), {}, {}, {}, {}, {}, 0, {}, {}, {}, 0, 0 \
         FROM cases c WHERE {grid} c.resolved_at >= $1 AND c.resolved_at < $2 \
         GROUP BY c.grid_code, c.grid_path",
        count_if(done),
        count_if(&format!(
            "{done} AND (c.deadline_at IS NULL OR c.resolved_at <= c.deadline_at)"
        )),
        rated("satisfied"),
        rated("basically_satisfied"),
        rated("dissatisfied"),
        rated_by_resident("satisfied"),
        rated_by_resident("basically_satisfied"),
        rated_by_resident("dissatisfied"),
    );
    let dispatched = format!(
        "INSERT INTO case_tallies ({COLUMNS}) \
         SELECT c.grid_code, c.grid_path, $1, 'dispatched', d.department, '', COUNT(*), 0, 0, 0, 0, 0, 0, 0, 0, 0, {}, {} \
         FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE {dispatch_grid} d.dispatched_at >= $1 AND d.dispatched_at < $2 \
         AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         GROUP BY c.grid_code, c.grid_path, d.department",
        count_if("d.ack_due_at IS NOT NULL"),
        count_if(
            "d.ack_due_at IS NOT NULL AND d.acknowledged_at IS NOT NULL AND d.acknowledged_at <= d.ack_due_at"
        ),
    );
    let dept_resolved = format!(
        "INSERT INTO case_tallies ({COLUMNS}) \
         SELECT c.grid_code, c.grid_path, $1, 'dept_resolved', d.department, '', COUNT(*), COUNT(*), {}, {}, {}, {}, \
                0, {}, {}, {}, 0, 0 \
         FROM case_dispatches d JOIN cases c ON c.id = d.case_id \
         WHERE {dispatch_grid} d.resolved_at >= $1 AND d.resolved_at < $2 \
         AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         GROUP BY c.grid_code, c.grid_path, d.department",
        count_if("c.deadline_at IS NULL OR d.resolved_at <= c.deadline_at"),
        lead_rated("satisfied"),
        lead_rated("basically_satisfied"),
        lead_rated("dissatisfied"),
        lead_rated_by_resident("satisfied"),
        lead_rated_by_resident("basically_satisfied"),
        lead_rated_by_resident("dissatisfied"),
    );
    // Counted in the month of each resolution step by a grid worker's account.
    let self_closed = format!(
        "INSERT INTO case_tallies ({COLUMNS}) \
         SELECT c.grid_code, c.grid_path, $1, 'self_closed', CAST(e.actor_account AS TEXT), '', COUNT(DISTINCT c.id), \
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 \
         FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE {event_grid} e.action = 'resolve' AND e.at >= $1 AND e.at < $2 AND e.actor_account IS NOT NULL \
         AND c.tier = 'simple' AND (c.deadline_at IS NULL OR e.at <= c.deadline_at) \
         GROUP BY c.grid_code, c.grid_path, e.actor_account"
    );
    [
        reported,
        department,
        resolved,
        dispatched,
        dept_resolved,
        self_closed,
    ]
}

/// Sums of one axis over the months of `[$2, $3)` under the territory prefix `$1`,
/// grouped by `key` (a column list such as `grid_path, colour`); `extra` narrows the rows.
/// A measure is a column, or `column AS name`.
pub(super) fn sums(axis: &str, key: &str, extra: &str, measures: &[&str]) -> String {
    let sums: Vec<String> = measures
        .iter()
        .map(|m| {
            let (column, name) = m.split_once(" AS ").unwrap_or((m, m));
            format!("CAST(COALESCE(SUM({column}), 0) AS BIGINT) AS {name}")
        })
        .collect();
    format!(
        "SELECT {key}, {} FROM case_tallies WHERE axis = '{axis}' AND month >= $2 AND month < $3 \
         AND grid_path LIKE $1 {extra} GROUP BY {key}",
        sums.join(", ")
    )
}

/// Runs a `sums` query with the prefix and period bound.
pub(super) async fn fetch<'e, E, T>(
    ex: E,
    sql: &str,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<T>>
where
    E: Executor<'e, Database = Any>,
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    super::sql::period_rows(ex, sql, prefix, (from, to)).await
}

/// Open cases under the prefix, per grid (code, path): how many are red at `now` and how
/// many there are. Tallied buckets before `now`'s week are red; the cases turning red in
/// this week are counted exactly (`cases_open_red_at`, which holds the grid path: the
/// grid's code is the path's last part).
pub async fn open_per_grid<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let tallied = "SELECT grid_path, \
        CAST(COALESCE(SUM(CASE WHEN month < $2 THEN cases ELSE 0 END), 0) AS BIGINT), \
        CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_tallies \
        WHERE axis = 'open' AND grid_path LIKE $1 AND $3 = $3 GROUP BY grid_path";
    let this_week = format!(
        "SELECT c.grid_path, COUNT(*), 0 FROM cases c \
         WHERE {OPEN} AND c.red_at >= $2 AND c.red_at < $3 AND c.grid_path LIKE $1 \
         GROUP BY c.grid_path"
    );
    Ok(open_rows(ex, tallied, &this_week, prefix, now)
        .await?
        .into_iter()
        .map(|(path, red, total)| {
            let code = path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap_or_default();
            (code.to_owned(), path, red, total)
        })
        .collect())
}

/// The same per department the open cases are dispatched to (lead or co-handler).
pub async fn open_per_department<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let tallied = "SELECT subject, \
        CAST(COALESCE(SUM(CASE WHEN month < $2 THEN cases ELSE 0 END), 0) AS BIGINT), \
        CAST(COALESCE(SUM(cases), 0) AS BIGINT) FROM case_tallies \
        WHERE axis = 'open_department' AND grid_path LIKE $1 AND $3 = $3 GROUP BY subject";
    let this_week = format!(
        "SELECT d.department, COUNT(DISTINCT c.id), 0 FROM cases c \
         JOIN case_dispatches d ON d.case_id = c.id AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         WHERE {OPEN} AND c.red_at >= $2 AND c.red_at < $3 AND c.grid_path LIKE $1 GROUP BY d.department"
    );
    open_rows(ex, tallied, &this_week, prefix, now).await
}

/// `(key, red, total)` from the tallied buckets and this week's cases, summed per key.
async fn open_rows<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    tallied: &str,
    this_week: &str,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let bucket = now.div_euclid(RED_BUCKET_MS) * RED_BUCKET_MS;
    let mut rows: std::collections::BTreeMap<String, (i64, i64)> = Default::default();
    for sql in [tallied, this_week] {
        let part: Vec<(String, i64, i64)> = sqlx::query_as(sql)
            .bind(like(prefix))
            .bind(bucket)
            .bind(now)
            .fetch_all(ex)
            .await?;
        for (key, red, total) in part {
            let r = rows.entry(key).or_default();
            r.0 += red;
            r.1 += total;
        }
    }
    Ok(rows
        .into_iter()
        .map(|(k, (red, total))| (k, red, total))
        .collect())
}
