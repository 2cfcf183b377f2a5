//! Reading the territory with what hangs on each node, and writing an import's changes
//! (inside the caller's transaction).

use super::StoreResult;
use super::sql::OPEN;
use crate::domain::geometry::Boundary;
use crate::domain::territory::Level;
use crate::domain::territory_import::ExistingNode;
use sqlx::{Any, Executor, Transaction};
use std::collections::HashMap;

#[derive(sqlx::FromRow)]
struct Row {
    code: String,
    name: String,
    name_en: String,
    level: String,
    parent_code: Option<String>,
    boundary: Option<String>,
}

/// Every node below the district, parents before children, with its counts.
pub async fn existing<'e, E: Executor<'e, Database = Any> + Copy>(
    ex: E,
) -> StoreResult<Vec<ExistingNode>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT code, name, name_en, level, parent_code, boundary FROM territory_nodes \
         WHERE parent_code IS NOT NULL AND retired_at IS NULL ORDER BY path",
    )
    .fetch_all(ex)
    .await?;
    let counts = |sql: String| async move {
        let v: Vec<(String, i64)> = sqlx::query_as(&sql).fetch_all(ex).await?;
        StoreResult::Ok(v.into_iter().collect::<HashMap<String, i64>>())
    };
    let cases = counts("SELECT grid_code, COUNT(*) FROM cases GROUP BY grid_code".into()).await?;
    let open = counts(format!(
        "SELECT c.grid_code, COUNT(*) FROM cases c WHERE {OPEN} GROUP BY c.grid_code"
    ))
    .await?;
    let households =
        counts("SELECT grid_code, COUNT(*) FROM households GROUP BY grid_code".into()).await?;
    let visits = counts("SELECT grid_code, COUNT(*) FROM visits GROUP BY grid_code".into()).await?;
    let members =
        counts("SELECT grid_code, COUNT(*) FROM grid_members GROUP BY grid_code".into()).await?;
    let accounts = counts(
        "SELECT node_code, COUNT(*) FROM accounts WHERE node_code IS NOT NULL GROUP BY node_code"
            .into(),
    )
    .await?;
    let n = |m: &HashMap<String, i64>, c: &str| m.get(c).copied().unwrap_or(0);
    Ok(rows
        .into_iter()
        .map(|r| ExistingNode {
            cases: n(&cases, &r.code),
            open_cases: n(&open, &r.code),
            households: n(&households, &r.code),
            visits: n(&visits, &r.code),
            people: n(&members, &r.code) + n(&accounts, &r.code),
            level: Level::parse(&r.level),
            parent: r.parent_code.unwrap_or_default(),
            boundary: r.boundary,
            name: r.name,
            name_en: r.name_en,
            code: r.code,
        })
        .collect())
}

/// Renames or redraws a node (NULLs written in the statement, as in `territory::insert`).
pub async fn update(
    tx: &mut Transaction<'_, Any>,
    code: &str,
    name: &str,
    name_en: &str,
    boundary: Option<&Boundary>,
) -> StoreResult<()> {
    match boundary {
        Some(b) => {
            let (x0, y0, x1, y1) = b.bbox();
            sqlx::query(
                "UPDATE territory_nodes SET name = $2, name_en = $3, boundary = $4, \
                 min_lng = $5, min_lat = $6, max_lng = $7, max_lat = $8 WHERE code = $1",
            )
            .bind(code)
            .bind(name)
            .bind(name_en)
            .bind(b.to_geojson().to_string())
            .bind(x0)
            .bind(y0)
            .bind(x1)
            .bind(y1)
            .execute(&mut **tx)
            .await?;
        }
        None => {
            sqlx::query(
                "UPDATE territory_nodes SET name = $2, name_en = $3, boundary = NULL, \
                 min_lng = NULL, min_lat = NULL, max_lng = NULL, max_lat = NULL WHERE code = $1",
            )
            .bind(code)
            .bind(name)
            .bind(name_en)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Takes a node out of the territory: deleted when nothing names it, retired when its
/// history does (cases, visits, case events, a retired child). Its buildings go with it.
/// Whether it was retired.
pub async fn remove(tx: &mut Transaction<'_, Any>, code: &str, now_ms: i64) -> StoreResult<bool> {
    super::buildings::remove_of_grid(tx, code).await?;
    let (named,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM cases WHERE grid_code = $1) \
         + (SELECT COUNT(*) FROM visits WHERE grid_code = $1) \
         + (SELECT COUNT(*) FROM territory_nodes WHERE parent_code = $1)",
    )
    .bind(code)
    .fetch_one(&mut **tx)
    .await?;
    if named > 0 {
        sqlx::query("UPDATE territory_nodes SET retired_at = $2 WHERE code = $1")
            .bind(code)
            .bind(now_ms)
            .execute(&mut **tx)
            .await?;
        return Ok(true);
    }
    sqlx::query("DELETE FROM territory_nodes WHERE code = $1")
        .bind(code)
        .execute(&mut **tx)
        .await?;
    Ok(false)
}

/// The codes of retired nodes: they cannot be used again.
pub async fn retired_codes<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT code FROM territory_nodes WHERE retired_at IS NOT NULL")
            .fetch_all(ex)
            .await?;
    Ok(rows.into_iter().map(|(c,)| c).collect())
}

/// Addresses both grids have: their households cannot simply be moved together.
pub async fn address_clashes<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    from: &str,
    to: &str,
) -> StoreResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT a.address FROM households a JOIN households b ON b.address = a.address \
         WHERE a.grid_code = $1 AND b.grid_code = $2 ORDER BY a.address",
    )
    .bind(from)
    .bind(to)
    .fetch_all(ex)
    .await?;
    Ok(rows.into_iter().map(|(a,)| a).collect())
}

/// Moves a grid's households, members and accounts to another grid (visits and cases keep
/// the grid they happened in).
pub async fn move_people(tx: &mut Transaction<'_, Any>, from: &str, to: &str) -> StoreResult<()> {
    for sql in [
        "UPDATE households SET grid_code = $2 WHERE grid_code = $1",
        "UPDATE grid_members SET grid_code = $2 WHERE grid_code = $1",
        "UPDATE accounts SET node_code = $2 WHERE node_code = $1",
    ] {
        sqlx::query(sql)
            .bind(from)
            .bind(to)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// `(code, path)` of every node, for placing new children.
pub async fn paths(tx: &mut Transaction<'_, Any>) -> StoreResult<HashMap<String, String>> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT code, path FROM territory_nodes")
        .fetch_all(&mut **tx)
        .await?;
    Ok(rows.into_iter().collect())
}
