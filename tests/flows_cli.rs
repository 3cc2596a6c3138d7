//! `pawdiag flows …` run as a user would: listing, outlines, graphs, lint
//! output and exit codes, and scenario tests against the simulator.

mod support;
use support::pawdiag;

use predicates::prelude::*;
use serde_json::Value;

const FLOW: &str = r#"id = "pettracker/test-flow"
model = "pettracker"
title = "Test flow"
symptom = "Something is wrong"
playbook = "PetTracker Support / GPS Not Working"
start = "firmware"

[[nodes]]
id = "firmware"
type = "check"
playbook_step = "Confirm firmware is current"
rules = [{ when = "device.firmware_status == 'outdated'", goto = "update" }]
next = "gps"

[[nodes]]
id = "gps"
type = "check"
playbook_step = "Verify GPS signal strength"
rules = [{ when = "selftest.gps == 'fail'", goto = "broken" }]
next = "fine"

[[nodes]]
id = "update"
type = "outcome"
kind = "customer-action"
code = "TEST-UPDATE"
summary = "Please update the tracker's software in the app."

[[nodes]]
id = "broken"
type = "outcome"
kind = "replace"
code = "TEST-BROKEN"
tier = 3
criterion = "Product defects or design problems"
summary = "We'll replace the tracker."

[[nodes]]
id = "fine"
type = "outcome"
kind = "no-fault-found"
code = "TEST-FINE"
summary = "Everything checks out."
"#;

fn flows_dir(flow: &str, scenarios: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("pettracker")).expect("mkdir");
    std::fs::write(dir.path().join("pettracker/test-flow.toml"), flow).expect("write");
    std::fs::create_dir_all(dir.path().join("scenarios/pettracker")).expect("mkdir");
    for (name, text) in scenarios {
        std::fs::write(
            dir.path().join(format!("scenarios/pettracker/{name}.toml")),
            text,
        )
        .expect("write");
    }
    dir
}

