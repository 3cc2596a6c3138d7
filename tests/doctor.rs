//! `pawdiag doctor` against the fake BlueZ's states (no adapter, rfkill,
//! powered off, a remembered device that no longer advertises) and against
//! a broken config file, a reports directory that cannot be made and a
//! missing system bus: one line each, what to do, exit 0 or 3.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::Value;
use support::Bus;

/// `doctor --json` and `doctor` on this bus: exit code, findings, text.
fn doctor(bus: &Bus) -> (i32, Vec<Value>, String) {
    let out = bus
        .pawdiag()
        .args(["doctor", "--json", "--timeout", "1"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let code = out.status.code().unwrap_or(-1);
    assert_eq!(v["schema"], "pawdiag.doctor/1");
    assert_eq!(v["ok"], code == 0, "{v}");
    let text = bus
        .pawdiag()
        .args(["doctor", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(text.status.code(), Some(code));
    (
        code,
        v["findings"].as_array().unwrap().clone(),
        String::from_utf8_lossy(&text.stdout).into_owned(),
    )
}

fn find<'a>(findings: &'a [Value], status: &str, text: &str) -> &'a Value {
    findings
        .iter()
        .find(|f| f["status"] == status && f["message"].as_str().unwrap().contains(text))
        .unwrap_or_else(|| panic!("no {status} finding with `{text}` in {findings:#?}"))
}

#[test]
fn a_healthy_host_is_all_ok_and_exits_0() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--count", "2"], 2);
    let (code, findings, text) = doctor(&bus);
    assert_eq!(code, 0, "{text}");
    find(&findings, "ok", "The system D-Bus is reachable");
    // The fake is not bluetoothd: said so, not passed off as BlueZ.
    find(&findings, "ok", "BlueZ is running (served by pawdiag");
    find(
        &findings,
        "ok",
        "Bluetooth adapter hci0 (00:1A:7D:DA:71:13) is on",
    );
    find(&findings, "ok", "2 PawCore devices are advertising nearby");
    find(&findings, "ok", "Reports directory");
    find(&findings, "ok", "No config file");
    assert!(
        findings.iter().all(|f| f["status"] != "fail"),
        "{findings:#?}"
    );
    // One line per finding, plus the verdict.
    assert_eq!(text.lines().count(), findings.len() + 1, "{text}");
    assert!(
        text.ends_with("Nothing blocks pawdiag from reaching devices.\n"),
        "{text}"
    );
}

#[test]
fn no_adapter_blocks_and_exits_3() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "no-adapter"], 1);
    let (code, findings, text) = doctor(&bus);
    assert_eq!(code, 3, "{text}");
    let f = find(&findings, "fail", "This computer has no Bluetooth adapter");
    assert!(f["fix"].as_str().unwrap().contains("USB cable"));
    assert!(
        text.contains("FAIL  This computer has no Bluetooth adapter → plug in a Bluetooth adapter"),
        "{text}"
    );
}

#[test]
fn rfkill_says_how_to_unblock_and_exits_3() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "rfkill"], 1);
    let (code, findings, _) = doctor(&bus);
    assert_eq!(code, 3);
    let f = find(&findings, "fail", "blocked by rfkill");
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("rfkill unblock bluetooth")
    );
}

#[test]
fn an_adapter_that_is_off_is_a_note_not_a_block() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "powered-off"], 1);
    let (code, findings, _) = doctor(&bus);
    assert_eq!(code, 0);
    let f = find(&findings, "note", "is switched off");
    assert!(f["fix"].as_str().unwrap().contains("bluetoothctl power on"));
    // Read-only: the doctor did not switch it on (nothing was scanned).
    assert!(
        !findings.iter().any(|f| f["message"]
            .as_str()
            .unwrap()
            .contains("advertising nearby")),
        "{findings:#?}"
    );
}

