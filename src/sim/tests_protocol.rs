//! The simulated firmware speaks the interface: every method of every
//! model, the replay cache, busy, reboots, framing errors, log truncation,
//! settings, self-test progress, heartbeats.

#![allow(clippy::unwrap_used)]

use super::faults::faults_for;
use super::firmware::{Output, REBOOT_DOWN};
use super::spec::SimSpec;
use super::tests::{Bench, default_params, lines, messages, request, spec};
use crate::interface::frame::encode_line;
use crate::interface::message::{self, Incoming};
use crate::interface::methods::result_fits;
use crate::interface::{MAX_LINE, Model};
use serde_json::json;
use std::time::Duration;

#[test]
fn every_method_of_every_model_answers_and_fits() {
    for model in Model::ALL {
        let methods: Vec<&str> = Model::COMMON_METHODS
            .iter()
            .chain(model.own_methods())
            .copied()
            .filter(|m| *m != "device.reboot")
            .chain(["device.reboot"])
            .collect();
        let mut b = Bench::model(model);
        for method in methods {
            let v = b.ok(method, default_params(method));
            assert!(
                result_fits(method, &v),
                "{model} {method} answer does not fit: {v}"
            );
        }
    }
}

#[test]
fn device_info_identity_defaults() {
    let mut b = Bench::model(Model::SmartCollar);
    let v = b.ok("device.info", None);
    assert_eq!(v["model"], "smartcollar");
    assert_eq!(v["serial"], "SC-24A0-0001");
    assert_eq!(v["fw_version"], "3.1.2");
    assert_eq!(v["interface"], 1);
    assert_eq!(v["last_reset"], "power_on");
    let b = Bench::new(&spec(Model::PetTracker, &["firmware-outdated"], &[]));
    assert_eq!(b.fw.advert().fw_version, "2.3.0");
    assert_ne!(
        b.fw.advert().flags & super::firmware::FLAG_UPDATE_PENDING,
        0
    );
    let s = SimSpec {
        serial: Some("HM-25B1-0042".into()),
        fw_version: Some("1.9.0-beta".into()),
        ..SimSpec::new(Model::HealthMonitor)
    };
    let mut b = Bench::new(&s);
    let v = b.ok("device.info", None);
    assert_eq!(v["serial"], "HM-25B1-0042");
    assert_eq!(v["fw_version"], "1.9.0-beta");
}

#[test]
fn methods_of_another_model_and_unknown_methods() {
    let mut b = Bench::model(Model::PetTracker);
    assert_eq!(b.err("led.status", None).code, message::NOT_SUPPORTED);
    assert_eq!(b.err("sensors.status", None).code, message::NOT_SUPPORTED);
    assert_eq!(b.err("coffee.make", None).code, message::UNKNOWN_METHOD);
    let mut b = Bench::model(Model::SmartCollar);
    assert_eq!(b.err("gps.status", None).code, message::NOT_SUPPORTED);
}

#[test]
fn banner_and_advert() {
    let b = Bench::model(Model::PetTracker);
    let banner = b.fw.banner_lines();
    assert_eq!(banner[0], "[boot] PawCore PT fw 2.4.1");
    assert!(banner.iter().all(|l| !l.starts_with('{')));
    let a = b.fw.advert();
    assert_eq!(a.local_name, "PawCore-PT-0001");
    assert_eq!(a.manufacturer_data(), [1, 1, 78, 0]);
    assert_eq!(a.manufacturer, "PawCore Systems");
    assert_eq!(a.model_id, "pettracker");
    let b = Bench::new(&spec(
        Model::HealthMonitor,
        &["charging", "hr-led-fault"],
        &[],
    ));
    let a = b.fw.advert();
    assert_eq!(a.model_byte, 2);
    assert_eq!(a.flags, 0b011, "charging and fault latched");
}

