//! Typed results of the PetTracker methods (§5): GPS, cellular and cloud link, geofences.

use serde::{Deserialize, Serialize};

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
