//! The demo territory: 青湾区 with 5 streets/towns, 21 communities/villages and 100 grids.
//!
//! Grids are cells of a 10 × 10 lattice whose inner vertices are jittered, so boundaries
//! look hand-drawn while neighbouring grids share their vertices exactly: the grids tile
//! each community and the communities tile the district, with no gap and no overlap.

use super::names::{COMMUNITIES, DISTRICT, STREETS, chinese_numeral};
use super::rng::Rng;
use crate::domain::territory::Level;

pub const COLS: usize = 10;
pub const ROWS: usize = 10;
const ORIGIN_LNG: f64 = 115.860;
const ORIGIN_LAT: f64 = 28.650;
const CELL_LNG: f64 = 0.0060; // ≈ 590 m at this latitude
const CELL_LAT: f64 = 0.0052; // ≈ 580 m
/// Rows at which each street (two lattice columns wide) is cut into communities.
const COMMUNITY_CUTS: [&[usize]; 5] = [
    &[0, 2, 4, 6, 8, 10],
    &[0, 3, 5, 7, 10],
    &[0, 2, 5, 7, 10],
    &[0, 2, 4, 7, 10],
    &[0, 3, 6, 8, 10],
];

#[derive(Clone, Debug, PartialEq)]
pub struct DemoNode {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub level: Level,
    pub parent: Option<String>,
    /// `[lng, lat]` ring, not closed.
    pub ring: Vec<[f64; 2]>,
}

struct Lattice {
    v: Vec<[f64; 2]>,
}

impl Lattice {
    fn new() -> Lattice {
        let mut rng = Rng::new(0x5EED_0001);
        let mut v = Vec::with_capacity((COLS + 1) * (ROWS + 1));
        for j in 0..=ROWS {
            for i in 0..=COLS {
                // Jitter below a quarter cell keeps every cell a simple quadrilateral. The
                // outer edge is jittered too, so the district is not a rectangle.
                let jx = (rng.unit() - 0.5) * 0.44 * CELL_LNG;
                let jy = (rng.unit() - 0.5) * 0.44 * CELL_LAT;
                v.push([
                    ORIGIN_LNG + i as f64 * CELL_LNG + jx,
                    ORIGIN_LAT + j as f64 * CELL_LAT + jy,
                ]);
            }
        }
        Lattice { v }
    }

    fn at(&self, i: usize, j: usize) -> [f64; 2] {
        self.v[j * (COLS + 1) + i]
    }

    /// The counter-clockwise outline of the block of cells [i0, i1) × [j0, j1), through
    /// every lattice vertex on its edge so that it shares those vertices with its cells.
    fn block(&self, i0: usize, i1: usize, j0: usize, j1: usize) -> Vec<[f64; 2]> {
        let mut ring = Vec::new();
        ring.extend((i0..i1).map(|i| self.at(i, j0)));
        ring.extend((j0..j1).map(|j| self.at(i1, j)));
        ring.extend((i0 + 1..=i1).rev().map(|i| self.at(i, j1)));
        ring.extend((j0 + 1..=j1).rev().map(|j| self.at(i0, j)));
        ring
    }
}