#[test]
fn replay_cache_answers_without_executing_twice() {
    let mut b = Bench::model(Model::PetTracker);
    let first = b
        .call_id(
            77,
            "settings.set",
            Some(json!({"tracking_interval_s": 120})),
        )
        .unwrap();
    assert_eq!(first, json!({"applied": {"tracking_interval_s": 120}}));
    // Same id, other params: the cached answer, and nothing changes.
    let again = b
        .call_id(
            77,
            "settings.set",
            Some(json!({"tracking_interval_s": 900})),
        )
        .unwrap();
    assert_eq!(again, first);
    assert_eq!(b.ok("settings.get", None)["tracking_interval_s"], 120);
    // A replay of device.info is byte-identical even later (uptime frozen).
    let bytes1 = b.feed(&request(78, "device.info", None));
    b.advance(Duration::from_secs(3));
    let bytes2 = b.feed(&request(78, "device.info", None));
    assert_eq!(lines(&bytes1), lines(&bytes2));
}

#[test]
fn replay_cache_keeps_eight_and_a_reboot_clears_it() {
    let mut b = Bench::model(Model::HealthMonitor);
    for id in 1..=9 {
        b.call_id(id, "battery.status", None).unwrap();
    }
    // id 1 fell out (9 answers, 8 kept): a different method gets its own answer.
    let v = b.call_id(1, "device.info", None).unwrap();
    assert!(result_fits("device.info", &v));
    // id 3 is still cached (2 made room for 1): a stale battery answer to
    // device.info (§9.1).
    let v = b.call_id(3, "device.info", None).unwrap();
    assert!(!result_fits("device.info", &v));
    let boots = b.ok("device.info", None)["boot_count"].as_u64().unwrap();
    b.ok("device.reboot", Some(json!({"mode": "soft"})));
    b.wait_reboot();
    let v = b.call_id(3, "device.info", None).unwrap();
    assert!(result_fits("device.info", &v), "cache cleared by reboot");
    assert_eq!(v["boot_count"].as_u64().unwrap(), boots + 1);
    assert_eq!(v["last_reset"], "user");
    assert!(v["uptime_s"].as_u64().unwrap() < 5);
}

#[test]
fn reboot_goes_down_for_a_while_and_drops_input() {
    let mut b = Bench::model(Model::SmartCollar);
    let outs = b.feed(&request(5, "device.reboot", Some(json!({"mode": "soft"}))));
    assert!(
        matches!(outs.last(), Some(Output::Reboot { down_for, .. }) if *down_for == REBOOT_DOWN)
    );
    assert!(!b.fw.is_up(b.t));
    // Input while down is lost.
    let outs = b.feed(&request(6, "device.info", None));
    assert!(outs.is_empty());
    b.wait_reboot();
    assert!(b.fw.is_up(b.t));
    assert!(b.fw.banner_lines()[1].contains("reset user"));
    assert!(b.call_id(6, "device.info", None).is_ok());
    // Factory reset restores default settings.
    b.ok("settings.set", Some(json!({"brightness_pct": 10})));
    b.ok("device.reboot", Some(json!({"mode": "factory"})));
    b.wait_reboot();
    assert_eq!(b.ok("settings.get", None)["brightness_pct"], 80);
    assert_eq!(
        b.err("device.reboot", Some(json!({"mode": "hard"}))).code,
        message::INVALID_PARAMS
    );
    // reboot_now: a power cycle without down time.
    let boots = b.fw.boot_count();
    b.fw.reboot_now(b.t);
    assert_eq!(b.fw.boot_count(), boots + 1);
    assert_eq!(b.ok("device.info", None)["last_reset"], "power_on");
}

