//! What every simulated PawCore product shares: identity (`device.info`),
//! battery (`battery.status`), the event log (`log.read`), settings storage
//! and validation (`settings.get`/`settings.set`), and the self-test
//! (`selftest.run`) of the common components `battery` and `flash`.
//!
//! Device faults that live here: `battery-*`, `charging`,
//! `charger-not-detected`, `flash-ecc` (self-test FLASH_ECC, an error entry
//! in the log, and `settings.set` answering -32020 FLASH_ECC because the
//! settings cannot be saved), `firmware-outdated`, `interface-v2`.

use super::history::history;
use super::{Answer, DevError, Product};
use crate::interface::MAX_LINE;
use crate::interface::Model;
use crate::sim::SimSpec;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

/// How much uptime the device already has when the simulation starts, so
/// `uptime_s` and log times look like a device that has been on for a while.
const FIRST_UPTIME_S: u64 = 3600;
/// Log entries kept (a ring, like the firmware's flash log).
const LOG_CAP: usize = 200;

/// One log entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    /// Seconds of uptime.
    pub t: u64,
    /// `info`, `warn` or `error`.
    pub level: &'static str,
    /// Machine code.
    pub code: String,
    /// Text.
    pub msg: String,
}

/// The battery as `battery.status` reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Battery {
    /// State of charge.
    pub level_pct: u8,
    /// Cell voltage.
    pub voltage_mv: u32,
    /// Charging now.
    pub charging: bool,
    /// `none`, `usb` or `dock`.
    pub charger: &'static str,
    /// Charge cycles.
    pub cycle_count: u32,
    /// Capacity relative to new.
    pub health_pct: u8,
    /// Cell temperature; `None` when the thermistor is broken.
    pub temp_c: Option<f64>,
}

/// Kind of one setting, for validation and clamping (§9.4).
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// An integer, clamped into the range.
    Int {
        /// Lowest value.
        min: i64,
        /// Highest value.
        max: i64,
    },
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// true or false.
    Bool,
}

/// The settings of a product: key, kind, default.
pub type Schema = &'static [(&'static str, Kind)];

/// `power_mode` values.
pub const POWER_MODES: &[&str] = &["performance", "balanced", "saver"];

/// State every product has.
pub struct Common {
    /// Which product.
    pub model: Model,
    /// Serial number.
    pub serial: String,
    /// Firmware version.
    pub fw_version: String,
    /// Hardware revision.
    pub hw_rev: &'static str,
    /// Interface version reported.
    pub interface: u64,
    /// Device faults (names from the catalogue).
    pub faults: Vec<String>,
    /// Boots since manufacture.
    pub boot_count: u64,
    /// When the current boot completed.
    pub boot_at: Instant,
    /// Uptime the device had at `boot_at` (non-zero only for the first boot).
    pub uptime_base_s: u64,
    /// Why the device last reset.
    pub last_reset: &'static str,
    /// Settings in force.
    pub settings: Map<String, Value>,
    /// The product's settings schema.
    pub schema: Schema,
    /// Battery.
    pub battery: Battery,
    /// Event log, oldest first.
    pub log: Vec<LogLine>,
    /// The previous `battery.status` read (for the hands-on plug-in rule).
    pub last_battery_read: Option<Instant>,
}

