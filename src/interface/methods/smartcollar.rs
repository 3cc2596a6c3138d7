//! Typed results of the SmartCollar methods (§7): LEDs, training, fit, linked products.

use serde::{Deserialize, Serialize};

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