#[test]
fn fifth_outstanding_request_is_busy_and_busy_is_not_cached() {
    let mut b = Bench::model(Model::PetTracker);
    let mut outs = Vec::new();
    for id in 1..=4 {
        outs.extend(b.feed(&request(id, "selftest.run", None)));
    }
    assert!(messages(&outs).is_empty(), "self-tests answer later");
    let outs = b.feed(&request(5, "device.info", None));
    let busy = messages(&outs);
    match &busy[..] {
        [
            Incoming::Response {
                id: 5,
                outcome: Err(e),
            },
        ] => {
            assert_eq!(e.code, message::BUSY);
            assert!(e.retry_ms().unwrap() > 0);
        }
        other => panic!("expected busy, got {other:?}"),
    }
    b.advance(Duration::from_millis(600));
    // Retry with the same id: executed now (busy was not cached).
    let v = b.call_id(5, "device.info", None).unwrap();
    assert!(result_fits("device.info", &v));
    // The four self-tests answered, each once.
    let answered: Vec<u32> = messages(&b.log)
        .into_iter()
        .filter_map(|m| match m {
            Incoming::Response { id, outcome: Ok(v) } if result_fits("selftest.run", &v) => {
                Some(id)
            }
            _ => None,
        })
        .collect();
    assert_eq!(answered, vec![1, 2, 3, 4]);
}

#[test]
fn a_retry_of_a_request_in_progress_is_not_run_twice() {
    let mut b = Bench::model(Model::HealthMonitor);
    b.feed(&request(9, "sync.now", None));
    b.advance(Duration::from_millis(300));
    assert!(messages(&b.feed(&request(9, "sync.now", None))).is_empty());
    b.advance(Duration::from_secs(2));
    let answers = messages(&b.log)
        .into_iter()
        .filter(|m| matches!(m, Incoming::Response { id: 9, .. }))
        .count();
    assert_eq!(answers, 1);
    assert_eq!(b.events("sync.progress").len(), 4);
}

