//! Typed results of every method (device interface §4–§7).
//!
//! Deserialisation is liberal: unknown fields are ignored, values that may be
//! `null` (§9.5) are `Option`, and enumerations keep an `Other` variant for
//! values later firmware may add. A result that lacks the fields that identify
//! it fails to parse, which is how the client checks that a response fits the
//! request it answers (§9.1).

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

/// GPS fix kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Fix {
    /// No fix.
    #[serde(rename = "none")]
    None,
    /// 2-D fix.
    #[serde(rename = "2d")]
    TwoD,
    /// 3-D fix.
    #[serde(rename = "3d")]
    ThreeD,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// Antenna state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Antenna {
    /// Fine.
    Ok,
    /// Open circuit.
    Open,
    /// Short circuit.
    Short,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// `gps.status` and the `gps.fix` event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GpsStatus {
    /// Fix kind.
    pub fix: Fix,
    /// Satellites in use.
    #[serde(default)]
    pub satellites: Option<u32>,
    /// Average carrier-to-noise.
    #[serde(default)]
    pub cn0_avg_dbhz: Option<f64>,
    /// Horizontal dilution of precision.
    #[serde(default)]
    pub hdop: Option<f64>,
    /// Age of the last fix; null before the first.
    #[serde(default)]
    pub last_fix_age_s: Option<u64>,
    /// Latitude: personal data.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Longitude: personal data.
    #[serde(default)]
    pub lon: Option<f64>,
    /// Antenna state.
    #[serde(default = "default_antenna")]
    pub antenna: Antenna,
}

fn default_antenna() -> Antenna {
    Antenna::Ok
}

/// Cellular part of `link.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cellular {
    /// Registered on a network.
    pub registered: bool,
    /// Signal strength.
    #[serde(default)]
    pub rssi_dbm: Option<i32>,
}

/// Cloud connection state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cloud {
    /// Connected.
    Ok,
    /// No route to the cloud.
    Unreachable,
    /// Credentials rejected.
    AuthFailed,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// `link.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkStatus {
    /// Cellular modem.
    pub cellular: Cellular,
    /// Paired with the phone app.
    pub app_paired: bool,
    /// Seconds since the last cloud sync.
    #[serde(default)]
    pub last_sync_age_s: Option<u64>,
    /// Cloud state.
    pub cloud: Cloud,
}

/// One geofence.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Geofence {
    /// Id on the device.
    pub id: u32,
    /// Name: personal data ("Home").
    #[serde(default)]
    pub name: Option<String>,
    /// Centre latitude: personal data.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Centre longitude: personal data.
    #[serde(default)]
    pub lon: Option<f64>,
    /// Radius.
    #[serde(default)]
    pub radius_m: Option<f64>,
    /// Whether it is active.
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

/// `geofence.list`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GeofenceList {
    /// Whether geofence notifications are on.
    pub notifications: bool,
    /// The geofences.
    pub geofences: Vec<Geofence>,
}

/// Sensor state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SensorState {
    /// Working.
    Ok,
    /// Not touching the animal.
    NoContact,
    /// Broken.
    Fault,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// Heart-rate part of `sensors.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HeartRate {
    /// Sensor state.
    pub status: SensorState,
    /// Beats per minute; null without contact.
    #[serde(default)]
    pub bpm: Option<u32>,
    /// Signal quality.
    #[serde(default)]
    pub signal_quality_pct: Option<u8>,
}

/// Temperature part of `sensors.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Temperature {
    /// Sensor state.
    pub status: SensorState,
    /// Degrees Celsius.
    #[serde(default)]
    pub c: Option<f64>,
}

/// Activity part of `sensors.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Sensor state.
    pub status: SensorState,
}

/// Optical window state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Window {
    /// Clean.
    Clean,
    /// Needs cleaning.
    Dirty,
    /// A value this host does not know.
    #[serde(other)]
    Other,
}

/// `sensors.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SensorsStatus {
    /// Heart-rate sensor.
    pub heart_rate: HeartRate,
    /// Temperature sensor.
    pub temperature: Temperature,
    /// Motion sensor.
    #[serde(default)]
    pub activity: Option<Activity>,
    /// Skin contact quality.
    #[serde(default)]
    pub contact_quality_pct: Option<u8>,
    /// Optical window.
    #[serde(default = "default_window")]
    pub optical_window: Window,
}

fn default_window() -> Window {
    Window::Clean
}

/// `sync.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncStatus {
    /// Records waiting to sync.
    pub pending_records: u64,
    /// Seconds since the last sync.
    #[serde(default)]
    pub last_sync_age_s: Option<u64>,
    /// `none`, `ble_timeout`, `auth`, `storage_full`…
    #[serde(default)]
    pub last_error: Option<String>,
    /// Storage use.
    #[serde(default)]
    pub storage_used_pct: Option<u8>,
}

/// `sync.now`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SyncNow {
    /// Records synced.
    pub synced_records: u64,
}

/// `alerts.config`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertsConfig {
    /// Alerts on.
    pub enabled: bool,
    /// Alerts reach the phone app.
    #[serde(default)]
    pub notify_app: Option<bool>,
    /// High heart-rate threshold.
    #[serde(default)]
    pub heart_rate_high_bpm: Option<u32>,
    /// Low heart-rate threshold.
    #[serde(default)]
    pub heart_rate_low_bpm: Option<u32>,
    /// High temperature threshold.
    #[serde(default)]
    pub temp_high_c: Option<f64>,
}

/// `alerts.test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertsTest {
    /// The app acknowledged the test alert.
    pub delivered: bool,
}

/// One LED channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedChannel {
    /// Channel number.
    pub id: u32,
    /// Working.
    pub ok: bool,
    /// Drive current.
    #[serde(default)]
    pub current_ma: Option<u32>,
}

/// `led.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedStatus {
    /// `off`, `steady`, `blink`, `ambient`.
    pub mode: String,
    /// Brightness.
    #[serde(default)]
    pub brightness_pct: Option<u8>,
    /// Per-channel state.
    pub channels: Vec<LedChannel>,
}

/// One `led.test` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedTestResult {
    /// Channel number.
    pub id: u32,
    /// Lit correctly.
    pub ok: bool,
}

/// `led.test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedTest {
    /// One per channel.
    pub results: Vec<LedTestResult>,
}

/// `training.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingStatus {
    /// `off`, `tone`, `vibration`.
    pub mode: String,
    /// 1–10.
    #[serde(default)]
    pub sensitivity: Option<u8>,
    /// Seconds since the last command.
    #[serde(default)]
    pub last_command_age_s: Option<u64>,
    /// `ok` or `fault`.
    pub motor: String,
}

/// `fit.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FitStatus {
    /// Collar size.
    pub size: String,
    /// Strap tension.
    #[serde(default)]
    pub tension_pct: Option<u8>,
    /// `ok`, `loose`, `tight`.
    pub contact: String,
}

/// One linked product in `integration.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedProduct {
    /// Its model value.
    pub product: String,
    /// Its serial.
    #[serde(default)]
    pub serial: Option<String>,
    /// `ok` or `lost`.
    pub link: String,
}

/// `integration.status`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrationStatus {
    /// Products linked to this collar.
    pub linked: Vec<LinkedProduct>,
    /// Products it can link to.
    #[serde(default)]
    pub compatible: Vec<String>,
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
