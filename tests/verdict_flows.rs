//! Key verdicts of issue 10, through the built binary against simulated
//! devices on real pseudo-terminals (the serial path a bench uses): the
//! pet's readings before the device, a charge fault that is a safety matter
//! off the charger too, a weak GPS fix that is never "OK", a failing memory
//! on a tracker, a safe-zone walk that does not pass on its first poll, and
//! a full memory acted on at once.
#![cfg(unix)] // pseudo-terminals

mod support;
use support::pawdiag_reports as pawdiag;

use pawdiag::sim::SimSpec;
use pawdiag::sim::pty::PtyServer;
use serde_json::Value;

/// A simulated device on a pseudo-terminal, and its `serial:` address.
fn pty(spec: &str) -> (PtyServer, String) {
    let server =
        PtyServer::start(&SimSpec::from_address(spec).expect("spec"), Some(115_200)).expect("pty");
    let addr = format!("serial:{}", server.path().display());
    (server, addr)
}

/// Runs `pawdiag diagnose ADDR [--flow F]` with an answers file (or none:
/// `--non-interactive`) and returns the exit code, the JSON and the report
/// directory (kept while the caller holds it).
fn diagnose(
    addr: &str,
    flow: Option<&str>,
    answers: Option<&str>,
) -> (i32, Value, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut cmd = pawdiag(dir.path());
    cmd.args(["diagnose", addr, "--json"]);
    if let Some(f) = flow {
        cmd.args(["--flow", f]);
    }
    match answers {
        Some(text) => {
            let path = dir.path().join("answers.toml");
            std::fs::write(&path, text).expect("write");
            cmd.arg("--answers").arg(path);
        }
        None => {
            cmd.arg("--non-interactive");
        }
    }
    let out = cmd.output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\nstderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v, dir)
}

fn steps(v: &Value) -> Vec<String> {
    v["diagnosis"]["session"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["node_id"].as_str().unwrap_or("").to_string())
        .collect()
}

#[test]
fn a_feverish_pet_is_sent_to_the_vet_not_calibrated() {
    let (_server, addr) = pty("healthmonitor?fault=fever");
    let (code, v, _dir) = diagnose(&addr, Some("healthmonitor/inaccurate-readings"), None);
    assert_eq!(code, 4, "{v}");
    assert_eq!(v["outcome"]["kind"], "customer-action");
    assert_eq!(v["outcome"]["code"], "HM-PET-VET");
    let outcome = &v["diagnosis"]["session"]["outcome"];
    assert!(
        outcome["summary"]
            .as_str()
            .expect("summary")
            .contains("contact your vet"),
        "{outcome}"
    );
    let path = steps(&v);
    assert!(path.iter().any(|s| s == "vitals"), "{path:?}");
    assert!(!path.iter().any(|s| s == "calibrate"), "{path:?}");
    assert!(!path.iter().any(|s| s == "readings-ok"), "{path:?}");

    // The bench sweep of the same monitor headlines the pet, not "no fault".
    let (code, v, _dir) = diagnose(&addr, None, None);
    assert_eq!(code, 4, "{v}");
    assert_eq!(v["outcome"]["code"], "HM-PET-VET", "{v}");
}

#[test]
fn a_charge_fault_off_the_charger_is_a_safety_matter() {
    let (_server, addr) = pty("smartcollar?fault=battery-charge-fault,battery-low");
    let (code, v, _dir) = diagnose(&addr, Some("smartcollar/led"), None);
    assert_eq!(code, 5, "{v}");
    assert_eq!(v["outcome"]["code"], "SAFETY-CHARGE-FAULT");
    let session = &v["diagnosis"]["session"];
    let summary = session["outcome"]["summary"].as_str().expect("summary");
    assert!(summary.contains("keep it off the charger"), "{summary}");
    assert!(summary.contains("within 24 hours"), "{summary}");
    // Never the low-battery ending that says "charge it".
    assert!(!steps(&v).iter().any(|s| s == "charge-first"));
    // The rule saw the self-test code; the saved report shows the device
    // was not charging when it fired.
    let safety = &session["steps"][0];
    assert_eq!(safety["node_id"], "safety:charge-fault");
    assert_eq!(safety["facts"][0]["value"], "BAT_CHARGE_FAULT");
    let report: Value = serde_json::from_str(
        &std::fs::read_to_string(v["report"].as_str().expect("report path")).expect("report"),
    )
    .expect("report JSON");
    assert_eq!(report["device"]["battery"]["charging"], false, "{report}");
}

