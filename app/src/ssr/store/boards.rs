//! Aggregates for boards and KPIs: boards sum the monthly tallies (`store::tallies`);
//! KPIs and past periods are `GROUP BY`s over covering indexes, never a load of the cases.
//! Times are milliseconds; `$1` is the prefix for `LIKE`, then from, to and now.

use super::StoreResult;
use super::sql::{OPEN, colour_name_sql, count_if, like, period_rows, red_sql};
use super::tallies;
use sqlx::{Any, Executor};

/// The open cases a board counts (reported before the period's end), coloured now;
/// `$1` prefix, `$2` end of the period, `$3` now. The closed-out ones come from the
/// tallies.
fn open_on_board() -> String {
    format!("{OPEN} AND c.grid_path LIKE $1 AND c.reported_at < $2 AND $3 = $3")
}

/// Tallies are kept per month: a board's period must be whole months.
fn whole_months(from: i64, to: i64) {
    debug_assert_eq!(tallies::month_of(from).0, from, "a period starts a month");
    debug_assert_eq!(tallies::month_of(to).0, to, "a period ends before a month");
}

/// Per grid path and colour, the number of cases on the board: those reported in the
/// period and no longer open, and every open one reported before the period's end
/// (coloured now) — all from the tallies unless the period is over. Rows may repeat a
/// key; callers add them up.
pub async fn colours_per_grid<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    (from, to, now): (i64, i64, i64),
) -> StoreResult<Vec<(String, String, i64)>> {
    whole_months(from, to);
    let tallied = tallies::sums(
        "reported",
        "grid_path, colour",
        "AND colour <> 'open'",
        &["cases"],
    );
    let mut rows: Vec<(String, String, i64)> =
        tallies::fetch(ex, &tallied, prefix, from, to).await?;
    if to > now {
        // Every open case was reported before the period's end: the open tallies.
        for (_, path, red, total) in tallies::open_per_grid(ex, prefix, now).await? {
            rows.push((path.clone(), "red".to_owned(), red));
            rows.push((path, "yellow".to_owned(), total - red));
        }
        return Ok(rows);
    }
    let open = format!(
        "SELECT c.grid_path, {} AS colour, COUNT(*) FROM cases c WHERE {} GROUP BY 1, 2",
        colour_name_sql("$3"),
        open_on_board()
    );
    rows.extend(
        sqlx::query_as::<_, (String, String, i64)>(&open)
            .bind(like(prefix))
            .bind(to)
            .bind(now)
            .fetch_all(ex)
            .await?,
    );
    Ok(rows)
}

/// Per department and colour: cases on the board dispatched to it as lead or co-handler
/// (tallied ones, then the open ones coloured now). Rows may repeat a key.
pub async fn colours_per_department<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    (from, to, now): (i64, i64, i64),
) -> StoreResult<Vec<(String, String, i64)>> {
    whole_months(from, to);
    let tallied = tallies::sums(
        "department",
        "subject, colour",
        "AND colour <> 'open'",
        &["cases"],
    );
    let mut rows: Vec<(String, String, i64)> =
        tallies::fetch(ex, &tallied, prefix, from, to).await?;
    if to > now {
        for (department, red, total) in tallies::open_per_department(ex, prefix, now).await? {
            rows.push((department.clone(), "red".to_owned(), red));
            rows.push((department, "yellow".to_owned(), total - red));
        }
        return Ok(rows);
    }
    let open = format!(
        "SELECT d.department, {} AS colour, COUNT(DISTINCT c.id) FROM cases c \
         JOIN case_dispatches d ON d.case_id = c.id AND d.withdrawn_at IS NULL AND d.role <> 'copy' \
         WHERE {} GROUP BY 1, 2",
        colour_name_sql("$3"),
        open_on_board()
    );
    rows.extend(
        sqlx::query_as::<_, (String, String, i64)>(&open)
            .bind(like(prefix))
            .bind(to)
            .bind(now)
            .fetch_all(ex)
            .await?,
    );
    Ok(rows)
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct RedRow {
    pub id: i64,
    pub tracking_code: String,
    pub category: String,
    pub category_name: String,
    pub grid_name: String,
    pub status: String,
    pub reported_at: i64,
    pub clock_started_at: Option<i64>,
    pub deadline_at: Option<i64>,
    pub ack_due_at: Option<i64>,
    pub repeat_count: i64,
    pub feedback: Option<String>,
    pub closed_without_feedback: i64,
    pub supervised: i64,
}

/// The red cases on the board, the longest overdue first: open ones red now (read in due
/// order from `cases_open_by_due`, stopping at the limit), and those reported in the period
/// that are red for good (a repeat, a dissatisfied rating — `cases_red_for_good`).
pub async fn red_list<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    (from, to, now): (i64, i64, i64),
    limit: i64,
) -> StoreResult<Vec<RedRow>> {
    let columns = "c.id, c.tracking_code, c.category, k.name AS category_name, n.name AS grid_name, c.status, \
         c.reported_at, c.clock_started_at, c.deadline_at, c.ack_due_at, CAST(c.repeat_count AS BIGINT) AS repeat_count, \
         c.feedback, CAST(c.closed_without_feedback AS BIGINT) AS closed_without_feedback, \
         CAST(c.supervised AS BIGINT) AS supervised, COALESCE(c.deadline_at, c.ack_due_at, c.reported_at) AS sort_at \
         FROM cases c JOIN territory_nodes n ON n.code = c.grid_code JOIN categories k ON k.code = c.category";
    let sql = format!(
        "SELECT * FROM (SELECT {columns} WHERE {OPEN} AND c.grid_path LIKE $1 AND c.reported_at < $3 AND {} \
                        ORDER BY sort_at, c.id LIMIT {limit}) AS open_red \
         UNION ALL \
         SELECT * FROM (SELECT {columns} WHERE c.reported_at >= $2 AND c.reported_at < $3 AND c.grid_path LIKE $1 \
                        AND (c.repeat_count >= 2 OR c.feedback = 'dissatisfied') AND NOT {OPEN} \
                        AND c.status NOT IN ('merged', 'invalid', 'deferred') ORDER BY sort_at, c.id LIMIT {limit}) AS red_for_good \
         ORDER BY sort_at, id LIMIT {limit}",
        red_sql("$4")
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(ex)
        .await?)
}

