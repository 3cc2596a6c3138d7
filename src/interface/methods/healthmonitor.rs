//! Typed results of the HealthMonitor methods (§6): sensors, sync, alerts.

use serde::{Deserialize, Serialize};

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
