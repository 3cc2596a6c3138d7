//! Escalation levels checked against the playbook's criteria groups, and the
//! verification and check options that make a "working" verdict rest on
//! what the device reports now: `require_change` and `fresh`.

#![allow(clippy::unwrap_used)]

use super::diag::Severity;
use super::engine;
use super::load::{FileSet, compile_set};
use super::session::*;
use super::tests::{FakeFacts, GPS_FLOW, answers, compile_text, embedded_parts, opts, run};
use serde_json::json;
use std::collections::VecDeque;

/// Errors of a flow text, as `line:col: message`.
fn errors(text: &str, id: &str) -> Vec<String> {
    let (_, d) = compile_text(text, id);
    d.iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{}:{}: {}", d.line, d.col, d.message))
        .collect()
}

/// 1-based line and column of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1) + 1;
    (line, col)
}

#[test]
fn a_tier_that_contradicts_its_criterion_is_an_error_at_the_tier() {
    // The antenna fault is a product defect: "Tier 2 to Tier 3".
    let text = GPS_FLOW.replacen(
        "tier = 3\ncriterion = \"Product defects",
        "tier = 2\ncriterion = \"Product defects",
        1,
    );
    let errs = errors(&text, "pettracker/gps-not-working");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    let (line, col) = position(&text, "tier = 2\ncriterion = \"Product");
    assert!(
        errs[0].starts_with(&format!("{line}:{}: tier 2 contradicts", col + 7)),
        "{errs:#?}"
    );
    assert!(errs[0].contains("Tier 2 to Tier 3 Escalation"), "{errs:#?}");
}

#[test]
fn management_criteria_go_to_management_and_nowhere_else() {
    let refund = GPS_FLOW.replacen(
        "tier = 2\ncriterion = \"Multiple failed troubleshooting attempts\"",
        "tier = \"management\"\ncriterion = \"Requests for compensation or refunds\"",
        1,
    );
    assert!(errors(&refund, "pettracker/gps-not-working").is_empty());
    let wrong = GPS_FLOW.replacen(
        "tier = 2\ncriterion = \"Multiple failed troubleshooting attempts\"",
        "tier = 3\ncriterion = \"Customer threatening to cancel service\"",
        1,
    );
    let errs = errors(&wrong, "pettracker/gps-not-working");
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].contains("tier 3 contradicts") && errs[0].contains("goes to Management"),
        "{errs:#?}"
    );
    // And a Tier 1 to Tier 2 criterion does not go to management.
    let up = GPS_FLOW.replacen(
        "tier = 2\ncriterion = \"Multiple",
        "tier = \"management\"\ncriterion = \"Multiple",
        1,
    );
    let errs = errors(&up, "pettracker/gps-not-working");
    assert!(
        errs.iter()
            .any(|e| e.contains("tier \"management\" contradicts")),
        "{errs:#?}"
    );
}

#[test]
fn the_safety_file_level_is_checked_too() {
    let mut files = FileSet::embedded();
    let safety = files.files.get_mut("safety.toml").unwrap();
    let text = safety.text.replacen("\ntier = 3\n", "\ntier = 2\n", 1);
    assert_ne!(&*safety.text, text.as_str());
    let (line, _) = position(&text, "\ntier = 2\n");
    safety.text = text.into();
    let (_, diags) = compile_set(&files);
    let errs: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error && d.file.ends_with("safety.toml"))
        .collect();
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!((errs[0].line, errs[0].col), (line + 1, 8), "{errs:#?}");
    assert!(errs[0].message.contains("tier 2 contradicts"));
}

#[test]
fn every_shipped_outcome_level_matches_its_criterion() {
    let (set, diags) = compile_set(&FileSet::embedded());
    assert!(
        !diags.iter().any(|d| d.message.contains("contradicts")),
        "{diags:#?}"
    );
    let set = set.unwrap();
    let mut management = 0;
    for flow in set.flows.values() {
        for (n, o) in flow.outcomes() {
            if let (Some(t), Some(c)) = (o.tier, &o.criterion) {
                assert!(
                    set.playbook.check_level(t, c).is_ok(),
                    "{}#{}",
                    flow.id,
                    n.id
                );
                management += usize::from(t == Tier::Management);
            }
        }
    }
    assert!(management > 0, "no outcome reaches Management");
}

// ------------------------------------------------------- require_change

#[tokio::test]
async fn a_state_that_already_held_does_not_pass_a_require_change_verification() {
    // A fix all along: the outdoor test must not pass on its first poll.
    let mut f = FakeFacts::healthy_tracker();
    let s = run(
        &mut f,
        &mut answers(&[
            ("app-permissions", "yes"),
            ("outdoor", "done"),
            ("cold-start", "no"),
        ]),
    )
    .await;
    let step = s.steps.iter().find(|s| s.node_id == "outdoor").unwrap();
    let v = step.verify.as_ref().unwrap();
    assert!(!v.met);
    assert!(v.polls.len() > 1 && v.polls.iter().all(|p| !p.met));
    assert_eq!(v.baseline.as_ref().unwrap()["gps.fix"], json!("3d"));
    assert!(step.notes.iter().any(|n| n.contains("already held")));
    assert_eq!(step.branch.as_ref().unwrap().to, "cold-start");
    // The baseline read is the step's evidence too.
    assert_eq!(step.facts[0].name, "gps.fix");
}

