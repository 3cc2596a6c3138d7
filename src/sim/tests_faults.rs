//! Each device fault changes what the interface says (table-driven over
//! `FAULTS`), and the specific values and behaviours some faults have.

#![allow(clippy::unwrap_used)]

use super::faults::FAULTS;
use super::spec::SimSpec;
use super::tests::{Bench, spec};
use crate::interface::Model;
use crate::interface::message::{self};
use crate::interface::methods::result_fits;
use serde_json::{Value, json};
use std::time::Duration;

/// Everything a host can observe of a device, method by method, with the
/// read-only methods first and the ones that act last.
fn observe(spec: &SimSpec) -> Vec<(String, String)> {
    let mut b = Bench::new(spec);
    let model = spec.model;
    let mut seen = vec![
        ("banner".to_string(), b.fw.banner_lines().join("\n")),
        ("advert".to_string(), format!("{:?}", b.fw.advert())),
    ];
    let acting = [
        "gps.cold_start",
        "sync.now",
        "alerts.test",
        "led.test",
        "sensors.calibrate",
    ];
    let mut methods: Vec<&str> = [
        "device.info",
        "battery.status",
        "selftest.run",
        "settings.get",
    ]
    .into_iter()
    .chain(
        model
            .own_methods()
            .iter()
            .copied()
            .filter(|m| !acting.contains(m)),
    )
    .chain(["log.read"])
    .collect();
    methods.extend(
        model
            .own_methods()
            .iter()
            .copied()
            .filter(|m| acting.contains(m)),
    );
    methods.push("settings.set");
    for m in methods {
        let params = match m {
            "settings.set" => Some(json!({"power_mode": "saver", "led_mode": "steady"})),
            "log.read" => Some(json!({"max": 50})),
            _ => None,
        };
        let answer = match b.call(m, params) {
            Ok(v) => v.to_string(),
            Err(e) => format!("error {} {:?}", e.code, e.data),
        };
        seen.push((m.to_string(), answer));
    }
    seen
}

