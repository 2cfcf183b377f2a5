//! Monthly tallies per grid (`case_tallies`, migration 0007): what boards and rankings
//! read instead of a month of cases. What a row counts is defined once (`statements`); a
//! case step changes the rows by the difference between the case's contribution before
//! and after it, in the step's own transaction (`delta`), so the tallies never drift from
//! the cases and a step costs the same in an empty grid as in a full one; `rebuild`
//! recomputes everything from the cases (first start, bulk loads).
//!
//! Open cases are tallied with the colour `open`: their colour moves with the clock, so
//! readers count them from the cases themselves (the small `cases_open` index).

mod delta;
mod statements;

pub use delta::{
    Change, Contribution, Key, Measures, apply, case_months, contribution, contribution_and_months,
    contribution_in, difference, months_of_new, settle, settle_in,
};
pub use statements::RED_BUCKET_MS;

use super::StoreResult;
use super::sql::{OPEN, like};
use crate::domain::period::Period;
use crate::ssr::db::{from_millis, to_millis};
use sqlx::{Any, Executor, Transaction};
use statements::Scope;

/// The start of the district month holding `ms`, and the start of the next one.
pub fn month_of(ms: i64) -> (i64, i64) {
    let (from, to) = Period::month_of(from_millis(ms)).bounds();
    (to_millis(from), to_millis(to))
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
            for select in statements::dated_selects(Scope::All) {
                sqlx::query(&statements::insert(&select))
                    .bind(from)
                    .bind(to)
                    .execute(&mut **tx)
                    .await?;
            }
            from = to;
        }
    }
    for select in statements::open_selects(Scope::All) {
        sqlx::query(&statements::insert(&select))
            .execute(&mut **tx)
            .await?;
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
