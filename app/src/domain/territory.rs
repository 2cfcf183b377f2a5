//! Territory: district → street → community → grid → building (SPEC §3).

use serde::{Deserialize, Serialize};
use std::fmt;

/// The level of a territory node. Order matters: a child is always one level below its parent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    District,
    Street,
    Community,
    Grid,
    Building,
}

impl Level {
    pub const ALL: [Level; 5] = [
        Level::District,
        Level::Street,
        Level::Community,
        Level::Grid,
        Level::Building,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::District => "district",
            Level::Street => "street",
            Level::Community => "community",
            Level::Grid => "grid",
            Level::Building => "building",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The level a child of this node must have; buildings have no children.
    pub fn child(self) -> Option<Level> {
        match self {
            Level::District => Some(Level::Street),
            Level::Street => Some(Level::Community),
            Level::Community => Some(Level::Grid),
            Level::Grid => Some(Level::Building),
            Level::Building => None,
        }
    }

    /// The level above (the escalation target of a case handled at this level).
    pub fn parent(self) -> Option<Level> {
        match self {
            Level::District => None,
            Level::Street => Some(Level::District),
            Level::Community => Some(Level::Street),
            Level::Grid => Some(Level::Community),
            Level::Building => Some(Level::Grid),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A territory node code such as `360199001001001`: ASCII letters, digits and `-`, 1–32 chars.
/// Codes appear in URLs (`/r/{grid_code}`) and on printed posters, so they stay plain.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NodeCode(String);

impl NodeCode {
    pub fn parse(s: &str) -> Result<NodeCode, InvalidCode> {
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if ok {
            Ok(NodeCode(s.to_owned()))
        } else {
            Err(InvalidCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NodeCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for NodeCode {
    type Error = InvalidCode;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        NodeCode::parse(&s)
    }
}

impl From<NodeCode> for String {
    fn from(c: NodeCode) -> String {
        c.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a code is 1–32 letters, digits or '-'")]
pub struct InvalidCode;

/// The materialised path of a node: `/district/street/community/grid/`. A node's subtree is
/// every node whose path starts with its own, which makes scoping one `LIKE 'path%'`.
pub fn child_path(parent_path: &str, code: &NodeCode) -> String {
    format!("{parent_path}{code}/")
}

/// One node of the territory tree as the API and the UI see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TerritoryNode {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: Level,
    pub parent: Option<String>,
}

/// A grid with what its public card and the map popup show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GridDetail {
    pub node: TerritoryNode,
    /// Names of the ancestors from district down to the community, for a breadcrumb.
    pub ancestors: Vec<TerritoryNode>,
    pub members: Vec<crate::domain::people::GridMember>,
}

/// One grid for the map: its ring and its workers, in one payload for the whole scope.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapGrid {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub community: String,
    pub community_en: String,
    /// Each part's ring of `[lng, lat]` pairs, closed (most grids have one part).
    pub rings: Vec<Vec<[f64; 2]>>,
    pub members: Vec<crate::domain::people::GridMember>,
}

/// What the map needs besides the grids: the optional base-map tiles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapData {
    pub grids: Vec<MapGrid>,
    pub tile_url: Option<String>,
    pub tile_attribution: String,
    /// The tiles' datum: maps shift what they draw onto it.
    #[serde(default)]
    pub tile_crs: crate::domain::tile_crs::TileCrs,
    /// Without tiles, the streets and communities are drawn and named from the territory
    /// itself, so that an offline map is more than outlines on grey (empty with tiles).
    #[serde(default)]
    pub areas: Vec<MapArea>,
    /// Without tiles, the buildings of the building list, named from zoom 16 on.
    #[serde(default)]
    pub places: Vec<MapPlace>,
}

/// A street or community of the base map drawn from the territory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapArea {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: Level,
    /// Each part's ring of `[lng, lat]` pairs, closed.
    pub rings: Vec<Vec<[f64; 2]>>,
    /// Where its name is written: a point inside it, `[lng, lat]`.
    pub label: [f64; 2],
}

/// A named place of the base map (a building of the building list).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MapPlace {
    pub name: String,
    pub lat: f64,
    pub lng: f64,
}

/// At most this many places go with a map (the buildings of a large area are named on
/// the maps of its grids and communities).
pub const MAP_PLACES_MAX: usize = 3_000;

/// Head counts of an area, for the home page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Default)]
pub struct AreaSummary {
    pub streets: i64,
    pub communities: i64,
    pub grids: i64,
    pub full_time: i64,
    pub part_time: i64,
    pub support: i64,
    pub departments: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_chain_down_and_up() {
        let mut l = Level::District;
        let mut n = 1;
        while let Some(c) = l.child() {
            assert_eq!(c.parent(), Some(l));
            l = c;
            n += 1;
        }
        assert_eq!(n, 5);
        assert_eq!(l, Level::Building);
        for l in Level::ALL {
            assert_eq!(Level::parse(l.as_str()), Some(l));
        }
        assert_eq!(Level::parse("province"), None);
    }

    #[test]
    fn codes_are_plain() {
        assert!(NodeCode::parse("360199001001001").is_ok());
        assert!(NodeCode::parse("G-12").is_ok());
        assert!(NodeCode::parse("").is_err());
        assert!(NodeCode::parse("a/b").is_err());
        assert!(NodeCode::parse("网格").is_err());
        assert!(NodeCode::parse(&"1".repeat(33)).is_err());
    }

    #[test]
    fn paths_nest() {
        let d = NodeCode::parse("D").unwrap();
        let s = NodeCode::parse("S").unwrap();
        let p = child_path(&child_path("/", &d), &s);
        assert_eq!(p, "/D/S/");
    }
}
