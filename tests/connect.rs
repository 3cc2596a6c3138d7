//! Connections that hold, over btleplug against the fake BlueZ: BlueZ's
//! transient connect errors are retried within the budget (each try shown
//! at `-v`); connects that keep failing end in "Could not connect … (BlueZ:
//! …)" with Bluetooth hints, never "lost"; and each Bluetooth failure class
//! reads the same from `info` and in `batch`'s JSON line.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;

use predicates::prelude::*;
use serde_json::Value;
use support::{Bus, json, no_panic};

/// `info ble:PawCore-PT-0001 -v` against a fake with these knobs.
fn info_v(knobs: &str) -> (i32, String, String) {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", knobs], 1);
    let out = bus
        .pawdiag()
        .args([
            "-v",
            "info",
            "ble:PawCore-PT-0001",
            "--no-selftest",
            "--json",
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_connect_refused_in_progress_once_is_retried() {
    let (code, stdout, stderr) = info_v("in-progress-once");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("connecting to PawCore-PT-0001 over Bluetooth (try 1 of 3)"));
    assert!(
        stderr.contains("try 1 failed: BlueZ: In Progress; trying again in 250 ms"),
        "{stderr}"
    );
    assert!(stderr.contains("connected on try 2"), "{stderr}");
    assert_eq!(
        json(stdout.as_bytes())["snapshot"]["info"]["serial"],
        "PT-24A0-0001"
    );
}

#[test]
fn an_le_connection_aborted_once_is_retried() {
    let (code, _, stderr) = info_v("abort-once");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("try 1 failed: BlueZ: le-connection-abort-by-local"),
        "{stderr}"
    );
    assert!(stderr.contains("connected on try 2"), "{stderr}");
    assert!(!stderr.contains("error:"), "{stderr}");
}

#[test]
fn a_connect_that_times_out_is_cancelled_and_retried() {
    // The first connect would take 7 s: one try waits 5 s, cancels it
    // (BlueZ answers the pending connect `Cancelled`) and tries again.
    let (code, _, stderr) = info_v("slow-connect");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("try 1 failed: no connection within 5.0 s"),
        "{stderr}"
    );
    assert!(stderr.contains("connected on try 2"), "{stderr}");
}

#[test]
fn a_connect_that_keeps_failing_is_could_not_connect_not_lost() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "connect-fails"], 1);
    let out = bus
        .pawdiag()
        .args(["info", "ble:PawCore-PT-0001"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "error: Could not connect to PawCore-PT-0001 over Bluetooth (BlueZ: le-connection-abort-by-local)",
        ))
        .stderr(predicate::str::contains("close the PawCore app"))
        .stderr(predicate::str::contains("move closer"))
        .stderr(predicate::str::contains("turn Bluetooth off and on"))
        .stderr(no_panic())
        .get_output()
        .clone();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("lost"), "{stderr}");
    assert!(!stderr.contains("cable"), "{stderr}");
    // Tries are shown only at -v.
    assert!(!stderr.contains("try 1"), "{stderr}");
    let verbose = bus
        .pawdiag()
        .args(["-v", "info", "ble:PawCore-PT-0001"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&verbose.stderr);
    for n in 1..=3 {
        assert!(
            stderr.contains(&format!("(try {n} of 3)")),
            "try {n}: {stderr}"
        );
    }
    assert!(!stderr.contains("(try 4"), "{stderr}");
}

