//! BLE end to end without hardware: per test a private `dbus-daemon`, the
//! fake BlueZ (`pawdiag sim serve --ble …`) on it, and the pawdiag binary
//! run as a person would with `DBUS_SYSTEM_BUS_ADDRESS` pointing there, so
//! every byte goes through btleplug, libdbus and the D-Bus daemon
//! (harness in `tests/support`).
#![cfg(target_os = "linux")]
// Test helpers may panic: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

mod support;

use predicates::prelude::*;
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;
use support::{BIN, Bus, json, no_panic};

#[test]
fn scan_lists_pawcore_devices_strongest_first_and_not_others() {
    let bus = Bus::start();
    let fake = bus.serve(&["--count", "2", "--bluez", "heart-rate-strap"], 3);
    assert!(fake.devices[0].starts_with("ble:PawCore-PT-0001\tC0:FF:EE:00:00:01"));
    let out = bus
        .pawdiag()
        .args(["scan", "--timeout", "1", "--json"])
        .assert()
        .success()
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    // The second device is further away; the strap is not a PawCore device.
    assert_eq!(names, ["ble:PawCore-PT-0001", "ble:PawCore-PT-0002"]);
    let rssi: Vec<i64> = rows.iter().map(|r| r["rssi"].as_i64().unwrap()).collect();
    assert!(rssi[0] > rssi[1], "sorted by signal: {rssi:?}");
    for r in rows {
        assert_eq!(r["via"], "ble");
        assert_eq!(r["model"], "PetTracker");
        assert_eq!(r["ble"]["advert"]["battery_pct"], 78);
        assert_eq!(r["ble"]["advert"]["version"], 1);
        assert_eq!(r["ble"]["pawcore"], true);
    }
}

#[test]
fn scan_all_adds_the_strap_with_its_device_information() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "heart-rate-strap"], 2);
    let out = bus
        .pawdiag()
        .args(["scan", "--all", "--timeout", "1", "--json"])
        .assert()
        .success()
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    let rows = json(&out);
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    let strap = rows
        .iter()
        .find(|r| r["ble"]["address"] == "D4:22:CD:00:4A:2C")
        .expect("the strap is listed with --all");
    assert_eq!(strap["ble"]["pawcore"], false);
    assert_eq!(strap["ble"]["info"]["manufacturer"], "Acme Sports");
    assert_eq!(strap["ble"]["info"]["model"], "HR-10");
    assert_eq!(strap["battery_pct"], 64);
    assert_eq!(strap["model"], "HR-10 (not PawCore)");
    // PawCore devices get their Device Information read too.
    let pt = rows
        .iter()
        .find(|r| r["address"] == "ble:PawCore-PT-0001")
        .unwrap();
    assert_eq!(pt["serial"], "PT-24A0-0001");
    assert_eq!(pt["ble"]["info"]["manufacturer"], "PawCore Systems");
    assert_eq!(pt["ble"]["info"]["firmware"], "2.4.1");
    // Strongest first: the PawCore device (-48 dBm) before the strap (-71 dBm).
    assert_eq!(rows[0]["address"], "ble:PawCore-PT-0001");

    // The table says the same for a person.
    bus.pawdiag()
        .args(["scan", "--all", "--timeout", "1"])
        .assert()
        .success()
        .stdout(predicate::str::contains("HR Strap 4A2C"))
        .stdout(predicate::str::contains("(not PawCore)"))
        .stdout(predicate::str::contains("dBm"));
}

