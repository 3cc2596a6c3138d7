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
use std::os::fd::AsRawFd;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use support::{batch_line, info, pawdiag_in};

/// How the scripted firmware answers a request (`id`, `method`, `params`):
/// the whole response object.
type Script = Arc<dyn Fn(&Value) -> Value + Send + Sync>;

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

fn serve(script: &Script) -> Scripted {
    let script = script.clone();
    let (master, slave, path) = pawdiag::sim::pty::open_pty().unwrap();
    let path = path.display().to_string();
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
            let n = match port.read(&mut buf) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(_) => break,
            };
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

fn check(script: fn(&Value) -> Value, class: &str, sentence: &str, hint: &str) {
    let script: Script = Arc::new(script);
    let home = tempfile::tempdir().unwrap();
    let dev = serve(&script);
    let address = format!("serial:{}", dev.path);
    let (code, stderr) = info(home.path(), &address);
    check_batch(&script, home.path(), class);
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
fn check_batch(script: &Script, home: &Path, class: &str) {
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
    let script: Script = Arc::new(unknown_model);
    let dev = serve(&script);
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
    check_batch(&script, home.path(), "unknown-model");
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
    let dev = serve(&(Arc::new(unknown_model) as Script));
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

// ------------------------------------------------ verdicts on other firmware

/// A PetTracker of another firmware build: every method answered from a
/// table (the interface document's examples, a healthy tracker), with
/// `changes` replacing whole answers: a result object, or `{"error": …}`.
fn tracker(changes: Value) -> Script {
    let answers = json!({
        "device.info": {"model": "pettracker", "serial": "PT-77F0-0001", "hw_rev": "D",
            "fw_version": "2.4.1", "interface": 1, "uptime_s": 3600, "boot_count": 12,
            "last_reset": "power_on"},
        "battery.status": {"level_pct": 78, "voltage_mv": 3950, "charging": false,
            "charger": "none", "cycle_count": 210, "health_pct": 91, "temp_c": 24.5},
        "selftest.run": {"results": [
            {"component": "battery", "status": "pass", "code": null, "detail": null},
            {"component": "flash", "status": "pass", "code": null, "detail": null},
            {"component": "gps", "status": "pass", "code": null, "detail": null},
            {"component": "cellular", "status": "pass", "code": null, "detail": null}]},
        "log.read": {"entries": []},
        "settings.get": {"tracking_interval_s": 60, "power_mode": "balanced", "led": "on"},
        "gps.status": {"fix": "3d", "satellites": 9, "cn0_avg_dbhz": 38.5, "hdop": 1.1,
            "last_fix_age_s": 12, "lat": 52.52001, "lon": 13.40495, "antenna": "ok"},
        "link.status": {"cellular": {"registered": true, "rssi_dbm": -85},
            "app_paired": true, "last_sync_age_s": 40, "cloud": "ok"},
        "geofence.list": {"notifications": true, "geofences": [{"id": 1, "name": "Home",
            "lat": 52.52, "lon": 13.405, "radius_m": 150, "enabled": true}]},
    });
    answering(answers, changes)
}

/// Answers every request from `answers` (by method) with `changes` laid
/// over it: a result object, or `{"error": …}` for an error answer.
fn answering(mut answers: Value, changes: Value) -> Script {
    for (method, answer) in changes.as_object().unwrap() {
        answers[method] = answer.clone();
    }
    Arc::new(move |req: &Value| {
        let method = req["method"].as_str().unwrap_or_default();
        match answers.get(method) {
            Some(a) if a.get("error").is_some() => json!({"id": req["id"], "error": a["error"]}),
            Some(a) => json!({"id": req["id"], "result": a}),
            None => {
                json!({"id": req["id"], "error": {"code": -32601, "message": "unknown method"}})
            }
        }
    })
}

/// The bench sweep of a scripted device: exit code and the JSON report.
fn sweep(script: &Script) -> (i32, Value) {
    let home = tempfile::tempdir().unwrap();
    let dev = serve(script);
    let out = pawdiag_in(home.path())
        .args(["diagnose", &format!("serial:{}", dev.path)])
        .args(["--non-interactive", "--json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let v: Value = serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (out.status.code().unwrap_or(-1), v)
}

/// What a failed assertion shows: the verdict and the findings, not the
/// whole report.
fn gist(v: &Value) -> String {
    format!("outcome {} · findings {:?}", v["outcome"], finding_codes(v))
}

fn finding_codes(v: &Value) -> Vec<String> {
    v["diagnosis"]["session"]["findings"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_healthy_tracker_of_another_build_has_no_fault() {
    let (code, v) = sweep(&tracker(json!({})));
    assert_eq!(code, 0, "{}", gist(&v));
    assert_eq!(v["outcome"]["kind"], "no-fault-found", "{}", gist(&v));
    assert!(finding_codes(&v).is_empty(), "{}", gist(&v));
}

#[test]
fn a_failing_part_this_pawdiag_does_not_know_is_never_no_fault() {
    // Later hardware: a component and a code the interface document lacks.
    let (code, v) = sweep(&tracker(json!({"selftest.run": {"results": [
        {"component": "battery", "status": "pass", "code": null, "detail": null},
        {"component": "uwb", "status": "fail", "code": "UWB_NO_RESPONSE", "detail": "no answer"}]}})));
    assert_eq!(code, 4, "{}", gist(&v));
    assert_ne!(v["outcome"]["kind"], "no-fault-found", "{}", gist(&v));
    assert!(
        finding_codes(&v)
            .iter()
            .any(|c| c.contains("UWB-NO-RESPONSE")),
        "{}",
        gist(&v)
    );
}

#[test]
fn a_hot_battery_off_the_charger_is_a_safety_stop() {
    let (code, v) = sweep(&tracker(json!({"battery.status": {"level_pct": 40,
        "voltage_mv": 3800, "charging": false, "charger": "none", "cycle_count": 300,
        "health_pct": 85, "temp_c": 63.0}})));
    assert_eq!(code, 5, "{}", gist(&v));
    assert_eq!(v["outcome"]["kind"], "safety", "{}", gist(&v));
}

#[test]
fn a_hardware_fault_answered_by_a_status_method_is_a_finding() {
    // Section 9.9: a fault during a method answers -32020 with its code,
    // although the self-test passed a moment before.
    let (code, v) = sweep(&tracker(json!({"gps.status": {"error": {"code": -32020,
        "message": "hardware fault", "data": {"code": "GPS_NO_RF"}}}})));
    assert_eq!(code, 4, "{}", gist(&v));
    assert_ne!(v["outcome"]["kind"], "no-fault-found", "{}", gist(&v));
    assert!(
        finding_codes(&v).iter().any(|c| c.contains("GPS_NO_RF"))
            || v.to_string().contains("GPS_NO_RF"),
        "{}",
        gist(&v)
    );
}

#[test]
fn an_error_in_a_truncated_log_is_surfaced() {
    let (code, v) = sweep(&tracker(
        json!({"log.read": {"truncated": true, "entries": [
        {"t": 3500, "level": "error", "code": "MODEM_CRASH", "msg": "modem watchdog reset"}]}}),
    ));
    assert_eq!(code, 4, "{}", gist(&v));
    assert!(
        finding_codes(&v).iter().any(|c| c.contains("MODEM-CRASH")),
        "{}",
        gist(&v)
    );
}

#[test]
fn a_tracker_without_a_fix_and_with_nulls_everywhere_is_judged_not_crashed() {
    // Section 9.5: before its first fix every measured value may be null.
    let (code, v) = sweep(&tracker(
        json!({"gps.status": {"fix": "none", "satellites": 0,
        "cn0_avg_dbhz": null, "hdop": null, "last_fix_age_s": null, "lat": null,
        "lon": null, "antenna": "ok"}}),
    ));
    assert!(matches!(code, 0 | 4 | 7), "{code}: {}", gist(&v));
    assert!(v["outcome"]["code"].is_string(), "{}", gist(&v));
}

#[test]
fn info_shows_a_hardware_fault_answered_by_a_status_method() {
    let home = tempfile::tempdir().unwrap();
    let dev = serve(&tracker(json!({"gps.status": {"error": {"code": -32020,
        "message": "hardware fault", "data": {"code": "GPS_NO_RF"}}}})));
    let out = pawdiag_in(home.path())
        .args(["info", &format!("serial:{}", dev.path), "--json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["code"].as_str())
        .collect();
    assert!(codes.iter().any(|c| c.contains("GPS-NO-RF")), "{codes:?}");
    assert_eq!(v["snapshot"]["faults"]["gps.status"], "GPS_NO_RF");
}

/// A HealthMonitor of another build, answered from a table like
/// [`tracker`]; `sensors` replaces `sensors.status`.
fn monitor(sensors: Value) -> Script {
    monitor_with(json!({ "sensors.status": sensors }))
}

/// The same HealthMonitor with whole answers replaced.
fn monitor_with(changes: Value) -> Script {
    let answers = json!({
        "device.info": {"model": "healthmonitor", "serial": "HM-77F0-0001", "hw_rev": "C",
            "fw_version": "1.8.0", "interface": 1, "uptime_s": 7200, "boot_count": 4,
            "last_reset": "power_on"},
        "battery.status": {"level_pct": 70, "voltage_mv": 3900, "charging": false,
            "charger": "none", "cycle_count": 90, "health_pct": 96, "temp_c": 30.5},
        "selftest.run": {"results": [
            {"component": "battery", "status": "pass", "code": null, "detail": null},
            {"component": "flash", "status": "pass", "code": null, "detail": null},
            {"component": "hr_sensor", "status": "pass", "code": null, "detail": null},
            {"component": "temp_sensor", "status": "pass", "code": null, "detail": null},
            {"component": "imu", "status": "pass", "code": null, "detail": null}]},
        "log.read": {"entries": []},
        "settings.get": {"monitoring_interval_s": 60, "power_mode": "balanced",
            "alerts_enabled": true},
        "sensors.status": sensors(json!(92), 38.6, 80),
        "sync.status": {"pending_records": 3, "last_sync_age_s": 120, "last_error": "none",
            "storage_used_pct": 20},
        "alerts.config": {"enabled": true, "notify_app": true, "heart_rate_high_bpm": 200,
            "heart_rate_low_bpm": 50, "temp_high_c": 40.5},
    });
    answering(answers, changes)
}

fn sensors(bpm: Value, temp: f64, contact: u32) -> Value {
    json!({"heart_rate": {"status": if bpm.is_null() { "no_contact" } else { "ok" },
            "bpm": bpm, "signal_quality_pct": 80},
           "temperature": {"status": "ok", "c": temp}, "activity": {"status": "ok"},
           "contact_quality_pct": contact, "optical_window": "clean"})
}

#[test]
fn a_cold_pet_is_a_vet_matter_not_a_sensor_to_calibrate() {
    // 36.4 °C with good contact: below every dog's and cat's normal range,
    // above anything a sensor fault would give.
    let (code, v) = sweep(&monitor(sensors(json!(110), 36.4, 85)));
    assert_eq!(code, 4, "{}", gist(&v));
    assert!(
        finding_codes(&v).iter().any(|c| c == "HM-PET-TEMP-LOW"),
        "{}",
        gist(&v)
    );
    assert_eq!(
        v["diagnosis"]["session"]["outcome"]["pet_health"],
        true,
        "{}",
        gist(&v)
    );
}

#[test]
fn a_heart_rate_no_animal_has_is_the_sensor_not_the_pet() {
    let (code, v) = sweep(&monitor(sensors(json!(420), 38.6, 85)));
    assert_eq!(code, 4, "{}", gist(&v));
    let codes = finding_codes(&v);
    assert!(codes.iter().any(|c| c.contains("IMPLAUSIBLE")), "{codes:?}");
    assert!(!codes.iter().any(|c| c.starts_with("HM-PET-")), "{codes:?}");
}

#[test]
fn a_fever_read_through_poor_contact_is_not_called_a_fever() {
    // 41 °C with 30 % contact: not a reading to send anyone to the vet on.
    let (_, v) = sweep(&monitor(sensors(json!(95), 41.0, 30)));
    let codes = finding_codes(&v);
    assert!(!codes.iter().any(|c| c.starts_with("HM-PET-")), "{codes:?}");
    assert_ne!(
        v["diagnosis"]["session"]["outcome"]["pet_health"],
        true,
        "{}",
        gist(&v)
    );
}

#[test]
fn no_heart_rate_without_contact_is_not_a_slow_heart() {
    // Section 9.5: `bpm` is null without skin contact.
    let (_, v) = sweep(&monitor(sensors(Value::Null, 38.4, 10)));
    let codes = finding_codes(&v);
    assert!(!codes.iter().any(|c| c.starts_with("HM-PET-")), "{codes:?}");
}

/// A SmartCollar of another build, answered from a table like [`tracker`].
fn collar(changes: Value) -> Script {
    let answers = json!({
        "device.info": {"model": "smartcollar", "serial": "SC-77F0-0001", "hw_rev": "B",
            "fw_version": "3.1.2", "interface": 1, "uptime_s": 900, "boot_count": 30,
            "last_reset": "power_on"},
        "battery.status": {"level_pct": 55, "voltage_mv": 3850, "charging": false,
            "charger": "none", "cycle_count": 120, "health_pct": 94, "temp_c": 26.0},
        "selftest.run": {"results": [
            {"component": "battery", "status": "pass", "code": null, "detail": null},
            {"component": "flash", "status": "pass", "code": null, "detail": null},
            {"component": "led", "status": "pass", "code": null, "detail": null},
            {"component": "motor", "status": "pass", "code": null, "detail": null},
            {"component": "buzzer", "status": "pass", "code": null, "detail": null}]},
        "log.read": {"entries": []},
        "settings.get": {"led_mode": "steady", "brightness_pct": 80,
            "training_mode": "vibration", "sensitivity": 5},
        "led.status": {"mode": "steady", "brightness_pct": 80, "channels": [
            {"id": 0, "ok": true, "current_ma": 12}, {"id": 1, "ok": true, "current_ma": 12}]},
        "training.status": {"mode": "vibration", "sensitivity": 5, "last_command_age_s": 60,
            "motor": "ok"},
        "fit.status": {"size": "M", "tension_pct": 55, "contact": "ok"},
        "integration.status": {"linked": [], "compatible": ["pettracker", "healthmonitor"]},
    });
    answering(answers, changes)
}

#[test]
fn a_dark_led_channel_is_found_though_the_self_test_passed() {
    let (code, v) = sweep(&collar(json!({"led.status": {"mode": "steady",
        "brightness_pct": 80, "channels": [{"id": 0, "ok": true, "current_ma": 12},
        {"id": 1, "ok": false, "current_ma": 0}]}})));
    assert_eq!(code, 4, "{}", gist(&v));
    assert_eq!(v["outcome"]["kind"], "replace", "{}", gist(&v));
}

#[test]
fn a_motor_that_reports_a_fault_is_found_though_the_self_test_passed() {
    let (code, v) = sweep(&collar(json!({"training.status": {"mode": "vibration",
        "sensitivity": 5, "last_command_age_s": 60, "motor": "fault"}})));
    assert_eq!(code, 4, "{}", gist(&v));
    assert_eq!(v["outcome"]["kind"], "replace", "{}", gist(&v));
}

#[test]
fn a_battery_that_cannot_measure_its_temperature_is_a_safety_stop() {
    let (code, v) = sweep(&monitor_with(json!({"selftest.run": {"results": [
        {"component": "battery", "status": "fail", "code": "BAT_NTC_FAULT",
         "detail": "thermistor open"}]}})));
    assert_eq!(code, 5, "{}", gist(&v));
    assert_eq!(v["outcome"]["kind"], "safety", "{}", gist(&v));
}

#[test]
fn a_newer_interface_is_read_with_the_methods_pawdiag_knows() {
    // Section 8: carry on with the known methods, and say so.
    let home = tempfile::tempdir().unwrap();
    let dev = serve(&collar(json!({"device.info": {"model": "smartcollar",
        "serial": "SC-77F0-0002", "hw_rev": "C", "fw_version": "4.0.0", "interface": 2,
        "uptime_s": 10, "boot_count": 1, "last_reset": "firmware_update"}})));
    let out = pawdiag_in(home.path())
        .args(["info", &format!("serial:{}", dev.path), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let warnings = v["snapshot"]["warnings"].to_string();
    assert!(warnings.contains("interface version 2"), "{warnings}");
    assert_eq!(v["snapshot"]["battery"]["level_pct"], 55);
}

#[test]
fn a_healthy_monitor_and_collar_of_another_build_have_no_fault() {
    // The baselines the tests above change one answer of.
    for script in [monitor_with(json!({})), collar(json!({}))] {
        let (code, v) = sweep(&script);
        let notes: Vec<String> = v["diagnosis"]["session"]["steps"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["notes"].as_array().cloned().unwrap_or_default())
            .map(|n| n.to_string())
            .collect();
        assert_eq!(code, 0, "{} {notes:?}", gist(&v));
        assert_eq!(v["outcome"]["kind"], "no-fault-found", "{}", gist(&v));
    }
}

#[test]
fn an_unpaired_tracker_and_a_short_interval_are_worth_knowing_not_faults() {
    // A returned unit is often unpaired, and a customer may have chosen
    // frequent tracking: neither is escalated as a fault to look into. The
    // unpaired tracker's verdict is the GPS flow's own "working, pair it
    // with the app" (customer action); the setting and the question are
    // listed as `info`.
    let (_, v) = sweep(&tracker(json!({
        "link.status": {"cellular": {"registered": true, "rssi_dbm": -85},
            "app_paired": false, "last_sync_age_s": 40, "cloud": "ok"},
        "settings.get": {"tracking_interval_s": 10, "power_mode": "performance", "led": "on"},
    })));
    assert_eq!(v["outcome"]["code"], "PT-GPS-OK-NO-LINK", "{}", gist(&v));
    assert!(
        !finding_codes(&v)
            .iter()
            .any(|c| c.ends_with("SWEEP-FOLLOWUP")),
        "{}",
        gist(&v)
    );
    let infos: Vec<&Value> = v["diagnosis"]["session"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "info")
        .collect();
    assert!(infos.len() >= 2, "{}", gist(&v));
    assert!(
        infos
            .iter()
            .any(|f| f["next_steps"].to_string().contains("ask:")),
        "{}",
        gist(&v)
    );
}
