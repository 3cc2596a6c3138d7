//! `pawdiag sim …` run as a user would: `sim serve` as a subprocess serving
//! pseudo-terminals, and `pawdiag info serial:PATH` against each of them;
//! `sim faults` as table and JSON; the errors of `sim serve`.

// Helpers outside #[test] fns panic on purpose: a failed step fails the test.
#![allow(clippy::unwrap_used)]

mod support;
use support::pawdiag;

use predicates::prelude::*;
use serde_json::Value;

#[cfg(unix)]
fn serve(args: &[&str], count: usize) -> support::Served {
    support::serve_pty(args, count, &[])
}

#[cfg(unix)]
fn info_json(path: &str) -> (Option<i32>, Value) {
    let out = pawdiag()
        .args(["info", &format!("serial:{path}"), "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "info printed no JSON ({e}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code(), v)
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn info_reads_each_model_served_on_a_pty() {
    for (model, code) in [
        ("pettracker", "PT"),
        ("healthmonitor", "HM"),
        ("smartcollar", "SC"),
    ] {
        let mut served = serve(&["--model", model, "--baud", "115200"], 1);
        assert!(served.paths[0].starts_with("/dev/"), "{:?}", served.paths);
        let (code_rc, v) = info_json(&served.paths[0]);
        assert_eq!(code_rc, Some(0), "{v}");
        let info = &v["snapshot"]["info"];
        assert_eq!(info["model"], model);
        assert_eq!(info["serial"], format!("{code}-24A0-0001"));
        assert_eq!(v["snapshot"]["firmware"]["status"], "current");
        assert!(v["link"]["log_lines"].as_u64().unwrap() >= 2, "banner seen");
        let (rc, err) = served.stop();
        assert_eq!(rc, Some(0), "sim serve exits 0 on SIGTERM");
        assert!(
            err.contains("serving 1 simulated") && err.contains("Ctrl-C"),
            "{err}"
        );
    }
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn serve_many_counts_serials_up_and_injects_faults() {
    let mut served = serve(
        &[
            "--model",
            "pettracker",
            "--count",
            "3",
            "--serial",
            "PT-24A0-0041",
            "--fault",
            "gps-antenna-open",
            "--fw",
            "2.3.0",
        ],
        3,
    );
    let (rc, v) = info_json(&served.paths[2]);
    assert_eq!(rc, Some(4), "a fault was found");
    assert_eq!(v["snapshot"]["info"]["serial"], "PT-24A0-0043");
    assert_eq!(v["snapshot"]["firmware"]["status"], "outdated");
    assert!(v["snapshot"].to_string().contains("GPS_ANT_OPEN"));
    let (rc, err) = served.stop();
    assert_eq!(rc, Some(0));
    assert!(err.contains("serving 3 simulated PetTrackers"), "{err}");
}

#[cfg(unix)] // pseudo-terminals
#[test]
fn info_on_a_foreign_device_is_unreachable() {
    let served = serve(&["--model", "smartcollar", "--link", "garbage"], 1);
    pawdiag()
        .args(["info", &format!("serial:{}", served.paths[0])])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn sim_faults_lists_device_then_link_faults() {
    let out = pawdiag()
        .args(["sim", "faults", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let names = |key: &str| -> Vec<String> {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        names("device_faults").len(),
        pawdiag::sim::faults::FAULTS.len()
    );
    assert!(names("link_faults").contains(&"garbage".to_string()));

    let out = pawdiag()
        .args(["sim", "faults", "--model", "SmartCollar", "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = v["device_faults"].to_string();
    assert!(text.contains("led-channel-open") && text.contains("battery-low"));
    assert!(!text.contains("gps-antenna-open"));

    let table = pawdiag().args(["sim", "faults"]).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    let device_row = table.find("battery-degraded").unwrap();
    let link_row = table.find("corrupt-rx").unwrap();
    assert!(device_row < link_row, "device faults first");
    assert!(table.contains("What it simulates"));
}

#[test]
fn sim_errors_are_bad_input_with_a_hint() {
    pawdiag()
        .args(["sim", "serve", "--ble", "--bluez", "lightning"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fake-BlueZ option `lightning`"))
        .stderr(predicate::str::contains("hint:"))
        .stderr(predicate::str::contains("heart-rate-strap"));
    pawdiag()
        .args(["sim", "serve", "--model", "toaster"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pettracker, healthmonitor or smartcollar",
        ));
    pawdiag()
        .args([
            "sim",
            "serve",
            "--model",
            "sc",
            "--fault",
            "gps-antenna-open",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("led-channel-open"));
    pawdiag()
        .args(["sim", "serve", "--link", "lightning"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corrupt"));
    pawdiag()
        .args(["sim", "serve", "--count", "0"])
        .assert()
        .code(2);
    pawdiag()
        .args(["sim", "faults", "--model", "toaster"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty());
}

/// A port another pawdiag holds is "busy", not "missing" (serialport reports
/// a held lock as `NoDevice`).
#[cfg(unix)] // pseudo-terminals
#[test]
fn second_open_of_a_port_is_reported_busy() {
    let server = pawdiag::sim::pty::PtyServer::start(
        &pawdiag::sim::SimSpec::new(pawdiag::interface::Model::PetTracker),
        None,
    )
    .expect("pty");
    let path = server.path().display().to_string();
    let _held =
        pawdiag::link::serial::SerialTransport::open(&path, 115_200, None).expect("first open");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pawdiag"))
        .args(["info", &format!("serial:{path}"), "--no-selftest"])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("is busy"), "{stderr}");
    assert!(stderr.contains("close the other program"), "{stderr}");
}

/// A port the user may not open gets the `dialout` hint. Needs root to run
/// the binary as another user; skipped (and says so) otherwise.
#[cfg(unix)] // pseudo-terminals
#[test]
fn permission_denied_names_the_dialout_group() {
    if !is_root()
        || std::process::Command::new("runuser")
            .arg("--help")
            .output()
            .is_err()
    {
        eprintln!("skipped: needs root and runuser");
        return;
    }
    let server = pawdiag::sim::pty::PtyServer::start(
        &pawdiag::sim::SimSpec::new(pawdiag::interface::Model::SmartCollar),
        None,
    )
    .expect("pty");
    let path = server.path().display().to_string();
    // PTY slaves are created root-owned, mode 0600 here; make sure.
    std::process::Command::new("chmod")
        .args(["600", &path])
        .status()
        .expect("chmod");
    let out = std::process::Command::new("runuser")
        .args([
            "-u",
            "nobody",
            "--",
            env!("CARGO_BIN_EXE_pawdiag"),
            "info",
            &format!("serial:{path}"),
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("Permission denied")
        && stderr.contains("pawdiag")
        && out.status.code() == Some(126)
    {
        eprintln!("skipped: nobody cannot execute the test binary here");
        return;
    }
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("ermission denied"), "{stderr}");
    assert!(stderr.contains("dialout"), "{stderr}");
}

#[cfg(unix)]
fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