#[test]
fn info_over_ble_for_every_model_and_the_link_is_released() {
    for (model, code) in [
        ("pettracker", "PT"),
        ("healthmonitor", "HM"),
        ("smartcollar", "SC"),
    ] {
        let bus = Bus::start();
        let _fake = bus.serve(&["--model", model], 1);
        let name = format!("ble:PawCore-{code}-0001");
        let out = bus
            .pawdiag()
            .args(["info", &name, "--json"])
            .assert()
            .success()
            .stderr(no_panic())
            .get_output()
            .stdout
            .clone();
        let v = json(&out);
        assert_eq!(v["snapshot"]["info"]["model"], model);
        assert_eq!(v["snapshot"]["info"]["serial"], format!("{code}-24A0-0001"));
        assert_eq!(v["snapshot"]["errors"], serde_json::json!({}), "{model}");
        assert!(
            v["snapshot"]["selftest"]["results"]
                .as_array()
                .unwrap()
                .len()
                >= 4
        );
        assert_eq!(v["link"]["reconnects"], 0);
        // Lines longer than one notification came through whole.
        assert!(v["link"]["bytes_rx"].as_u64().unwrap() > 1000);
        assert_eq!(v["link"]["corrupt_rx"], 0);
        // pawdiag disconnected when done: the device advertises again, so the
        // MAC address finds it at once.
        bus.pawdiag()
            .args(["info", "ble:c0:ff:ee:00:00:01", "--no-selftest", "--json"])
            .assert()
            .success();
    }
}

#[test]
fn a_device_that_reboots_mid_session_is_reconnected() {
    let bus = Bus::start();
    // `reboot`: the device crashes after its 6th answer and is back 1.5 s later.
    let _fake = bus.serve(&["--link", "reboot"], 1);
    let out = bus
        .pawdiag()
        .args(["info", "ble:PawCore-PT-0001", "--json"])
        .assert()
        .success()
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["link"]["reconnects"], 1, "{}", v["link"]);
    assert_eq!(v["snapshot"]["errors"], serde_json::json!({}));
    assert!(v["snapshot"]["info"]["boot_count"].as_u64().is_some());
}

#[test]
fn a_device_that_drops_the_link_mid_session_is_reported_lost() {
    let bus = Bus::start();
    // `vanish`: after its 6th answer the device drops the link and never comes back.
    let _fake = bus.serve(&["--link", "vanish"], 1);
    let out = bus
        .pawdiag()
        .args(["info", "ble:PawCore-PT-0001", "--json"])
        .assert()
        .stderr(no_panic())
        .get_output()
        .clone();
    let v = json(&out.stdout);
    // Identity came first; what was asked after the drop failed as a lost link.
    assert_eq!(v["snapshot"]["info"]["model"], "pettracker");
    let errors = v["snapshot"]["errors"].as_object().unwrap();
    assert!(!errors.is_empty(), "{v}");
    for e in errors.values() {
        let e = e.as_str().unwrap();
        assert!(e.contains("connection to the device was lost"), "{e}");
        assert!(!e.contains("doesn't exist\n"), "raw D-Bus text: {e}");
    }
    // Gone for good: the next attempt says so, with a hint, as unreachable.
    bus.pawdiag()
        .args(["info", "ble:PawCore-PT-0001"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "nothing called PawCore-PT-0001 was heard over Bluetooth",
        ))
        .stderr(predicate::str::contains("hint: wake the device"))
        .stderr(no_panic());
}

#[test]
fn no_adapter_is_one_sentence_and_exit_3() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "no-adapter"], 1);
    bus.pawdiag()
        .args(["info", "ble:PawCore-PT-0001"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "error: This computer has no Bluetooth adapter",
        ))
        .stderr(predicate::str::contains(
            "hint: plug in a Bluetooth adapter",
        ))
        .stderr(no_panic());
    // USB could still be searched: scan warns and exits 0 (issue 15).
    bus.pawdiag()
        .args(["scan", "--timeout", "1"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: Bluetooth devices are not listed: This computer has no Bluetooth adapter (no-adapter",
        ))
        .stderr(no_panic());
}

#[test]
fn adapter_blocked_by_rfkill_is_one_sentence_and_exit_3() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "rfkill"], 1);
    for (args, code) in [
        (vec!["info", "ble:PawCore-PT-0001"], 3),
        (vec!["scan", "--timeout", "1"], 0),
    ] {
        bus.pawdiag()
            .args(&args)
            .assert()
            .code(code)
            .stderr(predicate::str::contains(
                "Bluetooth is switched off on this computer (blocked by rfkill",
            ))
            .stderr(predicate::str::contains("rfkill unblock bluetooth"))
            .stderr(no_panic());
    }
}

