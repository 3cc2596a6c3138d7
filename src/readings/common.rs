//! What every model answers: battery and settings; names of self-test
//! components and methods in words; and a fallback for answers this build
//! does not know (a newer interface), shown with their keys as words.

use super::{Line, Mark, flag, num, num_text, text};
use serde_json::Value;

/// `battery.status`: level, voltage, charging, health, cycles, temperature.
/// Health and temperature are judged as the flows judge them (health below
/// 70% is degraded; 60 °C and above is the safety rule's overheating).
pub fn battery(v: &Value) -> Line {
    let mut l = Line::new("Battery");
    if let Some(level) = num(v, "level_pct") {
        let judge = if level < 5.0 {
            Some(("nearly empty", Mark::Bad))
        } else if level < 15.0 {
            Some(("low", Mark::Warn))
        } else {
            None
        };
        l.judged(format!("{level}%"), judge);
    }
    if let Some(mv) = num_text(v, "voltage_mv") {
        l.plain(format!("{mv} mV"));
    }
    let charger = text(v, "charger").filter(|c| c != "none");
    match (flag(v, "charging"), charger) {
        (Some(true), Some(c)) => l.plain(format!("charging from {}", charger_words(&c))),
        (Some(true), None) => l.plain("charging"),
        // On a charger that does not charge: the flows' charger check.
        (Some(false), Some(c)) => l.mark(
            format!("on {} but not charging", charger_words(&c)),
            Mark::Warn,
        ),
        (Some(false), None) => l.plain("not charging"),
        (None, _) => &mut l,
    };
    if let Some(h) = num(v, "health_pct") {
        let judge = if h < 70.0 {
            ("degraded", Mark::Bad)
        } else if h < 80.0 {
            ("worn", Mark::Warn)
        } else {
            ("good", Mark::Good)
        };
        l.judged(format!("health {h}%"), Some(judge));
    }
    if let Some(c) = num_text(v, "cycle_count") {
        l.plain(format!("{c} cycles"));
    }
    if let Some(t) = num(v, "temp_c") {
        let judge = if t >= 60.0 {
            Some(("OVERHEATING", Mark::Bad))
        } else if t >= 45.0 {
            Some(("warm", Mark::Warn))
        } else if t < 0.0 {
            Some(("cold", Mark::Warn))
        } else {
            None
        };
        l.judged(
            format!("{} °C", num_text(v, "temp_c").unwrap_or_default()),
            judge,
        );
    }
    l
}

fn charger_words(c: &str) -> String {
    match c {
        "usb" => "USB".into(),
        "dock" => "the dock".into(),
        other => format!("charger {other}"),
    }
}

/// `settings.get`: each model's settings in words.
pub fn settings(v: &Value) -> Line {
    let mut l = Line::new("Settings");
    let Some(map) = v.as_object() else {
        return l;
    };
    // Known keys in a reading order, then any the firmware added.
    const ORDER: [&str; 9] = [
        "tracking_interval_s",
        "monitoring_interval_s",
        "power_mode",
        "led",
        "led_mode",
        "brightness_pct",
        "training_mode",
        "sensitivity",
        "alerts_enabled",
    ];
    let known = ORDER.iter().filter_map(|k| map.get_key_value(*k));
    let others = map.iter().filter(|(k, _)| !ORDER.contains(&k.as_str()));
    for (key, value) in known.chain(others).take(32) {
        let val = || text(v, key).unwrap_or_else(|| "—".into());
        match key.as_str() {
            "tracking_interval_s" | "monitoring_interval_s" => {
                let what = if key == "tracking_interval_s" {
                    "position"
                } else {
                    "readings"
                };
                let secs = value.as_u64().unwrap_or(0);
                // The flows' battery checks: more often than this drains it.
                let often = if key == "tracking_interval_s" {
                    60
                } else {
                    300
                };
                let judge =
                    (secs > 0 && secs < often).then_some(("drains the battery", Mark::Warn));
                l.judged(format!("{what} every {}", super::duration(secs)), judge);
            }
            "power_mode" => {
                l.plain(format!("power mode {}", val()));
            }
            "led" => {
                l.plain(format!("LED {}", val()));
            }
            "alerts_enabled" => {
                l.plain(if value.as_bool() == Some(false) {
                    "alerts off"
                } else {
                    "alerts on"
                });
            }
            "led_mode" => {
                l.plain(format!("LED {}", val()));
            }
            "brightness_pct" => {
                l.plain(format!("brightness {}%", val()));
            }
            "training_mode" => {
                l.plain(format!("training {}", val()));
            }
            "sensitivity" => {
                l.plain(format!("sensitivity {}", val()));
            }
            other => {
                l.plain(format!("{} {}", words(other), val()));
            }
        }
    }
    l
}

/// An answer this build has no wording for: each scalar as `key words
/// value`, nested objects flattened, at most 24 parts.
pub fn generic(label: &str, v: &Value) -> Line {
    let mut l = Line::new(label);
    let mut stack = vec![(String::new(), v)];
    while let Some((prefix, v)) = stack.pop() {
        if l.parts.len() >= 24 {
            break;
        }
        match v {
            Value::Object(map) => {
                for (k, x) in map.iter().rev() {
                    let name = if prefix.is_empty() {
                        words(k)
                    } else {
                        format!("{prefix} {}", words(k))
                    };
                    stack.push((name, x));
                }
            }
            Value::Array(items) => {
                for (n, x) in items.iter().enumerate().take(16).rev() {
                    stack.push((format!("{prefix} {}", n + 1), x));
                }
            }
            Value::Null => {
                l.plain(format!("{prefix} —"));
            }
            other => {
                let t = match other {
                    Value::String(s) => super::clean(s),
                    x => x.to_string(),
                };
                l.plain(format!("{prefix} {t}").trim().to_string());
            }
        }
    }
    l
}

/// A protocol key in words: `last_sync_age_s` → `last sync age`, unit
/// suffixes dropped.
pub fn words(key: &str) -> String {
    let k = super::clean(key);
    let trimmed = [
        "_pct", "_mv", "_ma", "_s", "_m", "_c", "_dbm", "_dbhz", "_bpm",
    ]
    .iter()
    .find_map(|suffix| k.strip_suffix(suffix))
    .unwrap_or(&k);
    trimmed.replace(['_', '.'], " ")
}

/// What a method is about, in words.
pub fn method_label(method: &str) -> String {
    match method {
        "battery.status" => "Battery",
        "selftest.run" => "Self-test",
        "log.read" => "Device log",
        "settings.get" => "Settings",
        "gps.status" => "GPS",
        "link.status" => "Cellular and app link",
        "geofence.list" => "Geofences",
        "sensors.status" => "Sensors",
        "sync.status" => "Sync",
        "alerts.config" => "Alerts",
        "led.status" => "LEDs",
        "training.status" => "Training",
        "fit.status" => "Fit",
        "integration.status" => "Linked devices",
        other => return capitalised(&words(other)),
    }
    .to_string()
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// A self-test component in words.
pub fn component_name(component: &str) -> String {
    match component {
        "battery" => "Battery",
        "flash" => "Flash memory",
        "gps" => "GPS",
        "cellular" => "Cellular modem",
        "hr_sensor" => "Heart-rate sensor",
        "temp_sensor" => "Temperature sensor",
        "imu" => "Motion sensor (IMU)",
        "led" => "LEDs",
        "motor" => "Vibration motor",
        "buzzer" => "Buzzer",
        other => return capitalised(&words(other)),
    }
    .to_string()
}