#[test]
fn a_remembered_device_that_no_longer_advertises_is_named() {
    let bus = Bus::start();
    let _fake = bus.serve(&["--bluez", "cached-away"], 2);
    let (code, findings, _) = doctor(&bus);
    assert_eq!(code, 0);
    find(&findings, "ok", "1 PawCore device is advertising nearby");
    let f = find(
        &findings,
        "warn",
        "BlueZ remembers PawCore-PT-0002 (C0:FF:EE:00:00:02), which is not advertising",
    );
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("bluetoothctl remove C0:FF:EE:00:00:02")
    );
    // The device that does advertise is not listed as remembered-and-gone.
    assert!(
        !findings
            .iter()
            .any(|f| f["message"].as_str().unwrap().contains("PawCore-PT-0001")),
        "{findings:#?}"
    );
}

#[test]
fn bluez_or_the_bus_missing_blocks() {
    let bus = Bus::start();
    let (code, findings, _) = doctor(&bus);
    assert_eq!(code, 3);
    let f = find(
        &findings,
        "fail",
        "BlueZ (the Bluetooth service) is not running",
    );
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("systemctl start bluetooth")
    );

    let out = bus
        .pawdiag()
        .env(
            "DBUS_SYSTEM_BUS_ADDRESS",
            "unix:path=/nonexistent/pawdiag-bus",
        )
        .args(["doctor", "--json", "--timeout", "1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap().clone();
    find(&findings, "fail", "The system D-Bus cannot be reached");
}

#[test]
fn a_broken_config_and_an_unwritable_reports_directory_are_findings() {
    let bus = Bus::start();
    let _fake = bus.serve(&[], 1);
    let home = bus.home.path();
    // A file where the reports directory would be created.
    std::fs::write(home.join("blocker"), "x").unwrap();
    let run = || {
        let out = bus
            .pawdiag()
            .env("PAWDIAG_REPORT_DIR", home.join("blocker/reports"))
            .args(["doctor", "--json", "--timeout", "1"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), v["findings"].as_array().unwrap().clone())
    };
    let (code, findings) = run();
    assert_eq!(code, Some(3));
    let f = find(&findings, "fail", "Reports cannot be saved in");
    assert!(f["message"].as_str().unwrap().contains("blocker"), "{f}");

    // The doctor runs although the config is broken (other commands refuse).
    std::fs::write(home.join("pawdiag.toml"), "jobs = \"many\"\n").unwrap();
    let (code, findings) = run();
    assert_eq!(code, Some(3));
    let f = find(&findings, "fail", "The settings are not valid");
    assert!(f["fix"].as_str().unwrap().contains("pawdiag.toml"), "{f}");
    bus.pawdiag()
        .args(["info", "sim:pettracker"])
        .assert()
        .code(2);
}

/// A BlueZ connection outlives the process that made it: a pawdiag killed
/// mid-session leaves the device connected, so it stops advertising.
#[test]
fn a_device_left_connected_is_named_with_how_to_disconnect_it() {
    let bus = Bus::start();
    let _fake = bus.serve(&[], 1);
    let mut cmd = std::process::Command::new(support::BIN);
    support::isolate(&mut cmd, bus.home.path());
    let mut watch = cmd
        .args(["watch", "ble:PawCore-PT-0001", "--json"])
        .env("DBUS_SYSTEM_BUS_ADDRESS", &bus.address)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Connected once the first refresh is out; then killed without a word.
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(watch.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    assert!(first.contains("pawdiag.watch/1"), "{first}");
    watch.kill().unwrap();
    watch.wait().unwrap();
    let (code, findings, _) = doctor(&bus);
    assert_eq!(code, 0);
    let f = find(
        &findings,
        "warn",
        "PawCore-PT-0001 (C0:FF:EE:00:00:01) is still connected to this computer",
    );
    assert!(
        f["fix"]
            .as_str()
            .unwrap()
            .contains("bluetoothctl disconnect C0:FF:EE:00:00:01")
    );
    find(&findings, "ok", "0 PawCore devices are advertising nearby");
}
