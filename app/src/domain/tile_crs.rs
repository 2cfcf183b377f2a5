//! Where base-map tiles put the earth. Boundaries, GPS fixes and everything gridgov stores
//! are WGS-84 / CGCS2000 (they differ by centimetres). Tiles from Chinese providers (高德,
//! 腾讯, 天地图's commercial mirrors …) are drawn in GCJ-02, the state's obfuscated datum,
//! which is shifted from WGS-84 by 100–700 m within China. With such tiles
//! (`GRIDGOV_TILE_CRS=gcj02`) maps shift what they draw — grid polygons, case markers — by
//! [`TileCrs::to_tiles`] and turn a point read off the map (a viewport's corners) back by
//! [`TileCrs::from_tiles`]. Stored data is never shifted.
//!
//! The forward formula is the published GCJ-02 approximation (Krasovsky 1940 ellipsoid,
//! the well-known polynomial offsets); it is exact to the centimetre against the
//! providers' own conversion. The inverse has no closed form: it is found by fixed-point
//! iteration, to better than 1 mm.

use serde::{Deserialize, Serialize};

/// The datum the tiles are drawn in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TileCrs {
    /// OpenStreetMap and most tile servers; no shift.
    #[default]
    Wgs84,
    /// Chinese commercial tiles.
    Gcj02,
}

impl TileCrs {
    pub fn parse(s: &str) -> Option<TileCrs> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "wgs84" | "wgs-84" | "cgcs2000" => Some(TileCrs::Wgs84),
            "gcj02" | "gcj-02" => Some(TileCrs::Gcj02),
            _ => None,
        }
    }

    /// A stored (WGS-84) point where the tiles draw it: (lat, lng).
    pub fn to_tiles(self, lat: f64, lng: f64) -> (f64, f64) {
        match self {
            TileCrs::Wgs84 => (lat, lng),
            TileCrs::Gcj02 => wgs84_to_gcj02(lat, lng),
        }
    }

    /// A point read off the tiles, as stored (WGS-84): (lat, lng).
    pub fn from_tiles(self, lat: f64, lng: f64) -> (f64, f64) {
        match self {
            TileCrs::Wgs84 => (lat, lng),
            TileCrs::Gcj02 => gcj02_to_wgs84(lat, lng),
        }
    }
}

impl TileCrs {
    /// Every position of a GeoJSON value (the `[lng, lat]` arrays under `coordinates`, at
    /// any depth) shifted onto the tiles, for a map that draws the document as it is.
    pub fn shift_geojson(self, v: &mut serde_json::Value) {
        if self == TileCrs::Wgs84 {
            return;
        }
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if k == "coordinates" {
                        self.shift_positions(child);
                    } else {
                        self.shift_geojson(child);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(|i| self.shift_geojson(i)),
            _ => {}
        }
    }

    fn shift_positions(self, v: &mut serde_json::Value) {
        let Some(items) = v.as_array_mut() else {
            return;
        };
        match (
            items.first().and_then(|x| x.as_f64()),
            items.get(1).and_then(|x| x.as_f64()),
        ) {
            (Some(lng), Some(lat)) => {
                let (lat, lng) = self.to_tiles(lat, lng);
                items[0] = lng.into();
                items[1] = lat.into();
            }
            _ => items.iter_mut().for_each(|i| self.shift_positions(i)),
        }
    }
}

/// Krasovsky 1940: semi-major axis and first eccentricity squared.
const A: f64 = 6_378_245.0;
const EE: f64 = 0.006_693_421_622_965_943;

/// GCJ-02 applies only inside China's rough bounding box; outside, it is WGS-84.
fn outside_china(lat: f64, lng: f64) -> bool {
    !(72.004..=137.8347).contains(&lng) || !(0.8293..=55.8271).contains(&lat)
}

