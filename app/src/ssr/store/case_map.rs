//! The map's cases inside a viewport: the board's cases (reported in the period, or
//! before and still open) of the grids in view, with optional filters, as points or as
//! counts per grid.

use super::StoreResult;
use super::sql::{OPEN, colour_name_sql, colour_sql};
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

impl MapFilter {
    /// Whether the board's tallies answer the filter (they know grids and colours only).
    pub fn by_colour_at_most(&self) -> bool {
        self.category.is_none() && self.tier.is_none() && self.department.is_none()
    }
}

/// The viewport's cases: grid paths (the grids that can be in view), period and the
/// current time as `(from, to, now)` milliseconds.
pub struct InView<'a> {
    pub grid_paths: &'a [String],
    pub times: (i64, i64, i64),
    pub bbox: Bbox,
}

/// The board's cases in two parts, each one index range per grid in view: the open ones
/// (`cases_open`, grid path and report time) and those no longer open reported in the
/// period (grid path and report time). `$1`/`$2` period, `$3` now, `$4..$7` bbox, then
/// the grid paths (`{grids}`) and the filters' texts. Exact grid paths, not a prefix
/// `LIKE`: with a prefix the planners walked other grid-led indexes over the whole area.
const PARTS: [&str; 2] = [
    "c.grid_path IN ({grids}) AND c.reported_at < $2 AND $1 = $1",
    "c.grid_path IN ({grids}) AND c.reported_at >= $1 AND c.reported_at < $2 AND c.status NOT IN ('merged', 'invalid')",
];

/// The two parts' conditions, and the texts to bind after the grid paths. Cases are
/// points inside the bbox, or (`whole_grids`) every case of the grids in view.
fn filter_sql(f: &MapFilter, grids: usize, whole_grids: bool) -> ([String; 2], Vec<String>) {
    let first_text = 8 + grids;
    let placeholders: Vec<String> = (8..first_text).map(|i| format!("${i}")).collect();
    let grids = placeholders.join(", ");
    let mut clauses = vec![
        if whole_grids {
            "$4 = $4 AND $5 = $5 AND $6 = $6 AND $7 = $7"
        } else {
            "c.lat BETWEEN $4 AND $5 AND c.lng BETWEEN $6 AND $7"
        }
        .to_owned(),
        "$3 = $3".to_owned(),
    ];
    let mut texts = Vec::new();
    let next = |v: &str, texts: &mut Vec<String>| {
        texts.push(v.to_owned());
        format!("${}", first_text + texts.len() - 1)
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
        clauses.push(colour_sql(colour, "$3"));
    }
    let rest = clauses.join(" AND ");
    let part = |i: usize| PARTS[i].replace("{grids}", &grids);
    (
        [
            format!("{OPEN} AND {} AND {rest}", part(0)),
            format!("NOT {OPEN} AND {} AND {rest}", part(1)),
        ],
        texts,
    )
}

macro_rules! bind_all {
    ($q:expr, $v:expr, $texts:expr) => {{
        let mut q = $q
            .bind($v.times.0)
            .bind($v.times.1)
            .bind($v.times.2)
            .bind($v.bbox.south)
            .bind($v.bbox.north)
            .bind($v.bbox.west)
            .bind($v.bbox.east);
        for p in $v.grid_paths {
            q = q.bind(p.clone());
        }
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
    pub urgent: i64,
}

/// Up to `limit` cases in the viewport, newest first.
pub async fn cases<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    v: &InView<'_>,
    f: &MapFilter,
    limit: usize,
) -> StoreResult<Vec<MapCaseRow>> {
    if v.grid_paths.is_empty() {
        return Ok(Vec::new());
    }
    let ([open, closed], texts) = filter_sql(f, v.grid_paths.len(), false);
    let select = format!(
        "SELECT c.id, c.lat, c.lng, {} AS colour, k.name AS category_name, c.tracking_code, c.status, \
         CAST(c.urgent AS BIGINT) AS urgent \
         FROM cases c JOIN categories k ON k.code = c.category",
        colour_name_sql("$3")
    );
    let sql = format!(
        "{select} WHERE {open} UNION ALL {select} WHERE {closed} ORDER BY id DESC LIMIT {limit}"
    );
    Ok(bind_all!(sqlx::query_as(&sql), v, &texts)
        .fetch_all(ex)
        .await?)
}

/// Per grid and colour: how many cases each grid in view has (all of them, like the
/// board's counts, not only those inside the bbox). Rows may repeat a key.
pub async fn per_grid<'e, E: Executor<'e, Database = Any>>(
    ex: E,
    v: &InView<'_>,
    f: &MapFilter,
) -> StoreResult<Vec<(String, String, i64)>> {
    if v.grid_paths.is_empty() {
        return Ok(Vec::new());
    }
    let ([open, closed], texts) = filter_sql(f, v.grid_paths.len(), true);
    let select = format!(
        "SELECT c.grid_code, {} AS colour, COUNT(*) FROM cases c",
        colour_name_sql("$3")
    );
    let sql = format!(
        "{select} WHERE {open} GROUP BY 1, 2 UNION ALL {select} WHERE {closed} GROUP BY 1, 2"
    );
    Ok(bind_all!(sqlx::query_as(&sql), v, &texts)
        .fetch_all(ex)
        .await?)
}
