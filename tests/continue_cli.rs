//! `pawdiag diagnose DEVICE --continue REPORT`: a customer's unfinished
//! session picked up at the bench. Earlier replies are reused (never asked
//! again), the walk resumes at the first unanswered step, and the new
//! report links to the old one and says what changed on the device.

#![allow(clippy::unwrap_used)]

mod relay;

use serde_json::Value;
use std::path::Path;

use relay::{diagnose as run, pawdiag};

fn report(dir: &Path, name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
}

/// The customer answered the two questions about the phone, then stopped
/// before the safe-zone walk: an incomplete report.
fn customer_session(d: &Path) -> Value {
    std::fs::write(
        d.join("customer.toml"),
        "\"safety.hazard\" = \"no\"\nlocation-permission = \"yes\"\nphone-notifications = \"yes\"\n",
    )
    .unwrap();
    let (code, _, err) = run(
        d,
        &[
            "sim:pettracker",
            "--flow",
            "pettracker/geofencing",
            "--answers",
            "customer.toml",
            "--report",
            "customer.json",
        ],
    );
    assert_eq!(code, 7, "{err}");
    let r = report(d, "customer.json");
    assert_eq!(r["outcome"]["kind"], "incomplete");
    assert_eq!(r["needs_answers"][0]["node"], "walk-out");
    r
}

#[test]
fn continuing_reuses_answers_resumes_where_it_stopped_and_links_the_reports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let old = customer_session(d);

    // The bench has only what the customer did not answer: if an earlier
    // answer were asked again, this answers file would leave it missing
    // and the walk would stop there.
    std::fs::write(d.join("bench.toml"), "walk-out = \"failed\"\n").unwrap();
    let (code, v, err) = run(
        d,
        &[
            // Meanwhile the battery wore out.
            "sim:pettracker?fault=battery-degraded",
            "--continue",
            "customer.json",
            "--answers",
            "bench.toml",
            "--report",
            "bench.json",
        ],
    );
    // The walk finished (nobody could walk out, and the tracker is still at
    // home); the worn battery, new since the customer's session, decides
    // the verdict.
    assert_eq!(code, 4, "{err}\n{v}");
    assert!(err.contains("2 earlier replies reused"), "{err}");
    assert_eq!(
        v["diagnosis"]["session"]["flow_outcome"]["code"],
        "PT-GEO-STILL-INSIDE"
    );
    assert_eq!(v["outcome"]["code"], "PT-SELFTEST-BAT-DEGRADED");
    let new = report(d, "bench.json");
    let c = &new["continues"];
    assert_eq!(c["report_id"], old["report_id"]);
    assert_eq!(c["digest"], old["digest"]["value"]);
    assert_eq!(c["code"], "PT-INCOMPLETE-UNANSWERED");
    assert_eq!(
        c["reused"],
        serde_json::json!(["location-permission", "phone-notifications"])
    );
    let health = c["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "battery.health_pct")
        .unwrap_or_else(|| panic!("{c}"));
    assert_eq!(
        (health["old"].as_u64(), health["new"].as_u64()),
        (Some(91), Some(55))
    );
    let replies: Vec<(String, Value)> = new["escalation"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["node"].as_str().unwrap().to_string(), s["reply"].clone()))
        .collect();
    assert!(replies.contains(&("location-permission".into(), "yes".into())));
    assert!(replies.contains(&("walk-out".into(), "failed".into())));

    // The link shows in the human formats too, and the report verifies.
    let out = pawdiag(d)
        .args(["report", "render", "bench.json", "--format", "md"])
        .output()
        .unwrap();
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(
        md.contains("**Continues:**") && md.contains(old["report_id"].as_str().unwrap()),
        "{md}"
    );
    assert!(
        md.contains("battery.health\\_pct: 91 → 55") || md.contains("battery.health_pct: 91 → 55"),
        "{md}"
    );
}

#[test]
fn with_nothing_new_to_say_it_stops_again_at_the_first_unanswered_step() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    customer_session(d);
    let (code, _, err) = run(
        d,
        &[
            "sim:pettracker",
            "--continue",
            "customer.json",
            "--report",
            "again.json",
        ],
    );
    assert_eq!(code, 7, "{err}");
    let r = report(d, "again.json");
    assert_eq!(r["needs_answers"][0]["node"], "walk-out", "{r}");
    assert_eq!(
        r["continues"]["reused"],
        serde_json::json!(["location-permission", "phone-notifications"])
    );
}

#[test]
fn another_devices_report_or_another_flow_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    customer_session(d);
    let (code, _, err) = run(
        d,
        &[
            "sim:pettracker?serial=PT-24A0-0042",
            "--continue",
            "customer.json",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("PT-24A0-0042") && err.contains("hint:"),
        "{err}"
    );
    let (code, _, err) = run(
        d,
        &[
            "sim:pettracker",
            "--continue",
            "customer.json",
            "--flow",
            "pettracker/gps-not-working",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("walked `pettracker/geofencing`"), "{err}");
    let (code, _, err) = run(d, &["sim:pettracker", "--continue", "nothing.json"]);
    assert_eq!(code, 2, "{err}");
}
