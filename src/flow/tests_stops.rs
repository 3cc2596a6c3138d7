//! Engine tests of how walks stop and what sweeps find: safety rules,
//! hazards, lost links, loops; sessions read back.

#![allow(clippy::unwrap_used)]

use super::answers::BatchAsker;
use super::engine::{self, Reached};
use super::session::*;
use super::tests::{FakeFacts, answers, compile_text, embedded_parts, gps_flow, opts, path, run};
use serde_json::json;

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