/// All nodes, parents before children.
pub fn generate() -> Vec<DemoNode> {
    let lattice = Lattice::new();
    let mut out = vec![DemoNode {
        code: DISTRICT.0.into(),
        name: DISTRICT.1.into(),
        name_en: DISTRICT.2.into(),
        level: Level::District,
        parent: None,
        ring: lattice.block(0, COLS, 0, ROWS),
    }];
    let mut community_names = COMMUNITIES.iter();
    for (s, (street_name, street_en)) in STREETS.iter().enumerate() {
        let street_code = format!("{}{:03}", DISTRICT.0, s + 1);
        let (i0, i1) = (2 * s, 2 * s + 2);
        out.push(DemoNode {
            code: street_code.clone(),
            name: (*street_name).into(),
            name_en: (*street_en).into(),
            level: Level::Street,
            parent: Some(DISTRICT.0.into()),
            ring: lattice.block(i0, i1, 0, ROWS),
        });
        let cuts = COMMUNITY_CUTS[s];
        // Communities are numbered from the north, as a map reader would.
        for (c, w) in cuts.windows(2).rev().enumerate() {
            let (j0, j1) = (w[0], w[1]);
            let (cn, cen) = community_names.next().expect("enough community names");
            let community_code = format!("{street_code}{:03}", c + 1);
            out.push(DemoNode {
                code: community_code.clone(),
                name: (*cn).into(),
                name_en: (*cen).into(),
                level: Level::Community,
                parent: Some(street_code.clone()),
                ring: lattice.block(i0, i1, j0, j1),
            });
            let mut g = 0;
            for j in (j0..j1).rev() {
                for i in i0..i1 {
                    g += 1;
                    out.push(DemoNode {
                        code: format!("{community_code}{g:03}"),
                        name: format!("{cn}第{}网格", chinese_numeral(g)),
                        name_en: format!("{cen} Grid {g}"),
                        level: Level::Grid,
                        parent: Some(community_code.clone()),
                        ring: lattice.block(i, i + 1, j, j + 1),
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::geo_point::GeoPoint;
    use crate::domain::geometry::{Boundary, GridIndex};
    use geo::{Area, BooleanOps, MultiPolygon};

    fn boundary(n: &DemoNode) -> Boundary {
        Boundary::from_ring(&n.ring).unwrap()
    }

    #[test]
    fn sizes_match_the_spec() {
        let nodes = generate();
        let count = |l| nodes.iter().filter(|n| n.level == l).count();
        assert_eq!(count(Level::District), 1);
        assert_eq!(count(Level::Street), 5);
        assert_eq!(count(Level::Community), 21);
        assert_eq!(count(Level::Grid), 100);
        assert_eq!(generate(), nodes, "deterministic");
        let codes: std::collections::HashSet<_> = nodes.iter().map(|n| &n.code).collect();
        assert_eq!(codes.len(), nodes.len(), "codes are unique");
    }

    /// Children tile their parent: the union of the children equals the parent (no gap) and
    /// the children's areas add up to the parent's (no overlap), within float tolerance.
    #[test]
    fn children_tile_every_parent() {
        let nodes = generate();
        for parent in nodes.iter().filter(|n| n.level != Level::Grid) {
            let children: Vec<_> = nodes
                .iter()
                .filter(|c| c.parent.as_deref() == Some(parent.code.as_str()))
                .map(|c| boundary(c).shape().0[0].clone())
                .collect();
            assert!(!children.is_empty(), "{} has children", parent.code);
            let parent_poly = boundary(parent).shape().0[0].clone();
            let parent_area = parent_poly.unsigned_area();
            let sum: f64 = children.iter().map(|c| c.unsigned_area()).sum();
            let union = children.iter().fold(MultiPolygon::new(vec![]), |acc, c| {
                acc.union(&MultiPolygon::new(vec![c.clone()]))
            });
            let gap_or_spill = union
                .xor(&MultiPolygon::new(vec![parent_poly]))
                .unsigned_area();
            // Areas are in square degrees; one square metre is the tolerance (boolean
            // operations on floats leave slivers of a few hundredths of a square metre).
            let m2 = |deg2: f64| deg2 * 111_320.0 * ORIGIN_LAT.to_radians().cos() * 110_574.0;
            assert!(
                m2((sum - parent_area).abs()) < 1.0,
                "{}: overlap {} m²",
                parent.code,
                m2(sum - parent_area)
            );
            assert!(
                m2(gap_or_spill) < 1.0,
                "{}: gap {} m²",
                parent.code,
                m2(gap_or_spill)
            );
        }
    }

    /// Every point of the district maps to exactly one grid; no point is inside two.
    #[test]
    fn every_point_maps_to_exactly_one_grid() {
        let nodes = generate();
        let index = GridIndex::new(
            nodes
                .iter()
                .filter(|n| n.level == Level::Grid)
                .map(|n| (n.code.clone(), boundary(n)))
                .collect(),
        );
        let district = boundary(&nodes[0]);
        let (min_lng, min_lat, max_lng, max_lat) = district.bbox();
        let mut rng = Rng::new(42);
        let mut inside = 0;
        for _ in 0..20_000 {
            let p = GeoPoint::parse(
                min_lat + rng.unit() * (max_lat - min_lat),
                min_lng + rng.unit() * (max_lng - min_lng),
            )
            .unwrap();
            let in_district =
                district.position_of(p) != geo::coordinate_position::CoordPos::Outside;
            assert!(index.interior_hits(p) <= 1);
            assert_eq!(index.locate(p).is_some(), in_district, "{p:?}");
            inside += usize::from(in_district);
        }
        assert!(inside > 15_000, "the sample covers the district");
        // Lattice vertices lie on up to four grids' edges; they still map to exactly one.
        for n in nodes.iter().filter(|n| n.level == Level::Grid) {
            for &[lng, lat] in &n.ring {
                let p = GeoPoint::parse(lat, lng).unwrap();
                assert!(index.locate(p).is_some());
            }
        }
    }
}