#[tokio::test]
async fn a_change_the_device_reports_passes_a_require_change_verification() {
    let mut f = FakeFacts::healthy_tracker();
    f.set("gps.fix", json!("none"));
    // The baseline is what the session knew (no fix); two polls, the second
    // sees the fix.
    f.refresh_queue.insert(
        "gps.fix".into(),
        VecDeque::from([json!("none"), json!("2d")]),
    );
    let s = run(
        &mut f,
        &mut answers(&[("app-permissions", "yes"), ("outdoor", "done")]),
    )
    .await;
    let v = s
        .steps
        .iter()
        .find(|s| s.node_id == "outdoor")
        .unwrap()
        .verify
        .clone()
        .unwrap();
    assert!(v.met);
    assert_eq!(v.polls.len(), 2);
    assert_eq!(v.baseline.unwrap()["gps.fix"], json!("none"));
    assert_eq!(s.outcome.unwrap().code, "PT-GPS-OK-OUTDOOR");
}

#[test]
fn lint_warns_about_a_verified_action_without_require_change() {
    let text = GPS_FLOW.replacen(", require_change = true }", " }", 1);
    let (_, d) = compile_text(&text, "pettracker/gps-not-working");
    assert!(
        d.iter().any(|d| d.severity == Severity::Warning
            && d.message.contains("action `outdoor`")
            && d.message.contains("require_change")),
        "{d:#?}"
    );
}

// ---------------------------------------------------------------- fresh

const FRESH_FLOW: &str = r#"
id = "smartcollar/integration"
model = "smartcollar"
title = "Integration"
symptom = "The collar doesn't work with my tracker"
playbook = "SmartCollar Support / Integration Problems"
start = "firmware"

[[nodes]]
id = "firmware"
type = "check"
playbook_step = "Update firmware if needed"
rules = [{ when = "device.firmware_status == 'outdated'", goto = "update" }]
next = "links"

[[nodes]]
id = "update"
type = "outcome"
kind = "customer-action"
code = "SC-FW-UPDATE"
summary = "Please update the collar's software in the PawCore app."

[[nodes]]
id = "links"
type = "check"
playbook_step = "Check connection settings"
rules = [{ when = "integration.lost_count > 0", goto = "lost" }]
next = "links-now"

[[nodes]]
id = "links-now"
type = "check"
playbook_step = "Test individual components"
fresh = true
rules = [{ when = "integration.lost_count > 0", goto = "lost" }]
next = "ok"

[[nodes]]
id = "lost"
type = "outcome"
kind = "escalate"
code = "SC-INT-LOST"
tier = 2
criterion = "Complex technical issues"
summary = "The collar keeps losing touch with your tracker."

[[nodes]]
id = "ok"
type = "outcome"
kind = "no-fault-found"
code = "SC-INT-OK"
summary = "The collar and your tracker work together."
"#;

#[tokio::test]
async fn a_fresh_check_sees_a_link_that_dropped_since_the_first_read() {
    let (flow, d) = compile_text(FRESH_FLOW, "smartcollar/integration");
    assert!(d.is_empty(), "{d:#?}");
    let flow = flow.unwrap();
    let (_, safety) = embedded_parts();
    let mut f = FakeFacts::healthy_tracker();
    f.set("device.model", json!("smartcollar"));
    f.set("integration.lost_count", json!(0));
    f.refresh_queue
        .insert("integration.lost_count".into(), VecDeque::from([json!(1)]));
    let s = engine::run(&flow, &safety, &mut f, &mut answers(&[]), &opts()).await;
    let o = s.outcome.unwrap();
    assert_eq!(o.code, "SC-INT-LOST");
    let now = s.steps.iter().find(|s| s.node_id == "links-now").unwrap();
    assert_eq!(now.facts[0].value, json!(1));
    // Without `fresh`, the session's first read would have been used.
    let stale = FRESH_FLOW.replacen("fresh = true\n", "", 1);
    let (flow, _) = compile_text(&stale, "smartcollar/integration");
    let mut f = FakeFacts::healthy_tracker();
    f.set("integration.lost_count", json!(0));
    f.refresh_queue
        .insert("integration.lost_count".into(), VecDeque::from([json!(1)]));
    let s = engine::run(&flow.unwrap(), &safety, &mut f, &mut answers(&[]), &opts()).await;
    assert_eq!(s.outcome.unwrap().code, "SC-INT-OK");
}
