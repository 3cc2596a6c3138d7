//! Engine tests against a small flow and a fake device (a table of
//! facts), so they run without the simulator; the fixtures other flow tests
//! share. Lint and loader tests: `lint_tests.rs`.

#![allow(clippy::unwrap_used)]

use super::answers::AnswersAsker;
use super::clock::FixedClock;
use super::diag::{Diags, Severity};
use super::engine::{self, RunOptions};
use super::format;
use super::load::FileSet;
use super::playbook::Playbook;
use super::safety::Safety;
use super::session::*;
use crate::probe::{FactError, Facts};
use chrono::TimeZone;
use futures_util::future::BoxFuture;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const GPS_FLOW: &str = r#"
id = "pettracker/gps-not-working"
model = "pettracker"
title = "GPS not working"
symptom = "The app doesn't show where my pet is"
playbook = "PetTracker Support / GPS Not Working"
start = "firmware"

[[nodes]]
id = "firmware"
type = "check"
playbook_step = "Confirm firmware is current"
say = "First I'll check the tracker's software is up to date."
rules = [{ when = "device.firmware_status == 'outdated'", goto = "update-firmware" }]
next = "power"

[[nodes]]
id = "update-firmware"
type = "outcome"
kind = "customer-action"
code = "PT-FW-UPDATE"
summary = "Please update the tracker's software in the PawCore app, then try again."

[[nodes]]
id = "power"
type = "check"
playbook_step = "Check device power and charging"
say = "Now I'll check the battery."
tech = "battery.status: level_pct, charging"
rules = [{ when = "battery.level_pct < 15 and not battery.charging", goto = "charge-first" }]
next = "antenna"

[[nodes]]
id = "charge-first"
type = "outcome"
kind = "customer-action"
code = "PT-GPS-CHARGE"
summary = "The battery is nearly empty. Please charge the tracker for an hour, then try again."

[[nodes]]
id = "antenna"
type = "check"
playbook_step = "Verify GPS signal strength"
say = "I'll test the tracker's satellite receiver."
rules = [{ when = "selftest.gps == 'fail'", goto = "antenna-fault" }]
next = "app-permissions"
on_error = "app-permissions"

[[nodes]]
id = "antenna-fault"
type = "outcome"
kind = "replace"
code = "PT-GPS-ANT"
tier = 3
criterion = "Product defects or design problems"
summary = "The tracker's satellite receiver isn't working, so we'll replace the tracker."
tech = "Self-test GPS fail"
next_steps = ["Raise an RMA for a replacement unit"]

[[nodes]]
id = "app-permissions"
type = "question"
playbook_step = "Confirm mobile app permissions"
ask = "On your phone, is the PawCore app allowed to use your location \"Always\"?"
help = "You'll find it in your phone's Settings, under Apps, PawCore, Location."
answers = [
  { value = "yes", label = "Yes, it's set to Always", goto = "outdoor" },
  { value = "no", label = "No, or I'm not sure", goto = "fix-permissions" },
]
unknown = "outdoor"

[[nodes]]
id = "fix-permissions"
type = "outcome"
kind = "customer-action"
code = "PT-GPS-PERM"
summary = "Please allow the PawCore app to use your location \"Always\"; the map will then show your pet."

[[nodes]]
id = "outdoor"
type = "action"
playbook_step = "Test in open outdoor area"
do = "Please take the tracker outside, away from tall buildings, and keep it still."
verify = { until = "gps.fix != 'none'", every_s = 2, timeout_s = 10, progress = "Looking for satellites… {gps.satellites} found", require_change = true }
success = "resolved-outdoor"
timeout = "cold-start"

[[nodes]]
id = "cold-start"
type = "fix"
playbook_step = "Check for software updates"
consent = "May I restart the tracker's satellite search? It takes about a minute."
method = "gps.cold_start"
params = {}
wait_event = { name = "gps.fix", timeout_s = 5 }
verify = { until = "gps.fix != 'none'", every_s = 2, timeout_s = 6 }
success = "resolved-cold-start"
failure = "escalate-gps"
declined = "escalate-gps"

[[nodes]]
id = "resolved-outdoor"
type = "outcome"
kind = "resolved"
code = "PT-GPS-OK-OUTDOOR"
summary = "The tracker finds satellites outdoors. Indoors the signal is weaker; that's normal."

[[nodes]]
id = "resolved-cold-start"
type = "outcome"
kind = "resolved"
code = "PT-GPS-OK-RESTART"
summary = "Restarting the satellite search fixed it."

[[nodes]]
id = "escalate-gps"
type = "outcome"
kind = "escalate"
code = "PT-GPS-ESC"
tier = 2
criterion = "Multiple failed troubleshooting attempts"
summary = "We couldn't get a location, so a specialist will look at your tracker."
"#;

/// A fake device: a table of facts; `refresh` pops from a queue first.
#[derive(Default)]
pub(crate) struct FakeFacts {
    pub values: HashMap<String, Result<Value, FactError>>,
    pub refresh_queue: HashMap<String, VecDeque<Value>>,
    pub invoke_results: HashMap<String, Result<Value, FactError>>,
    pub after_invoke: HashMap<String, Vec<(String, Value)>>,
    pub events: HashMap<String, Value>,
    pub lose_link_after_reads: Option<usize>,
    pub reads: usize,
    pub invoked: Vec<String>,
}

