//! Engine, lint and loader tests against a small flow and a fake device
//! (a table of facts), so they run without the simulator.

#![allow(clippy::unwrap_used)]

use super::answers::{AnswersAsker, BatchAsker};
use super::clock::FixedClock;
use super::diag::{Diags, Severity};
use super::engine::{self, Reached, RunOptions};
use super::format;
use super::load::{FileSet, FlowSet, compile_set};
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

#[tokio::test]
async fn rule_match_branches_to_its_outcome() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("selftest.gps", json!("fail"));
    let s = run(&mut f, &mut answers(&[("safety.hazard", "no")])).await;
    assert_eq!(
        path(&s),
        [
            "safety.hazard",
            "firmware",
            "power",
            "antenna",
            "antenna-fault"
        ]
    );
    let o = s.outcome.as_ref().unwrap();
    assert_eq!(
        (o.kind, o.code.as_str(), o.tier),
        (OutcomeKind::Replace, "PT-GPS-ANT", Some(Tier::Three))
    );
    let antenna = &s.steps[3];
    assert_eq!(
        antenna.matched_rule.as_ref().unwrap().when,
        "selftest.gps == 'fail'"
    );
    assert_eq!(antenna.branch.as_ref().unwrap().to, "antenna-fault");
    assert_eq!(antenna.facts[0].name, "selftest.gps");
    assert_eq!(s.device.as_ref().unwrap().serial, "PT-24A0-0001");
    assert!(s.stopped.is_none());
    assert!(s.ended_at.unwrap() > s.started_at);
}

#[tokio::test]
async fn firmware_rule_comes_first() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("device.firmware_status", json!("outdated"));
    f.set("selftest.gps", json!("fail"));
    let s = run(&mut f, &mut BatchAsker).await;
    assert_eq!(s.outcome.as_ref().unwrap().code, "PT-FW-UPDATE");
    assert_eq!(s.mode, RunMode::Batch);
    // Batch asks no hazard question.
    assert_eq!(path(&s)[0], "firmware");
}

#[tokio::test]
async fn a_check_the_device_cannot_answer_takes_on_error() {
    let mut f = FakeFacts::healthy_tracker();
    f.values.insert(
        "selftest.gps".into(),
        Err(FactError::Device {
            method: "selftest.run".into(),
            code: -32020,
            message: "hardware fault".into(),
            fault: Some("GPS_NO_RF".into()),
        }),
    );
    let s = run(&mut f, &mut answers(&[("app-permissions", "no")])).await;
    let antenna = s.steps.iter().find(|s| s.node_id == "antenna").unwrap();
    assert_eq!(antenna.branch.as_ref().unwrap().via, "on_error");
    assert!(
        antenna.facts[0]
            .error
            .as_ref()
            .unwrap()
            .contains("GPS_NO_RF")
    );
    assert_eq!(s.outcome.unwrap().code, "PT-GPS-PERM");
}

#[tokio::test]
async fn not_sure_is_an_answer_and_takes_the_unknown_branch() {
    let mut f = FakeFacts::healthy_tracker();
    // No fix at the start, one during the outdoor test (require_change).
    f.set("gps.fix", json!("none"));
    f.refresh_queue
        .insert("gps.fix".into(), VecDeque::from([json!("3d")]));
    let s = run(
        &mut f,
        &mut answers(&[
            ("safety.hazard", "no"),
            ("app-permissions", "unknown"),
            ("outdoor", "done"),
        ]),
    )
    .await;
    let q = s
        .steps
        .iter()
        .find(|s| s.node_id == "app-permissions")
        .unwrap();
    let a = q.answer.as_ref().unwrap();
    assert!(a.not_sure && !a.unanswered);
    assert_eq!(q.branch.as_ref().unwrap().via, "unknown");
    assert!(s.answers_unanswered.is_empty() && s.needs_answers.is_empty());
    assert_eq!(s.outcome.unwrap().code, "PT-GPS-OK-OUTDOOR");
}

