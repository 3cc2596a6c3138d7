//! `pawdiag diagnose` run as a user would: flows to their outcomes against
//! the simulator (in-process and over a real PTY), exit codes, the report
//! always written, and work kept when the link drops mid-flow.

mod support;
use support::pawdiag_reports as pawdiag;

use serde_json::Value;
use std::path::Path;

fn run_json(args: &[&str]) -> (i32, Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pawdiag(dir.path())
        .args(args)
        .args(["--non-interactive", "--json"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v, dir)
}

#[test]
fn antenna_open_leads_to_replace_and_a_saved_report() {
    let (code, v, _dir) = run_json(&[
        "diagnose",
        "sim:pettracker?fault=gps-antenna-open",
        "--flow",
        "pettracker/gps-not-working",
    ]);
    assert_eq!(code, 4);
    assert_eq!(v["outcome"]["kind"], "replace");
    assert_eq!(v["outcome"]["code"], "PT-GPS-ANT");
    let report = v["report"].as_str().expect("report path");
    let text = std::fs::read_to_string(report).expect("report written");
    assert!(text.contains("PT-GPS-ANT"));
    let steps = v["diagnosis"]["session"]["steps"]
        .as_array()
        .expect("steps");
    assert!(steps.iter().any(|s| s["facts"].as_array().is_some_and(|f| {
        f.iter()
            .any(|f| f["name"] == "selftest.gps" && f["value"] == "fail")
    })));
}

#[test]
fn battery_over_temperature_stops_any_flow_with_safety() {
    for flow in ["pettracker/geofencing", "pettracker/app-connectivity"] {
        let (code, v, _dir) = run_json(&[
            "diagnose",
            "sim:pettracker?fault=battery-overtemp",
            "--flow",
            flow,
        ]);
        assert_eq!(code, 5, "{flow}");
        assert_eq!(v["outcome"]["kind"], "safety", "{flow}");
        assert_eq!(v["diagnosis"]["session"]["outcome"]["safety"], true);
    }
}

#[test]
fn a_vanishing_device_keeps_what_was_read_and_still_writes_the_report() {
    // The device goes after its 6th answer, in the first pipelined batch:
    // the session stops there (answers read before the loss do not carry
    // it to a verdict), and what was read is kept.
    let (code, v, _dir) = run_json(&[
        "diagnose",
        "sim:pettracker?link=vanish",
        "--flow",
        "pettracker/gps-not-working",
    ]);
    assert_eq!(code, 3);
    let session = &v["diagnosis"]["session"];
    assert_eq!(session["stopped"]["kind"], "link_lost");
    assert!(session["outcome"].is_null());
    let report = v["report"].as_str().expect("report path");
    let r: Value = serde_json::from_str(&std::fs::read_to_string(report).expect("report written"))
        .expect("json");
    assert_eq!(r["stopped"]["kind"], "link_lost");
    assert_eq!(r["device"]["serial"], "PT-24A0-0001");
    assert!(!r["device"]["battery"].is_null(), "what was read is kept");
}

#[test]
fn bench_sweep_of_healthy_devices_finds_nothing_and_of_faulty_ones_names_the_fault() {
    for model in ["pettracker", "healthmonitor", "smartcollar"] {
        let (code, v, _dir) = run_json(&["diagnose", &format!("sim:{model}")]);
        assert_eq!(code, 0, "{model}: {v}");
        assert_eq!(v["outcome"]["kind"], "no-fault-found", "{model}");
    }
    let (code, v, _dir) = run_json(&["diagnose", "sim:smartcollar?fault=led-channel-open"]);
    assert_eq!(code, 4);
    assert_eq!(v["outcome"]["kind"], "replace");
}

#[test]
fn answers_file_drives_the_questions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "\"safety.hazard\" = \"no\"\n").expect("write");
    let out = pawdiag(dir.path())
        .args([
            "diagnose",
            "sim:healthmonitor?fault=storage-full",
            "--flow",
            "healthmonitor/data-not-syncing",
            "--answers",
        ])
        .arg(&answers)
        .arg("--json")
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["diagnosis"]["session"]["mode"], "answers");
    assert!(
        !v["diagnosis"]["session"]["answers_unanswered"]
            .as_array()
            .expect("list")
            .iter()
            .any(|a| a == "safety.hazard")
    );
}

#[test]
fn malformed_answers_file_is_bad_input_with_position() {
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "this is = = not toml\n").expect("write");
    let out = pawdiag(dir.path())
        .args([
            "diagnose",
            "sim:pettracker",
            "--flow",
            "pettracker/geofencing",
            "--answers",
        ])
        .arg(&answers)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("answers.toml:1:"), "{stderr}");
    assert!(stderr.contains("hint:"), "{stderr}");
}

