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

/// `$1` prefix, `$2`/`$3` period, `$4` now, `$5..$8` bbox, then the filters' texts.
fn filter_sql(f: &MapFilter) -> (String, Vec<String>) {
    let mut clauses = vec![
        "c.grid_path LIKE $1".to_owned(),
        "c.status <> 'merged'".to_owned(),
        "c.reported_at < $3".to_owned(),
        format!("(c.reported_at >= $2 OR {OPEN})"),
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
    (clauses.join(" AND "), texts)
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
    let (filter, texts) = filter_sql(f);
    let sql = format!(
        "SELECT c.id, c.lat, c.lng, {} AS colour, k.name AS category_name, c.tracking_code, c.status \
         FROM cases c JOIN categories k ON k.code = c.category WHERE {filter} \
         ORDER BY c.id DESC LIMIT {limit}",
        colour_name_sql("$4")
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
    let (filter, texts) = filter_sql(f);
    let sql = format!(
        "SELECT c.grid_code, {} AS colour, COUNT(*), AVG(c.lat), AVG(c.lng) FROM cases c \
         WHERE {filter} GROUP BY 1, 2",
        colour_name_sql("$4")
    );
    Ok(bind_all!(sqlx::query_as(&sql), prefix, times, b, &texts)
        .fetch_all(ex)
        .await?)
}
