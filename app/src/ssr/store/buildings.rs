//! The buildings (楼栋) of each grid, with their points.

use super::StoreResult;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Executor, Transaction};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, sqlx::FromRow)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuildingRow {
    pub grid_code: String,
    pub name: String,
    pub lat: f64,
    pub lng: f64,
}

/// Writes a building, or moves the one of that grid and name; whether it was new.
pub async fn upsert(tx: &mut Transaction<'_, Any>, b: &BuildingRow) -> StoreResult<bool> {
    let moved =
        sqlx::query("UPDATE buildings SET lat = $3, lng = $4 WHERE grid_code = $1 AND name = $2")
            .bind(&b.grid_code)
            .bind(&b.name)
            .bind(b.lat)
            .bind(b.lng)
            .execute(&mut **tx)
            .await?
            .rows_affected();
    if moved > 0 {
        return Ok(false);
    }
    sqlx::query("INSERT INTO buildings (grid_code, name, lat, lng) VALUES ($1, $2, $3, $4)")
        .bind(&b.grid_code)
        .bind(&b.name)
        .bind(b.lat)
        .bind(b.lng)
        .execute(&mut **tx)
        .await?;
    Ok(true)
}

/// The buildings under a territory path prefix, by grid and name.
pub async fn under<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<BuildingRow>> {
    Ok(sqlx::query_as(
        "SELECT b.grid_code, b.name, b.lat, b.lng FROM buildings b \
         JOIN territory_nodes n ON n.code = b.grid_code WHERE n.path LIKE $1 ORDER BY b.grid_code, b.name",
    )
    .bind(format!("{prefix}%"))
    .fetch_all(ex)
    .await?)
}

/// A grid's buildings go with it when a re-import removes the grid.
pub async fn remove_of_grid(tx: &mut Transaction<'_, Any>, grid_code: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM buildings WHERE grid_code = $1")
        .bind(grid_code)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub async fn count<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM buildings")
        .fetch_one(ex)
        .await?;
    Ok(n)
}

/// The grid and position of the one building named `name` (the district's address table);
/// none when no building or several carry the name.
pub async fn named<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    name: &str,
) -> StoreResult<Option<(String, f64, f64)>> {
    let rows: Vec<(String, f64, f64)> =
        sqlx::query_as("SELECT grid_code, lat, lng FROM buildings WHERE name = $1 LIMIT 2")
            .bind(name)
            .fetch_all(ex)
            .await?;
    Ok(match rows.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    })
}
