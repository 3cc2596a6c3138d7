//! Replaying as a user would: `diagnose --record`, `diagnose replay:FILE`
//! from a report in each format and from a recording (no device), and
//! `flows test --recordings DIR` against an edited tree.

#![allow(clippy::unwrap_used)]

mod relay;

use serde_json::Value;
use std::path::Path;

use relay::{diagnose as diagnose_json, pawdiag};

fn report_at(v: &Value) -> Value {
    let path = v["report"].as_str().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn a_report_and_a_recording_replay_to_the_same_verdict_with_no_device() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let rec = d.join("session.rec");
    let (code, live, _) = diagnose_json(
        d,
        &[
            "sim:healthmonitor?fault=hr-led-fault",
            "--flow",
            "healthmonitor/inaccurate-readings",
            "--record",
            rec.to_str().unwrap(),
            "--report",
            d.join("live.html").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 4, "{live}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&rec).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "recordings are private");
    }
    let verdict = live["outcome"].clone();
    assert!(verdict["code"].is_string());
    for source in ["live.html", "session.rec"] {
        let addr = format!("replay:{}", d.join(source).display());
        let (code2, replayed, stderr) = diagnose_json(d, &[&addr]);
        assert_eq!(code2, code, "{source}: {stderr}");
        assert_eq!(replayed["outcome"], verdict, "{source}");
        let r = report_at(&replayed);
        let replay = &r["session"]["replay"];
        assert_eq!(
            replay["source"],
            if source.ends_with(".rec") {
                "recording"
            } else {
                "report"
            }
        );
        assert_eq!(replay["not_in_recording"], serde_json::json!([]));
        assert_eq!(r["device"]["serial"], "HM-24A0-0001");
    }
    // The recording is not attached to any report.
    let html = std::fs::read_to_string(d.join("live.html")).unwrap();
    assert!(!html.contains("session.rec"));
}

#[test]
fn bad_replay_files_are_bad_input_with_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("notes.txt"), "hello").unwrap();
    for (file, says) in [
        ("missing.json", "Cannot read"),
        ("notes.txt", "neither a recording nor a report"),
    ] {
        let out = pawdiag(d)
            .args(["diagnose", &format!("replay:{}", d.join(file).display())])
            .arg("--non-interactive")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says) && err.contains("hint:"), "{err}");
    }
    // An altered report is not replayed.
    let (_, live, _) = diagnose_json(d, &["sim:pettracker", "--flow", "pettracker/geofencing"]);
    let path = live["report"].as_str().unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, text.replacen("PT-24A0-0001", "PT-24A0-0002", 1)).unwrap();
    let out = pawdiag(d)
        .args(["diagnose", &format!("replay:{path}"), "--non-interactive"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not verify"));
}

#[test]
fn flows_test_recordings_lists_the_verdicts_an_edited_tree_changes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let recs = d.join("recs");
    std::fs::create_dir(&recs).unwrap();
    for (fault, name) in [("gps-antenna-open", "ant"), ("gps-no-rf", "norf")] {
        let (code, _, err) = diagnose_json(
            d,
            &[
                &format!("sim:pettracker?fault={fault}"),
                "--flow",
                "pettracker/gps-not-working",
                "--record",
                recs.join(format!("{name}.rec")).to_str().unwrap(),
                "--report",
                recs.join(format!("{name}.md")).to_str().unwrap(),
            ],
        );
        assert_eq!(code, 4, "{err}");
    }
    let out = pawdiag(d)
        .args(["flows", "test", "--recordings"])
        .arg(&recs)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.matches(" same").count(), 4, "{text}");

    // A support manager renames the antenna outcome's code.
    let edited = d.join("edited/pettracker");
    std::fs::create_dir_all(&edited).unwrap();
    let flow = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("flows/pettracker/gps-not-working.toml"),
    )
    .unwrap();
    assert!(flow.contains("code = \"PT-GPS-ANT\""));
    std::fs::write(
        edited.join("gps-not-working.toml"),
        flow.replace("code = \"PT-GPS-ANT\"", "code = \"PT-GPS-ANTENNA\""),
    )
    .unwrap();
    let out = pawdiag(d)
        .args(["flows", "test"])
        .arg(d.join("edited"))
        .arg("--recordings")
        .arg(&recs)
        .arg("--json")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["changed"], 2, "{v}");
    assert_eq!(v["same"], 2, "{v}");
    let changed: Vec<&Value> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "changed")
        .collect();
    assert!(
        changed
            .iter()
            .all(|r| r["after"]["code"] == "PT-GPS-ANTENNA" && r["before"]["code"] == "PT-GPS-ANT")
    );
}
