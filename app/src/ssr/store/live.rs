//! Case events as live changes: the rows after a given id, with the case's state now.

use super::StoreResult;
use super::sql::colour_name_sql;
use crate::domain::case::Colour;
use crate::domain::live::CaseChange;
use sqlx::{Any, Executor};

/// Case events with `id > after`, oldest first, at most `limit`.
pub async fn changes_after<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
    after: i64,
    limit: i64,
    now: i64,
) -> StoreResult<Vec<CaseChange>> {
    use sqlx::Row;
    let sql = format!(
        "SELECT e.id, e.case_id, e.action, e.at, c.status, {} AS colour, c.grid_code, c.grid_path, c.lat, c.lng \
         FROM case_events e JOIN cases c ON c.id = e.case_id WHERE e.id > $1 \
         ORDER BY e.id LIMIT {limit}",
        colour_name_sql("$2")
    );
    let rows = sqlx::query(&sql)
        .bind(after)
        .bind(now)
        .fetch_all(ex)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let colour: String = r.try_get("colour")?;
        out.push(CaseChange {
            id: r.try_get("id")?,
            case_id: r.try_get("case_id")?,
            action: r.try_get("action")?,
            status: r.try_get("status")?,
            colour: Colour::parse(&colour).unwrap_or(Colour::Yellow),
            grid_code: r.try_get("grid_code")?,
            grid_path: r.try_get("grid_path")?,
            departments: Vec::new(),
            lat: r.try_get("lat")?,
            lng: r.try_get("lng")?,
            at: r.try_get("at")?,
        });
    }
    if let (Some(first), Some(last)) = (out.first(), out.last()) {
        // The same text every time (a list of ids in it would be a new statement for the
        // engine to prepare at every poll).
        let pairs: Vec<(i64, String)> = sqlx::query_as(
            "SELECT case_id, department FROM case_dispatches \
             WHERE case_id IN (SELECT case_id FROM case_events WHERE id >= $1 AND id <= $2) \
             AND withdrawn_at IS NULL ORDER BY case_id, seq",
        )
        .bind(first.id)
        .bind(last.id)
        .fetch_all(ex)
        .await?;
        for c in &mut out {
            c.departments = pairs
                .iter()
                .filter(|(id, _)| *id == c.case_id)
                .map(|(_, d)| d.clone())
                .collect();
        }
    }
    Ok(out)
}

/// The newest case event's id (0 when there is none).
pub async fn latest_id<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<i64> {
    let (id,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM case_events")
            .fetch_one(ex)
            .await?;
    Ok(id)
}

/// How far below the newest event id `log_stamp` counts: a PostgreSQL transaction that
/// took its id earlier but committed later lands there (the tailer's look-back too).
const STAMP_WINDOW: i64 = 200;

/// The case log's state as one cheap read: the newest event id and how many events have
/// ids in the window just below it (see `figures_cache`).
pub async fn log_stamp<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<crate::ssr::figures_cache::Stamp> {
    let (latest, recent): (i64, i64) = sqlx::query_as(&format!(
        "SELECT COALESCE(MAX(id), 0), COUNT(*) FROM case_events \
         WHERE id > (SELECT COALESCE(MAX(id), 0) FROM case_events) - {STAMP_WINDOW}"
    ))
    .fetch_one(ex)
    .await?;
    Ok(crate::ssr::figures_cache::Stamp { latest, recent })
}
