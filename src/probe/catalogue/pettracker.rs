//! PetTracker probes (device interface §5): GPS, cellular, geofences.
//! `geofence.outside` answers whether the tracker is out of every safe zone
//! without the position or the zones leaving this file.

use super::Extract::{self, Derived as D, Pointer as P};
use super::ValueKind::{Bool, Enum, Number as Num, Text};
use super::{POWER_MODE, Row, array, count_where};
use crate::interface::Model;
use crate::interface::Model::{HealthMonitor as HM, PetTracker as PT};
use serde_json::Value;

/// The PetTracker's probes.
pub(super) const ROWS: &[Row] = &[
    Row {
        name: "gps.fix",
        models: &[PT],
        method: "gps.status",
        extract: P("/fix"),
        kind: Enum(&["none", "2d", "3d"]),
        unit: None,
        about: "position fix: none, 2d or 3d",
    },
    Row {
        name: "gps.satellites",
        models: &[PT],
        method: "gps.status",
        extract: P("/satellites"),
        kind: Num,
        unit: None,
        about: "satellites in use",
    },
    Row {
        name: "gps.antenna",
        models: &[PT],
        method: "gps.status",
        extract: P("/antenna"),
        kind: Enum(&["ok", "open", "short"]),
        unit: None,
        about: "antenna state",
    },
    Row {
        name: "gps.hdop",
        models: &[PT],
        method: "gps.status",
        extract: P("/hdop"),
        kind: Num,
        unit: None,
        about: "horizontal dilution of precision (lower is better; null without a fix)",
    },
    Row {
        name: "gps.cn0_avg_dbhz",
        models: &[PT],
        method: "gps.status",
        extract: P("/cn0_avg_dbhz"),
        kind: Num,
        unit: Some("dB-Hz"),
        about: "average satellite signal strength",
    },
    Row {
        name: "gps.last_fix_age_s",
        models: &[PT],
        method: "gps.status",
        extract: P("/last_fix_age_s"),
        kind: Num,
        unit: Some("s"),
        about: "age of the last fix (null before the first)",
    },
    Row {
        name: "gps.has_location",
        models: &[PT],
        method: "gps.status",
        extract: D(d_gps_has_location),
        kind: Bool,
        unit: None,
        about: "whether the tracker has ever had a position (the position itself is personal data and not read)",
    },
    Row {
        name: "link.app_paired",
        models: &[PT],
        method: "link.status",
        extract: P("/app_paired"),
        kind: Bool,
        unit: None,
        about: "paired with the phone app",
    },
    Row {
        name: "link.cloud",
        models: &[PT],
        method: "link.status",
        extract: P("/cloud"),
        kind: Enum(&["ok", "unreachable", "auth_failed"]),
        unit: None,
        about: "connection to the PawCore cloud",
    },
    Row {
        name: "link.cellular_registered",
        models: &[PT],
        method: "link.status",
        extract: P("/cellular/registered"),
        kind: Bool,
        unit: None,
        about: "registered on a mobile network",
    },
    Row {
        name: "link.rssi_dbm",
        models: &[PT],
        method: "link.status",
        extract: P("/cellular/rssi_dbm"),
        kind: Num,
        unit: Some("dBm"),
        about: "mobile signal strength",
    },
    Row {
        name: "link.last_sync_age_s",
        models: &[PT],
        method: "link.status",
        extract: P("/last_sync_age_s"),
        kind: Num,
        unit: Some("s"),
        about: "time since the last cloud sync",
    },
    Row {
        name: "geofence.count",
        models: &[PT],
        method: "geofence.list",
        extract: D(d_geofence_count),
        kind: Num,
        unit: None,
        about: "geofences set up",
    },
    Row {
        name: "geofence.enabled_count",
        models: &[PT],
        method: "geofence.list",
        extract: D(d_geofence_enabled),
        kind: Num,
        unit: None,
        about: "geofences switched on",
    },
    Row {
        name: "geofence.min_radius_m",
        models: &[PT],
        method: "geofence.list",
        extract: D(d_geofence_min_radius),
        kind: Num,
        unit: Some("m"),
        about: "smallest radius among the enabled geofences (null when none)",
    },
    Row {
        name: "geofence.outside",
        models: &[PT],
        method: "gps.status",
        extract: Extract::Joined("geofence.list", d_geofence_outside),
        kind: Bool,
        unit: None,
        about: "whether the current position is outside every enabled geofence (null without a fix or a geofence; neither position is read out)",
    },
    Row {
        name: "geofence.notifications",
        models: &[PT],
        method: "geofence.list",
        extract: P("/notifications"),
        kind: Bool,
        unit: None,
        about: "geofence notifications on",
    },
    Row {
        name: "settings.tracking_interval_s",
        models: &[PT],
        method: "settings.get",
        extract: P("/tracking_interval_s"),
        kind: Num,
        unit: Some("s"),
        about: "how often the tracker reports its position",
    },
    Row {
        name: "settings.power_mode",
        models: &[PT, HM],
        method: "settings.get",
        extract: P("/power_mode"),
        kind: Enum(POWER_MODE),
        unit: None,
        about: "power mode",
    },
    Row {
        name: "settings.led",
        models: &[PT],
        method: "settings.get",
        extract: P("/led"),
        kind: Text,
        unit: None,
        about: "status LED setting",
    },
];

