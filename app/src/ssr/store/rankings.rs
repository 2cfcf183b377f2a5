//! The counts rankings are made of, each one `GROUP BY` (see `domain::ranking`). `$1` is
//! the territory prefix for `LIKE`, `$2`/`$3` the period in milliseconds.

use super::StoreResult;
use super::sql::{like, period_rows};
use super::tallies;
use crate::domain::ranking::Ratings;
use sqlx::{Any, Executor};

/// The tallies' rating columns: all ratings, then the residents' own.
const RATINGS: [&str; 6] = [
    "satisfied",
    "basically",
    "dissatisfied",
    "resident_satisfied",
    "resident_basically",
    "resident_dissatisfied",
];

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
    period_rows(ex, sql, prefix, (from, to)).await
}

/// Cases reported by each account in the period (whole months, from the tallies).
pub async fn found<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64)>> {
    let sql = tallies::sums("reported", "subject", "AND subject <> ''", &["cases"]);
    tallies::fetch(ex, &sql, prefix, from, to).await
}

/// Simple cases each account resolved in the period within the case's clock (tallied:
/// a case resolved again in another month counts in each).
pub async fn self_closed_in_time<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64)>> {
    let sql = tallies::sums("self_closed", "subject", "", &["cases"]);
    tallies::fetch(ex, &sql, prefix, from, to).await
}

/// Per grid code: cases resolved in the period, and of them on time (tallied).
pub async fn resolved_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64, i64)>> {
    let sql = tallies::sums("resolved", "grid_code", "", &["completed", "on_time"]);
    tallies::fetch(ex, &sql, prefix, from, to).await
}

#[derive(sqlx::FromRow)]
struct RatingSums {
    grid_code: String,
    satisfied: i64,
    basically: i64,
    dissatisfied: i64,
    resident_satisfied: i64,
    resident_basically: i64,
    resident_dissatisfied: i64,
}

/// Per grid code, rating and rater (1: the resident rated it, 0: staff recorded the
/// rating): cases resolved in the period with a rating (tallied).
pub async fn ratings_per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, String, i64, i64)>> {
    let sql = tallies::sums("resolved", "grid_code", "", &RATINGS);
    let rows: Vec<RatingSums> = tallies::fetch(ex, &sql, prefix, from, to).await?;
    let mut out = Vec::new();
    for r in rows {
        for (level, all, resident) in [
            ("satisfied", r.satisfied, r.resident_satisfied),
            ("basically_satisfied", r.basically, r.resident_basically),
            ("dissatisfied", r.dissatisfied, r.resident_dissatisfied),
        ] {
            for (by_resident, n) in [(1, resident), (0, all - resident)] {
                if n > 0 {
                    out.push((r.grid_code.clone(), level.to_owned(), by_resident, n));
                }
            }
        }
    }
    Ok(out)
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

/// Per grid (code and path): open red cases now (tallied).
pub async fn red_open_per_grid<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, String, i64)>> {
    Ok(tallies::open_per_grid(ex, prefix, now)
        .await?
        .into_iter()
        .filter(|r| r.2 > 0)
        .map(|(code, path, red, _)| (code, path, red))
        .collect())
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
/// in the period, acknowledged on time, resolved in the period and on time (tallied).
pub async fn departments<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<DepartmentRow>> {
    let received = tallies::sums(
        "dispatched",
        "subject",
        "",
        &["cases AS received", "ack_due", "ack_on_time"],
    );
    let done = tallies::sums(
        "dept_resolved",
        "subject",
        "",
        &["completed", "on_time AS completed_on_time"],
    );
    let mut rows: Vec<DepartmentRow> = Vec::new();
    let received: Vec<(String, i64, i64, i64)> =
        tallies::fetch(ex, &received, prefix, from, to).await?;
    for (department, received, ack_due, ack_on_time) in received {
        rows.push(DepartmentRow {
            department,
            received,
            ack_due,
            ack_on_time,
            ..DepartmentRow::default()
        });
    }
    let done: Vec<(String, i64, i64)> = tallies::fetch(ex, &done, prefix, from, to).await?;
    for (department, completed, on_time) in done {
        let i = match rows.iter().position(|r| r.department == department) {
            Some(i) => i,
            None => {
                rows.push(DepartmentRow {
                    department,
                    ..DepartmentRow::default()
                });
                rows.len() - 1
            }
        };
        rows[i].completed = completed;
        rows[i].completed_on_time = on_time;
    }
    Ok(rows)
}

/// Per department: ratings of the cases it led that were resolved in the period (tallied),
/// the residents' own and those recorded by staff (回访) apart.
pub async fn department_ratings<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, Ratings, Ratings)>> {
    let sql = tallies::sums("dept_resolved", "subject", "", &RATINGS);
    let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> =
        tallies::fetch(ex, &sql, prefix, from, to).await?;
    let n = |v: i64| u32::try_from(v).unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|(d, s, b, x, rs, rb, rx)| {
            let resident = Ratings {
                satisfied: n(rs),
                basically: n(rb),
                dissatisfied: n(rx),
            };
            let staff = Ratings {
                satisfied: n(s - rs),
                basically: n(b - rb),
                dissatisfied: n(x - rx),
            };
            (d, resident, staff)
        })
        .collect())
}

