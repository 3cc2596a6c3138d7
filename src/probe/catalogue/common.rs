//! Probes every model has: `device.info`, `battery.status`, `selftest.run`
//! and `log.read` (device interface §4).

use super::Extract::{Derived as D, Pointer as P};
use super::ValueKind::{Bool, Enum, Number as Num, Text};
use super::{ALL, FW_STATUS, Row, array, count_where};
use crate::interface::{Model, firmware_status};
use serde_json::Value;

/// The probes of every model, in the order of the device interface.
pub(super) const ROWS: &[Row] = &[
    // device.info (§4)
    Row {
        name: "device.model",
        models: ALL,
        method: "device.info",
        extract: P("/model"),
        kind: Text,
        unit: None,
        about: "the model the device reports",
    },
    Row {
        name: "device.serial",
        models: ALL,
        method: "device.info",
        extract: P("/serial"),
        kind: Text,
        unit: None,
        about: "serial number",
    },
    Row {
        name: "device.hw_rev",
        models: ALL,
        method: "device.info",
        extract: P("/hw_rev"),
        kind: Text,
        unit: None,
        about: "hardware revision",
    },
    Row {
        name: "device.fw_version",
        models: ALL,
        method: "device.info",
        extract: P("/fw_version"),
        kind: Text,
        unit: None,
        about: "firmware version",
    },
    Row {
        name: "device.firmware_status",
        models: ALL,
        method: "device.info",
        extract: D(d_firmware_status),
        kind: Enum(FW_STATUS),
        unit: None,
        about: "firmware compared with the current release: current, outdated (update first), newer or unknown",
    },
    Row {
        name: "device.interface",
        models: ALL,
        method: "device.info",
        extract: P("/interface"),
        kind: Num,
        unit: None,
        about: "device interface version (1 is what pawdiag speaks)",
    },
    Row {
        name: "device.uptime_s",
        models: ALL,
        method: "device.info",
        extract: P("/uptime_s"),
        kind: Num,
        unit: Some("s"),
        about: "time since the device started",
    },
    Row {
        name: "device.boot_count",
        models: ALL,
        method: "device.info",
        extract: P("/boot_count"),
        kind: Num,
        unit: None,
        about: "starts since manufacture",
    },
    Row {
        name: "device.last_reset",
        models: ALL,
        method: "device.info",
        extract: P("/last_reset"),
        kind: Enum(&[
            "power_on",
            "watchdog",
            "brownout",
            "user",
            "firmware_update",
        ]),
        unit: None,
        about: "why the device last restarted",
    },
    // battery.status (§4)
    Row {
        name: "battery.level_pct",
        models: ALL,
        method: "battery.status",
        extract: P("/level_pct"),
        kind: Num,
        unit: Some("%"),
        about: "state of charge",
    },
    Row {
        name: "battery.voltage_mv",
        models: ALL,
        method: "battery.status",
        extract: P("/voltage_mv"),
        kind: Num,
        unit: Some("mV"),
        about: "cell voltage",
    },
    Row {
        name: "battery.charging",
        models: ALL,
        method: "battery.status",
        extract: P("/charging"),
        kind: Bool,
        unit: None,
        about: "whether it is charging now",
    },
    Row {
        name: "battery.charger",
        models: ALL,
        method: "battery.status",
        extract: P("/charger"),
        kind: Enum(&["none", "usb", "dock"]),
        unit: None,
        about: "what it charges from (none: no charger detected)",
    },
    Row {
        name: "battery.cycle_count",
        models: ALL,
        method: "battery.status",
        extract: P("/cycle_count"),
        kind: Num,
        unit: None,
        about: "charge cycles so far",
    },
    Row {
        name: "battery.health_pct",
        models: ALL,
        method: "battery.status",
        extract: P("/health_pct"),
        kind: Num,
        unit: Some("%"),
        about: "capacity compared with a new battery",
    },
    Row {
        name: "battery.temp_c",
        models: ALL,
        method: "battery.status",
        extract: P("/temp_c"),
        kind: Num,
        unit: Some("°C"),
        about: "battery temperature",
    },
    // selftest.run (§4): per-component rows are added below.
    Row {
        name: "selftest.failed_count",
        models: ALL,
        method: "selftest.run",
        extract: D(d_selftest_failed),
        kind: Num,
        unit: None,
        about: "how many self-test components failed",
    },
    // log.read (§4)
    Row {
        name: "log.error_count",
        models: ALL,
        method: "log.read",
        extract: D(d_log_errors),
        kind: Num,
        unit: None,
        about: "error entries among the newest 50 log entries",
    },
    Row {
        name: "log.warn_count",
        models: ALL,
        method: "log.read",
        extract: D(d_log_warnings),
        kind: Num,
        unit: None,
        about: "warning entries among the newest 50 log entries",
    },
];

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

pub(super) fn log_params() -> Value {
    serde_json::json!({ "max": 50 })
}