impl Common {
    /// The shared state of a freshly started simulated device.
    pub fn new(spec: &SimSpec, now: Instant) -> Self {
        let has = |f: &str| spec.has(f);
        let model = spec.model;
        let fw_version = spec.fw_version.clone().unwrap_or_else(|| {
            if has("firmware-outdated") {
                outdated_firmware(model).to_string()
            } else {
                model.current_firmware().to_string()
            }
        });
        let mut battery = Battery {
            level_pct: 78,
            voltage_mv: 3950,
            charging: false,
            charger: "none",
            cycle_count: 210,
            health_pct: 91,
            temp_c: Some(24.5),
        };
        if has("battery-degraded") {
            battery.health_pct = 55;
            battery.cycle_count = 780;
        }
        if has("battery-ntc-fault") {
            battery.temp_c = None;
        }
        if has("battery-charge-fault") {
            // On the charger, but the charging circuit refuses to charge.
            // With `charging` as well it still charges: the hazardous case.
            battery.charging = false;
            battery.charger = "usb";
            battery.level_pct = 40;
            battery.voltage_mv = 3780;
        }
        if has("charging") {
            battery.charging = true;
            battery.charger = "usb";
            battery.level_pct = 64;
            battery.voltage_mv = 4080;
        }
        if has("charger-not-detected") {
            battery.charging = false;
            battery.charger = "none";
            battery.level_pct = 31;
            battery.voltage_mv = 3720;
        }
        if has("battery-low") {
            battery.level_pct = 7;
            battery.voltage_mv = 3480;
        }
        if has("battery-overtemp") {
            battery.temp_c = Some(62.0);
        }
        if has("battery-hot-charging") {
            battery.charging = true;
            battery.charger = "usb";
            battery.level_pct = 71;
            battery.voltage_mv = 4120;
            battery.temp_c = Some(66.0);
        }
        let mut dev = Self {
            model,
            serial: spec.serial.clone().unwrap_or_else(|| default_serial(model)),
            fw_version,
            hw_rev: match model {
                Model::PetTracker => "C",
                Model::HealthMonitor => "B",
                Model::SmartCollar => "D",
            },
            interface: if has("interface-v2") { 2 } else { 1 },
            faults: spec.faults.clone(),
            boot_count: 12,
            boot_at: now,
            uptime_base_s: FIRST_UPTIME_S,
            last_reset: "power_on",
            settings: Map::new(),
            schema: &[],
            battery,
            log: Vec::new(),
            last_battery_read: None,
        };
        dev.log = history(&dev);
        dev
    }

    /// Whether a device fault is set.
    pub fn has(&self, fault: &str) -> bool {
        self.faults.iter().any(|f| f == fault)
    }

    /// Seconds since boot.
    pub fn uptime_s(&self, now: Instant) -> u64 {
        self.uptime_base_s + now.saturating_duration_since(self.boot_at).as_secs()
    }

    /// Appends a log entry at the current uptime.
    pub fn log(&mut self, now: Instant, level: &'static str, code: &str, msg: impl Into<String>) {
        let t = self.uptime_s(now);
        self.log.push(LogLine {
            t,
            level,
            code: code.into(),
            msg: msg.into(),
        });
        if self.log.len() > LOG_CAP {
            let extra = self.log.len() - LOG_CAP;
            self.log.drain(..extra);
        }
    }

    /// A setting as an integer (0 when missing).
    pub fn setting_i64(&self, key: &str) -> i64 {
        self.settings.get(key).and_then(Value::as_i64).unwrap_or(0)
    }

    /// A setting as text ("" when missing).
    pub fn setting_str(&self, key: &str) -> &str {
        self.settings.get(key).and_then(Value::as_str).unwrap_or("")
    }

