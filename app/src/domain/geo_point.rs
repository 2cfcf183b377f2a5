//! A WGS-84 point. Valid by construction: finite, latitude in ±90, longitude in ±180.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawPoint", into = "RawPoint")]
pub struct GeoPoint {
    lat: f64,
    lng: f64,
}

#[derive(Serialize, Deserialize)]
struct RawPoint {
    lat: f64,
    lng: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("latitude must be within ±90 and longitude within ±180")]
pub struct InvalidPoint;

impl GeoPoint {
    pub fn parse(lat: f64, lng: f64) -> Result<GeoPoint, InvalidPoint> {
        if lat.is_finite() && lng.is_finite() && lat.abs() <= 90.0 && lng.abs() <= 180.0 {
            Ok(GeoPoint { lat, lng })
        } else {
            Err(InvalidPoint)
        }
    }

    pub fn lat(self) -> f64 {
        self.lat
    }

    pub fn lng(self) -> f64 {
        self.lng
    }

    /// Great-circle distance in metres (haversine; ample for the metres a district spans).
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_008.8;
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lng - self.lng).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().asin()
    }
}

impl TryFrom<RawPoint> for GeoPoint {
    type Error = InvalidPoint;
    fn try_from(r: RawPoint) -> Result<Self, Self::Error> {
        GeoPoint::parse(r.lat, r.lng)
    }
}

impl From<GeoPoint> for RawPoint {
    fn from(p: GeoPoint) -> RawPoint {
        RawPoint {
            lat: p.lat,
            lng: p.lng,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_out_of_range() {
        assert!(GeoPoint::parse(28.7, 115.9).is_ok());
        assert!(GeoPoint::parse(91.0, 0.0).is_err());
        assert!(GeoPoint::parse(0.0, -181.0).is_err());
        assert!(GeoPoint::parse(f64::NAN, 0.0).is_err());
        assert!(serde_json::from_str::<GeoPoint>(r#"{"lat":100,"lng":1}"#).is_err());
    }

    #[test]
    fn distance_of_a_known_pair() {
        // 0.001° of latitude is about 111 m everywhere.
        let a = GeoPoint::parse(28.7, 115.9).unwrap();
        let b = GeoPoint::parse(28.701, 115.9).unwrap();
        assert!((a.distance_m(b) - 111.2).abs() < 0.5);
    }
}
