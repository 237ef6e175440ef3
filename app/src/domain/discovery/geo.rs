//! Points and distances on the Earth.
use serde::{Deserialize, Serialize};

use crate::{domain::locale_format, i18n::td_string, model::language::Locale};

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lng: f64,
}

const EARTH_RADIUS_M: f64 = 6_371_000.0;

impl GeoPoint {
    /// Great-circle distance in metres (haversine).
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        let (lat1, lat2) = (self.lat.to_radians(), other.lat.to_radians());
        let dlat = lat2 - lat1;
        let dlng = (other.lng - self.lng).to_radians();
        let a = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlng / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// "850 m", "2.4 km", "120 km".
pub fn distance_label(metres: f64, locale: Locale) -> String {
    if metres < 1000.0 {
        let m = ((metres / 10.0).round() * 10.0) as i64;
        td_string!(locale, search.distance.metres, m = m)
    } else if metres < 10_000.0 {
        let km = locale_format::decimal(locale, (metres / 100.0).round() as i64, 1);
        td_string!(locale, search.distance.km, km = km)
    } else {
        let km = (metres / 1000.0).round() as i64;
        td_string!(locale, search.distance.km, km = km)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_to_lisbon_is_about_2300_km() {
        let berlin = GeoPoint {
            lat: 52.52,
            lng: 13.405,
        };
        let lisbon = GeoPoint {
            lat: 38.7223,
            lng: -9.1393,
        };
        let d = berlin.distance_m(lisbon);
        assert!((2_300_000.0..2_330_000.0).contains(&d), "{d}");
        assert_eq!(berlin.distance_m(berlin), 0.0);
        assert_eq!(distance_label(2_440.0, Locale::en), "2.4 km away");
        assert_eq!(distance_label(433.0, Locale::en), "430 m away");
        assert_eq!(distance_label(2_440.0, Locale::de), "2,4 km entfernt");
    }
}
