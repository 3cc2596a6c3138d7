//! What changed between two reports of one device (`pawdiag report diff`):
//! the verdict, the firmware, the self-test, the readings, the settings and
//! the findings. Pure: two reports in, a list of changes out.
//!
//! Readings are the battery as read at the start and every value a step
//! read (by fact name, the last value); settings come from the last
//! `settings.get` answer in the transcript (or `settings.*` readings).
//! A reading or setting only one of the two sessions read is not a change
//! (different flows read different things); it is counted instead.

use super::model::Report;
use super::value_text;
use crate::interface::methods::TestStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// What part of the report a change is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Outcome kind, code, tier, safety, stop.
    Verdict,
    /// Firmware version and status, hardware revision, interface.
    Firmware,
    /// Self-test results by component.
    SelfTest,
    /// Values read from the device.
    Readings,
    /// The device's settings.
    Settings,
    /// Checks that found something.
    Findings,
}

impl Category {
    /// Words for the table.
    pub fn label(self) -> &'static str {
        match self {
            Category::Verdict => "verdict",
            Category::Firmware => "firmware",
            Category::SelfTest => "self-test",
            Category::Readings => "readings",
            Category::Settings => "settings",
            Category::Findings => "findings",
        }
    }
}

/// One thing that differs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Where.
    pub category: Category,
    /// What, e.g. `battery.health_pct`.
    pub name: String,
    /// Its value in the older report (`null`: none).
    pub old: Value,
    /// Its value in the newer report (`null`: none).
    pub new: Value,
}

impl Change {
    /// The old value as text (`-` for none).
    pub fn old_text(&self) -> String {
        text(&self.old)
    }

    /// The new value as text (`-` for none).
    pub fn new_text(&self) -> String {
        text(&self.new)
    }
}

fn text(v: &Value) -> String {
    if v.is_null() {
        "-".into()
    } else {
        value_text(v)
    }
}

/// The comparison of two reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// Every change, by category.
    pub changes: Vec<Change>,
    /// Readings and settings only one of the two reports has.
    pub only_in_one: usize,
}

/// True when both reports are of the same device (serial numbers match,
/// ignoring case).
pub fn same_device(a: &Report, b: &Report) -> bool {
    a.device
        .serial
        .trim()
        .eq_ignore_ascii_case(b.device.serial.trim())
}

type Map = BTreeMap<String, Value>;

fn verdict(r: &Report) -> Map {
    let mut m = Map::new();
    m.insert("outcome".into(), Value::from(r.outcome.kind.as_str()));
    m.insert("code".into(), Value::from(r.outcome.code.clone()));
    m.insert("tier".into(), Value::from(r.outcome.tier.to_string()));
    m.insert("safety".into(), Value::from(r.outcome.safety));
    m.insert(
        "stopped".into(),
        r.stopped
            .as_ref()
            .map_or(Value::Null, |s| Value::from(s.kind.label())),
    );
    m
}

fn firmware(r: &Report) -> Map {
    let d = &r.device;
    let mut m = Map::new();
    m.insert("fw_version".into(), d.fw_version.clone().into());
    m.insert(
        "fw_status".into(),
        serde_json::to_value(d.fw_status).unwrap_or_default(),
    );
    m.insert("hw_rev".into(), d.hw_rev.clone().into());
    m.insert("interface".into(), d.interface.into());
    m
}

fn selftest(r: &Report) -> Map {
    r.device
        .selftest
        .iter()
        .flatten()
        .map(|t| {
            let v = match (t.status, &t.code) {
                (TestStatus::Fail, Some(c)) => format!("fail {c}"),
                (TestStatus::Fail, None) => "fail".into(),
                (TestStatus::Pass, _) => "pass".into(),
                (TestStatus::Skipped, _) => "skipped".into(),
                (TestStatus::Other, _) => "unknown status".into(),
            };
            (t.component.clone(), Value::from(v))
        })
        .collect()
}

fn readings(r: &Report) -> Map {
    let mut m = Map::new();
    if let Some(b) = &r.device.battery
        && let Value::Object(fields) = serde_json::to_value(b).unwrap_or_default()
    {
        for (k, v) in fields {
            m.insert(format!("battery.{k}"), v);
        }
    }
    m.insert("device.boot_count".into(), r.device.boot_count.into());
    m.insert(
        "device.last_reset".into(),
        r.device.last_reset.clone().into(),
    );
    // What the steps read, later readings over earlier ones.
    for step in &r.escalation.steps {
        for v in step.values.iter().filter(|v| v.error.is_none()) {
            m.insert(v.name.clone(), v.value.clone());
        }
    }
    m.retain(|k, v| !v.is_null() && !k.starts_with("settings."));
    m
}