/// Per department: open red cases dispatched to it now (tallied).
pub async fn department_red_open<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    prefix: &str,
    now: i64,
) -> StoreResult<Vec<(String, i64)>> {
    Ok(tallies::open_per_department(ex, prefix, now)
        .await?
        .into_iter()
        .filter(|r| r.1 > 0)
        .map(|(department, red, _)| (department, red))
        .collect())
}

/// On-site checks (核查) of cases reported in `[from, to)` under the prefix, grouped by
/// `key` — the lead department (`department`) or the grid's path (`grid_path`): (key,
/// checks, failed, within the limit). Only checked cases are read (`cases_checked`).
pub async fn checks<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    by_department: bool,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(String, i64, i64, i64)>> {
    let (key, join) = if by_department {
        (
            "d.department",
            "JOIN case_dispatches d ON d.case_id = c.id AND d.role = 'lead' \
             AND d.withdrawn_at IS NULL AND d.returned_at IS NULL",
        )
    } else {
        ("c.grid_path", "")
    };
    let sum = |col: &str| format!("CAST(COALESCE(SUM(c.{col}), 0) AS BIGINT)");
    let sql = format!(
        "SELECT {key}, {}, {}, {} FROM cases c {join} \
         WHERE c.checks > 0 AND c.reported_at >= $2 AND c.reported_at < $3 AND c.grid_path LIKE $1 \
         GROUP BY {key}",
        sum("checks"),
        sum("rework_count"),
        sum("checks_on_time"),
    );
    period_rows(ex, &sql, prefix, (from, to)).await
}

/// Per reporting account: its reports of `[from, to)` under the prefix declared invalid.
pub async fn invalid_per_reporter<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(i64, i64)>> {
    period_rows(
        ex,
        "SELECT c.reporter_account, COUNT(*) FROM cases c WHERE c.status = 'invalid' \
         AND c.reporter_account IS NOT NULL AND c.reported_at >= $2 AND c.reported_at < $3 \
         AND c.grid_path LIKE $1 GROUP BY c.reporter_account",
        prefix,
        (from, to),
    )
    .await
}

/// Per verifying account: its on-site checks made in `[from, to)` under the prefix, and
/// those within the limit. The verify event records `"on_time":true|false` (written by
/// `services::cases::event_data` with serde_json's compact form).
pub async fn checks_per_verifier<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    from: i64,
    to: i64,
) -> StoreResult<Vec<(i64, i64, i64)>> {
    period_rows(
        ex,
        "SELECT e.actor_account, COUNT(*), \
         COALESCE(SUM(CASE WHEN e.data LIKE '%\"on_time\":true%' THEN 1 ELSE 0 END), 0) \
         FROM case_events e JOIN cases c ON c.id = e.case_id \
         WHERE e.action = 'verify' AND e.actor_account IS NOT NULL AND e.at >= $2 AND e.at < $3 \
         AND c.grid_path LIKE $1 GROUP BY e.actor_account",
        prefix,
        (from, to),
    )
    .await
}
