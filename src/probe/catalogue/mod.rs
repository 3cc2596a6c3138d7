//! The catalogue of probes: every named fact a flow may ask for, which
//! models have it, which device method yields it and how to pick it out of
//! the method's result. Data, not code paths: each product's rows live in
//! its own file (`pettracker.rs`, `healthmonitor.rs`, `smartcollar.rs`),
//! what every model has in `common.rs`; adding a product means adding its
//! file here.
//!
//! Names are `<group>.<field>` following the device interface. Personal data
//! (`lat`, `lon`, geofence names and centres) is deliberately not exposed as
//! a probe: no flow needs it, so no report can leak it through a fact.

use crate::interface::Model;
use serde_json::Value;
use std::sync::LazyLock;

mod common;
mod healthmonitor;
mod pettracker;
mod smartcollar;
#[cfg(test)]
mod tests;

/// What kind of value a probe yields (for lint and documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// true or false.
    Bool,
    /// A number (integer or decimal).
    Number,
    /// Free text.
    Text,
    /// One of a fixed set of words (later firmware may add more).
    Enum(&'static [&'static str]),
}

impl ValueKind {
    /// A short description for docs and `flows probes`.
    pub fn describe(self) -> String {
        match self {
            ValueKind::Bool => "true/false".into(),
            ValueKind::Number => "number".into(),
            ValueKind::Text => "text".into(),
            ValueKind::Enum(words) => words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" | "),
        }
    }
}

/// How a probe's value is taken from its method's result.
#[derive(Debug, Clone, Copy)]
pub enum Extract {
    /// A JSON pointer into the result, e.g. `/level_pct`. A missing field
    /// reads as `null` (older firmware may not have it).
    Pointer(&'static str),
    /// `status` of one self-test component (`null` when it was not tested).
    SelftestStatus(&'static str),
    /// `code` of one self-test component.
    SelftestCode(&'static str),
    /// A value computed from the whole result.
    Derived(fn(&Value, Model) -> Value),
    /// A value computed from the result together with another read-only
    /// method's result (read once and cached like any other). Lets a probe
    /// answer a question about personal data (is the tracker inside a safe
    /// zone?) without exposing the data itself.
    Joined(&'static str, fn(&Value, &Value, Model) -> Value),
}

/// One named fact.
#[derive(Debug, Clone)]
pub struct Probe {
    /// Name used in flow expressions, e.g. `battery.temp_c`.
    pub name: String,
    /// Models that have it (empty: every model).
    pub models: &'static [Model],
    /// The device method that yields it.
    pub method: &'static str,
    /// Params for the method, when it needs some.
    pub params: Option<fn() -> Value>,
    /// How to pick the value out.
    pub extract: Extract,
    /// Plain-language description (for technicians and docs).
    pub about: &'static str,
    /// Unit, when it has one.
    pub unit: Option<&'static str>,
    /// What kind of value.
    pub kind: ValueKind,
    /// Reading it runs a test with side effects (an alert to the phone, a
    /// sync, the LEDs flashing): it is only available after a fix node has
    /// invoked its method, never read on its own.
    pub active: bool,
}

impl Probe {
    /// Whether the probe exists on `model`.
    pub fn applies_to(&self, model: Model) -> bool {
        self.models.is_empty() || self.models.contains(&model)
    }

    /// The other method a [`Extract::Joined`] probe needs, if any.
    pub fn also_reads(&self) -> Option<&'static str> {
        match self.extract {
            Extract::Joined(m, _) => Some(m),
            _ => None,
        }
    }

    /// Picks the value out of the method's result (and, for a joined
    /// probe, the other method's result; `null` without it).
    pub fn extract_with(&self, result: &Value, other: Option<&Value>, model: Model) -> Value {
        match (self.extract, other) {
            (Extract::Joined(_, f), Some(o)) => f(result, o, model),
            (Extract::Joined(..), None) => Value::Null,
            _ => self.extract(result, model),
        }
    }

    /// Picks the value out of the method's result.
    pub fn extract(&self, result: &Value, model: Model) -> Value {
        match self.extract {
            Extract::Pointer(p) => result.pointer(p).cloned().unwrap_or(Value::Null),
            Extract::SelftestStatus(c) => selftest_entry(result, c)
                .and_then(|e| e.get("status").cloned())
                .unwrap_or(Value::Null),
            Extract::SelftestCode(c) => selftest_entry(result, c)
                .and_then(|e| e.get("code").cloned())
                .unwrap_or(Value::Null),
            Extract::Derived(f) => f(result, model),
            Extract::Joined(..) => Value::Null,
        }
    }

    /// The method's params, if any.
    pub fn params(&self) -> Option<Value> {
        self.params.map(|f| f())
    }
}

fn selftest_entry<'a>(result: &'a Value, component: &str) -> Option<&'a Value> {
    result
        .get("results")?
        .as_array()?
        .iter()
        .find(|e| e.get("component").and_then(Value::as_str) == Some(component))
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn count_where(items: &[Value], pred: impl Fn(&Value) -> bool) -> Value {
    Value::from(items.iter().filter(|i| pred(i)).count() as u64)
}

const ALL: &[Model] = &[];
const FW_STATUS: &[&str] = &["current", "outdated", "newer", "unknown"];
const TEST_STATUS: &[&str] = &["pass", "fail", "skipped"];
const SENSOR: &[&str] = &["ok", "no_contact", "fault"];
const POWER_MODE: &[&str] = &["performance", "balanced", "saver"];

/// One probe as its product's file writes it.
struct Row {
    /// Name used in flow expressions.
    name: &'static str,
    /// Models that have it ([`ALL`]: every model).
    models: &'static [Model],
    /// The device method that yields it.
    method: &'static str,
    /// How to pick the value out.
    extract: Extract,
    /// What kind of value.
    kind: ValueKind,
    /// Unit, when it has one.
    unit: Option<&'static str>,
    /// Plain-language description.
    about: &'static str,
}

fn build() -> Vec<Probe> {
    let mut out: Vec<Probe> = Vec::new();
    let mut push = |r: &Row, active: bool| {
        out.push(Probe {
            name: r.name.into(),
            models: r.models,
            method: r.method,
            params: (r.method == "log.read").then_some(common::log_params as fn() -> Value),
            extract: r.extract,
            about: r.about,
            unit: r.unit,
            kind: r.kind,
            active,
        });
    };
    let products = [pettracker::ROWS, healthmonitor::ROWS, smartcollar::ROWS];
    for r in common::ROWS.iter().chain(products.into_iter().flatten()) {
        push(r, false);
    }
    for r in healthmonitor::ACTIVE.iter().chain(smartcollar::ACTIVE) {
        push(r, true);
    }
    // One status and one code probe per self-test component (§4 table).
    let mut components: Vec<(&'static str, Vec<Model>)> = Vec::new();
    for m in Model::ALL {
        for c in m.components() {
            match components.iter_mut().find(|(n, _)| n == c) {
                Some((_, ms)) => ms.push(m),
                None => components.push((c, vec![m])),
            }
        }
    }
    for (component, ms) in components {
        let models: &'static [Model] = if ms.len() == Model::ALL.len() {
            ALL
        } else {
            Box::leak(ms.into_boxed_slice())
        };
        let codes: &'static [&'static str] = Model::failure_codes(component);
        out.push(Probe {
            name: format!("selftest.{component}"),
            models,
            method: "selftest.run",
            params: None,
            extract: Extract::SelftestStatus(component),
            about: "self-test result of this component",
            unit: None,
            kind: ValueKind::Enum(TEST_STATUS),
            active: false,
        });
        out.push(Probe {
            name: format!("selftest.{component}.code"),
            models,
            method: "selftest.run",
            params: None,
            extract: Extract::SelftestCode(component),
            about: "failure code of this component (null on a pass)",
            unit: None,
            kind: ValueKind::Enum(codes),
            active: false,
        });
    }
    out
}

static CATALOGUE: LazyLock<Vec<Probe>> = LazyLock::new(build);

/// Every probe.
pub fn all() -> &'static [Probe] {
    &CATALOGUE
}