/// The device's settings: the last `settings.get` answer in the transcript
/// (matched to its request by id), else the `settings.*` readings.
fn settings(r: &Report) -> Map {
    let mut methods: HashMap<u64, String> = HashMap::new();
    let mut last: Option<Value> = None;
    for l in &r.transcript.entries {
        let json = l.text.rsplit_once('*').map_or(l.text.as_str(), |(j, _)| j);
        let Ok(v) = serde_json::from_str::<Value>(json) else {
            continue;
        };
        let Some(id) = v.get("id").and_then(Value::as_u64) else {
            continue;
        };
        if let Some(m) = v.get("method").and_then(Value::as_str) {
            methods.insert(id, m.to_string());
        } else if methods.get(&id).map(String::as_str) == Some("settings.get")
            && let Some(res) = v.get("result")
        {
            last = Some(res.clone());
        }
    }
    let mut m = Map::new();
    if let Some(Value::Object(fields)) = last {
        for (k, v) in fields {
            m.insert(format!("settings.{k}"), v);
        }
    } else {
        for step in &r.escalation.steps {
            for v in step
                .values
                .iter()
                .filter(|v| v.name.starts_with("settings."))
            {
                m.insert(v.name.clone(), v.value.clone());
            }
        }
    }
    m
}

/// Checks that found something, as `(step, what)` pairs: a check whose
/// rule matched, or one of a sweep step's findings.
fn findings(r: &Report) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for s in &r.escalation.steps {
        if let Some(rule) = s.result.strip_prefix("rule ") {
            let text = rule.split("; ").next().unwrap_or(rule);
            out.push((s.node.clone(), format!("rule {text}")));
        } else if r.session.mode == "sweep" {
            out.extend(s.notes.iter().map(|n| (s.node.clone(), n.clone())));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Findings that appeared or went away.
fn compare_findings(old: Vec<(String, String)>, new: Vec<(String, String)>, out: &mut Diff) {
    for (node, text) in old.iter().filter(|f| !new.contains(f)) {
        out.changes.push(Change {
            category: Category::Findings,
            name: node.clone(),
            old: Value::from(text.clone()),
            new: Value::Null,
        });
    }
    for (node, text) in new.iter().filter(|f| !old.contains(f)) {
        out.changes.push(Change {
            category: Category::Findings,
            name: node.clone(),
            old: Value::Null,
            new: Value::from(text.clone()),
        });
    }
}

fn compare(cat: Category, old: Map, new: Map, all_keys: bool, out: &mut Diff) {
    let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
    keys.sort();
    keys.dedup();
    for k in keys {
        let (o, n) = (old.get(k), new.get(k));
        if !all_keys && (o.is_none() || n.is_none()) {
            out.only_in_one += 1;
            continue;
        }
        let (o, n) = (
            o.cloned().unwrap_or(Value::Null),
            n.cloned().unwrap_or(Value::Null),
        );
        if o != n {
            out.changes.push(Change {
                category: cat,
                name: k.clone(),
                old: o,
                new: n,
            });
        }
    }
}

/// What changed from `old` to `new`.
pub fn diff(old: &Report, new: &Report) -> Diff {
    let mut out = Diff {
        changes: Vec::new(),
        only_in_one: 0,
    };
    compare(
        Category::Verdict,
        verdict(old),
        verdict(new),
        true,
        &mut out,
    );
    compare(
        Category::Firmware,
        firmware(old),
        firmware(new),
        true,
        &mut out,
    );
    // A session that ran no self-test says nothing about it.
    let both_tested = old.device.selftest.is_some() && new.device.selftest.is_some();
    compare(
        Category::SelfTest,
        selftest(old),
        selftest(new),
        both_tested,
        &mut out,
    );
    compare(
        Category::Readings,
        readings(old),
        readings(new),
        false,
        &mut out,
    );
    compare(
        Category::Settings,
        settings(old),
        settings(new),
        false,
        &mut out,
    );
    compare_findings(findings(old), findings(new), &mut out);
    out
}