#[tokio::test]
async fn a_missing_answer_stops_the_walk_as_incomplete() {
    let mut f = FakeFacts::healthy_tracker();
    let s = run(&mut f, &mut answers(&[])).await;
    // The hazard question without an answer is recorded and passed; the
    // first flow question without one stops the walk there.
    assert_eq!(s.answers_unanswered, ["safety.hazard", "app-permissions"]);
    assert_eq!(
        path(&s),
        [
            "safety.hazard",
            "firmware",
            "power",
            "antenna",
            "app-permissions"
        ]
    );
    let q = s.steps.last().unwrap();
    assert!(q.answer.as_ref().unwrap().unanswered);
    assert!(q.branch.is_none(), "no branch was taken");
    let o = s.outcome.as_ref().unwrap();
    assert_eq!(
        (o.kind, o.code.as_str(), o.node_id.as_str()),
        (
            OutcomeKind::Incomplete,
            "PT-INCOMPLETE-UNANSWERED",
            "app-permissions"
        )
    );
    let st = s.stopped.as_ref().unwrap();
    assert_eq!(
        (st.kind, st.at_node.as_str()),
        (StopKind::Unanswered, "app-permissions")
    );
    let need = &s.needs_answers[..];
    assert_eq!(need.len(), 1);
    assert_eq!(need[0].kind, StepKind::Question);
    assert_eq!(need[0].accepts, ["yes", "no", "unknown"]);
    assert!(need[0].text.contains("allowed to use your location"));
}

#[tokio::test]
async fn an_action_nobody_can_do_is_neither_done_nor_polled() {
    // Batch: no person. The tracker has no fix, but the walk must not claim
    // anyone went outdoors nor poll for it, nor restart the GPS.
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    let s = run(&mut f, &mut answers(&[("app-permissions", "yes")])).await;
    let outdoor = s.steps.last().unwrap();
    assert_eq!(outdoor.node_id, "outdoor");
    assert!(outdoor.verify.is_none(), "nothing polled");
    assert!(outdoor.answer.as_ref().unwrap().unanswered);
    assert!(f.invoked.is_empty(), "no cold start");
    assert!(!path(&s).contains(&"cold-start"));
    let o = s.outcome.as_ref().unwrap();
    assert_eq!(o.kind, OutcomeKind::Incomplete);
    assert!(o.summary.contains("in person") && o.summary.contains("no result yet"));
    assert_eq!(s.needs_answers[0].accepts, ["done", "failed"]);
    assert_eq!(s.stopped.as_ref().unwrap().kind, StopKind::Unanswered);
}

#[tokio::test]
async fn batch_stops_at_the_first_step_that_needs_a_person() {
    let mut f = FakeFacts::healthy_tracker();
    let s = run(&mut f, &mut BatchAsker).await;
    assert_eq!(s.mode, RunMode::Batch);
    assert_eq!(s.outcome.as_ref().unwrap().kind, OutcomeKind::Incomplete);
    assert_eq!(s.needs_answers[0].node_id, "app-permissions");
}

#[tokio::test]
async fn an_invalid_answer_stops_with_a_clear_error() {
    let mut f = FakeFacts::healthy_tracker();
    let s = run(&mut f, &mut answers(&[("app-permissions", "maybe")])).await;
    let st = s.stopped.unwrap();
    assert_eq!(st.kind, StopKind::Error);
    assert_eq!(st.at_node, "app-permissions");
    assert!(
        st.reason.contains("`maybe` is not an answer") && st.reason.contains("yes, no"),
        "{}",
        st.reason
    );
}

