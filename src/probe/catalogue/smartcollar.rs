//! SmartCollar probes (device interface §7): LEDs, training, linked devices.

use super::Extract::{Derived as D, Pointer as P};
use super::ValueKind::{Enum, Number as Num, Text};
use super::{Row, array, count_where};
use crate::interface::Model;
use crate::interface::Model::SmartCollar as SC;
use serde_json::Value;

/// The SmartCollar's probes.
pub(super) const ROWS: &[Row] = &[
    Row {
        name: "led.mode",
        models: &[SC],
        method: "led.status",
        extract: P("/mode"),
        kind: Enum(&["off", "steady", "blink", "ambient"]),
        unit: None,
        about: "LED lighting mode",
    },
    Row {
        name: "led.brightness_pct",
        models: &[SC],
        method: "led.status",
        extract: P("/brightness_pct"),
        kind: Num,
        unit: Some("%"),
        about: "LED brightness",
    },
    Row {
        name: "led.failed_channels",
        models: &[SC],
        method: "led.status",
        extract: D(d_led_failed),
        kind: Num,
        unit: None,
        about: "LED channels that do not work",
    },
    Row {
        name: "led.channel_count",
        models: &[SC],
        method: "led.status",
        extract: D(d_led_channels),
        kind: Num,
        unit: None,
        about: "LED channels",
    },
    Row {
        name: "training.mode",
        models: &[SC],
        method: "training.status",
        extract: P("/mode"),
        kind: Enum(&["off", "tone", "vibration"]),
        unit: None,
        about: "training cue",
    },
    Row {
        name: "training.sensitivity",
        models: &[SC],
        method: "training.status",
        extract: P("/sensitivity"),
        kind: Num,
        unit: None,
        about: "training sensitivity, 1 to 10",
    },
    Row {
        name: "training.motor",
        models: &[SC],
        method: "training.status",
        extract: P("/motor"),
        kind: Enum(&["ok", "fault"]),
        unit: None,
        about: "vibration motor state",
    },
    Row {
        name: "training.last_command_age_s",
        models: &[SC],
        method: "training.status",
        extract: P("/last_command_age_s"),
        kind: Num,
        unit: Some("s"),
        about: "time since the last training command",
    },
    Row {
        name: "fit.size",
        models: &[SC],
        method: "fit.status",
        extract: P("/size"),
        kind: Text,
        unit: None,
        about: "collar size",
    },
    Row {
        name: "fit.tension_pct",
        models: &[SC],
        method: "fit.status",
        extract: P("/tension_pct"),
        kind: Num,
        unit: Some("%"),
        about: "strap tension",
    },
    Row {
        name: "fit.contact",
        models: &[SC],
        method: "fit.status",
        extract: P("/contact"),
        kind: Enum(&["ok", "loose", "tight"]),
        unit: None,
        about: "how the collar sits",
    },
    Row {
        name: "integration.linked_count",
        models: &[SC],
        method: "integration.status",
        extract: D(d_linked),
        kind: Num,
        unit: None,
        about: "PawCore products linked to the collar",
    },
    Row {
        name: "integration.lost_count",
        models: &[SC],
        method: "integration.status",
        extract: D(d_lost),
        kind: Num,
        unit: None,
        about: "linked products whose link is lost",
    },
    Row {
        name: "settings.led_mode",
        models: &[SC],
        method: "settings.get",
        extract: P("/led_mode"),
        kind: Text,
        unit: None,
        about: "LED mode setting",
    },
    Row {
        name: "settings.brightness_pct",
        models: &[SC],
        method: "settings.get",
        extract: P("/brightness_pct"),
        kind: Num,
        unit: Some("%"),
        about: "LED brightness setting",
    },
    Row {
        name: "settings.training_mode",
        models: &[SC],
        method: "settings.get",
        extract: P("/training_mode"),
        kind: Text,
        unit: None,
        about: "training mode setting",
    },
    Row {
        name: "settings.sensitivity",
        models: &[SC],
        method: "settings.get",
        extract: P("/sensitivity"),
        kind: Num,
        unit: None,
        about: "training sensitivity setting",
    },
];

/// Probes only available once a fix node has run their method.
pub(super) const ACTIVE: &[Row] = &[Row {
    name: "led.test_failed",
    models: &[SC],
    method: "led.test",
    extract: D(d_led_test_failed),
    kind: Num,
    unit: None,
    about: "channels that did not light in the LED test (after a fix runs led.test)",
}];

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
