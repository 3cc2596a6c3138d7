//! The catalogue of probes: every named fact a flow may ask for, which
//! models have it, which device method yields it and how to pick it out of
//! the method's result. Data, not code paths: adding a product means adding
//! its rows here.
//!
//! Names are `<group>.<field>` following the device interface. Personal data
//! (`lat`, `lon`, geofence names and centres) is deliberately not exposed as
//! a probe: no flow needs it, so no report can leak it through a fact.

use crate::interface::{Model, firmware_status};
use serde_json::Value;
use std::sync::LazyLock;

/// What kind of value a probe yields (for lint and documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// true or false.
    Bool,
    /// A number (integer or decimal).
    Number,
    /// Free text.
    Text,
    /// One of a fixed set of words (later firmware may add more).
    Enum(&'static [&'static str]),
}

impl ValueKind {
    /// A short description for docs and `flows probes`.
    pub fn describe(self) -> String {
        match self {
            ValueKind::Bool => "true/false".into(),
            ValueKind::Number => "number".into(),
            ValueKind::Text => "text".into(),
            ValueKind::Enum(words) => words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }
}

/// How a probe's value is taken from its method's result.
#[derive(Debug, Clone, Copy)]
pub enum Extract {
    /// A JSON pointer into the result, e.g. `/level_pct`. A missing field
    /// reads as `null` (older firmware may not have it).
    Pointer(&'static str),
    /// `status` of one self-test component (`null` when it was not tested).
    SelftestStatus(&'static str),
    /// `code` of one self-test component.
    SelftestCode(&'static str),
    /// A value computed from the whole result.
    Derived(fn(&Value, Model) -> Value),
    /// A value computed from the result together with another read-only
    /// method's result (read once and cached like any other). Lets a probe
    /// answer a question about personal data (is the tracker inside a safe
    /// zone?) without exposing the data itself.
    Joined(&'static str, fn(&Value, &Value, Model) -> Value),
}

/// One named fact.
#[derive(Debug, Clone)]
pub struct Probe {
    /// Name used in flow expressions, e.g. `battery.temp_c`.
    pub name: String,
    /// Models that have it (empty: every model).
    pub models: &'static [Model],
    /// The device method that yields it.
    pub method: &'static str,
    /// Params for the method, when it needs some.
    pub params: Option<fn() -> Value>,
    /// How to pick the value out.
    pub extract: Extract,
    /// Plain-language description (for technicians and docs).
    pub about: &'static str,
    /// Unit, when it has one.
    pub unit: Option<&'static str>,
    /// What kind of value.
    pub kind: ValueKind,
    /// Reading it runs a test with side effects (an alert to the phone, a
    /// sync, the LEDs flashing): it is only available after a fix node has
    /// invoked its method, never read on its own.
    pub active: bool,
}

impl Probe {
    /// Whether the probe exists on `model`.
    pub fn applies_to(&self, model: Model) -> bool {
        self.models.is_empty() || self.models.contains(&model)
    }

    /// The other method a [`Extract::Joined`] probe needs, if any.
    pub fn also_reads(&self) -> Option<&'static str> {
        match self.extract {
            Extract::Joined(m, _) => Some(m),
            _ => None,
        }
    }

    /// Picks the value out of the method's result (and, for a joined
    /// probe, the other method's result; `null` without it).
    pub fn extract_with(&self, result: &Value, other: Option<&Value>, model: Model) -> Value {
        match (self.extract, other) {
            (Extract::Joined(_, f), Some(o)) => f(result, o, model),
            (Extract::Joined(..), None) => Value::Null,
            _ => self.extract(result, model),
        }
    }

    /// Picks the value out of the method's result.
    pub fn extract(&self, result: &Value, model: Model) -> Value {
        match self.extract {
            Extract::Pointer(p) => result.pointer(p).cloned().unwrap_or(Value::Null),
            Extract::SelftestStatus(c) => selftest_entry(result, c)
                .and_then(|e| e.get("status").cloned())
                .unwrap_or(Value::Null),
            Extract::SelftestCode(c) => selftest_entry(result, c)
                .and_then(|e| e.get("code").cloned())
                .unwrap_or(Value::Null),
            Extract::Derived(f) => f(result, model),
            Extract::Joined(..) => Value::Null,
        }
    }

    /// The method's params, if any.
    pub fn params(&self) -> Option<Value> {
        self.params.map(|f| f())
    }
}

fn selftest_entry<'a>(result: &'a Value, component: &str) -> Option<&'a Value> {
    result
        .get("results")?
        .as_array()?
        .iter()
        .find(|e| e.get("component").and_then(Value::as_str) == Some(component))
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn count_where(items: &[Value], pred: impl Fn(&Value) -> bool) -> Value {
    Value::from(items.iter().filter(|i| pred(i)).count() as u64)
}

fn d_firmware_status(v: &Value, model: Model) -> Value {
    match v.get("fw_version").and_then(Value::as_str) {
        Some(fw) => serde_json::to_value(firmware_status(model, fw)).unwrap_or(Value::Null),
        None => Value::from("unknown"),
    }
}

fn d_selftest_failed(v: &Value, _: Model) -> Value {
    count_where(array(v, "results"), |e| {
        e.get("status").and_then(Value::as_str) == Some("fail")
    })
}

fn d_log_count(level: &'static str) -> impl Fn(&Value) -> Value {
    move |v| {
        count_where(array(v, "entries"), |e| {
            e.get("level").and_then(Value::as_str) == Some(level)
        })
    }
}

fn d_log_errors(v: &Value, _: Model) -> Value {
    d_log_count("error")(v)
}

fn d_log_warnings(v: &Value, _: Model) -> Value {
    d_log_count("warn")(v)
}

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

fn d_led_failed(v: &Value, _: Model) -> Value {
    count_where(array(v, "channels"), |c| {
        c.get("ok").and_then(Value::as_bool) == Some(false)
    })
}

fn d_led_channels(v: &Value, _: Model) -> Value {
    Value::from(array(v, "channels").len() as u64)
}

fn d_led_test_failed(v: &Value, _: Model) -> Value {
    count_where(array(v, "results"), |c| {
        c.get("ok").and_then(Value::as_bool) == Some(false)
    })
}

fn d_linked(v: &Value, _: Model) -> Value {
    Value::from(array(v, "linked").len() as u64)
}

fn d_lost(v: &Value, _: Model) -> Value {
    count_where(array(v, "linked"), |l| {
        l.get("link").and_then(Value::as_str) == Some("lost")
    })
}

fn log_params() -> Value {
    serde_json::json!({ "max": 50 })
}

use Model::{HealthMonitor as HM, PetTracker as PT, SmartCollar as SC};

const ALL: &[Model] = &[];
const FW_STATUS: &[&str] = &["current", "outdated", "newer", "unknown"];
const TEST_STATUS: &[&str] = &["pass", "fail", "skipped"];
const SENSOR: &[&str] = &["ok", "no_contact", "fault"];
const POWER_MODE: &[&str] = &["performance", "balanced", "saver"];

struct Row(
    &'static str,
    &'static [Model],
    &'static str,
    Extract,
    ValueKind,
    Option<&'static str>,
    &'static str,
);

fn rows() -> Vec<Row> {
    use Extract::{Derived as D, Pointer as P};
    use ValueKind::{Bool, Enum, Number as Num, Text};
    vec![
        // device.info (§4)
        Row(
            "device.model",
            ALL,
            "device.info",
            P("/model"),
            Text,
            None,
            "the model the device reports",
        ),
        Row(
            "device.serial",
            ALL,
            "device.info",
            P("/serial"),
            Text,
            None,
            "serial number",
        ),
        Row(
            "device.hw_rev",
            ALL,
            "device.info",
            P("/hw_rev"),
            Text,
            None,
            "hardware revision",
        ),
        Row(
            "device.fw_version",
            ALL,
            "device.info",
            P("/fw_version"),
            Text,
            None,
            "firmware version",
        ),
        Row(
            "device.firmware_status",
            ALL,
            "device.info",
            D(d_firmware_status),
            Enum(FW_STATUS),
            None,
            "firmware compared with the current release: current, outdated (update first), newer or unknown",
        ),
        Row(
            "device.interface",
            ALL,
            "device.info",
            P("/interface"),
            Num,
            None,
            "device interface version (1 is what pawdiag speaks)",
        ),
        Row(
            "device.uptime_s",
            ALL,
            "device.info",
            P("/uptime_s"),
            Num,
            Some("s"),
            "time since the device started",
        ),
        Row(
            "device.boot_count",
            ALL,
            "device.info",
            P("/boot_count"),
            Num,
            None,
            "starts since manufacture",
        ),
        Row(
            "device.last_reset",
            ALL,
            "device.info",
            P("/last_reset"),
            Enum(&[
                "power_on",
                "watchdog",
                "brownout",
                "user",
                "firmware_update",
            ]),
            None,
            "why the device last restarted",
        ),
        // battery.status (§4)
        Row(
            "battery.level_pct",
            ALL,
            "battery.status",
            P("/level_pct"),
            Num,
            Some("%"),
            "state of charge",
        ),
        Row(
            "battery.voltage_mv",
            ALL,
            "battery.status",
            P("/voltage_mv"),
            Num,
            Some("mV"),
            "cell voltage",
        ),
        Row(
            "battery.charging",
            ALL,
            "battery.status",
            P("/charging"),
            Bool,
            None,
            "whether it is charging now",
        ),
        Row(
            "battery.charger",
            ALL,
            "battery.status",
            P("/charger"),
            Enum(&["none", "usb", "dock"]),
            None,
            "what it charges from (none: no charger detected)",
        ),
        Row(
            "battery.cycle_count",
            ALL,
            "battery.status",
            P("/cycle_count"),
            Num,
            None,
            "charge cycles so far",
        ),
        Row(
            "battery.health_pct",
            ALL,
            "battery.status",
            P("/health_pct"),
            Num,
            Some("%"),
            "capacity compared with a new battery",
        ),
        Row(
            "battery.temp_c",
            ALL,
            "battery.status",
            P("/temp_c"),
            Num,
            Some("°C"),
            "battery temperature",
        ),
        // selftest.run (§4): per-component rows are added below.
        Row(
            "selftest.failed_count",
            ALL,
            "selftest.run",
            D(d_selftest_failed),
            Num,
            None,
            "how many self-test components failed",
        ),
        // log.read (§4)
        Row(
            "log.error_count",
            ALL,
            "log.read",
            D(d_log_errors),
            Num,
            None,
            "error entries among the newest 50 log entries",
        ),
        Row(
            "log.warn_count",
            ALL,
            "log.read",
            D(d_log_warnings),
            Num,
            None,
            "warning entries among the newest 50 log entries",
        ),
        // PetTracker (§5)
        Row(
            "gps.fix",
            &[PT],
            "gps.status",
            P("/fix"),
            Enum(&["none", "2d", "3d"]),
            None,
            "position fix: none, 2d or 3d",
        ),
        Row(
            "gps.satellites",
            &[PT],
            "gps.status",
            P("/satellites"),
            Num,
            None,
            "satellites in use",
        ),
        Row(
            "gps.antenna",
            &[PT],
            "gps.status",
            P("/antenna"),
            Enum(&["ok", "open", "short"]),
            None,
            "antenna state",
        ),
        Row(
            "gps.hdop",
            &[PT],
            "gps.status",
            P("/hdop"),
            Num,
            None,
            "horizontal dilution of precision (lower is better; null without a fix)",
        ),
        Row(
            "gps.cn0_avg_dbhz",
            &[PT],
            "gps.status",
            P("/cn0_avg_dbhz"),
            Num,
            Some("dB-Hz"),
            "average satellite signal strength",
        ),
        Row(
            "gps.last_fix_age_s",
            &[PT],
            "gps.status",
            P("/last_fix_age_s"),
            Num,
            Some("s"),
            "age of the last fix (null before the first)",
        ),
        Row(
            "gps.has_location",
            &[PT],
            "gps.status",
            D(d_gps_has_location),
            Bool,
            None,
            "whether the tracker has ever had a position (the position itself is personal data and not read)",
        ),
        Row(
            "link.app_paired",
            &[PT],
            "link.status",
            P("/app_paired"),
            Bool,
            None,
            "paired with the phone app",
        ),
        Row(
            "link.cloud",
            &[PT],
            "link.status",
            P("/cloud"),
            Enum(&["ok", "unreachable", "auth_failed"]),
            None,
            "connection to the PawCore cloud",
        ),
        Row(
            "link.cellular_registered",
            &[PT],
            "link.status",
            P("/cellular/registered"),
            Bool,
            None,
            "registered on a mobile network",
        ),
        Row(
            "link.rssi_dbm",
            &[PT],
            "link.status",
            P("/cellular/rssi_dbm"),
            Num,
            Some("dBm"),
            "mobile signal strength",
        ),
        Row(
            "link.last_sync_age_s",
            &[PT],
            "link.status",
            P("/last_sync_age_s"),
            Num,
            Some("s"),
            "time since the last cloud sync",
        ),
        Row(
            "geofence.count",
            &[PT],
            "geofence.list",
            D(d_geofence_count),
            Num,
            None,
            "geofences set up",
        ),
        Row(
            "geofence.enabled_count",
            &[PT],
            "geofence.list",
            D(d_geofence_enabled),
            Num,
            None,
            "geofences switched on",
        ),
        Row(
            "geofence.min_radius_m",
            &[PT],
            "geofence.list",
            D(d_geofence_min_radius),
            Num,
            Some("m"),
            "smallest radius among the enabled geofences (null when none)",
        ),
        Row(
            "geofence.outside",
            &[PT],
            "gps.status",
            Extract::Joined("geofence.list", d_geofence_outside),
            Bool,
            None,
            "whether the current position is outside every enabled geofence (null without a fix or a geofence; neither position is read out)",
        ),
        Row(
            "geofence.notifications",
            &[PT],
            "geofence.list",
            P("/notifications"),
            Bool,
            None,
            "geofence notifications on",
        ),
        Row(
            "settings.tracking_interval_s",
            &[PT],
            "settings.get",
            P("/tracking_interval_s"),
            Num,
            Some("s"),
            "how often the tracker reports its position",
        ),
        Row(
            "settings.power_mode",
            &[PT, HM],
            "settings.get",
            P("/power_mode"),
            Enum(POWER_MODE),
            None,
            "power mode",
        ),
        Row(
            "settings.led",
            &[PT],
            "settings.get",
            P("/led"),
            Text,
            None,
            "status LED setting",
        ),
        // HealthMonitor (§6)
        Row(
            "sensors.hr_status",
            &[HM],
            "sensors.status",
            P("/heart_rate/status"),
            Enum(SENSOR),
            None,
            "heart-rate sensor state",
        ),
        Row(
            "sensors.bpm",
            &[HM],
            "sensors.status",
            P("/heart_rate/bpm"),
            Num,
            Some("bpm"),
            "heart rate (null without contact)",
        ),
        Row(
            "sensors.signal_quality_pct",
            &[HM],
            "sensors.status",
            P("/heart_rate/signal_quality_pct"),
            Num,
            Some("%"),
            "heart-rate signal quality",
        ),
        Row(
            "sensors.temp_status",
            &[HM],
            "sensors.status",
            P("/temperature/status"),
            Enum(SENSOR),
            None,
            "temperature sensor state",
        ),
        Row(
            "sensors.temp_c",
            &[HM],
            "sensors.status",
            P("/temperature/c"),
            Num,
            Some("°C"),
            "the animal's temperature",
        ),
        Row(
            "sensors.activity_status",
            &[HM],
            "sensors.status",
            P("/activity/status"),
            Enum(SENSOR),
            None,
            "motion sensor state",
        ),
        Row(
            "sensors.contact_quality_pct",
            &[HM],
            "sensors.status",
            P("/contact_quality_pct"),
            Num,
            Some("%"),
            "skin contact quality (60% or more to calibrate)",
        ),
        Row(
            "sensors.optical_window",
            &[HM],
            "sensors.status",
            P("/optical_window"),
            Enum(&["clean", "dirty"]),
            None,
            "the sensor window on the underside",
        ),
        Row(
            "sync.pending_records",
            &[HM],
            "sync.status",
            P("/pending_records"),
            Num,
            None,
            "records waiting to reach the app",
        ),
        Row(
            "sync.last_sync_age_s",
            &[HM],
            "sync.status",
            P("/last_sync_age_s"),
            Num,
            Some("s"),
            "time since the last sync",
        ),
        Row(
            "sync.last_error",
            &[HM],
            "sync.status",
            P("/last_error"),
            Enum(&["none", "ble_timeout", "auth", "storage_full"]),
            None,
            "why the last sync failed",
        ),
        Row(
            "sync.storage_used_pct",
            &[HM],
            "sync.status",
            P("/storage_used_pct"),
            Num,
            Some("%"),
            "storage in use",
        ),
        Row(
            "alerts.enabled",
            &[HM],
            "alerts.config",
            P("/enabled"),
            Bool,
            None,
            "health alerts on",
        ),
        Row(
            "alerts.notify_app",
            &[HM],
            "alerts.config",
            P("/notify_app"),
            Bool,
            None,
            "alerts sent to the phone app",
        ),
        Row(
            "alerts.heart_rate_high_bpm",
            &[HM],
            "alerts.config",
            P("/heart_rate_high_bpm"),
            Num,
            Some("bpm"),
            "high heart-rate alert threshold",
        ),
        Row(
            "alerts.heart_rate_low_bpm",
            &[HM],
            "alerts.config",
            P("/heart_rate_low_bpm"),
            Num,
            Some("bpm"),
            "low heart-rate alert threshold",
        ),
        Row(
            "alerts.temp_high_c",
            &[HM],
            "alerts.config",
            P("/temp_high_c"),
            Num,
            Some("°C"),
            "high temperature alert threshold",
        ),
        Row(
            "settings.monitoring_interval_s",
            &[HM],
            "settings.get",
            P("/monitoring_interval_s"),
            Num,
            Some("s"),
            "how often the monitor measures",
        ),
        Row(
            "settings.alerts_enabled",
            &[HM],
            "settings.get",
            P("/alerts_enabled"),
            Bool,
            None,
            "alerts setting",
        ),
        // SmartCollar (§7)
        Row(
            "led.mode",
            &[SC],
            "led.status",
            P("/mode"),
            Enum(&["off", "steady", "blink", "ambient"]),
            None,
            "LED lighting mode",
        ),
        Row(
            "led.brightness_pct",
            &[SC],
            "led.status",
            P("/brightness_pct"),
            Num,
            Some("%"),
            "LED brightness",
        ),
        Row(
            "led.failed_channels",
            &[SC],
            "led.status",
            D(d_led_failed),
            Num,
            None,
            "LED channels that do not work",
        ),
        Row(
            "led.channel_count",
            &[SC],
            "led.status",
            D(d_led_channels),
            Num,
            None,
            "LED channels",
        ),
        Row(
            "training.mode",
            &[SC],
            "training.status",
            P("/mode"),
            Enum(&["off", "tone", "vibration"]),
            None,
            "training cue",
        ),
        Row(
            "training.sensitivity",
            &[SC],
            "training.status",
            P("/sensitivity"),
            Num,
            None,
            "training sensitivity, 1 to 10",
        ),
        Row(
            "training.motor",
            &[SC],
            "training.status",
            P("/motor"),
            Enum(&["ok", "fault"]),
            None,
            "vibration motor state",
        ),
        Row(
            "training.last_command_age_s",
            &[SC],
            "training.status",
            P("/last_command_age_s"),
            Num,
            Some("s"),
            "time since the last training command",
        ),
        Row(
            "fit.size",
            &[SC],
            "fit.status",
            P("/size"),
            Text,
            None,
            "collar size",
        ),
        Row(
            "fit.tension_pct",
            &[SC],
            "fit.status",
            P("/tension_pct"),
            Num,
            Some("%"),
            "strap tension",
        ),
        Row(
            "fit.contact",
            &[SC],
            "fit.status",
            P("/contact"),
            Enum(&["ok", "loose", "tight"]),
            None,
            "how the collar sits",
        ),
        Row(
            "integration.linked_count",
            &[SC],
            "integration.status",
            D(d_linked),
            Num,
            None,
            "PawCore products linked to the collar",
        ),
        Row(
            "integration.lost_count",
            &[SC],
            "integration.status",
            D(d_lost),
            Num,
            None,
            "linked products whose link is lost",
        ),
        Row(
            "settings.led_mode",
            &[SC],
            "settings.get",
            P("/led_mode"),
            Text,
            None,
            "LED mode setting",
        ),
        Row(
            "settings.brightness_pct",
            &[SC],
            "settings.get",
            P("/brightness_pct"),
            Num,
            Some("%"),
            "LED brightness setting",
        ),
        Row(
            "settings.training_mode",
            &[SC],
            "settings.get",
            P("/training_mode"),
            Text,
            None,
            "training mode setting",
        ),
        Row(
            "settings.sensitivity",
            &[SC],
            "settings.get",
            P("/sensitivity"),
            Num,
            None,
            "training sensitivity setting",
        ),
    ]
}

/// Probes that are only available once a fix node has run their method.
fn active_rows() -> Vec<Row> {
    use Extract::{Derived as D, Pointer as P};
    use ValueKind::{Bool, Number as Num};
    vec![
        Row(
            "alerts.test_delivered",
            &[HM],
            "alerts.test",
            P("/delivered"),
            Bool,
            None,
            "the test alert reached the phone app (after a fix runs alerts.test)",
        ),
        Row(
            "sync.synced_records",
            &[HM],
            "sync.now",
            P("/synced_records"),
            Num,
            None,
            "records sent by a manual sync (after a fix runs sync.now)",
        ),
        Row(
            "led.test_failed",
            &[SC],
            "led.test",
            D(d_led_test_failed),
            Num,
            None,
            "channels that did not light in the LED test (after a fix runs led.test)",
        ),
    ]
}

fn build() -> Vec<Probe> {
    let mut out: Vec<Probe> = Vec::new();
    let mut push = |r: Row, active: bool| {
        let Row(name, models, method, extract, kind, unit, about) = r;
        out.push(Probe {
            name: name.into(),
            models,
            method,
            params: (method == "log.read").then_some(log_params as fn() -> Value),
            extract,
            about,
            unit,
            kind,
            active,
        });
    };
    for r in rows() {
        push(r, false);
    }
    for r in active_rows() {
        push(r, true);
    }
    // One status and one code probe per self-test component (§4 table).
    let mut components: Vec<(&'static str, Vec<Model>)> = Vec::new();
    for m in Model::ALL {
        for c in m.components() {
            match components.iter_mut().find(|(n, _)| n == c) {
                Some((_, ms)) => ms.push(m),
                None => components.push((c, vec![m])),
            }
        }
    }
    for (component, ms) in components {
        let models: &'static [Model] = if ms.len() == Model::ALL.len() {
            ALL
        } else {
            Box::leak(ms.into_boxed_slice())
        };
        let codes: &'static [&'static str] = Model::failure_codes(component);
        out.push(Probe {
            name: format!("selftest.{component}"),
            models,
            method: "selftest.run",
            params: None,
            extract: Extract::SelftestStatus(component),
            about: "self-test result of this component",
            unit: None,
            kind: ValueKind::Enum(TEST_STATUS),
            active: false,
        });
        out.push(Probe {
            name: format!("selftest.{component}.code"),
            models,
            method: "selftest.run",
            params: None,
            extract: Extract::SelftestCode(component),
            about: "failure code of this component (null on a pass)",
            unit: None,
            kind: ValueKind::Enum(codes),
            active: false,
        });
    }
    out
}

static CATALOGUE: LazyLock<Vec<Probe>> = LazyLock::new(build);

/// Every probe.
pub fn all() -> &'static [Probe] {
    &CATALOGUE
}

/// Looks a probe up by name.
pub fn find(name: &str) -> Option<&'static Probe> {
    CATALOGUE.iter().find(|p| p.name == name)
}