#[tokio::test]
async fn verification_polls_until_the_condition_holds() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    f.set("gps.satellites", json!(0));
    f.refresh_queue.insert(
        "gps.fix".into(),
        VecDeque::from([json!("none"), json!("none"), json!("3d")]),
    );
    f.refresh_queue.insert(
        "gps.satellites".into(),
        VecDeque::from([json!(1), json!(3), json!(7)]),
    );
    let s = run(
        &mut f,
        &mut answers(&[("app-permissions", "yes"), ("outdoor", "done")]),
    )
    .await;
    let step = s.steps.iter().find(|s| s.node_id == "outdoor").unwrap();
    let v = step.verify.as_ref().unwrap();
    assert!(v.met);
    assert_eq!(v.polls.len(), 3);
    assert!(!v.polls[0].met && v.polls[2].met);
    assert_eq!(
        step.notes,
        [
            "Looking for satellites… 1 found",
            "Looking for satellites… 3 found"
        ]
    );
    assert_eq!(s.outcome.unwrap().code, "PT-GPS-OK-OUTDOOR");
}

#[tokio::test]
async fn verification_times_out_then_a_fix_with_consent_resolves() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    f.after_invoke.insert(
        "gps.cold_start".into(),
        vec![("gps.fix".into(), json!("3d"))],
    );
    f.events.insert(
        "gps.fix".into(),
        json!({"fix": "3d", "lat": 52.5, "lon": 13.4, "satellites": 8}),
    );
    let s = run(
        &mut f,
        &mut answers(&[
            ("app-permissions", "yes"),
            ("outdoor", "done"),
            ("cold-start", "yes"),
        ]),
    )
    .await;
    let outdoor = s.steps.iter().find(|s| s.node_id == "outdoor").unwrap();
    let v = outdoor.verify.as_ref().unwrap();
    assert!(!v.met);
    assert_eq!(v.polls.len(), 6, "a poll at 0 s and every 2 s up to 10 s");
    assert_eq!(outdoor.branch.as_ref().unwrap().to, "cold-start");
    let fix = s.steps.iter().find(|s| s.node_id == "cold-start").unwrap();
    let fr = fix.fix.as_ref().unwrap();
    assert_eq!(
        (fr.method.as_str(), fr.consent),
        ("gps.cold_start", Consent::Given)
    );
    let ev = fr.event.as_ref().unwrap();
    assert!(ev.arrived);
    assert!(
        ev.data.as_ref().unwrap().get("lat").is_none(),
        "location is redacted"
    );
    assert_eq!(f.invoked, ["gps.cold_start"]);
    assert_eq!(s.outcome.unwrap().code, "PT-GPS-OK-RESTART");
}

#[tokio::test]
async fn a_missing_consent_stops_and_a_declined_one_is_declined() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    let s = run(
        &mut f,
        &mut answers(&[("app-permissions", "yes"), ("outdoor", "failed")]),
    )
    .await;
    let outdoor = s.steps.iter().find(|s| s.node_id == "outdoor").unwrap();
    assert!(
        outdoor.verify.is_none(),
        "the person could not do it: no polling"
    );
    let fix = s.steps.last().unwrap();
    assert_eq!(fix.node_id, "cold-start");
    assert_eq!(fix.fix.as_ref().unwrap().consent, Consent::Unanswered);
    assert!(fix.branch.is_none());
    assert!(f.invoked.is_empty());
    assert_eq!(s.needs_answers[0].kind, StepKind::Fix);
    assert_eq!(s.outcome.as_ref().unwrap().kind, OutcomeKind::Incomplete);

    // "no" and "not sure" are answers: declined, the flow goes on.
    for said in ["no", "unknown"] {
        let mut f = FakeFacts::healthy_tracker();
        f.set("gps.fix", json!("none"));
        let s = run(
            &mut f,
            &mut answers(&[
                ("app-permissions", "yes"),
                ("outdoor", "failed"),
                ("cold-start", said),
            ]),
        )
        .await;
        let fix = s.steps.iter().find(|s| s.node_id == "cold-start").unwrap();
        assert_eq!(fix.fix.as_ref().unwrap().consent, Consent::Declined);
        assert!(f.invoked.is_empty());
        assert!(s.needs_answers.is_empty());
        assert_eq!(s.outcome.unwrap().code, "PT-GPS-ESC");
    }
}

