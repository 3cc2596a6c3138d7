//! Personal data in device answers (§9.8): the pet's coordinates and geofence
//! names. Redaction keeps coordinates to 2 decimals (about 1 km) and hides
//! names, so what pawdiag shows or stores is private by default.

use serde_json::Value;

/// Keys whose numbers are coordinates.
const COORDINATE_KEYS: [&str; 4] = ["lat", "lon", "latitude", "longitude"];

/// Rounds a coordinate to 2 decimals (about 1.1 km at the equator).
pub fn coarsen(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Redacts personal data anywhere inside a JSON value, in place: coordinates
/// coarsened, geofence names replaced. Returns how many values it changed.
pub fn redact_value(v: &mut Value) -> usize {
    let mut changed = 0;
    redact_inner(v, false, &mut changed);
    changed
}

fn redact_inner(v: &mut Value, in_geofences: bool, changed: &mut usize) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                if COORDINATE_KEYS.contains(&k.as_str()) {
                    if let Some(x) = child.as_f64() {
                        let c = coarsen(x);
                        if c != x {
                            *changed += 1;
                        }
                        *child = serde_json::json!(c);
                    }
                } else if in_geofences && k == "name" && child.is_string() {
                    *child = Value::String("(hidden)".into());
                    *changed += 1;
                } else {
                    redact_inner(child, in_geofences || k == "geofences", changed);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                redact_inner(item, in_geofences, changed);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn coordinates_and_names_are_redacted_at_any_depth() {
        let mut v = json!({"fix":"3d","lat":52.520008,"lon":13.404954,
            "geofences":[{"id":1,"name":"Home","lat":52.52,"lon":13.405,"radius_m":15}]});
        let n = redact_value(&mut v);
        assert_eq!(v["lat"], json!(52.52));
        assert_eq!(v["lon"], json!(13.4));
        assert_eq!(v["geofences"][0]["name"], json!("(hidden)"));
        assert_eq!(v["geofences"][0]["lon"], json!(13.41));
        assert!(n >= 4);
    }

    #[test]
    fn nulls_stay_null() {
        let mut v = json!({"lat":null,"lon":null});
        assert_eq!(redact_value(&mut v), 0);
        assert_eq!(v["lat"], Value::Null);
    }
}
