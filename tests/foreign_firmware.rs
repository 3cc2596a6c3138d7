//! Firmware that is not our simulator: a few lines of scripted device on a
//! real pseudo-terminal, answering through the real framing, for the
//! failure classes the simulator cannot produce (a model pawdiag does not
//! know, a device that stays busy, answers that do not fit the requests).
//! Each must read as its own class, with one sentence and a hint, from
//! `info` and in `batch`'s JSON line.
#![cfg(unix)] // pseudo-terminals
#![allow(clippy::unwrap_used)]

mod support;

use pawdiag::interface::frame::{decode_line, encode_line};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use support::pawdiag_in;

/// How the scripted firmware answers a request (`id`, `method`, `params`):
/// the whole response object.
type Script = fn(&Value) -> Value;

/// A scripted device on a pseudo-terminal, served until dropped.
struct Scripted {
    path: String,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Scripted {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn serve(script: Script) -> Scripted {
    let (mut master, mut slave): (libc::c_int, libc::c_int) = (-1, -1);
    // SAFETY: openpty fills two fds; the other pointers may be null.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, 0, "openpty");
    // SAFETY: fresh fds from openpty, owned from here on.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    // Raw mode on the slave (no echo, no \n → \r\n), as a USB CDC port is.
    // SAFETY: termios is plain data filled by tcgetattr.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(slave.as_raw_fd(), &mut t), 0);
        libc::cfmakeraw(&mut t);
        assert_eq!(libc::tcsetattr(slave.as_raw_fd(), libc::TCSANOW, &t), 0);
    }
    let path = std::fs::read_link(format!("/proc/self/fd/{}", slave.as_raw_fd()))
        .unwrap()
        .display()
        .to_string();
    let stop = Arc::new(AtomicBool::new(false));
    let quit = stop.clone();
    let thread = std::thread::spawn(move || {
        // The slave stays open here so the master never reads EIO when the
        // host closes the port.
        let _slave = slave;
        let mut port = std::fs::File::from(master);
        port.write_all(b"[boot] scripted firmware 9.9.9\n").unwrap();
        let fd = port.as_raw_fd();
        let mut line = Vec::new();
        let mut buf = [0u8; 512];
        while !quit.load(Ordering::Relaxed) {
            let mut pfd = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd.
            if unsafe { libc::poll(&mut pfd, 1, 50) } <= 0 {
                continue;
            }
            let Ok(n) = port.read(&mut buf) else { break };
            for &b in &buf[..n] {
                if b != b'\n' {
                    line.push(b);
                    continue;
                }
                let request = decode_line(&line)
                    .ok()
                    .and_then(|j| serde_json::from_str::<Value>(j).ok());
                line.clear();
                if let Some(req) = request.filter(|r| r.get("method").is_some()) {
                    let answer = script(&req).to_string();
                    port.write_all(&encode_line(&answer).unwrap()).unwrap();
                }
            }
        }
    });
    Scripted {
        path,
        stop,
        thread: Some(thread),
    }
}

fn info(home: &Path, address: &str) -> (i32, String) {
    let out = pawdiag_in(home)
        .args(["info", address, "--no-selftest"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn batch_line(home: &Path, address: &str) -> Value {
    let manifest = home.join("m.csv");
    std::fs::write(&manifest, format!("device\n\"{address}\"\n")).unwrap();
    let out = pawdiag_in(home)
        .arg("batch")
        .arg(&manifest)
        .arg("--out")
        .arg(home.join("out"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(text.lines().next().unwrap_or("null")).unwrap()
}

fn device_info(model: &str) -> Value {
    json!({"model": model, "serial": "PF-24A0-0001", "hw_rev": "A",
           "fw_version": "1.0.0", "interface": 1, "uptime_s": 60,
           "boot_count": 3, "last_reset": "power_on"})
}

/// A pet feeder from a later catalogue: framing and the methods every
/// model has are PawCore's, the model is not one this pawdiag knows.
fn unknown_model(req: &Value) -> Value {
    let result = match req["method"].as_str() {
        Some("device.info") => device_info("petfeeder"),
        Some("battery.status") => json!({"level_pct": 64, "voltage_mv": 3900,
            "charging": false, "charger": "none", "cycle_count": 12,
            "health_pct": 99, "temp_c": 23.0}),
        Some("selftest.run") => json!({"results": [
            {"component": "battery", "status": "pass", "code": null, "detail": null}]}),
        Some("log.read") => json!({"entries": []}),
        Some("settings.get") => json!({}),
        _ => {
            return json!({"id": req["id"], "error": {"code": -32601, "message": "unknown method"}});
        }
    };
    json!({"id": req["id"], "result": result})
}

/// Busy with something else for longer than any host waits.
fn always_busy(req: &Value) -> Value {
    json!({"id": req["id"], "error": {"code": -32000, "message": "busy", "data": {"retry_ms": 50}}})
}

/// Answers with the right ids and framing, but not what was asked for.
fn nonsense(req: &Value) -> Value {
    json!({"id": req["id"], "result": "hello"})
}

fn check(script: Script, class: &str, sentence: &str, hint: &str) {
    let home = tempfile::tempdir().unwrap();
    let dev = serve(script);
    let address = format!("serial:{}", dev.path);
    let (code, stderr) = info(home.path(), &address);
    check_batch(script, home.path(), class);
    assert_eq!(code, 3, "{class}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let said: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        said.iter()
            .any(|l| l.contains(&format!("The device at {address} {sentence}"))),
        "{class}: {stderr}"
    );
    assert!(
        said.iter()
            .any(|l| l.trim_start().starts_with("hint:") && l.contains(hint)),
        "{class}: {stderr}"
    );
}

/// `batch` of a freshly served device: its failure class and exit 3.
fn check_batch(script: Script, home: &Path, class: &str) {
    let dev = serve(script);
    let line = batch_line(home, &format!("serial:{}", dev.path));
    assert_eq!(line["failure"], class, "{line}");
    assert_eq!(line["exit"], 3, "{line}");
}

#[test]
fn a_model_pawdiag_does_not_know_is_unknown_model() {
    // `info` shows what every model answers and says what it could not
    // read; a diagnosis cannot walk a flow for it and fails as its class.
    let home = tempfile::tempdir().unwrap();
    let dev = serve(unknown_model);
    let out = pawdiag_in(home.path())
        .args(["info", &format!("serial:{}", dev.path), "--json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("unknown model `petfeeder`") && stderr.contains("update pawdiag"),
        "{stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["snapshot"]["battery"]["level_pct"], 64, "{v}");
    check_batch(unknown_model, home.path(), "unknown-model");
}

#[test]
fn a_device_that_stays_busy_is_device_busy() {
    check(
        always_busy,
        "device-busy",
        "stayed busy and did not answer",
        "wait a minute",
    );
}

#[test]
fn answers_that_do_not_fit_are_unexpected_answers() {
    check(
        nonsense,
        "unexpected-answers",
        "answers, but not as a PawCore device would",
        "PawCore device with current firmware",
    );
}

#[test]
fn the_scripted_firmware_frames_like_a_device() {
    // The harness itself: a request framed by hand gets a framed answer.
    let dev = serve(unknown_model);
    let mut port = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&dev.path)
        .unwrap();
    port.write_all(&encode_line(r#"{"id":7,"method":"device.info"}"#).unwrap())
        .unwrap();
    // Skip the boot banner; the first protocol line is the answer.
    let mut reader = std::io::BufReader::new(port);
    let answer = loop {
        let mut line = String::new();
        std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
        if line.starts_with('{') {
            break line;
        }
    };
    let json: Value =
        serde_json::from_str(decode_line(answer.trim_end().as_bytes()).unwrap()).unwrap();
    assert_eq!(json["id"], 7);
    assert_eq!(json["result"]["model"], "petfeeder");
}