#[tokio::test]
async fn a_failing_fix_takes_the_failure_branch() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    f.invoke_results.insert(
        "gps.cold_start".into(),
        Err(FactError::Device {
            method: "gps.cold_start".into(),
            code: -32020,
            message: "hardware fault".into(),
            fault: Some("GPS_NO_RF".into()),
        }),
    );
    let s = run(
        &mut f,
        &mut answers(&[
            ("app-permissions", "yes"),
            ("outdoor", "failed"),
            ("cold-start", "yes"),
        ]),
    )
    .await;
    let fix = s.steps.iter().find(|s| s.node_id == "cold-start").unwrap();
    assert!(
        fix.fix
            .as_ref()
            .unwrap()
            .error
            .as_ref()
            .unwrap()
            .contains("GPS_NO_RF")
    );
    assert_eq!(fix.branch.as_ref().unwrap().via, "failure");
}

#[tokio::test]
async fn safety_rule_overrides_the_flow_at_once() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("battery.temp_c", json!(63.0));
    let s = run(&mut f, &mut answers(&[("safety.hazard", "no")])).await;
    // read_at_start reads the temperature before the first node.
    let o = s.outcome.as_ref().unwrap();
    assert!(o.safety && s.is_safety());
    assert_eq!(
        (o.kind, o.code.as_str(), o.tier),
        (
            OutcomeKind::Safety,
            "SAFETY-BATTERY-HEAT",
            Some(Tier::Three)
        )
    );
    assert_eq!(o.escalate_within_min, Some(30));
    let st = s.stopped.as_ref().unwrap();
    assert_eq!(st.kind, StopKind::Safety);
    let last = s.steps.last().unwrap();
    assert_eq!(last.kind, StepKind::Safety);
    assert_eq!(last.facts[0].value, json!(63.0));
    assert!(!path(&s).contains(&"firmware"));
}

#[tokio::test]
async fn a_charge_fault_is_a_safety_matter_charging_or_not() {
    for charging in [true, false] {
        let mut f = FakeFacts::healthy_tracker();
        f.set("battery.charging", json!(charging));
        f.set("selftest.battery.code", json!("BAT_CHARGE_FAULT"));
        let s = run(&mut f, &mut answers(&[("safety.hazard", "no")])).await;
        assert_eq!(s.outcome.as_ref().unwrap().code, "SAFETY-CHARGE-FAULT");
        // read_at_start reads the battery's self-test before the first node.
        assert_eq!(s.stopped.as_ref().unwrap().at_node, "start");
        assert_eq!(path(&s), ["safety:charge-fault"]);
        let o = s.outcome.unwrap();
        assert!(
            o.summary.contains("keep it off the charger"),
            "{}",
            o.summary
        );
    }
}

#[tokio::test]
async fn hazard_answer_yes_ends_with_the_safety_outcome() {
    let mut f = FakeFacts::healthy_tracker();
    let s = run(&mut f, &mut answers(&[("safety.hazard", "yes")])).await;
    assert_eq!(path(&s), ["safety.hazard"]);
    let o = s.outcome.unwrap();
    assert_eq!(o.code, "SAFETY-HAZARD-REPORTED");
    assert!(o.safety);
    assert_eq!(s.stopped.unwrap().kind, StopKind::Safety);
}

#[tokio::test]
async fn link_loss_stops_and_keeps_the_steps_done() {
    let mut f = FakeFacts::healthy_tracker();
    // 6 identity reads + 3 read_at_start + firmware + 1 battery read (the
    // same answer gives the charging state), then gone.
    f.lose_link_after_reads = Some(11);
    let s = run(&mut f, &mut answers(&[("safety.hazard", "no")])).await;
    let st = s.stopped.as_ref().unwrap();
    assert_eq!(st.kind, StopKind::LinkLost);
    assert_eq!(st.at_node, "antenna");
    assert!(st.reason.contains("unplugged"));
    assert_eq!(path(&s), ["safety.hazard", "firmware", "power", "antenna"]);
    assert!(s.outcome.is_none());
    assert!(s.ended_at.is_some());
    let antenna = s.steps.last().unwrap();
    assert!(antenna.facts[0].error.is_some());
}