#[test]
fn bluez_not_running_or_no_bus_at_all() {
    let bus = Bus::start();
    bus.pawdiag()
        .args(["info", "ble:PawCore-PT-0001"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(
            "The Bluetooth service (BlueZ) is not running",
        ))
        .stderr(predicate::str::contains("systemctl start bluetooth"))
        .stderr(no_panic());
    bus.pawdiag()
        .env(
            "DBUS_SYSTEM_BUS_ADDRESS",
            "unix:path=/nonexistent/pawdiag-test-bus",
        )
        .args(["info", "ble:PawCore-PT-0001"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("system message bus (D-Bus)"))
        .stderr(no_panic());
}

#[test]
fn a_device_out_of_range_is_not_found_with_a_hint() {
    let bus = Bus::start();
    let _fake = bus.serve(&[], 1);
    bus.pawdiag()
        .args(["info", "ble:PawCore-SC-0042"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("No PawCore device found"))
        .stderr(predicate::str::contains("PawCore-SC-0042"))
        .stderr(predicate::str::contains("move closer"))
        .stderr(no_panic());
    // A scan that hears nothing is not an error.
    let bus2 = Bus::start();
    let _fake2 = bus2.serve(&["--bluez", "heart-rate-strap", "--count", "1"], 2);
    bus2.pawdiag()
        .args(["scan", "--timeout", "1", "--no-ble"])
        .assert()
        .success();
}

#[test]
fn serve_without_a_bus_starts_its_own_and_says_how_to_use_it() {
    let mut child = std::process::Command::new(BIN)
        .args(["sim", "serve", "--ble", "--model", "smartcollar"])
        .env_remove("DBUS_SYSTEM_BUS_ADDRESS")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let export = lines.next().unwrap().unwrap();
    let device = lines.next().unwrap().unwrap();
    let address = export
        .strip_prefix("export DBUS_SYSTEM_BUS_ADDRESS='")
        .and_then(|a| a.strip_suffix('\''))
        .unwrap_or_else(|| panic!("no export line: {export}"))
        .to_string();
    assert!(device.starts_with("ble:PawCore-SC-0001\t"), "{device}");
    let out = support::pawdiag()
        .env("DBUS_SYSTEM_BUS_ADDRESS", &address)
        .args(["scan", "--timeout", "1", "--json"])
        .timeout(Duration::from_secs(30))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out)[0]["model"], "SmartCollar");
    // Ctrl-C stops it and its bus.
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_flow_runs_over_ble_to_its_outcome() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--fault", "gps-antenna-open"], 1);
    let reports = tempfile::tempdir().unwrap();
    let out = bus
        .pawdiag()
        .env("PAWDIAG_REPORT_DIR", reports.path())
        .env_remove("PAWDIAG_FLOWS")
        .args([
            "diagnose",
            "ble:PawCore-PT-0001",
            "--flow",
            "pettracker/gps-not-working",
            "--non-interactive",
            "--json",
        ])
        .assert()
        .code(4)
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["outcome"]["kind"], "replace", "{v}");
    assert_eq!(v["outcome"]["code"], "PT-GPS-ANT");
    let report = v["report"].as_str().unwrap();
    assert!(
        std::fs::read_to_string(report)
            .unwrap()
            .contains("PT-GPS-ANT")
    );
}

#[test]
fn auto_finds_the_one_device_over_ble_and_lists_several() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--model", "smartcollar"], 1);
    let out = bus
        .pawdiag()
        .args([
            "info",
            "auto",
            "--no-selftest",
            "--json",
            "--non-interactive",
        ])
        .assert()
        .success()
        .stderr(no_panic())
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out)["snapshot"]["info"]["model"], "smartcollar");

    let bus = Bus::start();
    let _fake = bus.serve(&["--model", "pettracker", "--count", "2"], 2);
    // Several: each listed with its serial (as far as its name tells),
    // model and address; naming no one device is bad input.
    bus.pawdiag()
        .args(["info", "auto", "--non-interactive"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Several PawCore devices"))
        .stderr(predicate::str::contains(
            "PT-…-0001 (PetTracker, ble:C0:FF:EE:00:00:01)",
        ))
        .stderr(predicate::str::contains(
            "PT-…-0002 (PetTracker, ble:C0:FF:EE:00:00:02)",
        ));
}
