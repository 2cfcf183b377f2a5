//! Territory nodes and their boundaries.

use super::{StoreError, StoreResult};
use crate::domain::geometry::Boundary;
use crate::domain::territory::{Level, TerritoryNode};
use sqlx::{Any, Executor};

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct NodeRow {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub path: String,
}

impl NodeRow {
    pub fn into_node(self) -> StoreResult<TerritoryNode> {
        let level = Level::parse(&self.level).ok_or_else(|| {
            StoreError::Corrupt(format!("level {:?} of {}", self.level, self.code))
        })?;
        Ok(TerritoryNode {
            code: self.code,
            name: self.name,
            name_en: self.name_en,
            level,
            parent: self.parent_code,
        })
    }
}

const NODE_COLUMNS: &str = "code, name, name_en, level, parent_code, path";

/// A node to insert; the path is computed from the parent's.
pub struct NewNode<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub name_en: &'a str,
    pub level: Level,
    pub parent_path: Option<&'a str>,
    pub parent_code: Option<&'a str>,
    pub sort_order: i64,
    pub boundary: Option<&'a Boundary>,
}

pub async fn insert<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    n: &NewNode<'_>,
) -> StoreResult<String> {
    let path = format!("{}{}/", n.parent_path.unwrap_or("/"), n.code);
    // A node without a boundary writes its NULLs in the statement, not as bound `None`s:
    // PostgreSQL prepares a statement once per connection with the types of its first
    // binds, and a float bound later where a typeless NULL was bound first is refused
    // ("incorrect binary data format").
    let sql = match n.boundary {
        Some(_) => {
            "INSERT INTO territory_nodes \
             (code, name, name_en, level, parent_code, path, sort_order, boundary, min_lng, min_lat, max_lng, max_lat) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
        }
        None => {
            "INSERT INTO territory_nodes \
             (code, name, name_en, level, parent_code, path, sort_order, boundary, min_lng, min_lat, max_lng, max_lat) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, NULL, NULL)"
        }
    };
    let q = sqlx::query(sql)
        .bind(n.code)
        .bind(n.name)
        .bind(n.name_en)
        .bind(n.level.as_str())
        .bind(n.parent_code)
        .bind(&path)
        .bind(n.sort_order);
    let q = match n.boundary {
        Some(b) => {
            let (x0, y0, x1, y1) = b.bbox();
            q.bind(b.to_geojson().to_string())
                .bind(x0)
                .bind(y0)
                .bind(x1)
                .bind(y1)
        }
        None => q,
    };
    q.execute(ex).await?;
    Ok(path)
}

pub async fn get<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    code: &str,
) -> StoreResult<Option<NodeRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {NODE_COLUMNS} FROM territory_nodes WHERE code = $1"
    ))
    .bind(code)
    .fetch_optional(ex)
    .await?)
}

/// A node in use (not retired): what accounts, members and buildings may be attached to.
pub async fn get_active<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    code: &str,
) -> StoreResult<Option<NodeRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {NODE_COLUMNS} FROM territory_nodes WHERE code = $1 AND retired_at IS NULL"
    ))
    .bind(code)
    .fetch_optional(ex)
    .await?)
}

/// Every node whose path starts with `prefix`, parents before children, siblings in order.
pub async fn subtree<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<NodeRow>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {NODE_COLUMNS} FROM territory_nodes WHERE path LIKE $1 AND retired_at IS NULL \
         ORDER BY length(path) - length(replace(path, '/', '')), sort_order, code"
    ))
    .bind(like_prefix(prefix))
    .fetch_all(ex)
    .await?)
}

/// The ancestors of a node (district first), from its path.
pub async fn ancestors<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    path: &str,
) -> StoreResult<Vec<NodeRow>> {
    let codes: Vec<&str> = path.trim_matches('/').split('/').collect();
    let Some((_, above)) = codes.split_last() else {
        return Ok(vec![]);
    };
    if above.is_empty() {
        return Ok(vec![]);
    }
    // At most four ancestors: a fixed IN list keeps the query portable.
    let params: Vec<String> = (1..=above.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {NODE_COLUMNS} FROM territory_nodes WHERE code IN ({}) ORDER BY length(path)",
        params.join(", ")
    );
    let mut q = sqlx::query_as(&sql);
    for c in above {
        q = q.bind(*c);
    }
    Ok(q.fetch_all(ex).await?)
}

