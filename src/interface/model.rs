//! The three PawCore products: model codes, USB ids, BLE names, self-test
//! components and current firmware releases (device interface tables, §8).

use serde::{Deserialize, Serialize};
use std::fmt;

/// USB vendor id of every PawCore product.
pub const USB_VID: u16 = 0x1209;
/// BLE company id in the manufacturer data.
pub const BLE_COMPANY_ID: u16 = 0xFFFF;
/// Nordic UART Service.
pub const NUS_SERVICE: &str = "6e400001-b5a3-f393-e0a9-e50e24dcca9e";
/// NUS RX: the host writes here.
pub const NUS_RX: &str = "6e400002-b5a3-f393-e0a9-e50e24dcca9e";
/// NUS TX: the device notifies here.
pub const NUS_TX: &str = "6e400003-b5a3-f393-e0a9-e50e24dcca9e";
/// The interface version this host implements.
pub const INTERFACE_VERSION: u64 = 1;

/// A PawCore product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// GPS tracker.
    PetTracker,
    /// Wearable health sensor.
    HealthMonitor,
    /// LED and training collar.
    SmartCollar,
}

impl Model {
    /// All models, in interface order.
    pub const ALL: [Model; 3] = [Model::PetTracker, Model::HealthMonitor, Model::SmartCollar];

    /// The `model` value in `device.info`.
    pub fn id(self) -> &'static str {
        match self {
            Model::PetTracker => "pettracker",
            Model::HealthMonitor => "healthmonitor",
            Model::SmartCollar => "smartcollar",
        }
    }

    /// Two-letter code used in serials and BLE names.
    pub fn code(self) -> &'static str {
        match self {
            Model::PetTracker => "PT",
            Model::HealthMonitor => "HM",
            Model::SmartCollar => "SC",
        }
    }

    /// Product name as customers know it.
    pub fn product_name(self) -> &'static str {
        match self {
            Model::PetTracker => "PetTracker",
            Model::HealthMonitor => "HealthMonitor",
            Model::SmartCollar => "SmartCollar",
        }
    }

    /// USB product id.
    pub fn usb_pid(self) -> u16 {
        match self {
            Model::PetTracker => 0x7A01,
            Model::HealthMonitor => 0x7A02,
            Model::SmartCollar => 0x7A03,
        }
    }

    /// Model byte in BLE manufacturer data.
    pub fn ble_model_byte(self) -> u8 {
        match self {
            Model::PetTracker => 1,
            Model::HealthMonitor => 2,
            Model::SmartCollar => 3,
        }
    }

    /// BLE local-name prefix, e.g. `PawCore-PT-`.
    pub fn ble_prefix(self) -> String {
        format!("PawCore-{}-", self.code())
    }

    /// The current firmware release (§8).
    pub fn current_firmware(self) -> &'static str {
        match self {
            Model::PetTracker => "2.4.1",
            Model::HealthMonitor => "1.8.0",
            Model::SmartCollar => "3.1.2",
        }
    }

    /// Self-test components of this model, in the order the table lists them.
    pub fn components(self) -> &'static [&'static str] {
        match self {
            Model::PetTracker => &["battery", "flash", "gps", "cellular"],
            Model::HealthMonitor => &["battery", "flash", "hr_sensor", "temp_sensor", "imu"],
            Model::SmartCollar => &["battery", "flash", "led", "motor", "buzzer"],
        }
    }

    /// Failure codes a component can report.
    pub fn failure_codes(component: &str) -> &'static [&'static str] {
        match component {
            "battery" => &["BAT_DEGRADED", "BAT_NTC_FAULT", "BAT_CHARGE_FAULT"],
            "flash" => &["FLASH_ECC"],
            "gps" => &["GPS_ANT_OPEN", "GPS_ANT_SHORT", "GPS_NO_RF"],
            "cellular" => &["CELL_NO_SIM", "CELL_NO_REG"],
            "hr_sensor" => &["HR_LED_FAULT", "HR_NO_SIGNAL"],
            "temp_sensor" => &["TEMP_OUT_OF_RANGE"],
            "imu" => &["IMU_NO_RESPONSE"],
            "led" => &["LED_CH_OPEN", "LED_DRIVER_FAULT"],
            "motor" => &["MOTOR_STALL"],
            "buzzer" => &["BUZZER_FAULT"],
            _ => &[],
        }
    }

    /// Methods of this model beyond the common ones (§5–§7).
    pub fn own_methods(self) -> &'static [&'static str] {
        match self {
            Model::PetTracker => &[
                "gps.status",
                "gps.cold_start",
                "link.status",
                "geofence.list",
            ],
            Model::HealthMonitor => &[
                "sensors.status",
                "sync.status",
                "sync.now",
                "alerts.config",
                "alerts.test",
                "sensors.calibrate",
            ],
            Model::SmartCollar => &[
                "led.status",
                "led.test",
                "training.status",
                "fit.status",
                "integration.status",
            ],
        }
    }

    /// Read-only methods that describe this model's own state, as `info`
    /// shows them (§5–§7).
    pub fn status_methods(self) -> &'static [&'static str] {
        match self {
            Model::PetTracker => &["gps.status", "link.status", "geofence.list"],
            Model::HealthMonitor => &["sensors.status", "sync.status", "alerts.config"],
            Model::SmartCollar => &[
                "led.status",
                "training.status",
                "fit.status",
                "integration.status",
            ],
        }
    }

    /// Methods every model has (§4).
    pub const COMMON_METHODS: [&'static str; 7] = [
        "device.info",
        "battery.status",
        "selftest.run",
        "log.read",
        "settings.get",
        "settings.set",
        "device.reboot",
    ];

    /// Whether `method` exists on this model.
    pub fn has_method(self, method: &str) -> bool {
        Self::COMMON_METHODS.contains(&method) || self.own_methods().contains(&method)
    }

    /// Looks a model up by `model` value, code or product name (any case).
    pub fn parse(s: &str) -> Option<Model> {
        let s = s.trim().to_ascii_lowercase();
        Model::ALL.into_iter().find(|m| {
            s == m.id()
                || s == m.code().to_ascii_lowercase()
                || s == m.product_name().to_ascii_lowercase()
        })
    }

    /// The model with this BLE model byte.
    pub fn from_ble_byte(b: u8) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.ble_model_byte() == b)
    }

    /// The model with this USB product id.
    pub fn from_usb_pid(pid: u16) -> Option<Model> {
        Model::ALL.into_iter().find(|m| m.usb_pid() == pid)
    }
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.product_name())
    }
}

