//! Every scenario under flows/scenarios, run through the engine, the client
//! and DeviceFacts against the in-process simulator; every flow must be
//! covered. This is what `pawdiag flows test` runs.

use pawdiag::flow::load::{FileSet, FlowSet};
use pawdiag::scenario::{self, ScenarioOptions};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_scenario_reaches_its_expected_ending() {
    let set = FlowSet::load(None).expect("the embedded flows load");
    let files = FileSet::embedded();
    let mut scenarios = Vec::new();
    for f in files.scenarios() {
        match scenario::parse(f, &set) {
            Ok(s) => scenarios.push(s),
            Err(d) => panic!(
                "{}",
                d.iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }
    assert!(scenarios.len() >= 12, "scenarios: {}", scenarios.len());
    let results = scenario::run_all(
        &scenarios,
        &set,
        &ScenarioOptions {
            parallel: 8,
            ..ScenarioOptions::default()
        },
        |_| {},
    )
    .await;
    let failed: Vec<String> = results
        .iter()
        .filter(|r| !r.passed)
        .map(|r| format!("{}: {}", r.name, r.problems.join("; ")))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} failed:\n{}",
        failed.len(),
        results.len(),
        failed.join("\n")
    );
    for c in scenario::coverage(&set, &results) {
        assert!(c.scenarios > 0, "{} has no scenario", c.flow);
        assert!(
            c.percent() >= 80.0,
            "{} covers {:.0}% (missed: {})",
            c.flow,
            c.percent(),
            c.missed.join(", ")
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_that_vanishes_stops_the_session_where_the_link_went() {
    use pawdiag::flow::session::StopKind;
    use pawdiag::interface::Model;
    use pawdiag::sim::SimSpec;
    let set = FlowSet::load(None).expect("the embedded flows load");
    let flow = set.get("pettracker/gps-not-working").expect("flow");
    let sc = scenario::Scenario {
        name: "vanish".into(),
        file: "test".into(),
        flow: flow.id.clone(),
        spec: SimSpec::new(Model::PetTracker)
            .with_faults(&["gps-indoors"])
            .and_then(|s| s.with_link_faults(&["vanish"]))
            .expect("spec"),
        answers: [("safety.hazard", "no"), ("outdoor", "done")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        expect_kind: None,
        expect_code: None,
        expect_stop: Some(StopKind::LinkLost),
        expect_needs: None,
    };
    let r = scenario::run(&sc, flow, &set, &ScenarioOptions::default()).await;
    assert!(r.passed, "{:?}", r.problems);
    let session = r.session.expect("session");
    let stop = session.stopped.expect("stopped");
    assert_eq!(stop.kind, StopKind::LinkLost);
    assert!(session.outcome.is_none());
    // The in-process tracker goes after its 6th answer, inside the first
    // pipelined read: the session stops there, before any step, rather
    // than walking on from answers read before the loss (issue 12: a lost
    // link is never swallowed). What was read is kept as the session's facts.
    assert_eq!(stop.at_node, "start", "{stop:?}");
    assert!(session.steps.is_empty());
    assert!(
        session.facts.iter().any(|f| f.error.is_some()),
        "the failed read is recorded"
    );
}
