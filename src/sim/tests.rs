//! Unit tests of the simulated firmware, driven with hand-made instants so
//! they are exact and fast: every method of every model, the replay cache,
//! busy, framing errors, log truncation, each device fault (table-driven
//! over `FAULTS`) and each link fault.

use super::firmware::{Firmware, Output, REBOOT_DOWN, nth_serial};
use super::spec::{FAULTS, LINK_FAULTS, SimSpec, faults_for};
use crate::interface::frame::{decode_line, encode_line};
use crate::interface::message::{self, Incoming};
use crate::interface::methods::result_fits;
use crate::interface::{MAX_LINE, Model};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// A device and a clock.
pub(super) struct Bench {
    fw: Firmware,
    t: Instant,
    next_id: u32,
    /// Every output so far.
    log: Vec<Output>,
}

pub(super) fn spec(model: Model, faults: &[&str], link: &[&str]) -> SimSpec {
    SimSpec::new(model)
        .with_faults(faults)
        .unwrap()
        .with_link_faults(link)
        .unwrap()
}

/// The protocol messages among outputs (banner/log lines and corrupt lines skipped).
fn messages(outs: &[Output]) -> Vec<Incoming> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Line { bytes, .. } => {
                let line = bytes.strip_suffix(b"\n")?;
                let json = decode_line(line).ok()?;
                message::parse_incoming(json).ok()
            }
            _ => None,
        })
        .collect()
}

fn lines(outs: &[Output]) -> Vec<Vec<u8>> {
    outs.iter()
        .filter_map(|o| match o {
            Output::Line { bytes, .. } => Some(bytes.clone()),
            _ => None,
        })
        .collect()
}

fn request(id: u32, method: &str, params: Option<Value>) -> Vec<u8> {
    let req = message::Request {
        id,
        method: method.into(),
        params,
    };
    encode_line(&req.to_json()).unwrap()
}

impl Bench {
    pub(super) fn new(spec: &SimSpec) -> Self {
        let t = Instant::now();
        Self {
            fw: Firmware::new_at(spec, t),
            t,
            next_id: 1000,
            log: Vec::new(),
        }
    }

    fn model(m: Model) -> Self {
        Self::new(&SimSpec::new(m))
    }

    fn feed(&mut self, bytes: &[u8]) -> Vec<Output> {
        let out = self.fw.on_bytes(bytes, self.t);
        self.log.extend(out.clone());
        out
    }

    pub(super) fn advance(&mut self, d: Duration) -> Vec<Output> {
        self.t += d;
        let out = self.fw.poll(self.t);
        self.log.extend(out.clone());
        out
    }

    /// Sends a request with this id and waits (in simulated time, up to
    /// 12 s) for its answer.
    fn call_id(
        &mut self,
        id: u32,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, message::RpcError> {
        let mut outs = self.feed(&request(id, method, params));
        for _ in 0..120 {
            for m in messages(&outs) {
                if let Incoming::Response { id: got, outcome } = m
                    && got == id
                {
                    return outcome;
                }
            }
            outs = self.advance(Duration::from_millis(100));
        }
        panic!("no answer to {method} (id {id})");
    }

    pub(super) fn call(
        &mut self,
        method: &str,
        params: Option<Value>,
    ) -> Result<Value, message::RpcError> {
        self.next_id += 1;
        self.call_id(self.next_id, method, params)
    }

    pub(super) fn ok(&mut self, method: &str, params: Option<Value>) -> Value {
        match self.call(method, params) {
            Ok(v) => v,
            Err(e) => panic!("{method} failed: {e:?}"),
        }
    }

    pub(super) fn err(&mut self, method: &str, params: Option<Value>) -> message::RpcError {
        match self.call(method, params) {
            Ok(v) => panic!("{method} answered {v}, expected an error"),
            Err(e) => e,
        }
    }

    fn events(&self, name: &str) -> Vec<Value> {
        messages(&self.log)
            .into_iter()
            .filter_map(|m| match m {
                Incoming::Event { name: n, data } if n == name => Some(data),
                _ => None,
            })
            .collect()
    }

    /// Lets a reboot finish.
    pub(super) fn wait_reboot(&mut self) {
        self.advance(REBOOT_DOWN + Duration::from_millis(10));
    }
}

fn default_params(method: &str) -> Option<Value> {
    match method {
        "log.read" => Some(json!({"max": 5})),
        "settings.set" => Some(json!({})),
        "device.reboot" => Some(json!({"mode": "soft"})),
        "selftest.run" => None,
        _ => Some(json!({})),
    }
}

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

// ---- link faults ----

#[test]
fn every_link_fault_is_tested_here() {
    let tested = [
        "corrupt",
        "corrupt-rx",
        "drop",
        "slow",
        "busy",
        "silent",
        "hung",
        "garbage",
        "reboot",
        "vanish",
        "noisy",
    ];
    for f in LINK_FAULTS {
        assert!(
            tested.contains(&f.name),
            "link fault {} has no test",
            f.name
        );
    }
}

#[test]
fn link_corrupt_flips_every_third_answer_and_a_retry_recovers() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &["corrupt"]));
    let good = |b: &mut Bench, id| messages(&b.feed(&request(id, "battery.status", None))).len();
    assert_eq!(good(&mut b, 1), 1);
    assert_eq!(good(&mut b, 2), 1);
    let outs = b.feed(&request(3, "battery.status", None));
    assert_eq!(lines(&outs).len(), 1, "a line was sent");
    assert!(messages(&outs).is_empty(), "but it does not check out");
    assert_eq!(
        good(&mut b, 3),
        1,
        "the retry gets the cached answer intact"
    );
}