#[tokio::test]
async fn link_loss_while_polling_keeps_the_polls_so_far() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    // 6 identity + 3 at start + 1 firmware + 2 battery + 1 self-test, the
    // baseline (gps.fix), then two polls of two probes each; the third poll
    // finds the device gone.
    f.lose_link_after_reads = Some(18);
    let s = run(
        &mut f,
        &mut answers(&[("app-permissions", "yes"), ("outdoor", "done")]),
    )
    .await;
    let st = s.stopped.as_ref().unwrap();
    assert_eq!(
        (st.kind, st.at_node.as_str()),
        (StopKind::LinkLost, "outdoor")
    );
    let outdoor = s.steps.last().unwrap();
    assert_eq!(outdoor.node_id, "outdoor");
    let v = outdoor.verify.as_ref().unwrap();
    assert_eq!(v.polls.len(), 2);
    assert!(!v.met);
}

#[tokio::test]
async fn link_lost_before_the_first_node_stops_at_start() {
    let mut f = FakeFacts::healthy_tracker();
    f.lose_link_after_reads = Some(0);
    let s = run(&mut f, &mut BatchAsker).await;
    assert_eq!(s.stopped.as_ref().unwrap().at_node, "start");
    assert!(s.steps.is_empty() && s.device.is_none());
}

#[tokio::test]
async fn a_loop_is_stopped_by_the_step_budget() {
    let text = r#"
id = "smartcollar/fit"
model = "smartcollar"
title = "Fit"
symptom = "The collar is uncomfortable"
playbook = "SmartCollar Support / Comfort and Fit Issues"
start = "adjust"

[[nodes]]
id = "adjust"
type = "action"
playbook_step = "Verify collar size and adjustment"
do = "Please loosen the collar by one notch."
success = "done"
timeout = "adjust"

[[nodes]]
id = "done"
type = "outcome"
kind = "resolved"
code = "SC-FIT-OK"
summary = "The collar fits well now."
"#;
    let (flow, _) = compile_text(text, "smartcollar/fit");
    let (_, safety) = embedded_parts();
    let mut f = FakeFacts::default();
    let mut o = opts();
    o.max_steps = 5;
    let s = engine::run(
        &flow.unwrap(),
        &safety,
        &mut f,
        &mut answers(&[("adjust", "failed")]),
        &o,
    )
    .await;
    let st = s.stopped.unwrap();
    assert_eq!(st.kind, StopKind::Error);
    assert!(st.reason.contains("more than 5 steps"));
    assert_eq!(s.steps.len(), 1 + 5, "hazard + 5 visits");
}

#[tokio::test]
async fn sweep_lists_flows_whose_checks_found_something() {
    let (_, safety) = embedded_parts();
    let flow = gps_flow();
    let mut f = FakeFacts::healthy_tracker();
    f.set("selftest.gps", json!("fail"));
    f.set("battery.level_pct", json!(9));
    let r = engine::sweep(
        &[&flow],
        &safety,
        &mut f,
        crate::interface::Model::PetTracker,
        &opts(),
    )
    .await;
    assert_eq!(r.flows.len(), 1);
    let fs = &r.flows[0];
    assert_eq!(fs.checks, 3);
    let found: Vec<&str> = fs.findings.iter().map(|x| x.node_id.as_str()).collect();
    assert_eq!(found, ["power", "antenna"]);
    assert_eq!(fs.findings[1].leads_to.as_ref().unwrap().code, "PT-GPS-ANT");
    assert_eq!(fs.findings[1].facts[0].value, json!("fail"));
    assert_eq!(r.flows_with_findings().count(), 1);
    // The walk from start stops at the first outcome reached by checks.
    assert!(matches!(&fs.reached, Reached::Outcome { outcome } if outcome.code == "PT-GPS-CHARGE"));
    assert!(f.invoked.is_empty());

    let mut healthy = FakeFacts::healthy_tracker();
    let r = engine::sweep(
        &[&flow],
        &safety,
        &mut healthy,
        crate::interface::Model::PetTracker,
        &opts(),
    )
    .await;
    assert_eq!(r.flows_with_findings().count(), 0);
    assert!(
        matches!(&r.flows[0].reached, Reached::NeedsPerson { node_id, .. } if node_id == "app-permissions")
    );
}

