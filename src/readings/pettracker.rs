//! PetTracker: GPS, the cellular and app link, and geofences (a line, and
//! the zones as rows for a table).

use super::{Line, Mark, age, flag, graded, num, num_text, obj, text};
use serde_json::Value;

/// Most zones shown; a tracker stores a handful.
const MAX_ZONES: usize = 50;

/// `gps.status`. Signal strength (C/N0) is judged as GNSS receivers
/// usually are: 35 dB-Hz and up is good, below 28 too weak to hold a fix.
/// Dilution of precision: 2 or less is good, above 5 poor.
pub fn gps(v: &Value) -> Line {
    let mut l = Line::new("GPS");
    match text(v, "fix").as_deref() {
        Some("3d") => l.mark("3D fix", Mark::Good),
        Some("2d") => l.plain("2D fix"),
        Some("none") => l.mark("no fix", Mark::Warn),
        Some(other) => l.plain(format!("fix {other}")),
        None => l.plain("fix —"),
    };
    if let Some(n) = num(v, "satellites") {
        let judge = (n < 4.0).then_some(("too few for a fix", Mark::Warn));
        let s = num_text(v, "satellites").unwrap_or_default();
        l.judged(
            format!("{s} satellite{}", if n == 1.0 { "" } else { "s" }),
            judge,
        );
    }
    if num(v, "cn0_avg_dbhz").is_none() {
        l.plain("signal —");
    }
    // GNSS receivers usually hold a fix from about 28 dB-Hz; 35 is good.
    l.number(
        v,
        "cn0_avg_dbhz",
        |t| format!("signal {t} dB-Hz"),
        |c| {
            Some(if c >= 35.0 {
                ("good", Mark::Good)
            } else if c >= 28.0 {
                ("weak", Mark::Warn)
            } else {
                ("poor", Mark::Bad)
            })
        },
    );
    if let Some(h) = num(v, "hdop") {
        let judge = if h <= 2.0 {
            ("good", Mark::Good)
        } else if h <= 5.0 {
            ("fair", Mark::Plain)
        } else {
            ("poor", Mark::Warn)
        };
        let t = num_text(v, "hdop").unwrap_or_default();
        l.judged(format!("HDOP {t}"), Some(judge));
    }
    match text(v, "antenna").as_deref() {
        Some("ok") | None => &mut l,
        Some("open") => l.mark("antenna open circuit (FAULT)", Mark::Bad),
        Some("short") => l.mark("antenna short circuit (FAULT)", Mark::Bad),
        Some(other) => l.mark(format!("antenna {other}"), Mark::Warn),
    };
    let last = v.get("last_fix_age_s").and_then(Value::as_u64);
    l.plain(match last {
        Some(_) => format!("last fix {}", age(last)),
        None => "never had a fix".into(),
    });
    if let (Some(lat), Some(lon)) = (num_text(v, "lat"), num_text(v, "lon")) {
        l.plain(format!("position {lat}, {lon}"));
    }
    l
}

/// `link.status`: the mobile network on one line, the app and cloud on
/// another. A mobile signal of -100 dBm or weaker is poor.
pub fn link(v: &Value) -> Vec<Line> {
    let cell = obj(v, "cellular");
    let mut c = Line::new("Cellular");
    match flag(cell, "registered") {
        Some(true) => c.mark("registered", Mark::Good),
        Some(false) => c.mark("not registered", Mark::Bad),
        None => c.plain("registration —"),
    };
    c.number(
        cell,
        "rssi_dbm",
        |t| format!("signal {t} dBm"),
        graded(-85.0, -100.0, Mark::Warn),
    );
    let mut a = Line::new("App and cloud");
    match flag(v, "app_paired") {
        Some(true) => a.plain("app paired"),
        Some(false) => a.mark("app not paired", Mark::Warn),
        None => &mut a,
    };
    match text(v, "cloud").as_deref() {
        Some("ok") => a.mark("cloud reachable", Mark::Good),
        Some("unreachable") => a.mark("cloud unreachable", Mark::Bad),
        Some("auth_failed") => a.mark("cloud sign-in failed", Mark::Bad),
        Some(other) => a.mark(format!("cloud {other}"), Mark::Warn),
        None => &mut a,
    };
    let last = v.get("last_sync_age_s").and_then(Value::as_u64);
    let stale = last.is_some_and(|s| s >= 86_400);
    a.mark(
        format!("last sync {}", age(last)),
        if stale { Mark::Warn } else { Mark::Plain },
    );
    vec![c, a]
}

/// `geofence.list` in one line: notifications and how many zones.
pub fn geofences(v: &Value) -> Line {
    let mut l = Line::new("Geofences");
    let zones = zones(v);
    let on = zones.iter().filter(|z| z.enabled == Some(true)).count();
    l.plain(match zones.len() {
        0 => "no zones".to_string(),
        1 => format!("1 zone ({on} on)"),
        n => format!("{n} zones ({on} on)"),
    });
    match flag(v, "notifications") {
        Some(true) => l.plain("notifications on"),
        Some(false) => l.mark("notifications off", Mark::Warn),
        None => &mut l,
    };
    if zones.iter().any(|z| z.small) {
        l.mark("a zone is under 50 m (alerts may misfire)", Mark::Warn);
    }
    l
}

/// One geofence zone, for a table.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    /// The device's id for it.
    pub id: String,
    /// Its name (`(hidden)` unless personal data is included).
    pub name: String,
    /// `lat, lon` of its centre.
    pub centre: String,
    /// `150 m`.
    pub radius: String,
    /// Under 50 m: GPS wander makes alerts misfire (the geofencing flow).
    pub small: bool,
    /// Whether it is on.
    pub enabled: Option<bool>,
}

/// The zones of a `geofence.list` answer (at most [`MAX_ZONES`]).
pub fn zones(v: &Value) -> Vec<Zone> {
    v.get("geofences")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(MAX_ZONES)
        .map(|z| Zone {
            id: text(z, "id").unwrap_or_else(|| "—".into()),
            name: text(z, "name").unwrap_or_else(|| "—".into()),
            centre: match (num_text(z, "lat"), num_text(z, "lon")) {
                (Some(a), Some(b)) => format!("{a}, {b}"),
                _ => "—".into(),
            },
            radius: num_text(z, "radius_m").map_or_else(|| "—".into(), |r| format!("{r} m")),
            small: num(z, "radius_m").is_some_and(|r| r < 50.0),
            enabled: flag(z, "enabled"),
        })
        .collect()
}
