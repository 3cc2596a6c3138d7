//! `pawdiag report diff`, `report history` and `report share` as a user
//! would run them, on reports written by `diagnose` against the simulator.

#![allow(clippy::unwrap_used)]

mod relay;

use serde_json::Value;
use std::path::{Path, PathBuf};

use relay::{output as stdout, pawdiag};

/// Runs `diagnose` (non-interactive) and returns the report's path.
fn diagnose(dir: &Path, args: &[&str]) -> PathBuf {
    let (_, v, err) = relay::diagnose(dir, args);
    PathBuf::from(v["report"].as_str().unwrap_or_else(|| panic!("{err}")))
}

#[test]
fn diff_of_a_healthy_and_a_worn_battery_report_names_the_battery_health_with_both_values() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let healthy = diagnose(d, &["sim:pettracker"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let worn = diagnose(d, &["sim:pettracker?fault=battery-degraded"]);

    let (code, table, _) = stdout(pawdiag(d).args(["report", "diff"]).arg(&healthy).arg(&worn));
    assert_eq!(code, 0);
    let line = table
        .lines()
        .find(|l| l.contains("battery.health_pct"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("91") && line.contains("55"), "{line}");
    assert!(table.contains("fail BAT_DEGRADED"), "{table}");
    assert!(table.contains("PT-BAT-WORN"), "{table}");

    let (code, json, _) = stdout(
        pawdiag(d)
            .args(["report", "diff", "--json"])
            .arg(&healthy)
            .arg(&worn),
    );
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let health = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "battery.health_pct")
        .unwrap();
    assert_eq!(health["category"], "readings");
    assert_eq!(
        (health["old"].as_u64(), health["new"].as_u64()),
        (Some(91), Some(55))
    );
    assert_eq!(v["new"]["outcome"]["code"], "PT-BAT-WORN");

    // The same report against itself: nothing changed.
    let (_, same, _) = stdout(pawdiag(d).args(["report", "diff"]).arg(&worn).arg(&worn));
    assert!(same.contains("No changes"), "{same}");
}

#[test]
fn diff_refuses_two_devices_unless_forced_and_history_lists_one_serial_newest_first() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let a = diagnose(d, &["sim:pettracker", "--flow", "pettracker/geofencing"]);
    let other = diagnose(
        d,
        &[
            "sim:pettracker?serial=PT-24A0-0042",
            "--flow",
            "pettracker/geofencing",
        ],
    );
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let b = diagnose(
        d,
        &[
            "sim:pettracker?fault=gps-antenna-open",
            "--flow",
            "pettracker/gps-not-working",
        ],
    );

    let (code, _, err) = stdout(pawdiag(d).args(["report", "diff"]).arg(&a).arg(&other));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("two devices") && err.contains("--force"),
        "{err}"
    );
    let (code, _, _) = stdout(
        pawdiag(d)
            .args(["report", "diff", "--force"])
            .arg(&a)
            .arg(&other),
    );
    assert_eq!(code, 0);

    let (code, json, _) = stdout(pawdiag(d).args(["report", "history", "pt-24a0-0001", "--json"]));
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).unwrap();
    let list = v["reports"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{v}");
    assert_eq!(list[0]["code"], "PT-GPS-ANT", "newest first");
    assert_eq!(PathBuf::from(list[0]["path"].as_str().unwrap()), b);
    assert_eq!(list[1]["flow_id"], "pettracker/geofencing", "{v}");
    assert!(list.iter().all(|r| r["intact"] == true));

    let (_, table, _) = stdout(pawdiag(d).args(["report", "history", "PT-24A0-0042"]));
    assert_eq!(
        table.lines().filter(|l| l.contains("geofencing")).count(),
        1,
        "{table}"
    );
    let (code, _, note) = stdout(pawdiag(d).args(["report", "history", "PT-0000-0000"]));
    assert_eq!(code, 0);
    assert!(note.contains("No reports"), "{note}");
}

