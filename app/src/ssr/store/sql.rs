//! The SQL the figures share: what "open" means, the three-colour rule,
//! conditional counts, path prefixes and period-bounded rows. Boards, tallies, rankings,
//! the case list and the map all build on these, and on nothing of each other's, so the
//! store has no import cycle.

use super::StoreResult;
use crate::domain::case::Colour;
use sqlx::{Any, Executor};

/// "Still open" in SQL (see `Status::is_open`).
pub const OPEN: &str =
    "c.status IN ('reported', 'returned', 'in_grid', 'triaged', 'dispatched', 'handling')";

/// May be red for good (a repeat, a dissatisfied rating): counted and not deferred.
const MAY_BE_RED: &str = "c.status NOT IN ('merged', 'invalid', 'deferred')";

/// SQL counting the rows of a group that meet `cond` (0 for an empty group).
pub fn count_if(cond: &str) -> String {
    format!("COALESCE(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END), 0)")
}

/// The three-colour rule of `domain::case::colour::colour_of`, in SQL, with `{now}` the
/// placeholder for the current time in milliseconds. NULLs are guarded so that every
/// case is exactly one colour.
pub fn red_sql(now: &str) -> String {
    format!(
        "(({OPEN} AND c.deadline_at IS NOT NULL AND c.deadline_at < {now}) \
         OR ({OPEN} AND c.ack_due_at IS NOT NULL AND c.ack_due_at < {now}) \
         OR ({MAY_BE_RED} AND (c.repeat_count >= 2 OR COALESCE(c.feedback, '') = 'dissatisfied')))"
    )
}

/// Green once red is ruled out: resolved and pleased, closed unrated, merged or invalid.
pub const GREEN_UNLESS_RED: &str = "((c.status IN ('resolved', 'closed') AND COALESCE(c.feedback, '') IN ('satisfied', 'basically_satisfied')) \
     OR (c.status = 'closed' AND c.closed_without_feedback = 1) OR c.status IN ('merged', 'invalid'))";

pub fn green_sql(now: &str) -> String {
    format!("(NOT {} AND {GREEN_UNLESS_RED})", red_sql(now))
}

/// The colour's name (`red`, `yellow`, `green`) as one SQL expression, for GROUP BY.
pub fn colour_name_sql(now: &str) -> String {
    format!(
        "CASE WHEN {} THEN 'red' WHEN {GREEN_UNLESS_RED} THEN 'green' ELSE 'yellow' END",
        red_sql(now)
    )
}

pub fn colour_sql(colour: Colour, now: &str) -> String {
    match colour {
        Colour::Red => red_sql(now),
        Colour::Green => green_sql(now),
        Colour::Yellow => format!("(NOT {} AND NOT {})", red_sql(now), green_sql(now)),
    }
}

/// A territory path prefix as a `LIKE` pattern (paths hold no `%` or `_`).
pub fn like(prefix: &str) -> String {
    format!("{prefix}%")
}

/// Rows of `sql` whose `$1` is a path prefix and `$2`, `$3` a period's bounds (ms).
pub async fn period_rows<'e, E, T>(
    ex: E,
    sql: &str,
    prefix: &str,
    (from, to): (i64, i64),
) -> StoreResult<Vec<T>>
where
    E: Executor<'e, Database = Any>,
    T: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    Ok(sqlx::query_as(sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?)
}