#[test]
fn list_json_has_the_twelve_flows() {
    let out = pawdiag()
        .args(["flows", "list", "--json"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let flows = v.as_array().expect("array");
    assert_eq!(flows.len(), 12);
    for m in ["pettracker", "healthmonitor", "smartcollar"] {
        assert_eq!(flows.iter().filter(|f| f["model"] == m).count(), 4, "{m}");
    }
    let out = pawdiag()
        .args(["flows", "list", "--model", "hm", "--json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(4));
}

#[test]
fn built_in_flows_lint_clean() {
    pawdiag()
        .args(["flows", "lint", "--strict"])
        .assert()
        .success()
        .stderr(predicate::str::contains("12 flows checked: 0 errors"));
}

/// Lints a flows directory that must fail: exit 2. Its output, and the
/// test flow's path as lint names it.
fn lint_fails(dir: &tempfile::TempDir) -> (String, String) {
    let out = pawdiag()
        .args(["flows", "lint"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let file = dir
        .path()
        .join("pettracker/test-flow.toml")
        .display()
        .to_string();
    (String::from_utf8_lossy(&out.stdout).into_owned(), file)
}

#[test]
fn lint_prints_file_line_col_and_exits_2() {
    let bad = FLOW
        .replace("goto = \"broken\"", "goto = \"brokn\"")
        .replace("selftest.gps ==", "selftest.gsp ==");
    let dir = flows_dir(&bad, &[]);
    let (stdout, file) = lint_fails(&dir);
    assert!(
        stdout.contains(&format!(
            "{file}:19:20: error: unknown probe `selftest.gsp`"
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("{file}:19:52:"))
            && stdout
                .contains("goes to `brokn`, which does not exist (hint: did you mean `broken`?)"),
        "{stdout}"
    );
    // Only the directory's files are reported, not the built-in ones.
    assert!(
        !stdout.contains("flows/pettracker/gps-not-working.toml"),
        "{stdout}"
    );
    let json = pawdiag()
        .args(["flows", "lint", "--json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    // The unknown target also leaves `broken` unreachable.
    assert_eq!(v["errors"], 3);
}

#[test]
fn lint_rejects_a_tier_that_contradicts_its_criterion() {
    // A product defect goes from Tier 2 to Tier 3 in the playbook.
    let dir = flows_dir(&FLOW.replace("tier = 3\n", "tier = 2\n"), &[]);
    let (stdout, file) = lint_fails(&dir);
    assert!(
        stdout.contains(&format!(
            "{file}:34:8: error: tier 2 contradicts the criterion `Product defects or design problems`"
        )) && stdout.contains("hint: write tier = 3"),
        "{stdout}"
    );
    // The level of a management criterion is "management".
    let refund = FLOW.replace(
        "tier = 3\ncriterion = \"Product defects or design problems\"",
        "tier = \"management\"\ncriterion = \"Requests for compensation or refunds\"",
    );
    let dir = flows_dir(&refund, &[]);
    pawdiag()
        .args(["flows", "lint", "--strict"])
        .arg(dir.path())
        .assert()
        .success();
}

#[test]
fn running_with_a_broken_flows_dir_is_bad_input() {
    let dir = flows_dir(
        &FLOW.replace("start = \"firmware\"", "start = \"nowhere\""),
        &[],
    );
    pawdiag()
        .args(["flows", "list", "--flows"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("error:").and(predicate::str::contains("flows lint")));
}

#[test]
fn show_and_graph() {
    pawdiag()
        .args(["flows", "show", "pettracker/gps-not-working"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Playbook:      PetTracker Support / GPS Not Working",
        ));
    pawdiag()
        .args(["flows", "graph", "smartcollar/led"])
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("---\ntitle:")
                .and(predicate::str::contains("flowchart TD")),
        );
    pawdiag()
        .args(["flows", "graph", "smartcollar/led", "--format", "dot"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("digraph \"smartcollar/led\" {"));
    pawdiag()
        .args(["flows", "show", "pettracker/gps"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("There is no flow `pettracker/gps`")
                .and(predicate::str::contains("hint:")),
        );
}

#[test]
fn test_runs_scenarios_and_reports_coverage() {
    let pass = "flow = \"pettracker/test-flow\"\nfaults = [\"gps-antenna-open\"]\nexpect_kind = \"replace\"\nexpect_code = \"TEST-BROKEN\"\n";
    let outdated = "flow = \"pettracker/test-flow\"\nfaults = [\"firmware-outdated\"]\nexpect_kind = \"customer-action\"\nexpect_code = \"TEST-UPDATE\"\n[answers]\n\"safety.hazard\" = \"no\"\n";
    let dir = flows_dir(FLOW, &[("zz-broken", pass), ("zz-outdated", outdated)]);
    let out = pawdiag()
        .args(["flows", "test", "--filter", "zz-", "--json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let cov = v["coverage"].as_array().expect("coverage");
    let mine = cov
        .iter()
        .find(|c| c["flow"] == "pettracker/test-flow")
        .expect("test flow covered");
    assert_eq!(
        (mine["nodes"].as_u64(), mine["visited"].as_u64()),
        (Some(5), Some(4))
    );
    assert_eq!(mine["missed"], serde_json::json!(["fine"]));
    assert_eq!(v["failed"], 0);

    // A scenario whose expectation is wrong fails the run (exit 4).
    let wrong = pass
        .replace("TEST-BROKEN", "TEST-FINE")
        .replace("\"replace\"", "\"no-fault-found\"");
    let dir = flows_dir(FLOW, &[("zz-wrong", &wrong)]);
    let out = pawdiag()
        .args(["flows", "test", "--filter", "zz-wrong"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(
            "FAIL  pettracker/zz-wrong: expected a no-fault-found ending, got replace TEST-BROKEN"
        ),
        "{stdout}"
    );

    // A scenario with an unknown fault is bad input, with the file named.
    let typo = pass.replace("gps-antenna-open", "gps-antena-open");
    let dir = flows_dir(FLOW, &[("zz-typo", &typo)]);
    let out = pawdiag()
        .args(["flows", "test", "--filter", "zz-typo"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("zz-typo.toml:1:1: error: unknown fault `gps-antena-open`")
    );
}

#[test]
fn probes_lists_the_catalogue() {
    let out = pawdiag()
        .args(["flows", "probes", "--model", "pettracker", "--json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let names: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    assert!(names.contains(&"gps.fix") && names.contains(&"selftest.cellular.code"));
    assert!(!names.contains(&"led.mode"));
}