#[test]
fn share_previews_each_kind_and_writes_a_verifiable_copy_with_the_consent() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let full = d.join("full.json");
    let out = pawdiag(d)
        .args([
            "diagnose",
            "sim:pettracker?fault=geofence-tiny",
            "--flow",
            "pettracker/geofencing",
            "--non-interactive",
            "--customer",
            "Ana Example <ana@example.com>",
            "--phone",
            "+44 7700 900123",
            "--include-personal-data",
            "--report",
        ])
        .arg(&full)
        .output()
        .unwrap();
    assert!(out.status.code().is_some());
    let original = std::fs::read_to_string(&full).unwrap();
    let lat = "52.52001";
    assert!(original.contains(lat) && original.contains("ana@example.com"));

    // The preview alone.
    let (code, json, _) = stdout(
        pawdiag(d)
            .args(["report", "share"])
            .arg(&full)
            .args(["--out"])
            .arg(d.join("never.html"))
            .args(["--include", "location", "--dry-run", "--json"]),
    );
    assert_eq!(code, 0);
    assert!(!d.join("never.html").exists());
    let v: Value = serde_json::from_str(&json).unwrap();
    let kinds: Vec<(&str, bool, &str)> = v["preview"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["kind"].as_str().unwrap(),
                p["consented"].as_bool().unwrap(),
                p["in_clear"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(kinds[0].0, "location");
    assert!(
        kinds[0].1 && kinds[0].2.contains("coordinates"),
        "{kinds:?}"
    );
    assert_eq!(kinds[1].0, "geofences");
    assert!(
        !kinds[1].1 && kinds[1].2.contains("geofence name"),
        "{kinds:?}"
    );
    assert_eq!(kinds[2].0, "contact");
    assert!(
        !kinds[2].1 && kinds[2].2.contains("the customer's name"),
        "{kinds:?}"
    );

    // The copy, as HTML.
    let copy = d.join("shared.html");
    let (code, table, note) = stdout(
        pawdiag(d)
            .args(["report", "share"])
            .arg(&full)
            .arg("--out")
            .arg(&copy)
            .args(["--include", "location"]),
    );
    assert_eq!(code, 0, "{note}");
    assert!(
        table.contains("LEAVES WITH THE COPY") && table.contains("no: hidden"),
        "{table}"
    );
    let html = std::fs::read_to_string(&copy).unwrap();
    assert!(html.contains(lat), "consented: the exact position leaves");
    assert!(original.contains("Park"));
    for gone in ["ana@example.com", "Ana Example", "7700 900123", "Park"] {
        assert!(!html.contains(gone), "{gone} left without consent");
    }
    let (code, verified, _) = stdout(pawdiag(d).args(["report", "verify", "--json"]).arg(&copy));
    assert_eq!(code, 0, "{verified}");
    let (_, json_copy, _) = stdout(
        pawdiag(d)
            .args(["report", "render", "--format", "json"])
            .arg(&copy),
    );
    let r: Value = serde_json::from_str(&json_copy).unwrap();
    let shared = &r["privacy"]["shared"];
    assert_eq!(shared["included"], serde_json::json!(["location"]));
    assert_eq!(
        shared["withheld"],
        serde_json::json!(["geofences", "contact"])
    );
    assert_eq!(
        shared["from_digest"],
        serde_json::from_str::<Value>(&original).unwrap()["digest"]["value"]
    );
    assert_eq!(r["privacy"]["personal_data_included"], false);
    assert_eq!(r["escalation"]["customer"]["name"], "(hidden)");

    // An altered report is not shared (its copy would verify).
    std::fs::write(&full, original.replacen("PT-24A0-0001", "PT-24A0-0002", 1)).unwrap();
    let (code, _, err) = stdout(
        pawdiag(d)
            .args(["report", "share"])
            .arg(&full)
            .arg("--out")
            .arg(d.join("x.json")),
    );
    assert_eq!(code, 6, "{err}");
}