#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct KpiRow {
    pub received: i64,
    pub completed: i64,
    pub on_time: i64,
    pub satisfied: i64,
    pub basically: i64,
    pub dissatisfied: i64,
    pub closed_unrated: i64,
}

/// "Completed" and "on time" as SQL (see `domain::kpi`).
const COMPLETED: &str = "c.status IN ('resolved', 'closed')";
const ON_TIME: &str = "c.status IN ('resolved', 'closed') AND (c.deadline_at IS NULL OR c.resolved_at IS NULL OR c.resolved_at <= c.deadline_at)";

fn kpi_columns() -> String {
    format!(
        "COUNT(*) AS received, {} AS completed, {} AS on_time, {} AS satisfied, {} AS basically, \
         {} AS dissatisfied, {} AS closed_unrated",
        count_if(COMPLETED),
        count_if(ON_TIME),
        count_if("c.feedback = 'satisfied'"),
        count_if("c.feedback = 'basically_satisfied'"),
        count_if("c.feedback = 'dissatisfied'"),
        count_if("c.feedback IS NULL AND c.status = 'closed' AND c.closed_without_feedback = 1"),
    )
}

/// The cases reported in `[$2, $3)` under the prefix `$1`. `(grid_path || '')` keeps the
/// planners on the period (PostgreSQL: `cases_period`; SQLite: a skip-scan of
/// `cases_path_period`): a district's prefix matches every path, and a range on it would
/// walk the whole index.
const REPORTED_IN: &str = "c.reported_at >= $2 AND c.reported_at < $3 AND (c.grid_path || '') LIKE $1 \
     AND c.status NOT IN ('merged', 'invalid')";

/// The KPI counts of the cases reported in `[from, to)` under the prefix.
pub async fn kpi_facts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<KpiRow> {
    let sql = format!("SELECT {} FROM cases c WHERE {REPORTED_IN}", kpi_columns());
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_one(ex)
        .await?)
}

/// The counts of the 数字城管 assessment (`domain::assessment`).
#[derive(sqlx::FromRow, Debug, Clone, Default)]
pub struct AssessmentRow {
    pub filed: i64,
    pub invalid: i64,
    pub deferred: i64,
    pub completed_on_time: i64,
    pub extended: i64,
    pub checks: i64,
    pub checks_failed: i64,
    pub checks_on_time: i64,
    pub urgent_completed: i64,
    pub urgent_on_time: i64,
}

/// The assessment counts of the reports made in `[from, to)` under the prefix (invalid
/// ones included: they are counted, not ignored).
pub async fn assessment_facts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<AssessmentRow> {
    let sum = |col: &str| format!("CAST(COALESCE(SUM(c.{col}), 0) AS BIGINT)");
    let sql = format!(
        "SELECT {} AS filed, {} AS invalid, {} AS deferred, {} AS completed_on_time, {} AS extended, \
         {} AS checks, {} AS checks_failed, {} AS checks_on_time, {} AS urgent_completed, {} AS urgent_on_time \
         FROM cases c WHERE c.reported_at >= $2 AND c.reported_at < $3 AND (c.grid_path || '') LIKE $1 \
         AND c.status <> 'merged'",
        count_if("c.status NOT IN ('reported', 'returned', 'invalid')"),
        count_if("c.status = 'invalid'"),
        count_if("c.status = 'deferred'"),
        count_if(ON_TIME),
        count_if("c.extension = 'approved'"),
        sum("checks"),
        sum("rework_count"),
        sum("checks_on_time"),
        count_if(&format!("c.urgent = 1 AND {COMPLETED}")),
        count_if(&format!("c.urgent = 1 AND {ON_TIME}")),
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_one(ex)
        .await?)
}