impl FakeFacts {
    pub fn healthy_tracker() -> Self {
        let mut f = FakeFacts::default();
        for (k, v) in [
            ("device.model", json!("pettracker")),
            ("device.serial", json!("PT-24A0-0001")),
            ("device.fw_version", json!("2.4.1")),
            ("device.hw_rev", json!("C")),
            ("device.firmware_status", json!("current")),
            ("device.interface", json!(1)),
            ("battery.level_pct", json!(78)),
            ("battery.charging", json!(false)),
            ("battery.temp_c", json!(24.5)),
            ("selftest.gps", json!("pass")),
            ("selftest.battery", json!("pass")),
            ("selftest.battery.code", json!(null)),
            ("gps.fix", json!("3d")),
            ("gps.satellites", json!(9)),
        ] {
            f.values.insert(k.into(), Ok(v));
        }
        f
    }

    pub fn set(&mut self, k: &str, v: Value) {
        self.values.insert(k.into(), Ok(v));
    }

    fn get(&mut self, probe: &str) -> Result<Value, FactError> {
        self.reads += 1;
        if self.lose_link_after_reads.is_some_and(|n| self.reads > n) {
            return Err(FactError::LinkLost {
                method: "battery.status".into(),
                reason: "unplugged".into(),
            });
        }
        self.values.get(probe).cloned().unwrap_or_else(|| {
            Err(FactError::Unsupported {
                method: probe.into(),
            })
        })
    }
}

impl Facts for FakeFacts {
    fn read<'a>(&'a mut self, probe: &'a str) -> BoxFuture<'a, Result<Value, FactError>> {
        Box::pin(async move { self.get(probe) })
    }

    fn refresh<'a>(&'a mut self, probe: &'a str) -> BoxFuture<'a, Result<Value, FactError>> {
        Box::pin(async move {
            // A fresh read re-reads the whole method, like DeviceFacts.
            let method = crate::probe::catalogue::find(probe).map(|p| p.method);
            let same: Vec<String> = self
                .refresh_queue
                .keys()
                .filter(|k| crate::probe::catalogue::find(k).map(|p| p.method) == method)
                .cloned()
                .collect();
            for k in same {
                if let Some(v) = self.refresh_queue.get_mut(&k).and_then(|q| q.pop_front()) {
                    self.values.insert(k, Ok(v));
                }
            }
            self.get(probe)
        })
    }

    fn invoke<'a>(
        &'a mut self,
        method: &'a str,
        _params: Option<Value>,
    ) -> BoxFuture<'a, Result<Value, FactError>> {
        Box::pin(async move {
            self.invoked.push(method.into());
            for (k, v) in self.after_invoke.remove(method).unwrap_or_default() {
                self.values.insert(k, Ok(v));
            }
            self.invoke_results
                .get(method)
                .cloned()
                .unwrap_or(Ok(json!({"ok": true})))
        })
    }

    fn wait_event<'a>(
        &'a mut self,
        name: &'a str,
        _timeout: Duration,
    ) -> BoxFuture<'a, Result<Option<Value>, FactError>> {
        Box::pin(async move { Ok(self.events.get(name).cloned()) })
    }

    fn known(&self, probe: &str) -> Option<Value> {
        self.values
            .get(probe)
            .and_then(|r| r.as_ref().ok())
            .cloned()
    }
}

pub(crate) fn embedded_parts() -> (Playbook, Safety) {
    let files = FileSet::embedded();
    let pb = &files.files["playbook.toml"];
    let sf = &files.files["safety.toml"];
    let mut d = Diags::new("playbook.toml", pb.text.clone());
    let playbook = Playbook::parse(&pb.text, &mut d).unwrap();
    let mut d2 = Diags::new("safety.toml", sf.text.clone());
    let safety = Safety::parse(&sf.text, &mut d2).unwrap();
    assert!(
        !d.has_errors() && !d2.has_errors(),
        "{:?} {:?}",
        d.items,
        d2.items
    );
    (playbook, safety)
}

pub(crate) fn compile_text(
    text: &str,
    expected: &str,
) -> (Option<format::Flow>, Vec<super::diag::Diagnostic>) {
    let (playbook, safety) = embedded_parts();
    let mut d = Diags::new(format!("{expected}.toml"), Arc::from(text));
    let flow = format::compile(text, Some(expected), Some(&playbook), &mut d);
    if let Some(f) = &flow {
        super::lint::lint_flow(f, &mut d);
    }
    let _ = safety;
    (flow, d.items)
}

pub(crate) fn gps_flow() -> format::Flow {
    let (flow, diags) = compile_text(GPS_FLOW, "pettracker/gps-not-working");
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    flow.unwrap()
}

pub(crate) fn opts() -> RunOptions {
    RunOptions {
        clock: Arc::new(FixedClock::new(
            chrono::Utc.with_ymd_and_hms(2025, 3, 1, 9, 0, 0).unwrap(),
            1000,
        )),
        ..RunOptions::default()
    }
}

pub(crate) fn answers(pairs: &[(&str, &str)]) -> AnswersAsker {
    AnswersAsker::from_map(
        "test",
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect::<BTreeMap<_, _>>(),
    )
}

pub(crate) async fn run(facts: &mut FakeFacts, asker: &mut dyn engine::Asker) -> Session {
    let (_, safety) = embedded_parts();
    engine::run(&gps_flow(), &safety, facts, asker, &opts()).await
}

pub(crate) fn path(s: &Session) -> Vec<&str> {
    s.steps.iter().map(|s| s.node_id.as_str()).collect()
}