/// The unit of a probe's value, if it has one.
pub fn unit_of(name: &str) -> Option<&'static str> {
    find(name).and_then(|p| p.unit)
}

/// The other probes of the same method read on `model`: what one read of
/// `name`'s method also tells (a step records them all as its evidence).
pub fn siblings(name: &str, model: Model) -> impl Iterator<Item = &'static Probe> {
    let method = find(name).filter(|p| !p.active).map(|p| p.method);
    CATALOGUE.iter().filter(move |p| {
        Some(p.method) == method
            && p.name != name
            && !p.active
            && p.applies_to(model)
            // The device's identity is the report's device section; of
            // `device.info` a step keeps only what bears on the firmware.
            && (p.method != "device.info"
                || matches!(p.name.as_str(), "device.fw_version" | "device.firmware_status"))
    })
}

/// For a self-test failure-code probe (`selftest.gps.code`), its
/// component's status probe: a `null` code is an answer when that status
/// is `pass`.
pub fn code_status_probe(name: &str) -> Option<String> {
    match find(name)?.extract {
        Extract::SelftestCode(c) => Some(format!("selftest.{c}")),
        _ => None,
    }
}

/// The probes of one model.
pub fn for_model(model: Model) -> impl Iterator<Item = &'static Probe> {
    CATALOGUE.iter().filter(move |p| p.applies_to(model))
}

