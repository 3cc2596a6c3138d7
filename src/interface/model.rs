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

/// Everything the host knows about one product, in one row: every list
/// and message about products is built from [`PRODUCTS`], so adding a
/// product means its row here, its methods' types, its probes, flows and
/// simulator state (docs/architecture.md, "Adding a product").
#[derive(Debug)]
pub struct Product {
    /// The model.
    pub model: Model,
    /// The `model` value in `device.info` (`pettracker`).
    pub id: &'static str,
    /// Two-letter code used in serials and BLE names (`PT`).
    pub code: &'static str,
    /// Product name as customers know it (`PetTracker`).
    pub name: &'static str,
    /// USB product id (vendor [`USB_VID`]).
    pub usb_pid: u16,
    /// Model byte in BLE manufacturer data.
    pub ble_model_byte: u8,
    /// The current firmware release (§8).
    pub current_firmware: &'static str,
    /// Self-test components, in the order the table lists them.
    pub components: &'static [&'static str],
    /// Methods beyond the common ones (§5–§7).
    pub methods: &'static [&'static str],
    /// Read-only methods that describe its own state, as `info` shows them.
    pub status_methods: &'static [&'static str],
    /// What `watch` reads on every refresh besides `battery.status` (at most
    /// three, so a refresh is one pipelined round).
    pub live_methods: &'static [&'static str],
    /// Its methods that may take longer than 300 ms, with their limit in
    /// milliseconds (§3).
    pub slow_methods: &'static [(&'static str, u64)],
    /// Events only this product sends.
    pub events: &'static [&'static str],
}

/// The three products, in interface order (index = `Model as usize`).
pub const PRODUCTS: [Product; 3] = [
    Product {
        model: Model::PetTracker,
        id: "pettracker",
        code: "PT",
        name: "PetTracker",
        usb_pid: 0x7A01,
        ble_model_byte: 1,
        current_firmware: "2.4.1",
        components: &["battery", "flash", "gps", "cellular"],
        methods: &[
            "gps.status",
            "gps.cold_start",
            "link.status",
            "geofence.list",
        ],
        status_methods: &["gps.status", "link.status", "geofence.list"],
        live_methods: &["gps.status", "link.status"],
        slow_methods: &[],
        events: &["gps.fix"],
    },
    Product {
        model: Model::HealthMonitor,
        id: "healthmonitor",
        code: "HM",
        name: "HealthMonitor",
        usb_pid: 0x7A02,
        ble_model_byte: 2,
        current_firmware: "1.8.0",
        components: &["battery", "flash", "hr_sensor", "temp_sensor", "imu"],
        methods: &[
            "sensors.status",
            "sync.status",
            "sync.now",
            "alerts.config",
            "alerts.test",
            "sensors.calibrate",
        ],
        status_methods: &["sensors.status", "sync.status", "alerts.config"],
        live_methods: &["sensors.status", "sync.status"],
        slow_methods: &[("sync.now", 10_000)],
        events: &["sync.progress"],
    },
    Product {
        model: Model::SmartCollar,
        id: "smartcollar",
        code: "SC",
        name: "SmartCollar",
        usb_pid: 0x7A03,
        ble_model_byte: 3,
        current_firmware: "3.1.2",
        components: &["battery", "flash", "led", "motor", "buzzer"],
        methods: &[
            "led.status",
            "led.test",
            "training.status",
            "fit.status",
            "integration.status",
        ],
        status_methods: &[
            "led.status",
            "training.status",
            "fit.status",
            "integration.status",
        ],
        live_methods: &["led.status", "training.status", "fit.status"],
        slow_methods: &[],
        events: &[],
    },
];

impl Model {
    /// All models, in interface order.
    pub const ALL: [Model; 3] = [Model::PetTracker, Model::HealthMonitor, Model::SmartCollar];

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

    /// The common methods that only read (§4).
    pub const COMMON_READ_METHODS: [&'static str; 5] = [
        "device.info",
        "battery.status",
        "selftest.run",
        "log.read",
        "settings.get",
    ];

