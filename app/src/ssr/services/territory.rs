//! Reading the territory within the user's scope, and the point → grid lookup.

use crate::domain::geo_point::GeoPoint;
use crate::domain::geometry::GridIndex;
use crate::domain::people::MemberKind;
use crate::domain::territory::{
    AreaSummary, GridDetail, Level, MapArea, MapData, MapGrid, MapPlace, NodeCode, TerritoryNode,
};
use crate::error::AppError;
use crate::i18n::Msg;
use crate::ssr::current_user::CurrentUser;
use crate::ssr::state::AppState;
use crate::ssr::store::{self, territory::NodeRow};
use std::collections::HashMap;

/// The tree of nodes the user may read, parents first.
pub async fn tree(state: &AppState, user: &CurrentUser) -> Result<Vec<TerritoryNode>, AppError> {
    let rows = store::territory::subtree(&state.db.pool, user.scope.territory_prefix()).await?;
    Ok(rows
        .into_iter()
        .map(NodeRow::into_node)
        .collect::<Result<_, _>>()?)
}

/// A node the user may read, or NotFound / Forbidden.
async fn readable_node(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<NodeRow, AppError> {
    let code =
        NodeCode::parse(code).map_err(|_| AppError::validation("code", Msg::ErrInvalidCode))?;
    let row = store::territory::get(&state.db.pool, code.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    if !user.scope.covers(&row.path) {
        return Err(AppError::Forbidden);
    }
    Ok(row)
}

/// The boundary of a node as a GeoJSON Feature with its code, name and level.
pub async fn boundary_feature(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<serde_json::Value, AppError> {
    let row = readable_node(state, user, code).await?;
    let boundary = store::territory::boundary(&state.db.pool, &row.code)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(serde_json::json!({
        "type": "Feature",
        "id": row.code,
        "geometry": boundary.to_geojson(),
        "properties": { "code": row.code, "name": row.name, "name_en": row.name_en, "level": row.level },
    }))
}

/// A grid (or any node) with its ancestors and, for grids, its members.
pub async fn detail(
    state: &AppState,
    user: &CurrentUser,
    code: &str,
) -> Result<GridDetail, AppError> {
    let row = readable_node(state, user, code).await?;
    let ancestors = store::territory::ancestors(&state.db.pool, &row.path).await?;
    let members = store::members::of_grid(&state.db.pool, &row.code).await?;
    Ok(GridDetail {
        node: row.into_node()?,
        ancestors: ancestors
            .into_iter()
            .map(NodeRow::into_node)
            .collect::<Result<_, _>>()?,
        members,
    })
}

/// Every grid in scope with its ring and workers, plus the tile configuration: the same
/// for everyone with this scope, kept a few seconds (`figures_cache`; a territory import or
/// a new grid worker shows within them).
pub async fn map(state: &AppState, user: &CurrentUser) -> Result<MapData, AppError> {
    let prefix = user.scope.territory_prefix();
    let key = format!("map|{prefix}");
    let prefix = prefix.to_owned();
    let map = |s| async move { draw_map(&s, &prefix).await };
    crate::ssr::figures_cache::cached(state, key, state.clock.now(), map).await
}

async fn draw_map(state: &AppState, prefix: &str) -> Result<MapData, AppError> {
    let pool = &state.db.pool;
    let grids = store::territory::boundaries(pool, prefix, Level::Grid).await?;
    let communities: HashMap<String, (String, String)> = store::territory::subtree(pool, prefix)
        .await?
        .into_iter()
        .filter(|n| n.level == Level::Community.as_str())
        .map(|n| (n.code, (n.name, n.name_en)))
        .collect();
    // A worker scoped to one grid still sees its community's name: look it up directly.
    let mut members: HashMap<String, Vec<_>> = HashMap::new();
    for (grid, m) in store::members::under(pool, prefix).await? {
        members.entry(grid).or_default().push(m);
    }
    let mut out = Vec::with_capacity(grids.len());
    for (row, boundary) in grids {
        let parent = row.parent_code.clone().unwrap_or_default();
        let (community, community_en) = match communities.get(&parent) {
            Some(c) => c.clone(),
            None => store::territory::get(pool, &parent)
                .await?
                .map(|n| (n.name, n.name_en))
                .unwrap_or_default(),
        };
        out.push(MapGrid {
            members: members.remove(&row.code).unwrap_or_default(),
            code: row.code,
            name: row.name,
            name_en: row.name_en,
            community,
            community_en,
            rings: boundary.rings(),
        });
    }
    let (areas, places) = match state.config.tile_url {
        Some(_) => (Vec::new(), Vec::new()),
        None => base_map(pool, prefix).await?,
    };
    Ok(MapData {
        grids: out,
        tile_url: state.config.tile_url.clone(),
        tile_attribution: state.config.tile_attribution.clone(),
        tile_crs: state.config.tile_crs,
        areas,
        places,
    })
}

/// The base map drawn from the territory when there are no tiles: the streets and
/// communities of the area with a point inside each for its name, and the named
/// buildings (the first `MAP_PLACES_MAX`).
async fn base_map(
    pool: &sqlx::AnyPool,
    prefix: &str,
) -> Result<(Vec<MapArea>, Vec<MapPlace>), AppError> {
    use geo::InteriorPoint;
    let mut areas = Vec::new();
    for level in [Level::Street, Level::Community] {
        for (row, boundary) in store::territory::boundaries(pool, prefix, level).await? {
            let Some(p) = boundary.shape().interior_point() else {
                continue;
            };
            areas.push(MapArea {
                code: row.code,
                name: row.name,
                name_en: row.name_en,
                level,
                rings: boundary.rings(),
                label: [p.x(), p.y()],
            });
        }
    }
    let places = store::buildings::under(pool, prefix)
        .await?
        .into_iter()
        .take(crate::domain::territory::MAP_PLACES_MAX)
        .map(|b| MapPlace {
            name: b.name,
            lat: b.lat,
            lng: b.lng,
        })
        .collect();
    Ok((areas, places))
}

/// Head counts of the user's area (aggregate queries, no rows loaded).
pub async fn summary(state: &AppState, user: &CurrentUser) -> Result<AreaSummary, AppError> {
    let prefix = user.scope.territory_prefix();
    let mut s = AreaSummary::default();
    for (level, n) in store::territory::level_counts(&state.db.pool, prefix).await? {
        match level {
            Level::Street => s.streets = n,
            Level::Community => s.communities = n,
            Level::Grid => s.grids = n,
            Level::District | Level::Building => {}
        }
    }
    for (kind, n) in store::members::kind_counts(&state.db.pool, prefix).await? {
        match kind {
            MemberKind::FullTime => s.full_time += n,
            MemberKind::Support => s.support += n,
            k if k.is_part_time() => s.part_time += n,
            _ => {}
        }
    }
    s.departments = store::departments::list(&state.db.pool).await?.len() as i64;
    Ok(s)
}

/// The grid containing a point (see `GridIndex` for the rule on shared edges).
pub fn locate(state: &AppState, point: GeoPoint) -> Option<String> {
    state.grid_index().locate(point).map(str::to_owned)
}

/// Rebuilds the point → grid index from the database (at start and after boundary edits).
pub async fn reload_grid_index(state: &AppState) -> Result<usize, AppError> {
    let grids = store::territory::boundaries(&state.db.pool, "/", Level::Grid).await?;
    let index = GridIndex::new(grids.into_iter().map(|(row, b)| (row.code, b)).collect());
    let n = index.len();
    state.set_grid_index(index);
    Ok(n)
}
