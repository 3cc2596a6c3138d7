//! Evidence per step: every reading a step took, with units, and a passing
//! self-test's `null` failure code counted as an answer.

#![allow(clippy::unwrap_used)]

use super::engine;
use super::tests::{FakeFacts, GPS_FLOW, answers, compile_text, embedded_parts, opts, run};
use crate::interface::Model;
use serde_json::json;

#[tokio::test]
async fn a_step_records_every_reading_of_the_answers_it_took() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("battery.voltage_mv", json!(3950));
    f.set("battery.health_pct", json!(91));
    let s = run(
        &mut f,
        &mut answers(&[("app-permissions", "yes"), ("outdoor", "done")]),
    )
    .await;
    let power = s.steps.iter().find(|s| s.node_id == "power").unwrap();
    let unit = |name: &str| {
        let r = power.facts.iter().find(|r| r.name == name).unwrap();
        (r.value.clone(), r.unit.clone())
    };
    // The rule reads level and charging; the same answer also gave these.
    assert_eq!(unit("battery.level_pct"), (json!(78), Some("%".into())));
    assert_eq!(unit("battery.voltage_mv"), (json!(3950), Some("mV".into())));
    assert_eq!(unit("battery.temp_c"), (json!(24.5), Some("°C".into())));
    assert_eq!(unit("battery.health_pct"), (json!(91), Some("%".into())));
    // Each reading once.
    let mut names: Vec<&str> = power.facts.iter().map(|r| r.name.as_str()).collect();
    let n = names.len();
    names.dedup();
    assert_eq!(names.len(), n);
    // The device's identity is not repeated in every step.
    assert!(
        !s.steps
            .iter()
            .any(|st| st.facts.iter().any(|r| r.name == "device.serial"))
    );
}

#[tokio::test]
async fn a_passing_self_test_without_a_code_is_a_pass_not_undecided() {
    let (_, safety) = embedded_parts();
    let text = GPS_FLOW.replacen(
        "selftest.gps == 'fail'",
        "selftest.gps.code == 'GPS_ANT_OPEN'",
        1,
    );
    let (flow, diags) = compile_text(&text, "pettracker/gps-not-working");
    let flow = flow.unwrap_or_else(|| panic!("{diags:?}"));
    let sweep = |status: &str| {
        let mut f = FakeFacts::healthy_tracker();
        f.set("selftest.gps", json!(status));
        f.set("selftest.gps.code", json!(null));
        let flow = &flow;
        let safety = &safety;
        async move { engine::sweep(&[flow], safety, &mut f, Model::PetTracker, &opts()).await }
    };
    let passed = sweep("pass").await;
    assert!(
        !passed.flows[0].undecided.contains(&"antenna".to_string()),
        "{:?}",
        passed.flows[0].undecided
    );
    assert!(
        passed.flows[0]
            .readings
            .iter()
            .any(|r| r.name == "selftest.gps.code")
    );
    // Not tested at all: the check really is undecided.
    let skipped = sweep("skipped").await;
    assert!(skipped.flows[0].undecided.contains(&"antenna".to_string()));
}