    /// A setting as a flag (false when missing).
    pub fn setting_bool(&self, key: &str) -> bool {
        self.settings
            .get(key)
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// `device.info`.
    pub fn device_info(&self, now: Instant) -> Value {
        let mut v = json!({
            "model": self.model.id(),
            "serial": self.serial,
            "hw_rev": self.hw_rev,
            "fw_version": self.fw_version,
            "interface": self.interface,
            "uptime_s": self.uptime_s(now),
            "boot_count": self.boot_count,
            "last_reset": self.last_reset,
        });
        if self.interface > 1
            && let Some(obj) = v.as_object_mut()
        {
            // What a later interface might add; hosts must ignore it.
            obj.insert("capabilities".into(), json!(["ota", "diag2"]));
        }
        v
    }

    /// `battery.status`. A read that comes after a hands-on pause finds the
    /// device plugged in (the person was asked to plug it in), unless the
    /// cable or adapter is bad (`charger-not-detected`) or it already sits
    /// on a charger.
    pub fn battery_status(&mut self, now: Instant) -> Value {
        if super::paused_before_read(&mut self.last_battery_read, now)
            && self.battery.charger == "none"
            && !self.has("charger-not-detected")
        {
            self.battery.charging = true;
            self.battery.charger = "usb";
            self.log(now, "info", "CHG_START", "charging from USB");
        }
        let b = &self.battery;
        json!({
            "level_pct": b.level_pct,
            "voltage_mv": b.voltage_mv,
            "charging": b.charging,
            "charger": b.charger,
            "cycle_count": b.cycle_count,
            "health_pct": b.health_pct,
            "temp_c": b.temp_c,
        })
    }

    /// `log.read`: the newest `max` entries that fit in one line (§9.3).
    pub fn log_read(&self, params: &Map<String, Value>) -> Result<Value, DevError> {
        let max = match params.get("max") {
            None | Some(Value::Null) => 50,
            Some(v) => v
                .as_u64()
                .ok_or_else(|| DevError::invalid("max must be a whole number of entries"))?,
        };
        let max = usize::try_from(max)
            .unwrap_or(usize::MAX)
            .min(self.log.len());
        let newest = &self.log[self.log.len() - max..];
        let render = |entries: &[LogLine], truncated: bool| -> Value {
            let list: Vec<Value> = entries
                .iter()
                .map(|e| json!({"t": e.t, "level": e.level, "code": e.code, "msg": e.msg}))
                .collect();
            if truncated {
                json!({ "entries": list, "truncated": true })
            } else {
                json!({ "entries": list })
            }
        };
        // Room for the envelope with the longest possible id and the CRC.
        let envelope = r#"{"id":4294967295,"result":}"#.len() + "*XXXX\n".len();
        let mut skip = 0;
        loop {
            let v = render(&newest[skip..], skip > 0);
            if v.to_string().len() + envelope <= MAX_LINE || skip >= newest.len() {
                return Ok(v);
            }
            skip += 1;
        }
    }

    /// `settings.get`.
    pub fn settings_get(&self) -> Value {
        Value::Object(self.settings.clone())
    }

    /// `settings.set`: validates every key first, then applies; `applied`
    /// holds only the keys set, after clamping (§9.4). Unknown keys are
    /// ignored; a wrong type or an unknown choice is -32602.
    pub fn settings_set(
        &mut self,
        params: &Map<String, Value>,
        now: Instant,
    ) -> Result<Value, DevError> {
        let mut applied = Map::new();
        for (key, kind) in self.schema {
            let Some(v) = params.get(*key) else { continue };
            let value = match kind {
                Kind::Int { min, max } => {
                    let n = v
                        .as_i64()
                        .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
                        .ok_or_else(|| {
                            DevError::invalid(format!("{key} must be a whole number"))
                        })?;
                    json!(n.clamp(*min, *max))
                }
                Kind::Choice(options) => match v.as_str() {
                    Some(s) if options.contains(&s) => json!(s),
                    _ => {
                        return Err(DevError::invalid(format!(
                            "{key} must be one of {}",
                            options.join(", ")
                        )));
                    }
                },
                Kind::Bool => match v.as_bool() {
                    Some(b) => json!(b),
                    None => return Err(DevError::invalid(format!("{key} must be true or false"))),
                },
            };
            applied.insert((*key).to_string(), value);
        }
        if self.has("flash-ecc") && !applied.is_empty() {
            return Err(DevError::hardware(
                "FLASH_ECC",
                "settings could not be saved: flash ECC error",
            ));
        }
        for (k, v) in &applied {
            self.settings.insert(k.clone(), v.clone());
        }
        if !applied.is_empty() {
            let keys: Vec<&str> = applied.keys().map(String::as_str).collect();
            self.log(
                now,
                "info",
                "SETTINGS",
                format!("changed {}", keys.join(", ")),
            );
        }
        Ok(json!({ "applied": applied }))
    }

    /// Failure of a common self-test component, `None` on a pass.
    pub fn selftest(&self, component: &str) -> Option<(&'static str, &'static str)> {
        match component {
            "battery" if self.has("battery-degraded") => {
                Some(("BAT_DEGRADED", "capacity 55% of new"))
            }
            "battery" if self.has("battery-ntc-fault") => {
                Some(("BAT_NTC_FAULT", "battery thermistor open circuit"))
            }
            "battery" if self.has("battery-charge-fault") => {
                Some(("BAT_CHARGE_FAULT", "charger IC reports a fault"))
            }
            "flash" if self.has("flash-ecc") => {
                Some(("FLASH_ECC", "uncorrectable ECC errors in 3 blocks"))
            }
            _ => None,
        }
    }
}

/// The firmware version a `firmware-outdated` device runs.
pub fn outdated_firmware(model: Model) -> &'static str {
    match model {
        Model::PetTracker => "2.3.0",
        Model::HealthMonitor => "1.7.2",
        Model::SmartCollar => "3.0.9",
    }
}