#[tokio::test]
async fn sweep_stops_on_safety() {
    let (_, safety) = embedded_parts();
    let flow = gps_flow();
    let mut f = FakeFacts::healthy_tracker();
    f.set("selftest.battery.code", json!("BAT_NTC_FAULT"));
    let r = engine::sweep(
        &[&flow],
        &safety,
        &mut f,
        crate::interface::Model::PetTracker,
        &opts(),
    )
    .await;
    assert_eq!(r.safety.as_ref().unwrap().code, "SAFETY-BATTERY-SENSOR");
    assert_eq!(r.stopped.as_ref().unwrap().kind, StopKind::Safety);
}

#[test]
fn session_serialises_and_reads_back() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut f = FakeFacts::healthy_tracker();
    let s = rt.block_on(run(
        &mut f,
        &mut answers(&[("safety.hazard", "no"), ("app-permissions", "yes")]),
    ));
    let json = serde_json::to_string_pretty(&s).unwrap();
    let back: Session = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert!(
        json.contains("\"started_at\": \"2025-03-01T09:00:00Z\""),
        "deterministic clock"
    );
}

// ------------------------------------------------------------------ lint

fn lint_errors(text: &str, expected: &str) -> Vec<String> {
    let (_, d) = compile_text(text, expected);
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
        .collect()
}

fn mutate(from: &str, to: &str) -> String {
    assert!(GPS_FLOW.contains(from), "{from}");
    GPS_FLOW.replacen(from, to, 1)
}

fn one_error(text: &str, needle: &str) -> String {
    let errs = lint_errors(text, "pettracker/gps-not-working");
    let hit: Vec<_> = errs.iter().filter(|e| e.contains(needle)).collect();
    assert!(
        !hit.is_empty(),
        "no error containing {needle:?} in {errs:#?}"
    );
    hit[0].clone()
}