#[test]
fn flow_for_another_product_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pawdiag(dir.path())
        .args([
            "diagnose",
            "sim:smartcollar",
            "--flow",
            "pettracker/geofencing",
            "--non-interactive",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SmartCollar"));
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn diagnose_over_a_real_pty_with_a_corrupting_link() {
    let server = pawdiag::sim::pty::PtyServer::start(
        &pawdiag::sim::SimSpec::from_address("pettracker?fault=gps-antenna-open&link=corrupt")
            .expect("spec"),
        Some(115_200),
    )
    .expect("pty");
    let addr = format!("serial:{}", server.path().display());
    let (code, v, _dir) = run_json(&["diagnose", &addr, "--flow", "pettracker/gps-not-working"]);
    assert_eq!(code, 4, "{v}");
    assert_eq!(v["outcome"]["code"], "PT-GPS-ANT");
    assert!(v["diagnosis"]["link"]["retries"].as_u64().unwrap_or(0) > 0);
}

#[test]
fn several_devices_run_side_by_side_and_the_worst_exit_wins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = pawdiag(dir.path())
        .args([
            "diagnose",
            "sim:pettracker",
            "sim:healthmonitor?fault=storage-full",
            "sim:smartcollar?fault=battery-overtemp",
            "serial:/dev/pawdiag-no-such-port",
            "--json",
        ])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(5),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json array");
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[0]["outcome"], "no-fault-found");
    // A full memory is acted on with a manual sync, which needs the
    // person: the sweep asks for a follow-up rather than guessing.
    assert_eq!(rows[1]["code"], "HM-SWEEP-FOLLOWUP");
    assert_eq!(rows[2]["outcome"], "safety");
    assert_eq!(rows[2]["serial"], "SC-24A0-0001");
    assert_eq!(rows[3]["outcome"], "not run");
    for r in &rows[..3] {
        let path = r["detail"].as_str().expect("report path");
        assert!(Path::new(path).starts_with(dir.path()), "{path}");
    }
    // One report per device that ran, none for the missing port.
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 3);
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn a_script_without_answers_stops_incomplete_and_claims_nothing_it_did_not_do() {
    // Over a real pseudo-terminal: the tracker has no fix (indoors). With
    // the hazard question answered but nobody to take it outdoors, the walk must
    // stop at the outdoor step: exit 7, no polling, no cold start.
    let server = pawdiag::sim::pty::PtyServer::start(
        &pawdiag::sim::SimSpec::from_address("pettracker?fault=gps-indoors").expect("spec"),
        Some(115_200),
    )
    .expect("pty");
    let addr = format!("serial:{}", server.path().display());
    let dir = tempfile::tempdir().expect("tempdir");
    let answers = dir.path().join("answers.toml");
    std::fs::write(&answers, "\"safety.hazard\" = \"no\"\n").expect("write");
    let out = pawdiag(dir.path())
        .args(["diagnose", &addr, "--flow", "pettracker/gps-not-working"])
        .arg("--answers")
        .arg(&answers)
        .arg("--json")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["outcome"]["kind"], "incomplete");
    assert_eq!(v["outcome"]["stopped"], "unanswered");
    let session = &v["diagnosis"]["session"];
    assert_eq!(session["needs_answers"][0]["node_id"], "outdoor");
    let steps = session["steps"].as_array().expect("steps");
    let last = steps.last().expect("a step");
    assert_eq!(last["node_id"], "outdoor");
    assert!(last["verify"].is_null(), "nobody went outdoors: no polls");
    assert!(!steps.iter().any(|s| s["node_id"] == "cold-start"));
    let report = std::fs::read_to_string(v["report"].as_str().expect("path")).expect("report");
    assert!(
        !report.contains("\"method\":\"gps.cold_start\""),
        "no cold start sent"
    );
    assert!(!report.contains("gps.cold_start\\\""));
    let rep = pawdiag::report::load(report.as_bytes()).expect("loads");
    assert_eq!(rep.needs_answers[0].node, "outdoor");
    assert_eq!(rep.needs_answers[0].accepts, ["done", "failed"]);
    assert!(!rep.outcome.summary.to_lowercase().contains("outdoors"));
    assert!(
        rep.transcript
            .entries
            .iter()
            .all(|l| !l.text.contains("gps.cold_start")),
        "no cold start on the wire"
    );

    // With no answers at all (`--non-interactive`), the same step stops it:
    // without a fix the flow asks nothing before the outdoor test.
    let (code, v, _dir) = run_json(&["diagnose", &addr, "--flow", "pettracker/gps-not-working"]);
    assert_eq!(code, 7, "{v}");
    assert_eq!(
        v["diagnosis"]["session"]["needs_answers"][0]["node_id"],
        "outdoor"
    );
}

#[test]
fn each_step_keeps_every_reading_it_took_with_units() {
    // data-not-syncing: the rule that matches reads last_error, but the
    // step's evidence is the whole sync.status answer.
    let (code, v, _dir) = run_json(&[
        "diagnose",
        "sim:healthmonitor?fault=sync-backlog",
        "--flow",
        "healthmonitor/data-not-syncing",
    ]);
    assert_eq!(code, 7, "no answers: it stops at the first question");
    let report = std::fs::read(v["report"].as_str().expect("path")).expect("report");
    let rep = pawdiag::report::load(&report).expect("loads");
    let step = rep
        .escalation
        .steps
        .iter()
        .find(|s| s.values.iter().any(|r| r.name == "sync.last_error"))
        .expect("a step read the sync status");
    let get = |n: &str| {
        step.values
            .iter()
            .find(|r| r.name == n)
            .map(|r| (r.value.clone(), r.unit.clone()))
    };
    assert_eq!(get("sync.pending_records"), Some((1440.into(), None)));
    assert_eq!(
        get("sync.last_sync_age_s"),
        Some((86400.into(), Some("s".into())))
    );
    assert_eq!(
        get("sync.storage_used_pct"),
        Some((60.into(), Some("%".into())))
    );
}

#[test]
fn sweep_steps_show_their_readings_and_passing_self_tests_are_not_undecided() {
    let (code, v, _dir) = run_json(&["diagnose", "sim:smartcollar"]);
    assert_eq!(code, 0, "{v}");
    let steps = v["diagnosis"]["session"]["steps"]
        .as_array()
        .expect("steps");
    for s in steps {
        assert!(
            !s["facts"].as_array().expect("facts").is_empty(),
            "{}: no readings",
            s["node_id"]
        );
        for n in s["notes"].as_array().expect("notes") {
            let n = n.as_str().unwrap_or_default();
            assert!(!n.contains("could not answer"), "{n}");
            // The integration flow's self-test checks pass with code null.
            assert!(!n.contains("components"), "{n}");
        }
    }
}
