//! Typed results of every method (device interface §4–§7): the common
//! methods here, each product's in its own file.
//!
//! Deserialisation is liberal: unknown fields are ignored, values that may be
//! `null` (§9.5) are `Option`, and enumerations keep an `Other` variant for
//! values later firmware may add. A result that lacks the fields that identify
//! it fails to parse, which is how the client checks that a response fits the
//! request it answers (§9.1).

mod healthmonitor;
mod pettracker;
mod smartcollar;

pub use healthmonitor::{
    Activity, AlertsConfig, AlertsTest, HeartRate, SensorState, SensorsStatus, SyncNow, SyncStatus,
    Temperature, Window,
};
pub use pettracker::{
    Antenna, Cellular, Cloud, Fix, Geofence, GeofenceList, GpsStatus, LinkStatus,
};
pub use smartcollar::{
    FitStatus, IntegrationStatus, LedChannel, LedStatus, LedTest, LedTestResult, LinkedProduct,
    TrainingStatus,
};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `device.info`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceInfo {
    /// `pettracker`, `healthmonitor` or `smartcollar` (kept as text so an
    /// unknown model can still be reported).
    pub model: String,
    /// Serial number, e.g. `PT-24A0-0001`.
    pub serial: String,
    /// Hardware revision.
    #[serde(default)]
    pub hw_rev: Option<String>,
    /// Firmware version.
    pub fw_version: String,
    /// Interface version (1 for this host).
    pub interface: u64,
    /// Seconds since boot.
    #[serde(default)]
    pub uptime_s: Option<u64>,
    /// Boots since manufacture.
    #[serde(default)]
    pub boot_count: Option<u64>,
    /// Why the device last reset.
    #[serde(default)]
    pub last_reset: Option<String>,
}

/// Charger kind in `battery.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Charger {
    /// Not on a charger.
    None,
    /// USB cable.
    Usb,
    /// Charging dock.
    Dock,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// `battery.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatteryStatus {
    /// State of charge.
    pub level_pct: Option<u8>,
    /// Cell voltage.
    #[serde(default)]
    pub voltage_mv: Option<u32>,
    /// Whether it is charging.
    pub charging: bool,
    /// What it is charging from.
    #[serde(default = "default_charger")]
    pub charger: Charger,
    /// Charge cycles.
    #[serde(default)]
    pub cycle_count: Option<u32>,
    /// Capacity relative to new.
    #[serde(default)]
    pub health_pct: Option<u8>,
    /// Cell temperature.
    #[serde(default)]
    pub temp_c: Option<f64>,
}

fn default_charger() -> Charger {
    Charger::None
}

/// Status of one self-test component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TestStatus {
    /// Works.
    Pass,
    /// Broken; `code` says how.
    Fail,
    /// Not tested.
    Skipped,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// One entry of `selftest.run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelftestResult {
    /// Component name, e.g. `gps`.
    pub component: String,
    /// Pass, fail or skipped.
    pub status: TestStatus,
    /// Failure code, `null` on a pass.
    #[serde(default)]
    pub code: Option<String>,
    /// Failure detail, `null` on a pass.
    #[serde(default)]
    pub detail: Option<String>,
}

/// `selftest.run`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Selftest {
    /// One entry per component tested.
    pub results: Vec<SelftestResult>,
}

/// One `log.read` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Seconds of uptime.
    pub t: Option<u64>,
    /// `info`, `warn`, `error`…
    #[serde(default)]
    pub level: Option<String>,
    /// Machine code, e.g. `BAT_LOW`.
    #[serde(default)]
    pub code: Option<String>,
    /// Text.
    #[serde(default)]
    pub msg: Option<String>,
}

/// `log.read`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogRead {
    /// Newest last.
    pub entries: Vec<LogEntry>,
    /// Older entries were left out to fit one line (§9.3).
    #[serde(default)]
    pub truncated: bool,
}

/// `settings.set`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettingsApplied {
    /// Keys that were set, with the values now in force.
    pub applied: serde_json::Map<String, Value>,
}

/// `{"ok":true}` answers (`device.reboot`, `gps.cold_start`, `sensors.calibrate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ok {
    /// True when the device accepted.
    pub ok: bool,
}

pub use super::model::is_read_method;

/// Checks that a JSON result has the shape the method's answer must have.
/// Methods this host does not know always fit.
pub fn result_fits(method: &str, result: &Value) -> bool {
    fn fits<T: serde::de::DeserializeOwned>(v: &Value) -> bool {
        T::deserialize(v).is_ok()
    }
    match method {
        "device.info" => fits::<DeviceInfo>(result),
        "battery.status" => fits::<BatteryStatus>(result),
        "selftest.run" => fits::<Selftest>(result),
        "log.read" => fits::<LogRead>(result),
        "settings.get" => result.is_object(),
        "settings.set" => fits::<SettingsApplied>(result),
        "device.reboot" | "gps.cold_start" | "sensors.calibrate" => fits::<Ok>(result),
        "gps.status" => fits::<GpsStatus>(result),
        "link.status" => fits::<LinkStatus>(result),
        "geofence.list" => fits::<GeofenceList>(result),
        "sensors.status" => fits::<SensorsStatus>(result),
        "sync.status" => fits::<SyncStatus>(result),
        "sync.now" => fits::<SyncNow>(result),
        "alerts.config" => fits::<AlertsConfig>(result),
        "alerts.test" => fits::<AlertsTest>(result),
        "led.status" => fits::<LedStatus>(result),
        "led.test" => fits::<LedTest>(result),
        "training.status" => fits::<TrainingStatus>(result),
        "fit.status" => fits::<FitStatus>(result),
        "integration.status" => fits::<IntegrationStatus>(result),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn gps_before_first_fix_has_nulls() {
        let v = json!({"fix":"none","satellites":0,"cn0_avg_dbhz":null,"hdop":null,
            "last_fix_age_s":null,"lat":null,"lon":null,"antenna":"ok","new_field":1});
        let g: GpsStatus = serde_json::from_value(v).unwrap();
        assert_eq!(g.fix, Fix::None);
        assert!(g.lat.is_none());
    }

    #[test]
    fn unknown_enum_values_are_kept_as_other() {
        let v = json!({"fix":"4d","antenna":"melted"});
        let g: GpsStatus = serde_json::from_value(v).unwrap();
        assert_eq!(g.fix, Fix::Other);
        assert_eq!(g.antenna, Antenna::Other);
    }

    #[test]
    fn a_stale_answer_to_another_method_does_not_fit() {
        let battery = json!({"level_pct":78,"voltage_mv":3950,"charging":false});
        assert!(result_fits("battery.status", &battery));
        assert!(!result_fits("device.info", &battery));
        assert!(!result_fits("gps.status", &battery));
        assert!(!result_fits("selftest.run", &battery));
    }
}