/// Methods whose cached results a fix method makes stale. `device.reboot`
/// makes everything stale (`*`).
pub fn invalidated_by(method: &str) -> &'static [&'static str] {
    match method {
        "settings.set" => &[
            "settings.get",
            "led.status",
            "training.status",
            "alerts.config",
        ],
        "gps.cold_start" => &["gps.status"],
        "sync.now" => &["sync.status"],
        "sensors.calibrate" => &["sensors.status"],
        "alerts.test" => &[],
        "led.test" => &["led.status"],
        "selftest.run" => &[],
        "device.reboot" => &["*"],
        _ => &["*"],
    }
}

/// Whether a probe's value is computed from the owner's location (the
/// position against the safe zones). A report keeps positions rounded for
/// privacy, so a verdict that read such a probe cannot be rechecked from a
/// report, only from a `--record` recording.
pub fn rests_on_location(probe: &str) -> bool {
    probe == "geofence.outside"
}

/// Whether a condition (as written) reads a probe that rests on the owner's
/// location.
pub fn mentions_location(condition: &str) -> bool {
    condition
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .any(rests_on_location)
}

pub use crate::interface::methods::is_read_method;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_unique_and_methods_exist_on_their_models() {
        let mut seen = std::collections::HashSet::new();
        for p in all() {
            assert!(seen.insert(p.name.clone()), "duplicate probe {}", p.name);
            for m in Model::ALL {
                if p.applies_to(m) {
                    assert!(
                        m.has_method(p.method),
                        "{} uses {} missing on {m}",
                        p.name,
                        p.method
                    );
                }
            }
            assert_eq!(p.active, !is_read_method(p.method), "{}", p.name);
            if let Some(other) = p.also_reads() {
                assert!(is_read_method(other), "{} joins {other}", p.name);
                for m in Model::ALL {
                    assert!(!p.applies_to(m) || m.has_method(other), "{}", p.name);
                }
            }
        }
    }

    #[test]
    fn selftest_probes_follow_the_component_table() {
        let gps = find("selftest.gps").unwrap();
        assert!(gps.applies_to(Model::PetTracker));
        assert!(!gps.applies_to(Model::SmartCollar));
        assert!(
            find("selftest.battery")
                .unwrap()
                .applies_to(Model::SmartCollar)
        );
        let r = json!({"results":[
            {"component":"gps","status":"fail","code":"GPS_ANT_OPEN","detail":"antenna open circuit"},
            {"component":"battery","status":"pass","code":null,"detail":null}]});
        assert_eq!(gps.extract(&r, Model::PetTracker), json!("fail"));
        assert_eq!(
            find("selftest.gps.code")
                .unwrap()
                .extract(&r, Model::PetTracker),
            json!("GPS_ANT_OPEN")
        );
        assert_eq!(
            find("selftest.battery.code")
                .unwrap()
                .extract(&r, Model::PetTracker),
            json!(null)
        );
        assert_eq!(
            find("selftest.cellular")
                .unwrap()
                .extract(&r, Model::PetTracker),
            json!(null)
        );
        assert_eq!(
            find("selftest.failed_count")
                .unwrap()
                .extract(&r, Model::PetTracker),
            json!(1)
        );
    }

    #[test]
    fn conditions_that_rest_on_the_owners_location() {
        assert!(mentions_location("geofence.outside == true"));
        assert!(mentions_location("gps.fix == 'none' or geofence.outside"));
        assert!(!mentions_location(
            "gps.fix == '3d' and gps.satellites >= 5"
        ));
        assert!(!mentions_location("geofence.outside_count > 0"));
    }

    #[test]
    fn derived_values() {
        let fw = find("device.firmware_status").unwrap();
        assert_eq!(
            fw.extract(&json!({"fw_version":"2.3.0"}), Model::PetTracker),
            json!("outdated")
        );
        assert_eq!(
            fw.extract(&json!({"fw_version":"2.4.1"}), Model::PetTracker),
            json!("current")
        );
        let g = json!({"notifications":true,"geofences":[
            {"id":1,"radius_m":15,"enabled":true},{"id":2,"radius_m":5,"enabled":false},{"id":3,"radius_m":200}]});
        assert_eq!(
            find("geofence.count")
                .unwrap()
                .extract(&g, Model::PetTracker),
            json!(3)
        );
        assert_eq!(
            find("geofence.enabled_count")
                .unwrap()
                .extract(&g, Model::PetTracker),
            json!(2)
        );
        assert_eq!(
            find("geofence.min_radius_m")
                .unwrap()
                .extract(&g, Model::PetTracker),
            json!(15.0)
        );
        let none = json!({"notifications":true,"geofences":[]});
        assert_eq!(
            find("geofence.min_radius_m")
                .unwrap()
                .extract(&none, Model::PetTracker),
            json!(null)
        );
        let led = json!({"mode":"steady","channels":[{"id":0,"ok":true},{"id":1,"ok":false}]});
        assert_eq!(
            find("led.failed_channels")
                .unwrap()
                .extract(&led, Model::SmartCollar),
            json!(1)
        );
        let missing = json!({"fix":"3d"});
        assert_eq!(
            find("gps.hdop")
                .unwrap()
                .extract(&missing, Model::PetTracker),
            json!(null)
        );
        let outside = find("geofence.outside").unwrap();
        let zones = json!({"geofences":[
            {"lat":52.52,"lon":13.405,"radius_m":150,"enabled":true},
            {"lat":52.0,"lon":13.0,"radius_m":90000,"enabled":false}]});
        let at = |lat: f64, fix: &str| json!({"fix": fix, "lat": lat, "lon": 13.405});
        // 0.001° of latitude is about 111 m.
        let home = outside.extract_with(&at(52.521, "3d"), Some(&zones), Model::PetTracker);
        let away = outside.extract_with(&at(52.522, "2d"), Some(&zones), Model::PetTracker);
        let no_fix = outside.extract_with(&at(52.53, "none"), Some(&zones), Model::PetTracker);
        assert_eq!(
            (home, away, no_fix),
            (json!(false), json!(true), json!(null))
        );
        assert_eq!(
            outside.extract_with(&at(52.53, "3d"), None, Model::PetTracker),
            json!(null)
        );
        assert_eq!(
            outside.extract_with(
                &at(52.53, "3d"),
                Some(&json!({"geofences": []})),
                Model::PetTracker
            ),
            json!(null)
        );
        let pos = json!({"fix":"3d","lat":52.5,"lon":13.4});
        assert_eq!(
            find("gps.has_location")
                .unwrap()
                .extract(&pos, Model::PetTracker),
            json!(true)
        );
    }
}
