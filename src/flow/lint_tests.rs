//! Lint and loader tests: each defect of a flow file reported with its
//! line and column, the embedded set clean, a directory overlaying it.

#![allow(clippy::unwrap_used)]

use super::diag::Severity;
use super::load::{FileSet, FlowSet, compile_set};
use super::tests::{GPS_FLOW, compile_text};

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
