//! Devices by serial number over real pseudo-terminals: several `sim serve`
//! devices registered as simulated USB devices (`PAWDIAG_SIM_USB`), found
//! by their USB serial string and confirmed by `device.info`; `auto`'s
//! choice among several and its memory of the last device; and `batch
//! --resume` keyed by serial, with a port whose device changes between runs.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

mod support;

use serde_json::Value;
use std::path::Path;
use support::{pawdiag_in, serve_pty};

/// `pawdiag` that sees the simulated USB devices registered in `usb`.
fn pawdiag(home: &Path, usb: &Path) -> assert_cmd::Command {
    let mut c = pawdiag_in(home);
    c.env("PAWDIAG_SIM_USB", usb);
    c
}

#[test]
fn a_serial_number_finds_its_device_among_several_ptys() {
    let home = tempfile::tempdir().unwrap();
    let usb = home.path().join("usb");
    let served = serve_pty(
        &["--model", "healthmonitor", "--count", "3"],
        3,
        &[("PAWDIAG_SIM_USB", &usb)],
    );
    // Scan lists each with its serial.
    let out = pawdiag(home.path(), &usb)
        .args(["scan", "--no-ble", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let serials: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["serial"].as_str().unwrap())
        .collect();
    assert_eq!(serials, ["HM-24A0-0001", "HM-24A0-0002", "HM-24A0-0003"]);

    // Any case; the one asked for, not the first.
    let out = pawdiag(home.path(), &usb)
        .args(["info", "hm-24a0-0002", "--no-selftest", "--json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["snapshot"]["info"]["serial"], "HM-24A0-0002");
    assert_eq!(v["address"], "HM-24A0-0002");

    // A serial nobody has: not found, exit 3, one sentence.
    let out = pawdiag(home.path(), &usb)
        .args(["info", "HM-24A0-0009"])
        .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("error: No PawCore device found (no device with serial number HM-24A0-0009 is attached over USB"),
        "{stderr}"
    );

    // Several candidates without a terminal: each listed with serial, model
    // and address, the device used last first; bad input (name one).
    let out = pawdiag(home.path(), &usb)
        .args(["info", "auto", "--non-interactive"])
        .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let first = format!(
        "Several PawCore devices are attached: HM-24A0-0002 (HealthMonitor, serial:{}, last used); HM-24A0-0001 (HealthMonitor, serial:{});",
        served.paths[1], served.paths[0]
    );
    assert!(stderr.contains(&first), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "HM-24A0-0003 (HealthMonitor, serial:{})",
            served.paths[2]
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("e.g. `pawdiag info HM-24A0-0002`"),
        "{stderr}"
    );
}

/// The USB serial string is only a claim: `device.info` must confirm it.
#[test]
fn a_usb_serial_string_that_the_device_denies_is_not_taken() {
    let home = tempfile::tempdir().unwrap();
    let usb = home.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let real = serve_pty(&["--model", "smartcollar"], 1, &[]);
    // A registration that claims SC-24A0-0077 for a port whose device is
    // SC-24A0-0001 (owned by this test process, which is alive).
    std::fs::write(
        usb.join("claim.json"),
        format!(
            r#"{{"owner":{},"devices":[{{"port":"{}","pid":31235,"serial":"SC-24A0-0077","product":"PawCore SmartCollar"}}]}}"#,
            std::process::id(),
            real.paths[0]
        ),
    )
    .unwrap();
    let out = pawdiag(home.path(), &usb)
        .args(["-v", "info", "SC-24A0-0077", "--no-selftest"])
        .env("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("answers as SC-24A0-0001, not SC-24A0-0077"),
        "{stderr}"
    );
    assert!(stderr.contains("No PawCore device found"), "{stderr}");
}

fn batch(home: &Path, manifest: &Path, out: &Path, extra: &[&str]) -> Vec<Value> {
    let o = pawdiag_in(home)
        .arg("batch")
        .arg(manifest)
        .arg("--out")
        .arg(out)
        .args(extra)
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// `--resume` used to know devices by port: a collar on the port where a
/// tracker was tested was skipped and reported with the tracker's result.
#[test]
fn batch_resume_knows_devices_by_serial_not_by_port() {
    let home = tempfile::tempdir().unwrap();
    let tracker = serve_pty(&["--model", "pettracker"], 1, &[]);
    let collar = serve_pty(&["--model", "smartcollar"], 1, &[]);
    let port = home.path().join("bench-port-1");
    std::os::unix::fs::symlink(&tracker.paths[0], &port).unwrap();
    let manifest = home.path().join("m.csv");
    std::fs::write(
        &manifest,
        format!("device,ticket\nserial:{},T-7\n", port.display()),
    )
    .unwrap();
    let out = home.path().join("out");

    let first = batch(home.path(), &manifest, &out, &[]);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0]["serial"], "PT-24A0-0001", "{}", first[0]);
    assert_eq!(first[0]["resumed"], false);

    // Same port, same device: resumed, with the same fields as a fresh line.
    let again = batch(home.path(), &manifest, &out, &["--resume"]);
    assert_eq!(again[0]["resumed"], true, "{}", again[0]);
    let fields = |v: &Value| {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    assert_eq!(fields(&again[0]), fields(&first[0]));
    for k in [
        "serial", "model", "flow", "outcome", "code", "exit", "report", "ticket", "device", "line",
    ] {
        assert_eq!(again[0][k], first[0][k], "{k}");
    }
    assert_eq!(again[0]["duration_ms"], 0);

    // The port now leads to another device: it is run, not skipped, and
    // the tracker's report stays.
    std::fs::remove_file(&port).unwrap();
    std::os::unix::fs::symlink(&collar.paths[0], &port).unwrap();
    let swapped = batch(home.path(), &manifest, &out, &["--resume"]);
    assert_eq!(swapped[0]["resumed"], false, "{}", swapped[0]);
    assert_eq!(swapped[0]["serial"], "SC-24A0-0001");
    assert_eq!(swapped[0]["model"], "smartcollar");
    assert_ne!(swapped[0]["report"], first[0]["report"]);
    for line in [&first[0], &swapped[0]] {
        let bytes = std::fs::read(line["report"].as_str().unwrap()).unwrap();
        let rep = pawdiag::report::load(&bytes).unwrap();
        assert_eq!(Some(rep.device.serial.as_str()), line["serial"].as_str());
    }

    // And back: both are finished now, so the tracker is resumed again.
    std::fs::remove_file(&port).unwrap();
    std::os::unix::fs::symlink(&tracker.paths[0], &port).unwrap();
    let back = batch(home.path(), &manifest, &out, &["--resume"]);
    assert_eq!(back[0]["resumed"], true, "{}", back[0]);
    assert_eq!(back[0]["serial"], "PT-24A0-0001");
    assert_eq!(back[0]["report"], first[0]["report"]);
}
