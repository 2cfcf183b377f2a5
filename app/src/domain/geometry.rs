//! Boundaries and the point → grid lookup. Server side only: the `geo` crate does the
//! geometry; the browser just draws the rings it is given.

use crate::domain::geo_point::GeoPoint;
use geo::coordinate_position::{CoordPos, CoordinatePosition};
use geo::{Area, BoundingRect, Coord, LineString, MultiPolygon, Polygon, Rect};
use serde_json::{Value, json};

/// A boundary in WGS-84 (x = longitude, y = latitude): one closed ring, or several for a
/// grid in several parts (an enclave, a river island), without holes: grid boundaries
/// follow streets and tile their community, so a hole would be another grid.
#[derive(Clone, Debug, PartialEq)]
pub struct Boundary {
    shape: MultiPolygon<f64>,
    bbox: Rect<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidBoundary {
    #[error("a boundary needs at least three distinct points")]
    TooFewPoints,
    #[error("a boundary point is outside the valid range of latitude and longitude")]
    BadPoint,
    #[error("a boundary must enclose an area")]
    NoArea,
    #[error("a boundary must be a GeoJSON Polygon or MultiPolygon")]
    NotAPolygon,
}

/// One part from a ring of `[lng, lat]` pairs (GeoJSON order); closes the ring if needed.
fn part(ring: &[[f64; 2]]) -> Result<Polygon<f64>, InvalidBoundary> {
    let mut coords: Vec<Coord<f64>> = Vec::with_capacity(ring.len() + 1);
    for &[lng, lat] in ring {
        GeoPoint::parse(lat, lng).map_err(|_| InvalidBoundary::BadPoint)?;
        coords.push(Coord { x: lng, y: lat });
    }
    if coords.first() == coords.last() {
        coords.pop();
    }
    coords.dedup();
    if coords.len() < 3 {
        return Err(InvalidBoundary::TooFewPoints);
    }
    let polygon = Polygon::new(LineString::new(coords), vec![]);
    if polygon.unsigned_area() <= f64::EPSILON {
        return Err(InvalidBoundary::NoArea);
    }
    Ok(polygon)
}

impl Boundary {
    /// From a ring of `[lng, lat]` pairs (GeoJSON order); closes the ring if needed.
    pub fn from_ring(ring: &[[f64; 2]]) -> Result<Boundary, InvalidBoundary> {
        Boundary::from_parts(std::slice::from_ref(&ring.to_vec()))
    }

    /// From the outer rings of the parts (at least one).
    pub fn from_parts(rings: &[Vec<[f64; 2]>]) -> Result<Boundary, InvalidBoundary> {
        let parts = rings
            .iter()
            .map(|r| part(r))
            .collect::<Result<Vec<_>, _>>()?;
        let shape = MultiPolygon::new(parts);
        let bbox = shape.bounding_rect().ok_or(InvalidBoundary::NoArea)?;
        Ok(Boundary { shape, bbox })
    }

    /// From a stored GeoJSON geometry: a Polygon, or a MultiPolygon (outer rings only).
    pub fn from_geojson(geometry: &Value) -> Result<Boundary, InvalidBoundary> {
        let coords = geometry.get("coordinates").cloned().unwrap_or(Value::Null);
        let rings: Vec<Vec<[f64; 2]>> = match geometry.get("type").and_then(Value::as_str) {
            Some("Polygon") => serde_json::from_value::<Vec<Vec<[f64; 2]>>>(coords)
                .ok()
                .and_then(|r| r.into_iter().next())
                .map(|outer| vec![outer]),
            Some("MultiPolygon") => serde_json::from_value::<Vec<Vec<Vec<[f64; 2]>>>>(coords)
                .ok()
                .map(|parts| {
                    parts
                        .into_iter()
                        .filter_map(|p| p.into_iter().next())
                        .collect()
                }),
            _ => None,
        }
        .filter(|r| !r.is_empty())
        .ok_or(InvalidBoundary::NotAPolygon)?;
        Boundary::from_parts(&rings)
    }

    /// Each part's ring as `[lng, lat]` pairs, closed (first point repeated at the end).
    pub fn rings(&self) -> Vec<Vec<[f64; 2]>> {
        self.shape
            .0
            .iter()
            .map(|p| p.exterior().coords().map(|c| [c.x, c.y]).collect())
            .collect()
    }

    /// The first part's ring (the only one of most grids).
    pub fn ring(&self) -> Vec<[f64; 2]> {
        self.rings().swap_remove(0)
    }

    /// A Polygon for one part, a MultiPolygon for several.
    pub fn to_geojson(&self) -> Value {
        match &self.rings()[..] {
            [one] => json!({ "type": "Polygon", "coordinates": [one] }),
            many => json!({
                "type": "MultiPolygon",
                "coordinates": many.iter().map(|r| vec![r]).collect::<Vec<_>>(),
            }),
        }
    }

    pub fn shape(&self) -> &MultiPolygon<f64> {
        &self.shape
    }

    /// `(min_lng, min_lat, max_lng, max_lat)`.
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        let (min, max) = (self.bbox.min(), self.bbox.max());
        (min.x, min.y, max.x, max.y)
    }

    pub fn position_of(&self, p: GeoPoint) -> CoordPos {
        let c = Coord {
            x: p.lng(),
            y: p.lat(),
        };
        let (min, max) = (self.bbox.min(), self.bbox.max());
        if c.x < min.x || c.x > max.x || c.y < min.y || c.y > max.y {
            return CoordPos::Outside;
        }
        self.shape.coordinate_position(&c)
    }

