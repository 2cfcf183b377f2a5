//! The map's cases inside a viewport: the board's cases (reported in the period, or
//! before and still open) with optional filters, as points or as counts per grid.

use super::StoreResult;
use super::boards::like;
use super::case_list::{OPEN, colour_name_sql, colour_sql};
use crate::domain::case::Colour;
use crate::domain::case_map::Bbox;
use sqlx::{Any, Executor};

#[derive(Default, Clone, Debug)]
pub struct MapFilter {
    pub category: Option<String>,
    pub tier: Option<String>,
    pub colour: Option<Colour>,
    pub department: Option<String>,
}

/// The board's cases in two parts that each use one index: the open ones (`cases_open`)
/// and those no longer open reported in the period (the covering period index).
const PARTS: [&str; 2] = [
    "c.grid_path LIKE $1 AND c.reported_at < $3 AND $2 = $2",
    "c.reported_at >= $2 AND c.reported_at < $3 AND (c.grid_path || '') LIKE $1 AND c.status <> 'merged'",
];

/// The two parts' conditions: `$1` prefix, `$2`/`$3` period, `$4` now, `$5..$8` bbox,
/// then the filters' texts.
fn filter_sql(f: &MapFilter) -> ([String; 2], Vec<String>) {
    let mut clauses = vec![
        "c.lat BETWEEN $5 AND $6 AND c.lng BETWEEN $7 AND $8".to_owned(),
        "$4 = $4".to_owned(),
    ];
    let mut texts = Vec::new();
    let next = |v: &str, texts: &mut Vec<String>| {
        texts.push(v.to_owned());
        format!("${}", 8 + texts.len())
    };
    if let Some(c) = &f.category {
        let p = next(c, &mut texts);
        clauses.push(format!("c.category = {p}"));
    }
    if let Some(t) = &f.tier {
        let p = next(t, &mut texts);
        clauses.push(format!("c.tier = {p}"));
    }
    if let Some(d) = &f.department {
        let p = next(d, &mut texts);
        clauses.push(format!(
            "EXISTS (SELECT 1 FROM case_dispatches d WHERE d.case_id = c.id AND d.department = {p} AND d.withdrawn_at IS NULL)"
        ));
    }
    if let Some(colour) = f.colour {
        clauses.push(colour_sql(colour, "$4"));
    }
    let rest = clauses.join(" AND ");
    (
        [
            format!("{OPEN} AND {} AND {rest}", PARTS[0]),
            format!("NOT {OPEN} AND {} AND {rest}", PARTS[1]),
        ],
        texts,
    )
}

macro_rules! bind_all {
    ($q:expr, $prefix:expr, $times:expr, $b:expr, $texts:expr) => {{
        let mut q = $q
            .bind(like($prefix))
            .bind($times.0)
            .bind($times.1)
            .bind($times.2)
            .bind($b.south)
            .bind($b.north)
            .bind($b.west)
            .bind($b.east);
        for t in $texts {
            q = q.bind(t.clone());
        }
        q
    }};
}

#[derive(sqlx::FromRow, Debug, Clone)]
pub struct MapCaseRow {
    pub id: i64,
    pub lat: f64,
    pub lng: f64,
    pub colour: String,
    pub category_name: String,
    pub tracking_code: String,
    pub status: String,
}

/// Up to `limit` cases in the viewport, newest first.
pub async fn cases<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    times: (i64, i64, i64),
    b: Bbox,
    f: &MapFilter,
    limit: usize,
) -> StoreResult<Vec<MapCaseRow>> {
    let ([open, closed], texts) = filter_sql(f);
    let select = format!(
        "SELECT c.id, c.lat, c.lng, {} AS colour, k.name AS category_name, c.tracking_code, c.status \
         FROM cases c JOIN categories k ON k.code = c.category",
        colour_name_sql("$4")
    );
    let sql = format!(
        "{select} WHERE {open} UNION ALL {select} WHERE {closed} ORDER BY id DESC LIMIT {limit}"
    );
    Ok(bind_all!(sqlx::query_as(&sql), prefix, times, b, &texts)
        .fetch_all(ex)
        .await?)
}

/// Per grid and colour: the count and mean position of the viewport's cases.
pub async fn per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    prefix: &str,
    times: (i64, i64, i64),
    b: Bbox,
    f: &MapFilter,
) -> StoreResult<Vec<(String, String, i64, f64, f64)>> {
    let ([open, closed], texts) = filter_sql(f);
    let select = format!(
        "SELECT c.grid_code, {} AS colour, COUNT(*) AS n, SUM(c.lat) AS lat, SUM(c.lng) AS lng FROM cases c",
        colour_name_sql("$4")
    );
    let sql = format!(
        "SELECT grid_code, colour, CAST(SUM(n) AS BIGINT), SUM(lat) / CAST(SUM(n) AS DOUBLE PRECISION), \
         SUM(lng) / CAST(SUM(n) AS DOUBLE PRECISION) FROM \
         ({select} WHERE {open} GROUP BY 1, 2 UNION ALL {select} WHERE {closed} GROUP BY 1, 2) AS parts \
         GROUP BY grid_code, colour"
    );
    Ok(bind_all!(sqlx::query_as(&sql), prefix, times, b, &texts)
        .fetch_all(ex)
        .await?)
}