/// How a firmware version compares with the current release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FirmwareStatus {
    /// Same as the current release.
    Current,
    /// Older: an update is due.
    Outdated,
    /// Newer than the release this host knows of (pre-release or newer host needed).
    Newer,
    /// Not a version we can compare.
    Unknown,
}

/// Compares dotted numeric versions, e.g. `2.3.9` < `2.4.1`.
pub fn firmware_status(model: Model, version: &str) -> FirmwareStatus {
    let parse = |v: &str| -> Option<Vec<u64>> {
        v.trim()
            .trim_start_matches('v')
            .split('.')
            .map(|p| p.parse::<u64>().ok())
            .collect()
    };
    match (parse(version), parse(model.current_firmware())) {
        (Some(have), Some(want)) => match have.cmp(&want) {
            std::cmp::Ordering::Less => FirmwareStatus::Outdated,
            std::cmp::Ordering::Equal => FirmwareStatus::Current,
            std::cmp::Ordering::Greater => FirmwareStatus::Newer,
        },
        _ => FirmwareStatus::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_ids_codes_and_names() {
        assert_eq!(Model::parse("pettracker"), Some(Model::PetTracker));
        assert_eq!(Model::parse("HM"), Some(Model::HealthMonitor));
        assert_eq!(Model::parse("SmartCollar"), Some(Model::SmartCollar));
        assert_eq!(Model::parse("toaster"), None);
    }

    #[test]
    fn firmware_comparison_is_numeric() {
        assert_eq!(
            firmware_status(Model::PetTracker, "2.4.1"),
            FirmwareStatus::Current
        );
        assert_eq!(
            firmware_status(Model::PetTracker, "2.3.10"),
            FirmwareStatus::Outdated
        );
        assert_eq!(
            firmware_status(Model::PetTracker, "2.10.0"),
            FirmwareStatus::Newer
        );
        assert_eq!(
            firmware_status(Model::SmartCollar, "beta"),
            FirmwareStatus::Unknown
        );
    }
}