/// Looks a probe up by name.
pub fn find(name: &str) -> Option<&'static Probe> {
    CATALOGUE.iter().find(|p| p.name == name)
}

/// The unit of a probe's value, if it has one.
pub fn unit_of(name: &str) -> Option<&'static str> {
    find(name).and_then(|p| p.unit)
}

/// The other probes of the same method read on `model`: what one read of
/// `name`'s method also tells (a step records them all as its evidence).
pub fn siblings(name: &str, model: Model) -> impl Iterator<Item = &'static Probe> {
    let method = find(name).filter(|p| !p.active).map(|p| p.method);
    CATALOGUE.iter().filter(move |p| {
        Some(p.method) == method
            && p.name != name
            && !p.active
            && p.applies_to(model)
            // The device's identity is the report's device section; of
            // `device.info` a step keeps only what bears on the firmware.
            && (p.method != "device.info"
                || matches!(p.name.as_str(), "device.fw_version" | "device.firmware_status"))
    })
}

/// For a self-test failure-code probe (`selftest.gps.code`), its
/// component's status probe: a `null` code is an answer when that status
/// is `pass`.
pub fn code_status_probe(name: &str) -> Option<String> {
    match find(name)?.extract {
        Extract::SelftestCode(c) => Some(format!("selftest.{c}")),
        _ => None,
    }
}

/// The probes of one model.
pub fn for_model(model: Model) -> impl Iterator<Item = &'static Probe> {
    CATALOGUE.iter().filter(move |p| p.applies_to(model))
}

/// Methods whose cached results a fix method makes stale. `device.reboot`
/// makes everything stale (`*`).
pub fn invalidated_by(method: &str) -> &'static [&'static str] {
    match method {
        "settings.set" => &[
            "settings.get",
            "led.status",
            "training.status",
            "alerts.config",
        ],
        "gps.cold_start" => &["gps.status"],
        "sync.now" => &["sync.status"],
        "sensors.calibrate" => &["sensors.status"],
        "alerts.test" => &[],
        "led.test" => &["led.status"],
        "selftest.run" => &[],
        "device.reboot" => &["*"],
        _ => &["*"],
    }
}

/// Whether a probe's value is computed from the owner's location (the
/// position against the safe zones). A report keeps positions rounded for
/// privacy, so a verdict that read such a probe cannot be rechecked from a
/// report, only from a `--record` recording.
pub fn rests_on_location(probe: &str) -> bool {
    probe == "geofence.outside"
}

/// Whether a condition (as written) reads a probe that rests on the owner's
/// location.
pub fn mentions_location(condition: &str) -> bool {
    condition
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .any(rests_on_location)
}

pub use crate::interface::methods::is_read_method;