/// The default serial of a model, e.g. `PT-24A0-0001`.
pub fn default_serial(model: Model) -> String {
    format!("{}-24A0-0001", model.code())
}

/// All self-test results of a device: `selftest.run` with params
/// `{"components":[…]}` (omitted or empty: all). Progress events are spread
/// over 0.5 s, the answer comes after the last one.
pub fn selftest_run(
    dev: &Common,
    product: &dyn Product,
    params: &Map<String, Value>,
) -> Result<Answer, DevError> {
    let all = dev.model.components();
    let wanted: Vec<&str> = match params.get("components") {
        None | Some(Value::Null) => all.to_vec(),
        Some(Value::Array(list)) => {
            let mut out = Vec::new();
            for item in list {
                let name = item
                    .as_str()
                    .ok_or_else(|| DevError::invalid("components must be names"))?;
                let Some(known) = all.iter().find(|c| **c == name) else {
                    return Err(DevError::invalid(format!(
                        "unknown component {}; this model has {}",
                        clip(name, 32),
                        all.join(", ")
                    )));
                };
                if !out.contains(known) {
                    out.push(*known);
                }
            }
            if out.is_empty() { all.to_vec() } else { out }
        }
        Some(_) => return Err(DevError::invalid("components must be a list")),
    };
    let total = wanted.len();
    let step = Duration::from_millis(500) / (total as u32 + 1);
    let mut results = Vec::new();
    let mut progress = Vec::new();
    for (i, comp) in wanted.iter().enumerate() {
        let failure = dev.selftest(comp).or_else(|| product.selftest(comp));
        let status = if failure.is_some() { "fail" } else { "pass" };
        results.push(json!({
            "component": comp,
            "status": status,
            "code": failure.map(|f| f.0),
            "detail": failure.map(|f| f.1),
        }));
        progress.push((
            step * (i as u32 + 1),
            "selftest.progress".to_string(),
            json!({"component": comp, "status": status, "done": i + 1, "total": total}),
        ));
    }
    Ok(Answer::Later {
        after: Duration::from_millis(500),
        progress,
        result: Ok(json!({ "results": results })),
    })
}

/// Whether any self-test component fails (the BLE "fault latched" flag).
pub fn any_selftest_failure(dev: &Common, product: &dyn Product) -> bool {
    dev.model
        .components()
        .iter()
        .any(|c| dev.selftest(c).is_some() || product.selftest(c).is_some())
}

/// Cuts untrusted text for an error message.
fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).filter(|c| !c.is_control()).collect()
}