/// One row of `batch` against the bus: its JSON line.
fn batch_line(bus: &Bus, address: &str) -> Value {
    let manifest = bus.home.path().join("m.csv");
    std::fs::write(&manifest, format!("device\n{address}\n")).unwrap();
    let out = bus
        .pawdiag()
        .arg("batch")
        .arg(&manifest)
        .arg("--out")
        .arg(bus.home.path().join("out"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().next().unwrap_or("null")).unwrap()
}

#[test]
fn each_bluetooth_failure_class_reads_the_same_in_info_and_batch() {
    // (fake arguments or None for no fake, class, sentence start)
    let cases: [(Option<&[&str]>, &str, &str); 8] = [
        (
            Some(&["--bluez", "no-adapter"]),
            "no-adapter",
            "This computer has no Bluetooth adapter",
        ),
        (
            Some(&["--bluez", "rfkill"]),
            "rfkill-blocked",
            "Bluetooth is switched off on this computer (blocked by rfkill or airplane mode)",
        ),
        (
            None,
            "bluetooth-service-down",
            "The Bluetooth service (BlueZ) is not running",
        ),
        (
            Some(&["--bluez", "connect-fails"]),
            "could-not-connect",
            "Could not connect to PawCore-PT-0001 over Bluetooth (BlueZ: le-connection-abort-by-local)",
        ),
        (
            Some(&["--model", "smartcollar"]),
            "not-found",
            "No PawCore device found (nothing called PawCore-PT-0001 was heard over Bluetooth",
        ),
        // Connected (services read), but the firmware says nothing.
        (
            Some(&["--link", "silent"]),
            "firmware-not-responding",
            "The device at ble:PawCore-PT-0001 is there, but its firmware does not answer (connected, but nothing answered)",
        ),
        (
            Some(&["--link", "garbage"]),
            "not-pawcore",
            "The device at ble:PawCore-PT-0001 is not a PawCore device (it answers in another protocol)",
        ),
        (
            Some(&["--link", "vanish"]),
            "link-lost",
            "The connection to ble:PawCore-PT-0001 was lost",
        ),
    ];
    for (fake_args, class, sentence) in cases {
        let bus = Bus::start();
        let mut fake = fake_args.map(|a| bus.serve(a, 1));
        let out = bus
            .pawdiag()
            .args(["info", "ble:PawCore-PT-0001"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{class}: {stderr}");
        assert!(
            stderr.contains(&format!("error: {sentence}")),
            "{class}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        let hint = stderr
            .lines()
            .find_map(|l| l.trim().strip_prefix("hint: "))
            .unwrap_or_else(|| panic!("{class}: no hint in {stderr}"));

        // `vanish` strikes once per device; batch needs a fresh one.
        if class == "link-lost" {
            drop(fake.take());
            fake = fake_args.map(|a| bus.serve(a, 1));
        }
        let line = batch_line(&bus, "ble:PawCore-PT-0001");
        assert_eq!(line["failure"], class, "{line}");
        assert_eq!(line["exit"], 3, "{line}");
        assert!(
            line["error"].as_str().unwrap().starts_with(sentence),
            "{class}: {line}"
        );
        assert!(!hint.is_empty());
        drop(fake);
    }
}

#[test]
fn an_adapter_that_is_off_is_switched_on_by_scanning() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "powered-off"], 1);
    bus.pawdiag()
        .args(["info", "ble:PawCore-PT-0001", "--no-selftest"])
        .assert()
        .success()
        .stderr(no_panic());
}

#[test]
fn a_serial_number_is_found_over_bluetooth_and_scan_shows_what_names_tell() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--count", "2"], 2);
    let out = bus
        .pawdiag()
        .args(["-v", "info", "PT-24A0-0002", "--no-selftest", "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(
        json(&out.stdout)["snapshot"]["info"]["serial"],
        "PT-24A0-0002"
    );
    assert!(
        stderr.contains("PawCore-PT-0002 (C0:FF:EE:00:00:02) may be PT-24A0-0002"),
        "{stderr}"
    );
    assert!(!stderr.contains("PawCore-PT-0001"), "{stderr}");

    let out = bus
        .pawdiag()
        .args(["scan", "--timeout", "1", "--json"])
        .output()
        .unwrap();
    let rows = json(&out.stdout);
    let first = &rows[0];
    assert_eq!(first["serial"], "PT-…-0001");
    assert_eq!(first["serial_complete"], false);
    assert!(first["rssi"].as_i64().unwrap() < 0);
    // The table says the same.
    bus.pawdiag()
        .args(["scan", "--timeout", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("PT-…-0002"))
        .stdout(predicate::str::contains("dBm"));
}