#[test]
fn every_device_fault_changes_what_the_interface_says() {
    for fault in FAULTS {
        let models: Vec<Model> = if fault.models.is_empty() {
            Model::ALL.to_vec()
        } else {
            fault.models.to_vec()
        };
        for model in models {
            let healthy = observe(&SimSpec::new(model));
            let faulty = observe(&spec(model, &[fault.name], &[]));
            let changed: Vec<&str> = healthy
                .iter()
                .zip(&faulty)
                // The log alone would be too easy: something else must change.
                .filter(|(h, f)| h.1 != f.1 && h.0 != "log.read")
                .map(|(h, _)| h.0.as_str())
                .collect();
            assert!(
                !changed.is_empty(),
                "fault {} changes nothing on the {model}",
                fault.name
            );
            // A fault named after a self-test code shows that code.
            if let Some(code) = fault
                .about
                .split(['(', ')'])
                .nth(1)
                .filter(|c| c.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            {
                let selftest = &faulty.iter().find(|(m, _)| m == "selftest.run").unwrap().1;
                assert!(
                    selftest.contains(&format!("\"code\":\"{code}\"")),
                    "{} on the {model}: self-test lacks {code}: {selftest}",
                    fault.name
                );
                let advert = &faulty.iter().find(|(m, _)| m == "advert").unwrap().1;
                assert!(
                    advert.contains("flags: 2") || advert.contains("flags: 3"),
                    "{advert}"
                );
            }
        }
    }
}

#[test]
fn specific_fault_values() {
    let check = |model: Model, fault: &str, method: &str, pointer: &str, want: Value| {
        let mut b = Bench::new(&spec(model, &[fault], &[]));
        let v = b.ok(method, None);
        assert_eq!(
            v.pointer(pointer),
            Some(&want),
            "{fault}: {method}{pointer} in {v}"
        );
    };
    use Model::{HealthMonitor as HM, PetTracker as PT, SmartCollar as SC};
    check(
        PT,
        "battery-degraded",
        "battery.status",
        "/health_pct",
        json!(55),
    );
    check(
        PT,
        "battery-ntc-fault",
        "battery.status",
        "/temp_c",
        Value::Null,
    );
    check(
        SC,
        "battery-charge-fault",
        "battery.status",
        "/charger",
        json!("usb"),
    );
    check(
        SC,
        "battery-charge-fault",
        "battery.status",
        "/charging",
        json!(false),
    );
    check(
        HM,
        "battery-overtemp",
        "battery.status",
        "/temp_c",
        json!(62.0),
    );
    check(HM, "battery-low", "battery.status", "/level_pct", json!(7));
    check(PT, "charging", "battery.status", "/charging", json!(true));
    let mut b = Bench::new(&spec(PT, &["battery-charge-fault", "charging"], &[]));
    assert_eq!(
        b.ok("battery.status", None)["charging"],
        true,
        "faulty circuit still charging"
    );
    check(
        PT,
        "charger-not-detected",
        "battery.status",
        "/charger",
        json!("none"),
    );
    check(SC, "interface-v2", "device.info", "/interface", json!(2));
    check(
        PT,
        "power-hungry-settings",
        "settings.get",
        "/power_mode",
        json!("performance"),
    );
    check(
        PT,
        "gps-antenna-open",
        "gps.status",
        "/antenna",
        json!("open"),
    );
    check(
        PT,
        "gps-antenna-short",
        "gps.status",
        "/antenna",
        json!("short"),
    );
    check(PT, "gps-no-rf", "gps.status", "/satellites", json!(0));
    check(
        PT,
        "cell-no-sim",
        "link.status",
        "/cellular/rssi_dbm",
        Value::Null,
    );
    check(
        PT,
        "cell-no-reg",
        "link.status",
        "/cellular/registered",
        json!(false),
    );
    check(
        PT,
        "app-not-paired",
        "link.status",
        "/app_paired",
        json!(false),
    );
    check(
        PT,
        "cloud-unreachable",
        "link.status",
        "/cloud",
        json!("unreachable"),
    );
    check(
        PT,
        "cloud-auth-failed",
        "link.status",
        "/cloud",
        json!("auth_failed"),
    );
    check(
        PT,
        "geofence-tiny",
        "geofence.list",
        "/geofences/0/radius_m",
        json!(15),
    );
    check(
        PT,
        "geofence-notifications-off",
        "geofence.list",
        "/notifications",
        json!(false),
    );
    check(
        PT,
        "geofence-none",
        "geofence.list",
        "/geofences",
        json!([]),
    );
    check(
        HM,
        "sync-backlog",
        "sync.status",
        "/pending_records",
        json!(1440),
    );
    check(
        HM,
        "storage-full",
        "sync.status",
        "/storage_used_pct",
        json!(100),
    );
    check(HM, "sync-auth", "sync.status", "/last_error", json!("auth"));
    check(
        HM,
        "optical-window-dirty",
        "sensors.status",
        "/optical_window",
        json!("dirty"),
    );
    check(
        HM,
        "no-skin-contact",
        "sensors.status",
        "/heart_rate/bpm",
        Value::Null,
    );
    check(
        HM,
        "needs-calibration",
        "sensors.status",
        "/heart_rate/bpm",
        json!(395),
    );
    check(
        HM,
        "hr-led-fault",
        "sensors.status",
        "/heart_rate/status",
        json!("fault"),
    );
    check(
        HM,
        "temp-out-of-range",
        "sensors.status",
        "/temperature/status",
        json!("fault"),
    );
    check(
        HM,
        "imu-no-response",
        "sensors.status",
        "/activity/status",
        json!("fault"),
    );
    check(HM, "alerts-off", "alerts.config", "/enabled", json!(false));
    check(
        HM,
        "alerts-app-off",
        "alerts.config",
        "/notify_app",
        json!(false),
    );
    check(
        HM,
        "alerts-undelivered",
        "alerts.test",
        "/delivered",
        json!(false),
    );
    check(
        HM,
        "alerts-thresholds-odd",
        "alerts.config",
        "/heart_rate_high_bpm",
        json!(250),
    );
    check(
        SC,
        "led-channel-open",
        "led.status",
        "/channels/1/ok",
        json!(false),
    );
    check(SC, "led-off", "led.status", "/mode", json!("off"));
    check(SC, "led-dim", "led.status", "/brightness_pct", json!(5));
    check(
        SC,
        "motor-stall",
        "training.status",
        "/motor",
        json!("fault"),
    );
    check(SC, "training-off", "training.status", "/mode", json!("off"));
    check(
        SC,
        "training-low-sensitivity",
        "training.status",
        "/sensitivity",
        json!(1),
    );
    check(SC, "fit-loose", "fit.status", "/contact", json!("loose"));
    check(SC, "fit-tight", "fit.status", "/contact", json!("tight"));
    check(
        SC,
        "integration-lost",
        "integration.status",
        "/linked/0/link",
        json!("lost"),
    );
    check(
        SC,
        "integration-none",
        "integration.status",
        "/linked",
        json!([]),
    );
}

#[test]
fn hardware_faults_answer_32020_with_a_code() {
    let hw = |model: Model, fault: &str, method: &str, code: &str| {
        let mut b = Bench::new(&spec(model, &[fault], &[]));
        let e = b.err(method, None);
        assert_eq!(e.code, message::HARDWARE_FAULT, "{fault} {method}");
        assert_eq!(e.fault_code(), Some(code));
    };
    hw(
        Model::HealthMonitor,
        "storage-full",
        "sync.now",
        "SYNC_FAILED",
    );
    hw(Model::HealthMonitor, "sync-auth", "sync.now", "SYNC_FAILED");
    hw(
        Model::HealthMonitor,
        "hr-led-fault",
        "sensors.calibrate",
        "HR_LED_FAULT",
    );
    hw(
        Model::SmartCollar,
        "led-driver-fault",
        "led.test",
        "LED_DRIVER_FAULT",
    );
    let mut b = Bench::new(&spec(Model::PetTracker, &["flash-ecc"], &[]));
    let e = b.err("settings.set", Some(json!({"led": "off"})));
    assert_eq!(e.fault_code(), Some("FLASH_ECC"));
}

#[test]
fn nulls_before_the_first_fix_and_the_cold_start_fix() {
    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-antenna-open"], &[]));
    let g = b.ok("gps.status", None);
    assert_eq!(g["fix"], "none");
    assert!(g["lat"].is_null() && g["lon"].is_null() && g["last_fix_age_s"].is_null());
    b.ok("gps.cold_start", None);
    b.advance(Duration::from_secs(5));
    assert!(
        b.events("gps.fix").is_empty(),
        "no fix with an open antenna"
    );

    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-stale-almanac"], &[]));
    let g = b.ok("gps.status", None);
    assert_eq!(g["fix"], "none");
    assert!(g["last_fix_age_s"].as_u64().unwrap() > 86_400);
    assert!(g["lat"].is_number(), "an old fix keeps its position");
    for _ in 0..5 {
        assert_eq!(b.ok("gps.status", None)["fix"], "none");
    }
    assert_eq!(b.ok("gps.cold_start", None), json!({"ok": true}));
    b.advance(Duration::from_millis(2900));
    assert!(b.events("gps.fix").is_empty());
    b.advance(Duration::from_millis(200));
    let fix = b.events("gps.fix");
    assert_eq!(fix.len(), 1);
    assert_eq!(fix[0]["fix"], "3d");
    assert!(result_fits("gps.status", &fix[0]));
    assert_eq!(b.ok("gps.status", None)["fix"], "3d");
}

#[test]
fn gps_indoors_fixes_on_the_fourth_read() {
    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-indoors"], &[]));
    for _ in 0..3 {
        let g = b.ok("gps.status", None);
        assert_eq!(g["fix"], "none");
        assert!(g["lat"].is_null());
    }
    let g = b.ok("gps.status", None);
    assert_eq!(g["fix"], "3d");
    assert!(g["lat"].is_number());
    assert_eq!(b.events("gps.fix").len(), 1);
    // Or a cold start, on a fresh device.
    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-indoors"], &[]));
    b.ok("gps.cold_start", None);
    b.advance(Duration::from_secs(4));
    assert_eq!(b.events("gps.fix").len(), 1);
}

#[test]
fn hands_on_faults_resolve_after_a_pause_and_a_re_read() {
    let mut b = Bench::new(&spec(
        Model::HealthMonitor,
        &["optical-window-dirty", "no-skin-contact"],
        &[],
    ));
    assert_eq!(b.ok("sensors.status", None)["optical_window"], "dirty");
    assert_eq!(
        b.err("sensors.calibrate", None).code,
        message::INVALID_PARAMS
    );
    b.advance(Duration::from_millis(500));
    assert_eq!(
        b.ok("sensors.status", None)["optical_window"],
        "dirty",
        "no pause yet"
    );
    b.advance(Duration::from_millis(2100));
    let s = b.ok("sensors.status", None);
    assert_eq!(s["optical_window"], "clean");
    assert_eq!(s["contact_quality_pct"], 80);
    assert_eq!(s["heart_rate"]["status"], "ok");
    assert_eq!(b.ok("sensors.calibrate", None), json!({"ok": true}));

    let mut b = Bench::new(&spec(Model::SmartCollar, &["fit-loose"], &[]));
    assert_eq!(b.ok("fit.status", None)["contact"], "loose");
    b.advance(Duration::from_secs(3));
    assert_eq!(b.ok("fit.status", None)["contact"], "ok");

    let mut b = Bench::new(&spec(Model::HealthMonitor, &["needs-calibration"], &[]));
    assert_eq!(b.ok("sensors.status", None)["heart_rate"]["bpm"], 395);
    b.ok("sensors.calibrate", None);
    assert_eq!(b.ok("sensors.status", None)["heart_rate"]["bpm"], 92);
}

#[test]
fn sync_now_syncs_with_progress() {
    let mut b = Bench::new(&spec(Model::HealthMonitor, &["sync-backlog"], &[]));
    let start = b.t;
    assert_eq!(b.ok("sync.now", None), json!({"synced_records": 1440}));
    assert!(b.t - start >= Duration::from_millis(900));
    let p = b.events("sync.progress");
    assert_eq!(
        p.last().unwrap(),
        &json!({"synced_records": 1440, "total": 1440})
    );
    let s = b.ok("sync.status", None);
    assert_eq!(s["pending_records"], 0);
    assert_eq!(s["last_error"], "none");
}