#[test]
fn the_test_flow_is_clean() {
    let (_, d) = compile_text(GPS_FLOW, "pettracker/gps-not-working");
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn lint_unknown_probe_with_position_and_suggestion() {
    let e = one_error(
        &mutate("battery.level_pct < 15", "battery.levl_pct < 15"),
        "unknown probe `battery.levl_pct`",
    );
    // Line 31 of GPS_FLOW (after the leading newline), column of the probe.
    assert!(e.starts_with("30:20:"), "{e}");
    let (_, d) = compile_text(
        &mutate("battery.level_pct < 15", "battery.levl_pct < 15"),
        "pettracker/gps-not-working",
    );
    assert!(d.iter().any(|d| {
        d.hint
            .as_deref()
            .unwrap_or("")
            .contains("battery.level_pct")
    }));
}

#[test]
fn lint_probe_of_another_model() {
    one_error(
        &mutate("selftest.gps == 'fail'", "led.mode == 'off'"),
        "not available on the PetTracker",
    );
}

#[test]
fn lint_unknown_method() {
    one_error(
        &mutate("method = \"gps.cold_start\"", "method = \"gps.warm_start\""),
        "has no method `gps.warm_start`",
    );
    one_error(
        &mutate("method = \"gps.cold_start\"", "method = \"led.test\""),
        "has no method `led.test`",
    );
}

#[test]
fn lint_dangling_goto() {
    let e = one_error(
        &mutate("goto = \"antenna-fault\"", "goto = \"antena-fault\""),
        "goes to `antena-fault`, which does not exist",
    );
    assert!(e.starts_with("45:52:"), "{e}");
}

#[test]
fn lint_missing_branches() {
    one_error(&mutate("next = \"antenna\"\n", ""), "has no `next` branch");
    one_error(
        &mutate("unknown = \"outdoor\"\n", ""),
        "has no `unknown` branch",
    );
    one_error(
        &mutate("declined = \"escalate-gps\"\n", ""),
        "has no `declined` branch",
    );
    one_error(
        &mutate("timeout = \"cold-start\"\n", ""),
        "has no `timeout` branch",
    );
    let no_answers = mutate(
        "answers = [\n  { value = \"yes\", label = \"Yes, it's set to Always\", goto = \"outdoor\" },\n  { value = \"no\", label = \"No, or I'm not sure\", goto = \"fix-permissions\" },\n]\n",
        "",
    );
    one_error(&no_answers, "has no answers");
}

#[test]
fn lint_unreachable_node() {
    let t = GPS_FLOW.to_string()
        + "\n[[nodes]]\nid = \"orphan\"\ntype = \"outcome\"\nkind = \"resolved\"\ncode = \"PT-ORPHAN\"\nsummary = \"Nobody gets here.\"\n";
    one_error(&t, "`orphan` cannot be reached");
}

#[test]
fn lint_loop_without_way_out() {
    let t = mutate(
        "success = \"resolved-outdoor\"\ntimeout = \"cold-start\"",
        "success = \"outdoor\"\ntimeout = \"outdoor\"",
    );
    let errs = lint_errors(&t, "pettracker/gps-not-working");
    assert!(
        errs.iter()
            .any(|e| e.contains("`outdoor` can never reach an outcome")),
        "{errs:#?}"
    );
}

#[test]
fn lint_duplicate_ids_and_codes() {
    one_error(
        &mutate("id = \"charge-first\"", "id = \"power\""),
        "duplicate node id `power`",
    );
    one_error(
        &mutate(
            "code = \"PT-GPS-OK-RESTART\"",
            "code = \"PT-GPS-OK-OUTDOOR\"",
        ),
        "with different meanings",
    );
}

#[test]
fn lint_outcome_without_code_or_with_bad_kind() {
    one_error(&mutate("code = \"PT-GPS-ESC\"\n", ""), "has no `code`");
    one_error(
        &mutate("kind = \"escalate\"", "kind = \"escalated\""),
        "not an outcome kind",
    );
    one_error(
        &mutate("tier = 2\ncriterion = \"Multiple", "criterion = \"Multiple"),
        "needs a `tier`",
    );
    one_error(
        &mutate(
            "criterion = \"Multiple failed troubleshooting attempts\"",
            "criterion = \"We tried\"",
        ),
        "not an escalation criterion",
    );
}

#[test]
fn lint_expression_syntax_and_type_errors() {
    let e = one_error(
        &mutate("selftest.gps == 'fail'", "selftest.gps = 'fail'"),
        "use `==`",
    );
    assert!(e.starts_with("45:33:"), "{e}");
    one_error(
        &mutate("selftest.gps == 'fail'", "selftest.gps == 'failed'"),
        "never 'failed'",
    );
    one_error(
        &mutate(
            "progress = \"Looking for satellites… {gps.satellites} found\"",
            "progress = \"{gps.sats}\"",
        ),
        "unknown probe `gps.sats`",
    );
}

#[test]
fn lint_id_must_match_path_and_fields_their_type() {
    let errs = lint_errors(GPS_FLOW, "pettracker/gps");
    assert!(
        errs.iter()
            .any(|e| e.contains("does not match its file path")),
        "{errs:#?}"
    );
    one_error(
        &mutate(
            "say = \"Now I'll check the battery.\"",
            "ask = \"Now I'll check the battery.\"",
        ),
        "`ask` does not belong in a check node",
    );
    one_error(
        &mutate("type = \"check\"", "type = \"test\""),
        "not a node type",
    );
    let e = one_error(
        &mutate("tech = \"Self-test GPS fail\"", "tec = \"x\""),
        "unknown field `tec`",
    );
    assert!(e.starts_with("57:1:"), "{e}");
}

#[test]
fn lint_playbook_steps_and_sections() {
    one_error(
        &mutate(
            "playbook_step = \"Verify GPS signal strength\"",
            "playbook_step = \"Verify GPS strength\"",
        ),
        "not a step of",
    );
    one_error(
        &mutate(
            "playbook = \"PetTracker Support / GPS Not Working\"",
            "playbook = \"GPS\"",
        ),
        "not a section of the playbook",
    );
}

#[test]
fn lint_active_probe_only_after_its_fix() {
    let t = r#"
id = "healthmonitor/alerts"
model = "healthmonitor"
title = "Alerts"
symptom = "I don't get alerts"
playbook = "HealthMonitor Support / Alert System Issues"
start = "c"

[[nodes]]
id = "c"
type = "check"
playbook_step = "Verify alert thresholds"
rules = [{ when = "alerts.test_delivered == false", goto = "e" }]
next = "e"

[[nodes]]
id = "e"
type = "outcome"
kind = "no-fault-found"
code = "HM-AL-NFF"
summary = "Everything looks fine."
"#;
    let errs = lint_errors(t, "healthmonitor/alerts");
    assert!(
        errs.iter()
            .any(|e| e.contains("no fix in this flow runs it")),
        "{errs:#?}"
    );
}

#[test]
fn lint_warns_about_jargon_and_missing_firmware_check() {
    let t = mutate(
        "say = \"Now I'll check the battery.\"",
        "say = \"Reading battery.level_pct and the NTC now.\"",
    )
    .replace(
        "device.firmware_status == 'outdated'",
        "battery.level_pct < 1",
    );
    let (_, d) = compile_text(&t, "pettracker/gps-not-working");
    let w: Vec<_> = d
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.message.clone())
        .collect();
    assert!(w.iter().any(|m| m.contains("`ntc`")), "{w:#?}");
    assert!(
        w.iter().any(|m| m.contains("device.firmware_status")),
        "{w:#?}"
    );
}

