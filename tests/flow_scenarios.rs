//! Every scenario under flows/scenarios, run through the engine, the client
//! and DeviceFacts against the in-process simulator; every flow must be
//! covered. This is what `pawdiag flows test` runs.

use pawdiag::flow::load::{FileSet, FlowSet};
use pawdiag::flow::scenario::{self, ScenarioOptions};

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
    let results = scenario::run_all(&scenarios, &set, &ScenarioOptions::default(), |_| {}).await;
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
