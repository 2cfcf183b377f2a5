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
use crate::ssr::store::case_map::{self, MapFilter};
use chrono::{DateTime, Utc};

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
    if q.zoom.unwrap_or(0) >= CASES_FROM_ZOOM {
        let rows = case_map::cases(pool, &area.path, times, bbox, &filter, MAX_MARKERS + 1).await?;
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
                    })
                    .collect(),
                grids: Vec::new(),
            });
        }
    }
    let mut grids: Vec<MapGridCount> = Vec::new();
    for (code, colour, n, lat, lng) in
        case_map::per_grid(pool, &area.path, times, bbox, &filter).await?
    {
        let (Some(colour), Ok(n)) = (Colour::parse(&colour), u32::try_from(n)) else {
            continue;
        };
        let i = match grids.iter().position(|g| g.grid_code == code) {
            Some(i) => i,
            None => {
                grids.push(MapGridCount {
                    grid_code: code,
                    lat: 0.0,
                    lng: 0.0,
                    counts: ColourCounts::default(),
                });
                grids.len() - 1
            }
        };
        let g = &mut grids[i];
        // The grid's position: the mean over all its cases, weighted by each colour's count.
        let before = f64::from(g.counts.total());
        let w = f64::from(n);
        g.lat = (g.lat * before + lat * w) / (before + w);
        g.lng = (g.lng * before + lng * w) / (before + w);
        g.counts.add(colour, n);
    }
    grids.sort_by(|a, b| a.grid_code.cmp(&b.grid_code));
    Ok(MapCases {
        mode: MapMode::Grids,
        cases: Vec::new(),
        grids,
    })
}