/// The boundary of one node, if it has one.
pub async fn boundary<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    code: &str,
) -> StoreResult<Option<Boundary>> {
    let raw: Option<(Option<String>,)> =
        sqlx::query_as("SELECT boundary FROM territory_nodes WHERE code = $1")
            .bind(code)
            .fetch_optional(ex)
            .await?;
    raw.and_then(|(b,)| b)
        .map(|s| parse_boundary(code, &s))
        .transpose()
}

/// Every grid's code and name (the kept catalogue's).
pub async fn grid_names<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Vec<(String, String)>> {
    Ok(
        sqlx::query_as("SELECT code, name FROM territory_nodes WHERE level = $1")
            .bind(Level::Grid.as_str())
            .fetch_all(ex)
            .await?,
    )
}

/// The code and path of every grid under `prefix`, in code order.
pub async fn grid_paths<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT code, path FROM territory_nodes WHERE path LIKE $1 AND level = $2 ORDER BY code",
    )
    .bind(like_prefix(prefix))
    .bind(Level::Grid.as_str())
    .fetch_all(ex)
    .await?)
}

/// Nodes of one level under a prefix, with their boundaries (for the map and the grid index).
pub async fn boundaries<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    level: Level,
) -> StoreResult<Vec<(NodeRow, Boundary)>> {
    let rows: Vec<(
        String,
        String,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
    )> = sqlx::query_as(&format!(
        "SELECT {NODE_COLUMNS}, boundary FROM territory_nodes \
         WHERE path LIKE $1 AND level = $2 AND boundary IS NOT NULL AND retired_at IS NULL \
         ORDER BY sort_order, code"
    ))
    .bind(like_prefix(prefix))
    .bind(level.as_str())
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|(code, name, name_en, level, parent_code, path, b)| {
            let boundary = parse_boundary(&code, b.as_deref().unwrap_or_default())?;
            Ok((
                NodeRow {
                    code,
                    name,
                    name_en,
                    level,
                    parent_code,
                    path,
                },
                boundary,
            ))
        })
        .collect()
}

pub async fn count<'e, E: Executor<'e, Database = Any>>(ex: E) -> StoreResult<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM territory_nodes")
        .fetch_one(ex)
        .await?;
    Ok(n)
}

/// Counts per level under a prefix.
pub async fn level_counts<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
) -> StoreResult<Vec<(Level, i64)>> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT level, COUNT(*) FROM territory_nodes WHERE path LIKE $1 AND retired_at IS NULL GROUP BY level",
    )
    .bind(like_prefix(prefix))
    .fetch_all(ex)
    .await?;
    rows.into_iter()
        .map(|(l, n)| {
            Level::parse(&l)
                .map(|l| (l, n))
                .ok_or_else(|| StoreError::Corrupt(format!("level {l:?}")))
        })
        .collect()
}

/// The path of the district root.
pub async fn district_path<'e, E: Executor<'e, Database = Any>>(
    ex: E,
) -> StoreResult<Option<String>> {
    Ok(sqlx::query_as::<_, (String,)>(
        "SELECT path FROM territory_nodes WHERE parent_code IS NULL ORDER BY code LIMIT 1",
    )
    .fetch_optional(ex)
    .await?
    .map(|(p,)| p))
}

fn parse_boundary(code: &str, raw: &str) -> StoreResult<Boundary> {
    serde_json::from_str(raw)
        .ok()
        .and_then(|v| Boundary::from_geojson(&v).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("boundary of {code}")))
}

/// Paths hold only codes (letters, digits, '-') and '/', so no LIKE wildcard can sneak in.
fn like_prefix(prefix: &str) -> String {
    debug_assert!(!prefix.contains(['%', '_']));
    format!("{prefix}%")
}