#[test]
fn embedded_set_loads_and_lints() {
    let (set, diags) = compile_set(&FileSet::embedded());
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let set = set.unwrap();
    assert!(set.safety.rules.len() >= 3);
    assert_eq!(set.playbook.sections.len(), 12);
    assert!(FlowSet::load(None).is_ok());
}

#[test]
fn a_directory_overlays_the_embedded_set_and_broken_files_are_refused() {
    // The test flow under another name, with codes of its own, so it adds
    // to the embedded set rather than clashing with its codes.
    let flow = GPS_FLOW
        .replace("pettracker/gps-not-working", "pettracker/gps-test")
        .replace("code = \"PT-", "code = \"TEST-");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("pettracker")).unwrap();
    std::fs::write(dir.path().join("pettracker/gps-test.toml"), &flow).unwrap();
    let set = FlowSet::load(Some(dir.path())).unwrap();
    assert!(set.get("pettracker/gps-test").is_some());
    let embedded = FlowSet::load(None).unwrap();
    assert_eq!(set.flows.len(), embedded.flows.len() + 1);
    std::fs::write(
        dir.path().join("pettracker/gps-test.toml"),
        flow.replace("goto = \"antenna-fault\"", "goto = \"nowhere\""),
    )
    .unwrap();
    let err = FlowSet::load(Some(dir.path())).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("gps-test.toml:45:52:") && msg.contains("nowhere"),
        "{msg}"
    );
    // A broken safety file blocks everything.
    std::fs::write(dir.path().join("pettracker/gps-test.toml"), &flow).unwrap();
    std::fs::write(dir.path().join("safety.toml"), "escalate_within_min = 30\n").unwrap();
    assert!(FlowSet::load(Some(dir.path())).is_err());
}