#[test]
fn a_2d_fix_from_3_satellites_is_never_gps_ok() {
    let (_server, addr) = pty("pettracker?fault=gps-weak-fix");
    // Without anyone to go outdoors the walk stops there, incomplete.
    let (code, v, _dir) = diagnose(&addr, Some("pettracker/gps-not-working"), None);
    assert_eq!(code, 7, "{v}");
    assert_eq!(
        v["diagnosis"]["session"]["needs_answers"][0]["node_id"],
        "outdoor"
    );
    let signal = &v["diagnosis"]["session"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["node_id"] == "signal")
        .expect("signal step")["matched_rule"];
    assert!(
        signal["when"].as_str().expect("rule").contains("'2d'"),
        "{signal}"
    );
    // The bench sweep does not call it OK either.
    let (code, v, _dir) = diagnose(&addr, None, None);
    assert_eq!(code, 4, "{v}");
    assert_ne!(v["outcome"]["code"], "PT-SWEEP-OK", "{v}");
}

#[test]
fn a_failing_memory_on_a_tracker_is_a_tier_3_replacement() {
    let (_server, addr) = pty("pettracker?fault=flash-ecc");
    let (code, v, _dir) = diagnose(&addr, Some("pettracker/gps-not-working"), None);
    assert_eq!(code, 4, "{v}");
    assert_eq!(v["outcome"]["code"], "PT-FLASH");
    let outcome = &v["diagnosis"]["session"]["outcome"];
    assert_eq!(outcome["kind"], "replace");
    assert_eq!(outcome["tier"], 3);
    assert_eq!(outcome["criterion"], "Product defects or design problems");
}

#[test]
fn the_safe_zone_walk_passes_only_once_the_tracker_has_left() {
    let (_server, addr) = pty("pettracker");
    let answers = "\"safety.hazard\" = \"no\"\nlocation-permission = \"yes\"\nphone-notifications = \"yes\"\nwalk-out = \"done\"\nalert-arrived = \"yes\"\n";
    let (code, v, _dir) = diagnose(&addr, Some("pettracker/geofencing"), Some(answers));
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["outcome"]["code"], "PT-GEO-OK");
    let walk = v["diagnosis"]["session"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|s| s["node_id"] == "walk-out")
        .expect("walk step")["verify"]
        .clone();
    assert_eq!(walk["baseline"]["geofence.outside"], false, "{walk}");
    let polls = walk["polls"].as_array().expect("polls");
    // The first poll, taken as soon as the person said "done", is still at
    // home; a later one sees the tracker outside the zone.
    assert!(polls.len() >= 2, "{walk}");
    assert_eq!(polls[0]["met"], false, "{walk}");
    assert_eq!(
        polls.last().expect("a poll")["values"]["geofence.outside"],
        true
    );
}

#[test]
fn a_full_memory_is_acted_on_at_the_first_read() {
    let (_server, addr) = pty("healthmonitor?fault=storage-full");
    let (code, v, _dir) = diagnose(&addr, Some("healthmonitor/data-not-syncing"), None);
    assert_eq!(code, 7, "{v}");
    // The manual sync is offered straight after the first sync read, before
    // any question about the phone.
    assert_eq!(
        v["diagnosis"]["session"]["needs_answers"][0]["node_id"],
        "sync-storage"
    );
    let path = steps(&v);
    assert!(
        !path
            .iter()
            .any(|s| s == "app-permissions" || s == "phone-nearby"),
        "{path:?}"
    );
}