    /// The common methods that may take longer than 300 ms, with their
    /// limit in milliseconds (§3).
    pub const COMMON_SLOW_METHODS: [(&'static str, u64); 1] = [("selftest.run", 5_000)];

    /// Events every model sends.
    pub const COMMON_EVENTS: [&'static str; 2] = ["selftest.progress", "heartbeat"];

    /// This model's row.
    pub fn product(self) -> &'static Product {
        &PRODUCTS[self as usize]
    }

    /// The `model` value in `device.info`.
    pub fn id(self) -> &'static str {
        self.product().id
    }

    /// Two-letter code used in serials and BLE names.
    pub fn code(self) -> &'static str {
        self.product().code
    }

    /// Product name as customers know it.
    pub fn product_name(self) -> &'static str {
        self.product().name
    }

    /// USB product id.
    pub fn usb_pid(self) -> u16 {
        self.product().usb_pid
    }

    /// Model byte in BLE manufacturer data.
    pub fn ble_model_byte(self) -> u8 {
        self.product().ble_model_byte
    }

    /// BLE local-name prefix, e.g. `PawCore-PT-`.
    pub fn ble_prefix(self) -> String {
        format!("PawCore-{}-", self.code())
    }

    /// The current firmware release (§8).
    pub fn current_firmware(self) -> &'static str {
        self.product().current_firmware
    }

    /// Self-test components of this model, in the order the table lists them.
    pub fn components(self) -> &'static [&'static str] {
        self.product().components
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
        self.product().methods
    }

    /// Read-only methods that describe this model's own state, as `info`
    /// shows them (§5–§7).
    pub fn status_methods(self) -> &'static [&'static str] {
        self.product().status_methods
    }

    /// Whether `method` exists on this model.
    pub fn has_method(self, method: &str) -> bool {
        Self::COMMON_METHODS.contains(&method) || self.own_methods().contains(&method)
    }

    /// The model ids as a person types them: "pettracker, healthmonitor or
    /// smartcollar".
    pub fn ids_in_words() -> String {
        let ids: Vec<&str> = Model::ALL.iter().map(|m| m.id()).collect();
        match ids.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
            _ => ids.concat(),
        }
    }

    /// Every event a PawCore device may send.
    pub fn known_events() -> Vec<&'static str> {
        PRODUCTS
            .iter()
            .flat_map(|p| p.events.iter().copied())
            .chain(Self::COMMON_EVENTS)
            .collect()
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

/// Whether `method` only reads (a common read method or any product's
/// status method): safe to ask at any time and to cache for a session.
pub fn is_read_method(method: &str) -> bool {
    Model::COMMON_READ_METHODS.contains(&method)
        || PRODUCTS.iter().any(|p| p.status_methods.contains(&method))
}

/// How long the device may take to answer `method` (§3): 300 ms unless a
/// row says it is slow.
pub fn answer_time_ms(method: &str) -> u64 {
    Model::COMMON_SLOW_METHODS
        .iter()
        .chain(PRODUCTS.iter().flat_map(|p| p.slow_methods))
        .find(|(m, _)| *m == method)
        .map_or(300, |(_, ms)| *ms)
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
    fn each_row_is_its_model_and_lists_are_built_from_the_rows() {
        for m in Model::ALL {
            assert_eq!(m.product().model, m);
            for s in m.status_methods().iter().chain(m.product().live_methods) {
                assert!(m.own_methods().contains(s), "{m}: {s}");
                assert!(is_read_method(s), "{s}");
            }
            assert!(m.product().live_methods.len() <= 3, "{m}");
        }
        assert_eq!(
            Model::ids_in_words(),
            "pettracker, healthmonitor or smartcollar"
        );
        assert!(!is_read_method("sync.now") && !is_read_method("settings.set"));
        assert_eq!(answer_time_ms("selftest.run"), 5_000);
        assert_eq!(answer_time_ms("sync.now"), 10_000);
        assert_eq!(answer_time_ms("gps.status"), 300);
        let events = Model::known_events();
        for e in ["gps.fix", "selftest.progress", "sync.progress", "heartbeat"] {
            assert!(events.contains(&e), "{e}");
        }
    }

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
