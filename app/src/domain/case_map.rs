//! The live case map's payload: single cases when zoomed in, counts per grid when zoomed
//! out or when a viewport holds more than `MAX_MARKERS` cases, so that the browser never
//! draws more than ~2,000 features at once.

use super::board::ColourCounts;
use super::case::Colour;
use serde::{Deserialize, Serialize};

/// The most case markers one viewport returns.
pub const MAX_MARKERS: usize = 2000;
/// From this zoom level on, single cases are drawn (a grid is then a few hundred metres
/// on screen).
pub const CASES_FROM_ZOOM: u8 = 15;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MapMode {
    Cases,
    Grids,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapCase {
    pub id: i64,
    pub lat: f64,
    pub lng: f64,
    pub colour: Colour,
    pub category_name: String,
    pub tracking_code: String,
    pub status: String,
    /// 紧急: drawn larger, with a dark ring.
    #[serde(default)]
    pub urgent: bool,
}

/// One grid's cases: where they are on average, and how many of each colour.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapGridCount {
    pub grid_code: String,
    pub lat: f64,
    pub lng: f64,
    pub counts: ColourCounts,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapCases {
    pub mode: MapMode,
    pub cases: Vec<MapCase>,
    pub grids: Vec<MapGridCount>,
}

/// A viewport `south,west,north,east` in degrees; `parse` is the edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bbox {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Bbox {
    pub fn parse(s: &str) -> Option<Bbox> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| p.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .ok()?;
        let [south, west, north, east] = v[..] else {
            return None;
        };
        let ok = v.iter().all(|x| x.is_finite())
            && (-90.0..=90.0).contains(&south)
            && (-90.0..=90.0).contains(&north)
            && (-180.0..=180.0).contains(&west)
            && (-180.0..=180.0).contains(&east)
            && south <= north
            && west <= east;
        ok.then_some(Bbox {
            south,
            west,
            north,
            east,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewports_are_checked() {
        let b = Bbox::parse("28.6,115.8,28.7,115.9").unwrap();
        assert_eq!((b.south, b.east), (28.6, 115.9));
        for bad in [
            "",
            "1,2,3",
            "28.7,115.8,28.6,115.9",
            "a,b,c,d",
            "91,0,92,1",
            "0,0,1,NaN",
        ] {
            assert_eq!(Bbox::parse(bad), None, "{bad}");
        }
    }
}