#[test]
fn link_corrupt_rx_garbles_every_third_request() {
    let mut b = Bench::new(&spec(Model::SmartCollar, &[], &["corrupt-rx"]));
    b.ok("device.info", None);
    b.ok("device.info", None);
    let outs = b.feed(&request(50, "device.info", None));
    assert!(
        matches!(&messages(&outs)[..], [Incoming::Unaddressed(e)] if e.code == message::FRAME_ERROR)
    );
    assert!(b.call_id(50, "device.info", None).is_ok());
}

#[test]
fn link_drop_loses_every_third_answer_and_the_replay_cache_recovers_it() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &["drop"]));
    b.ok("device.info", None);
    b.ok("device.info", None);
    let outs = b.feed(&request(
        60,
        "settings.set",
        Some(json!({"tracking_interval_s": 300})),
    ));
    assert!(outs.is_empty(), "dropped");
    let v = b
        .call_id(
            60,
            "settings.set",
            Some(json!({"tracking_interval_s": 999})),
        )
        .unwrap();
    assert_eq!(
        v["applied"]["tracking_interval_s"], 300,
        "replayed, not re-run"
    );
}

#[test]
fn link_slow_holds_every_fourth_request_back() {
    let mut b = Bench::new(&spec(Model::HealthMonitor, &[], &["slow"]));
    for _ in 0..3 {
        let start = b.t;
        b.ok("battery.status", None);
        assert_eq!(b.t, start);
    }
    let start = b.t;
    b.ok("battery.status", None);
    assert!(b.t - start >= Duration::from_millis(1500));
}

#[test]
fn link_busy_answers_each_first_try_busy() {
    let mut b = Bench::new(&spec(Model::SmartCollar, &[], &["busy"]));
    let e = b.call_id(7, "led.status", None).unwrap_err();
    assert_eq!(e.code, message::BUSY);
    assert_eq!(e.retry_ms(), Some(30));
    assert!(b.call_id(7, "led.status", None).is_ok());
    assert_eq!(
        b.call_id(8, "led.status", None).unwrap_err().code,
        message::BUSY
    );
}

#[test]
fn link_silent_says_nothing_ever() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &["silent"]));
    assert!(b.fw.banner_lines().is_empty());
    b.feed(&request(1, "device.info", None));
    b.feed(b"garbage\n");
    b.advance(Duration::from_secs(20));
    assert!(b.log.is_empty());
}

#[test]
fn link_hung_prints_its_banner_then_nothing() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &["hung"]));
    assert!(
        b.fw.banner_lines().iter().any(|l| l.contains("PawCore PT")),
        "the banner still comes"
    );
    b.feed(&request(1, "device.info", None));
    b.advance(Duration::from_secs(20));
    assert!(b.log.is_empty(), "no answer, no event, no heartbeat");
}

#[test]
fn link_garbage_never_sends_a_protocol_line() {
    let mut b = Bench::new(&spec(Model::HealthMonitor, &[], &["garbage"]));
    assert!(b.fw.banner_lines().iter().all(|l| !l.contains("PawCore")));
    for id in 1..=6 {
        b.feed(&request(id, "device.info", None));
    }
    b.advance(Duration::from_secs(12));
    let all = lines(&b.log);
    assert_eq!(all.len(), 6, "one reply per line");
    assert!(all.iter().all(|l| l.first() != Some(&b'{')));
    assert!(all.iter().any(|l| l.starts_with(b"ERROR")));
}

#[test]
fn link_reboot_crashes_once_after_the_sixth_answer() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &["reboot"]));
    for i in 1..=6 {
        b.ok("battery.status", None);
        let crashed = b.log.iter().any(|o| matches!(o, Output::Reboot { .. }));
        assert_eq!(crashed, i == 6, "after answer {i}");
    }
    b.wait_reboot();
    let v = b.ok("device.info", None);
    assert_eq!(v["last_reset"], "watchdog");
    assert_eq!(v["boot_count"], 13);
    for _ in 0..10 {
        b.ok("battery.status", None);
    }
    let crashes = b
        .log
        .iter()
        .filter(|o| matches!(o, Output::Reboot { .. }))
        .count();
    assert_eq!(crashes, 1);
}

#[test]
fn link_vanish_disappears_after_the_sixth_answer() {
    let mut b = Bench::new(&spec(Model::SmartCollar, &[], &["vanish"]));
    for _ in 0..6 {
        b.ok("device.info", None);
    }
    assert!(matches!(b.log.last(), Some(Output::Vanish { .. })));
    assert!(b.fw.vanished());
    assert!(b.feed(&request(1, "device.info", None)).is_empty());
    assert!(b.advance(Duration::from_secs(30)).is_empty());
    assert_eq!(b.fw.next_deadline(), None);
}

#[test]
fn link_noisy_sends_log_lines_and_unknown_events() {
    let mut b = Bench::new(&spec(Model::HealthMonitor, &[], &["noisy"]));
    let outs = b.feed(&request(1, "device.info", None));
    let raw = lines(&outs);
    assert_eq!(raw.len(), 3);
    assert!(raw[0].starts_with(b"[dbg]"));
    assert!(
        matches!(&messages(&outs)[..], [Incoming::Event { name, .. }, Incoming::Response { id: 1, outcome: Ok(_) }] if name == "debug.trace")
    );
}

#[test]
fn serials_count_up() {
    assert_eq!(nth_serial(Model::PetTracker, None, 0), "PT-24A0-0001");
    assert_eq!(nth_serial(Model::PetTracker, None, 2), "PT-24A0-0003");
    assert_eq!(
        nth_serial(Model::SmartCollar, Some("SC-24A0-0099"), 1),
        "SC-24A0-0100"
    );
    assert_eq!(
        nth_serial(Model::SmartCollar, Some("custom"), 1),
        "custom-2"
    );
}