fn offset_lat(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

fn offset_lng(x: f64, y: f64) -> f64 {
    use std::f64::consts::PI;
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// WGS-84 → GCJ-02, (lat, lng) in degrees.
pub fn wgs84_to_gcj02(lat: f64, lng: f64) -> (f64, f64) {
    use std::f64::consts::PI;
    if outside_china(lat, lng) {
        return (lat, lng);
    }
    let (x, y) = (lng - 105.0, lat - 35.0);
    let rad = lat / 180.0 * PI;
    let magic = 1.0 - EE * rad.sin() * rad.sin();
    let sqrt_magic = magic.sqrt();
    let d_lat = offset_lat(x, y) * 180.0 / ((A * (1.0 - EE)) / (magic * sqrt_magic) * PI);
    let d_lng = offset_lng(x, y) * 180.0 / (A / sqrt_magic * rad.cos() * PI);
    (lat + d_lat, lng + d_lng)
}

/// GCJ-02 → WGS-84 by fixed-point iteration: the WGS-84 point whose GCJ-02 image is the
/// given point (the shift changes by millimetres over its own size, so this converges
/// fast).
pub fn gcj02_to_wgs84(lat: f64, lng: f64) -> (f64, f64) {
    let (mut w_lat, mut w_lng) = (lat, lng);
    for _ in 0..20 {
        let (g_lat, g_lng) = wgs84_to_gcj02(w_lat, w_lng);
        let (e_lat, e_lng) = (g_lat - lat, g_lng - lng);
        w_lat -= e_lat;
        w_lng -= e_lng;
        if e_lat.abs() < 1e-10 && e_lng.abs() < 1e-10 {
            break;
        }
    }
    (w_lat, w_lng)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metres between two nearby points (equirectangular; enough at these distances).
    fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
        let k = 111_320.0;
        let dy = (a.0 - b.0) * k;
        let dx = (a.1 - b.1) * k * a.0.to_radians().cos();
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn matches_an_independent_implementation() {
        // gcoord (MIT, a widely used JS library) converts (lng 123, lat 45) to
        // (123.00607541, 45.00197815).
        let (lat, lng) = wgs84_to_gcj02(45.0, 123.0);
        assert!((lng - 123.006_075_41).abs() < 5e-7, "{lng}");
        assert!((lat - 45.001_978_15).abs() < 5e-7, "{lat}");
    }

    #[test]
    fn the_shift_in_china_is_hundreds_of_metres() {
        for (lat, lng) in [
            (28.68, 115.89),
            (39.9087, 116.3975),
            (31.2304, 121.4737),
            (22.5431, 114.0579),
            (43.82, 87.61),
        ] {
            let shift = metres((lat, lng), wgs84_to_gcj02(lat, lng));
            assert!((50.0..800.0).contains(&shift), "{lat},{lng}: {shift} m");
        }
    }

    #[test]
    fn outside_china_nothing_moves() {
        for (lat, lng) in [
            (48.8566, 2.3522),
            (-33.86, 151.21),
            (35.68, 139.69 + 0.0),
            (60.0, 100.0),
        ] {
            assert_eq!(wgs84_to_gcj02(lat, lng), (lat, lng));
        }
        assert_eq!(TileCrs::Wgs84.to_tiles(28.68, 115.89), (28.68, 115.89));
    }

    #[test]
    fn the_inverse_returns_within_a_millimetre() {
        let mut lat = 18.5;
        while lat < 53.0 {
            let mut lng = 74.0;
            while lng < 135.0 {
                let there = TileCrs::Gcj02.to_tiles(lat, lng);
                let back = TileCrs::Gcj02.from_tiles(there.0, there.1);
                assert!(metres((lat, lng), back) < 0.001, "{lat},{lng} → {back:?}");
                lng += 3.7;
            }
            lat += 2.9;
        }
    }

    #[test]
    fn geojson_positions_move_at_every_depth_and_nothing_else() {
        let mut doc = serde_json::json!({"type": "FeatureCollection", "features": [
            {"properties": {"code": "1", "lat": 28.0}, "geometry": {"type": "Polygon", "coordinates": [[[115.0, 28.0], [115.1, 28.0], [115.0, 28.1], [115.0, 28.0]]]}},
            {"geometry": {"type": "MultiPolygon", "coordinates": [[[[116.0, 29.0], [116.1, 29.0], [116.0, 29.1], [116.0, 29.0]]]]}},
        ]});
        TileCrs::Gcj02.shift_geojson(&mut doc);
        let first = &doc["features"][0]["geometry"]["coordinates"][0][0];
        let want = wgs84_to_gcj02(28.0, 115.0);
        assert_eq!(
            (first[1].as_f64().unwrap(), first[0].as_f64().unwrap()),
            want
        );
        let deep = &doc["features"][1]["geometry"]["coordinates"][0][0][2];
        assert_eq!(deep[1].as_f64().unwrap(), wgs84_to_gcj02(29.1, 116.0).0);
        assert_eq!(
            doc["features"][0]["properties"]["lat"], 28.0,
            "properties stay"
        );
        let mut same = serde_json::json!({"coordinates": [115.0, 28.0]});
        TileCrs::Wgs84.shift_geojson(&mut same);
        assert_eq!(same["coordinates"], serde_json::json!([115.0, 28.0]));
    }

    #[test]
    fn names_parse() {
        assert_eq!(TileCrs::parse("GCJ-02"), Some(TileCrs::Gcj02));
        assert_eq!(TileCrs::parse(""), Some(TileCrs::Wgs84));
        assert_eq!(TileCrs::parse("bd09"), None);
    }
}
