//! Engine tests of the walk: branches, answers, actions, verifications
//! and fixes, against the shared test flow and a fake device.

#![allow(clippy::unwrap_used)]

use super::answers::BatchAsker;
use super::session::*;
use super::tests::{FakeFacts, answers, path, run};
use crate::probe::FactError;
use serde_json::json;
use std::collections::VecDeque;

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
