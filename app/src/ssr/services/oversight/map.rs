//! The live case map's viewport query.

use super::{area, period};
use crate::domain::board::ColourCounts;
use crate::domain::case::{Colour, Tier};
use crate::domain::case_map::{
    Bbox, CASES_FROM_ZOOM, MAX_MARKERS, MapCase, MapCases, MapGridCount, MapMode,
};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::db::to_millis;
use crate::ssr::state::AppState;
use crate::ssr::store;
use crate::ssr::store::case_map::{self, InView, MapFilter};
use chrono::{DateTime, Utc};
use std::collections::BTreeMap;

/// What the map's filter bar sends, unchecked.
#[derive(Default, Debug, Clone)]
pub struct MapQuery {
    pub bbox: String,
    pub zoom: Option<u8>,
    pub area: Option<String>,
    pub period: Option<String>,
    pub category: Option<String>,
    pub tier: Option<String>,
    pub colour: Option<String>,
    pub department: Option<String>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

pub async fn map_cases(
    state: &AppState,
    user: &CurrentUser,
    q: &MapQuery,
    now: DateTime<Utc>,
) -> Result<MapCases, AppError> {
    let bbox = Bbox::parse(&q.bbox).ok_or_else(|| AppError::validation("bbox", Msg::ErrBadBbox))?;
    let area = area(state, user, given(&q.area)).await?;
    let (from, to) = period(given(&q.period), now)?.bounds();
    let times = (to_millis(from), to_millis(to), to_millis(now));
    let bad = |field: &str| AppError::validation(field, Msg::ErrBadRequest);
    let filter = MapFilter {
        category: given(&q.category).map(str::to_owned),
        tier: match given(&q.tier) {
            Some(t) => Some(
                Tier::parse(t)
                    .ok_or_else(|| bad("tier"))?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        },
        colour: match given(&q.colour) {
            Some(c) => Some(Colour::parse(c).ok_or_else(|| bad("colour"))?),
            None => None,
        },
        department: given(&q.department).map(str::to_owned),
    };
    let pool = &state.db.pool;
    // The grids of the area that can show anything in the viewport.
    let index = state.grid_index();
    let near = index.meeting((bbox.west, bbox.south, bbox.east, bbox.north));
    let grids: Vec<(String, String)> = store::territory::grid_paths(pool, &area.path)
        .await?
        .into_iter()
        .filter(|(code, _)| near.binary_search(&code.as_str()).is_ok())
        .collect();
    let grid_paths: Vec<String> = grids.iter().map(|(_, path)| path.clone()).collect();
    let in_view = InView {
        grid_paths: &grid_paths,
        times,
        bbox,
    };
    if q.zoom.unwrap_or(0) >= CASES_FROM_ZOOM {
        let rows = case_map::cases(pool, &in_view, &filter, MAX_MARKERS + 1).await?;
        // More than the browser should draw: counts per grid instead.
        if rows.len() <= MAX_MARKERS {
            return Ok(MapCases {
                mode: MapMode::Cases,
                cases: rows
                    .into_iter()
                    .map(|r| MapCase {
                        id: r.id,
                        lat: r.lat,
                        lng: r.lng,
                        colour: Colour::parse(&r.colour).unwrap_or(Colour::Yellow),
                        category_name: r.category_name,
                        tracking_code: r.tracking_code,
                        status: r.status,
                        urgent: r.urgent == 1,
                    })
                    .collect(),
                grids: Vec::new(),
            });
        }
    }
    // Counts per grid: the board's own (its tallies) unless the filter needs the cases.
    let rows: Vec<(String, String, i64)> = if filter.by_colour_at_most() {
        let wanted: std::collections::HashMap<&str, &str> = grids
            .iter()
            .map(|(code, path)| (path.as_str(), code.as_str()))
            .collect();
        store::boards::colours_per_grid(pool, &area.path, times)
            .await?
            .into_iter()
            .filter_map(|(path, colour, n)| {
                let code = wanted.get(path.as_str())?;
                let keep = filter.colour.is_none_or(|c| c.as_str() == colour);
                keep.then(|| ((*code).to_owned(), colour, n))
            })
            .collect()
    } else {
        case_map::per_grid(pool, &in_view, &filter).await?
    };
    let mut counts: BTreeMap<String, ColourCounts> = BTreeMap::new();
    for (code, colour, n) in rows {
        let (Some(colour), Ok(n)) = (Colour::parse(&colour), u32::try_from(n)) else {
            continue;
        };
        counts.entry(code).or_default().add(colour, n);
    }
    let grids = counts
        .into_iter()
        .filter(|(_, c)| c.total() > 0)
        .filter_map(|(grid_code, counts)| {
            // The label sits inside the grid's shape.
            let p = index.interior_point(&grid_code)?;
            Some(MapGridCount {
                grid_code,
                lat: p.lat(),
                lng: p.lng(),
                counts,
            })
        })
        .collect();
    Ok(MapCases {
        mode: MapMode::Grids,
        cases: Vec::new(),
        grids,
    })
}