    pub fn centroid(&self) -> GeoPoint {
        use geo::Centroid;
        let c = self.shape.centroid().expect("a boundary has an area");
        GeoPoint::parse(c.y(), c.x()).expect("the centroid of valid points is valid")
    }
}

/// Every grid of the district with its boundary, for the point → grid lookup.
///
/// Rule (a point belongs to exactly one grid): the grid whose interior contains the point;
/// a point exactly on a shared edge or corner belongs to the grid with the smallest code
/// among those whose boundary touches it. Grids are kept sorted by code for that rule.
#[derive(Clone, Debug, Default)]
pub struct GridIndex {
    grids: Vec<(String, Boundary)>,
}

impl GridIndex {
    pub fn new(mut grids: Vec<(String, Boundary)>) -> GridIndex {
        grids.sort_by(|a, b| a.0.cmp(&b.0));
        GridIndex { grids }
    }

    pub fn len(&self) -> usize {
        self.grids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.grids.is_empty()
    }

    pub fn locate(&self, p: GeoPoint) -> Option<&str> {
        let mut on_edge: Option<&str> = None;
        for (code, boundary) in &self.grids {
            match boundary.position_of(p) {
                CoordPos::Inside => return Some(code),
                CoordPos::OnBoundary if on_edge.is_none() => on_edge = Some(code),
                _ => {}
            }
        }
        on_edge
    }

    /// A point surely inside the grid (not merely its centroid, which a concave grid may
    /// lack): where a report without a position is placed.
    pub fn interior_point(&self, code: &str) -> Option<GeoPoint> {
        use geo::InteriorPoint;
        let (_, b) = self.grids.iter().find(|(c, _)| c == code)?;
        let p = b.shape().interior_point()?;
        GeoPoint::parse(p.y(), p.x()).ok()
    }

    /// The grids whose bounding box meets a rectangle `(min_lng, min_lat, max_lng,
    /// max_lat)`, in code order: the only grids a map viewport can show anything of.
    pub fn meeting(&self, (west, south, east, north): (f64, f64, f64, f64)) -> Vec<&str> {
        self.grids
            .iter()
            .filter(|(_, b)| {
                let (x0, y0, x1, y1) = b.bbox();
                x0 <= east && west <= x1 && y0 <= north && south <= y1
            })
            .map(|(code, _)| code.as_str())
            .collect()
    }

    /// How many grids have the point strictly inside (0 or 1 for a valid tiling).
    pub fn interior_hits(&self, p: GeoPoint) -> usize {
        self.grids
            .iter()
            .filter(|(_, b)| b.position_of(p) == CoordPos::Inside)
            .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, size: f64) -> Boundary {
        Boundary::from_ring(&[
            [x0, y0],
            [x0 + size, y0],
            [x0 + size, y0 + size],
            [x0, y0 + size],
        ])
        .unwrap()
    }

    #[test]
    fn rejects_degenerate_rings() {
        assert_eq!(
            Boundary::from_ring(&[[1.0, 1.0], [2.0, 2.0]]),
            Err(InvalidBoundary::TooFewPoints)
        );
        assert_eq!(
            Boundary::from_ring(&[[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]]),
            Err(InvalidBoundary::NoArea)
        );
        assert_eq!(
            Boundary::from_ring(&[[1.0, 1.0], [200.0, 2.0], [3.0, 1.0]]),
            Err(InvalidBoundary::BadPoint)
        );
        assert_eq!(
            Boundary::from_geojson(&json!({"type": "Point", "coordinates": [1, 2]})),
            Err(InvalidBoundary::NotAPolygon)
        );
    }

    #[test]
    fn geojson_round_trip() {
        let b = square(115.0, 28.0, 0.01);
        let again = Boundary::from_geojson(&b.to_geojson()).unwrap();
        assert_eq!(b, again);
        assert_eq!(b.ring().len(), 5, "closed ring");
    }

    #[test]
    fn shared_edges_go_to_the_smaller_code() {
        let idx = GridIndex::new(vec![
            ("B".into(), square(1.0, 0.0, 1.0)),
            ("A".into(), square(0.0, 0.0, 1.0)),
        ]);
        let p = |lng, lat| GeoPoint::parse(lat, lng).unwrap();
        assert_eq!(idx.locate(p(0.5, 0.5)), Some("A"));
        assert_eq!(idx.locate(p(1.5, 0.5)), Some("B"));
        assert_eq!(idx.locate(p(1.0, 0.5)), Some("A"), "on the shared edge");
        assert_eq!(idx.locate(p(2.0, 0.5)), Some("B"), "on B's outer edge");
        assert_eq!(idx.locate(p(3.0, 0.5)), None);
        assert_eq!(idx.interior_hits(p(1.0, 0.5)), 0);
    }

    #[test]
    fn a_rectangle_meets_the_grids_it_overlaps_or_touches() {
        let idx = GridIndex::new(vec![
            ("B".into(), square(1.0, 0.0, 1.0)),
            ("A".into(), square(0.0, 0.0, 1.0)),
            ("C".into(), square(0.0, 5.0, 1.0)),
        ]);
        assert_eq!(idx.meeting((0.2, 0.2, 0.4, 0.4)), vec!["A"], "inside one");
        assert_eq!(
            idx.meeting((0.5, 0.5, 1.5, 0.6)),
            vec!["A", "B"],
            "across the edge"
        );
        assert_eq!(
            idx.meeting((2.0, 1.0, 3.0, 3.0)),
            vec!["B"],
            "touching a corner"
        );
        assert_eq!(
            idx.meeting((-1.0, -1.0, 9.0, 9.0)),
            vec!["A", "B", "C"],
            "around all"
        );
        assert!(idx.meeting((3.0, 3.0, 4.0, 4.0)).is_empty(), "between them");
    }
}