/// The same counts per grid path for whole months (the tallies), for areas compared side
/// by side.
pub async fn kpi_facts_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, KpiRow)>> {
    use sqlx::{FromRow, Row};
    whole_months(from, to);
    let sql = tallies::sums(
        "reported",
        "grid_path",
        "",
        &[
            "cases AS received",
            "completed",
            "on_time",
            "satisfied",
            "basically",
            "dissatisfied",
            "closed_unrated",
        ],
    );
    let rows = sqlx::query(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("grid_path")?, KpiRow::from_row(r)?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(Into::into)
}

/// Per tier: completed cases and the sum of their handling times (ms).
pub async fn handling_per_tier<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let sql = format!(
        "SELECT c.tier, COUNT(*), CAST(COALESCE(SUM(c.resolved_at - c.reported_at), 0) AS BIGINT) \
         FROM cases c WHERE {REPORTED_IN} AND {COMPLETED} AND c.tier IS NOT NULL AND c.resolved_at IS NOT NULL \
         GROUP BY c.tier"
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?)
}

/// District-time day numbers (days since 1970-01-01 at +08:00) with the cases received
/// that day, and separately those resolved that day.
pub async fn per_day<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<(Vec<(i64, i64)>, Vec<(i64, i64)>)> {
    let received = format!(
        "SELECT (c.reported_at + 28800000) / 86400000 AS day, COUNT(*) FROM cases c \
         WHERE {REPORTED_IN} GROUP BY 1"
    );
    let resolved = format!(
        "SELECT (c.resolved_at + 28800000) / 86400000 AS day, COUNT(*) FROM cases c \
         WHERE c.resolved_at >= $2 AND c.resolved_at < $3 AND (c.grid_path || '') LIKE $1 AND {COMPLETED} GROUP BY 1"
    );
    let mut out = Vec::new();
    for sql in [received, resolved] {
        out.push(
            sqlx::query_as(&sql)
                .bind(like(prefix))
                .bind(from)
                .bind(to)
                .fetch_all(ex)
                .await?,
        );
    }
    let resolved = out.pop().unwrap_or_default();
    let received = out.pop().unwrap_or_default();
    Ok((received, resolved))
}

/// Per grid path and category: cases received (the problem portrait).
pub async fn per_grid_category<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, String, i64)>> {
    let sql = format!(
        "SELECT c.grid_path, c.category, COUNT(*) FROM cases c WHERE {REPORTED_IN} GROUP BY 1, 2"
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .fetch_all(ex)
        .await?)
}

/// Per category and tier: received, still open, red (the needs list).
pub async fn needs<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    (from, to, now): (i64, i64, i64),
) -> StoreResult<Vec<(String, Option<String>, i64, i64, i64)>> {
    let sql = format!(
        "SELECT c.category, c.tier, COUNT(*), {}, {} FROM cases c WHERE {REPORTED_IN} AND $4 = $4 \
         GROUP BY c.category, c.tier",
        count_if(OPEN),
        count_if(&red_sql("$4")),
    );
    Ok(sqlx::query_as(&sql)
        .bind(like(prefix))
        .bind(from)
        .bind(to)
        .bind(now)
        .fetch_all(ex)
        .await?)
}

/// The deferred cases (缓办) under the prefix, soonest review first: (id, tracking code,
/// category name, grid name, review date).
pub async fn deferred<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    limit: i64,
) -> StoreResult<Vec<(i64, String, String, String, String)>> {
    Ok(sqlx::query_as(&format!(
        "SELECT c.id, c.tracking_code, k.name, n.name, COALESCE(c.deferral_review_on, '') \
         FROM cases c JOIN categories k ON k.code = c.category JOIN territory_nodes n ON n.code = c.grid_code \
         WHERE c.status = 'deferred' AND c.grid_path LIKE $1 ORDER BY c.deferral_review_on, c.id LIMIT {limit}"
    ))
    .bind(like(prefix))
    .fetch_all(ex)
    .await?)
}

/// Per source, of the reports made in `[from, to)` under the prefix: (source, filed,
/// invalid) — as `assessment_facts` counts them.
pub async fn filing_per_source<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let sql = format!(
        "SELECT c.source, {}, {} FROM cases c WHERE c.reported_at >= $2 AND c.reported_at < $3 \
         AND (c.grid_path || '') LIKE $1 AND c.status <> 'merged' GROUP BY c.source ORDER BY c.source",
        count_if("c.status NOT IN ('reported', 'returned', 'invalid')"),
        count_if("c.status = 'invalid'"),
    );
    period_rows(ex, &sql, prefix, (from, to)).await
}