fn d_gps_has_location(v: &Value, _: Model) -> Value {
    // Whether the device ever had a position, without exposing it.
    Value::Bool(
        v.get("lat").is_some_and(|x| !x.is_null()) && v.get("lon").is_some_and(|x| !x.is_null()),
    )
}

fn d_geofence_count(v: &Value, _: Model) -> Value {
    Value::from(array(v, "geofences").len() as u64)
}

fn enabled(g: &Value) -> bool {
    g.get("enabled").and_then(Value::as_bool).unwrap_or(true)
}

fn d_geofence_enabled(v: &Value, _: Model) -> Value {
    count_where(array(v, "geofences"), enabled)
}

fn d_geofence_min_radius(v: &Value, _: Model) -> Value {
    // Smallest radius among the enabled geofences; null when there are none.
    array(v, "geofences")
        .iter()
        .filter(|g| enabled(g))
        .filter_map(|g| g.get("radius_m").and_then(Value::as_f64))
        .fold(None, |m: Option<f64>, r| Some(m.map_or(r, |m| m.min(r))))
        .map(Value::from)
        .unwrap_or(Value::Null)
}

/// Metres between two positions (haversine, mean Earth radius).
fn distance_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6_371_000.0;
    let (la1, la2) = (a.0.to_radians(), b.0.to_radians());
    let dla = la2 - la1;
    let dlo = (b.1 - a.1).to_radians();
    let h = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

fn lat_lon(v: &Value) -> Option<(f64, f64)> {
    Some((v.get("lat")?.as_f64()?, v.get("lon")?.as_f64()?))
}

fn d_geofence_outside(gps: &Value, zones: &Value, _: Model) -> Value {
    // Whether the tracker's current position lies outside every enabled
    // safe zone: null without a current fix or without an enabled zone.
    // Neither the position nor the zones leave this function.
    if gps
        .get("fix")
        .and_then(Value::as_str)
        .is_none_or(|f| f == "none")
    {
        return Value::Null;
    }
    let Some(here) = lat_lon(gps) else {
        return Value::Null;
    };
    let zones: Vec<(f64, f64, f64)> = array(zones, "geofences")
        .iter()
        .filter(|g| enabled(g))
        .filter_map(|g| Some((lat_lon(g)?, g.get("radius_m")?.as_f64()?)))
        .map(|((la, lo), r)| (la, lo, r))
        .collect();
    if zones.is_empty() {
        return Value::Null;
    }
    Value::Bool(
        zones
            .iter()
            .all(|&(la, lo, r)| distance_m(here, (la, lo)) > r),
    )
}