#[test]
fn frame_errors_answer_with_null_id() {
    let mut b = Bench::model(Model::PetTracker);
    let mut bad = request(1, "device.info", None);
    bad[5] ^= 0x01;
    let framed = |b: &mut Bench, bytes: &[u8]| {
        let outs = b.feed(bytes);
        let m = messages(&outs);
        assert_eq!(
            m.len(),
            1,
            "one answer to {:?}",
            String::from_utf8_lossy(bytes)
        );
        match &m[0] {
            Incoming::Unaddressed(e) => assert_eq!(e.code, message::FRAME_ERROR),
            other => panic!("expected a frame error, got {other:?}"),
        }
        let raw = String::from_utf8(lines(&outs)[0].clone()).unwrap();
        assert!(raw.contains(r#""id":null"#), "{raw}");
    };
    framed(&mut b, &bad);
    framed(&mut b, &encode_line(r#"{"id":1,"method":"#).unwrap());
    framed(&mut b, b"{\"id\":1}*zz\n");
    let mut long = vec![b'{'; 2000];
    long.push(b'\n');
    framed(&mut b, &long);
    // A line split into many chunks is still one request.
    let req = request(2, "battery.status", None);
    let mut outs = Vec::new();
    for chunk in req.chunks(3) {
        outs.extend(b.feed(chunk));
    }
    assert!(matches!(
        &messages(&outs)[..],
        [Incoming::Response {
            id: 2,
            outcome: Ok(_)
        }]
    ));
    // A host log line and an empty line are ignored.
    assert!(b.feed(b"hello\n\n").is_empty());
    // Valid JSON that is not a request, but has an id: -32602 for that id.
    let outs = b.feed(&encode_line(r#"{"id":3}"#).unwrap());
    assert!(
        matches!(&messages(&outs)[..], [Incoming::Response { id: 3, outcome: Err(e) }] if e.code == message::INVALID_PARAMS)
    );
    assert_eq!(
        b.err("log.read", Some(json!([1]))).code,
        message::INVALID_PARAMS
    );
}

#[test]
fn log_read_truncates_to_fit_one_line() {
    for model in Model::ALL {
        let mut b = Bench::new(&SimSpec {
            faults: faults_for(model).map(|f| f.name.to_string()).collect(),
            ..SimSpec::new(model)
        });
        let outs = b.feed(&request(u32::MAX, "log.read", Some(json!({"max": 50}))));
        let raw = &lines(&outs)[0];
        assert!(raw.len() <= MAX_LINE, "{} bytes", raw.len());
        match &messages(&outs)[..] {
            [Incoming::Response { outcome: Ok(v), .. }] => {
                assert_eq!(v["truncated"], true);
                let entries = v["entries"].as_array().unwrap();
                assert!(entries.len() > 3 && entries.len() < 50);
                // Newest last.
                let ts: Vec<u64> = entries.iter().map(|e| e["t"].as_u64().unwrap()).collect();
                assert!(ts.windows(2).all(|w| w[0] <= w[1]));
            }
            other => panic!("{other:?}"),
        }
        let v = b.ok("log.read", Some(json!({"max": 3})));
        assert_eq!(v["entries"].as_array().unwrap().len(), 3);
        assert!(v.get("truncated").is_none());
        assert_eq!(
            b.err("log.read", Some(json!({"max": -1}))).code,
            message::INVALID_PARAMS
        );
    }
}

#[test]
fn settings_set_clamps_and_applies_only_keys_set() {
    let mut b = Bench::model(Model::PetTracker);
    let v = b.ok(
        "settings.set",
        Some(json!({"tracking_interval_s": 5, "colour": "pink"})),
    );
    assert_eq!(v, json!({"applied": {"tracking_interval_s": 10}}));
    let v = b.ok("settings.set", Some(json!({"tracking_interval_s": 99999})));
    assert_eq!(v["applied"]["tracking_interval_s"], 3600);
    let e = b.err("settings.set", Some(json!({"power_mode": "turbo"})));
    assert_eq!(e.code, message::INVALID_PARAMS);
    let e = b.err(
        "settings.set",
        Some(json!({"tracking_interval_s": "often"})),
    );
    assert_eq!(e.code, message::INVALID_PARAMS);
    assert_eq!(b.ok("settings.get", None)["power_mode"], "balanced");
    let mut b = Bench::model(Model::SmartCollar);
    let v = b.ok(
        "settings.set",
        Some(json!({"sensitivity": 0, "led_mode": "blink"})),
    );
    assert_eq!(
        v,
        json!({"applied": {"sensitivity": 1, "led_mode": "blink"}})
    );
    assert_eq!(b.ok("led.status", None)["mode"], "blink");
    assert_eq!(b.ok("training.status", None)["sensitivity"], 1);
    let mut b = Bench::model(Model::HealthMonitor);
    let e = b.err("settings.set", Some(json!({"alerts_enabled": "yes"})));
    assert_eq!(e.code, message::INVALID_PARAMS);
}

#[test]
fn selftest_reports_progress_then_results() {
    let mut b = Bench::model(Model::HealthMonitor);
    let v = b.ok(
        "selftest.run",
        Some(json!({"components": ["imu", "battery"]})),
    );
    let comps: Vec<&str> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["component"].as_str().unwrap())
        .collect();
    assert_eq!(comps, ["imu", "battery"]);
    assert!(v["results"][0]["code"].is_null());
    let progress = b.events("selftest.progress");
    assert_eq!(progress.len(), 2);
    assert_eq!(
        progress[1],
        json!({"component":"battery","status":"pass","done":2,"total":2})
    );
    let e = b.err("selftest.run", Some(json!({"components": ["gps"]})));
    assert_eq!(e.code, message::INVALID_PARAMS);
}

#[test]
fn heartbeat_every_five_seconds() {
    let mut b = Bench::model(Model::SmartCollar);
    b.advance(Duration::from_millis(4900));
    assert!(b.events("heartbeat").is_empty());
    for _ in 0..3 {
        b.advance(Duration::from_secs(5));
    }
    let hb = b.events("heartbeat");
    assert_eq!(hb.len(), 3);
    assert_eq!(hb[0]["uptime_s"], 3605);
    assert!(b.fw.next_deadline().unwrap() > b.t);
}
