//! The simulator through real links: a PTY server opened with the real
//! serial transport (serialport), and the in-process transport, each
//! driven by the real client. Link faults must be recovered by the client's
//! retries, silence and foreign devices must be told apart, and reboots
//! (asked for or crashes) must be survived.
#![cfg(unix)] // pseudo-terminals

// Helpers outside #[test] fns panic on purpose: a failed step fails the test.
#![allow(clippy::unwrap_used)]

use pawdiag::client::{CallError, Client, ClientOptions};
use pawdiag::interface::Model;
use pawdiag::interface::frame::{LineBuffer, RawLine, decode_line, encode_line};
use pawdiag::interface::message::{self, Incoming, Request};
use pawdiag::interface::methods::result_fits;
use pawdiag::link::serial::SerialTransport;
use pawdiag::link::{BoxTransport, Transport};
use pawdiag::sim::{PtyServer, SimSpec, SimTransport};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

fn spec(model: Model, faults: &[&str], link: &[&str]) -> SimSpec {
    SimSpec::new(model)
        .with_faults(faults)
        .unwrap()
        .with_link_faults(link)
        .unwrap()
}

/// Which link to test through.
#[derive(Clone, Copy, Debug)]
enum Via {
    Pty,
    InProcess,
}

/// A device and what keeps it alive.
struct Rig {
    client: Client,
    _server: Option<PtyServer>,
}

fn open(via: Via, spec: &SimSpec) -> Rig {
    open_with(via, spec, ClientOptions::default())
}

fn open_with(via: Via, spec: &SimSpec, opts: ClientOptions) -> Rig {
    match via {
        Via::Pty => {
            let server = PtyServer::start(spec, Some(115_200)).expect("pty");
            let path = server.path().to_str().unwrap().to_string();
            let t = SerialTransport::open(&path, 115_200, None).expect("open pty");
            Rig {
                client: Client::new(Box::new(t), opts),
                _server: Some(server),
            }
        }
        Via::InProcess => Rig {
            client: Client::new(Box::new(SimTransport::start(spec)) as BoxTransport, opts),
            _server: None,
        },
    }
}

async fn every_method_of(via: Via, model: Model) {
    let mut rig = open(via, &SimSpec::new(model));
    let c = &mut rig.client;
    let info = c.call("device.info", None).await.unwrap();
    assert_eq!(info["model"], model.id());
    assert_eq!(info["serial"], format!("{}-24A0-0001", model.code()));
    assert_eq!(info["fw_version"], model.current_firmware());
    let bat = c.call("battery.status", None).await.unwrap();
    assert_eq!(bat["level_pct"], 78);
    let st = c.call("selftest.run", None).await.unwrap();
    assert_eq!(
        st["results"].as_array().unwrap().len(),
        model.components().len()
    );
    let progress = c
        .take_events()
        .into_iter()
        .filter(|e| e.name == "selftest.progress")
        .count();
    assert_eq!(progress, model.components().len());
    let log = c.call("log.read", Some(json!({"max": 50}))).await.unwrap();
    assert_eq!(log["truncated"], true);
    for method in model.own_methods() {
        let v = c.call(method, None).await.unwrap();
        assert!(result_fits(method, &v), "{model} {method}: {v}");
    }
    // Another model's method.
    let other = if model == Model::PetTracker {
        "led.status"
    } else {
        "gps.status"
    };
    match c.call(other, None).await {
        Err(CallError::Device { error, .. }) => assert_eq!(error.code, message::NOT_SUPPORTED),
        r => panic!("{r:?}"),
    }
    assert!(c.stats().log_lines >= 2, "the boot banner was seen");
    assert_eq!(c.stats().retries, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_every_model_answers_through_a_real_serial_port() {
    for model in Model::ALL {
        every_method_of(Via::Pty, model).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_every_model_answers() {
    for model in Model::ALL {
        every_method_of(Via::InProcess, model).await;
    }
}

/// Calls that must all succeed through a faulty link; returns the rig.
async fn survive(via: Via, link: &str) -> Rig {
    let mut rig = open(via, &spec(Model::PetTracker, &[], &[link]));
    let c = &mut rig.client;
    for i in 0..8 {
        let v = c
            .call(
                "settings.set",
                Some(json!({"tracking_interval_s": 100 + i})),
            )
            .await
            .unwrap_or_else(|e| panic!("{link} via {via:?}: call {i}: {e}"));
        assert_eq!(v["applied"]["tracking_interval_s"], 100 + i);
        let info = c.call("device.info", None).await.unwrap();
        assert_eq!(info["model"], "pettracker");
    }
    let s = c.call("settings.get", None).await.unwrap();
    assert_eq!(s["tracking_interval_s"], 107);
    rig
}

async fn link_faults_are_recovered(via: Via) {
    let s = survive(via, "corrupt").await.client.stats().clone();
    assert!(s.corrupt_rx > 0 && s.retries > 0, "{s:?}");
    let s = survive(via, "corrupt-rx").await.client.stats().clone();
    assert!(s.frame_errors_reported > 0 && s.retries > 0, "{s:?}");
    let s = survive(via, "drop").await.client.stats().clone();
    assert!(s.retries > 0, "{s:?}");
    let s = survive(via, "slow").await.client.stats().clone();
    assert!(s.retries > 0, "{s:?}");
    let s = survive(via, "busy").await.client.stats().clone();
    assert!(s.busy >= 17, "{s:?}");
    let s = survive(via, "noisy").await.client.stats().clone();
    assert!(s.log_lines > 10 && s.retries == 0, "{s:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_link_faults_are_recovered_by_the_client() {
    link_faults_are_recovered(Via::Pty).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_link_faults_are_recovered_by_the_client() {
    link_faults_are_recovered(Via::InProcess).await;
}

async fn silent_and_garbage(via: Via) {
    let mut rig = open(via, &spec(Model::HealthMonitor, &[], &["silent"]));
    match rig.client.call("device.info", None).await {
        Err(CallError::Timeout {
            heard_anything,
            heard_protocol,
            ..
        }) => {
            assert!(!heard_anything && !heard_protocol);
        }
        r => panic!("silent: {r:?}"),
    }
    let mut rig = open(via, &spec(Model::HealthMonitor, &[], &["garbage"]));
    let err = rig.client.call("device.info", None).await.unwrap_err();
    match &err {
        CallError::Timeout {
            heard_anything,
            heard_protocol,
            ..
        } => {
            assert!(*heard_anything && !*heard_protocol);
        }
        r => panic!("garbage: {r:?}"),
    }
    assert!(err.not_pawcore());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_silent_and_foreign_devices_are_told_apart() {
    silent_and_garbage(Via::Pty).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_silent_and_foreign_devices_are_told_apart() {
    silent_and_garbage(Via::InProcess).await;
}

async fn reboot_counts_a_boot(via: Via) {
    let mut rig = open(via, &SimSpec::new(Model::SmartCollar));
    let c = &mut rig.client;
    let before = c.call("device.info", None).await.unwrap();
    let started = Instant::now();
    c.reboot("soft").await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(1400), "was down");
    let after = c.call("device.info", None).await.unwrap();
    assert_eq!(
        after["boot_count"].as_u64().unwrap(),
        before["boot_count"].as_u64().unwrap() + 1
    );
    assert_eq!(after["last_reset"], "user");
    assert!(after["uptime_s"].as_u64().unwrap() < 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_reboot_comes_back_with_a_new_boot() {
    reboot_counts_a_boot(Via::Pty).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_reboot_comes_back_with_a_new_boot() {
    reboot_counts_a_boot(Via::InProcess).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_crash_is_survived_by_reconnecting() {
    let mut rig = open(Via::InProcess, &spec(Model::PetTracker, &[], &["reboot"]));
    let c = &mut rig.client;
    for _ in 0..10 {
        c.call("battery.status", None).await.unwrap();
    }
    assert_eq!(c.stats().reconnects, 1);
    let info = c.call("device.info", None).await.unwrap();
    assert_eq!(info["last_reset"], "watchdog");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_vanished_device_is_lost_for_good() {
    let mut rig = open(Via::InProcess, &spec(Model::SmartCollar, &[], &["vanish"]));
    let c = &mut rig.client;
    for _ in 0..6 {
        c.call("battery.status", None).await.unwrap();
    }
    match c.call("battery.status", None).await {
        Err(CallError::LinkLost { .. }) => {}
        r => panic!("{r:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_vanished_device_stops_answering() {
    let opts = ClientOptions {
        reconnect_within: Duration::from_secs(1),
        ..ClientOptions::default()
    };
    let mut rig = open_with(Via::Pty, &spec(Model::SmartCollar, &[], &["vanish"]), opts);
    let c = &mut rig.client;
    for i in 0..6 {
        if let Err(e) = c.call("battery.status", None).await {
            panic!("call {i}: {e}\n{:#?}", c.transcript());
        }
    }
    let err = c.call("battery.status", None).await.unwrap_err();
    assert!(err.is_link(), "{err:?}");
}

/// Sends one raw request and waits for the answer with its id.
async fn raw_call(t: &mut dyn Transport, id: u32, method: &str) -> Value {
    let req = Request {
        id,
        method: method.into(),
        params: None,
    };
    t.write(&encode_line(&req.to_json()).unwrap())
        .await
        .unwrap();
    let mut buf = LineBuffer::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(3);
    loop {
        let chunk = tokio::time::timeout_at(deadline, t.read())
            .await
            .expect("an answer in time")
            .unwrap();
        for raw in buf.push(&chunk) {
            let RawLine::Line(line) = raw else { continue };
            let Ok(json) = decode_line(&line) else {
                continue;
            };
            if let Ok(Incoming::Response {
                id: got,
                outcome: Ok(v),
            }) = message::parse_incoming(json)
                && got == id
            {
                return v;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_replay_cache_outlives_closing_the_port() {
    let server = PtyServer::start(&SimSpec::new(Model::PetTracker), Some(115_200)).unwrap();
    let path = server.path().to_str().unwrap().to_string();
    let mut t = SerialTransport::open(&path, 115_200, None).unwrap();
    let v = raw_call(&mut t, 42, "battery.status").await;
    assert!(result_fits("battery.status", &v));
    t.close().await;
    drop(t);
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A new session starting at the same id gets the old answer (§9.1).
    let mut t = SerialTransport::open(&path, 115_200, None).unwrap();
    let v = raw_call(&mut t, 42, "device.info").await;
    assert!(result_fits("battery.status", &v));
    assert!(!result_fits("device.info", &v));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inprocess_replay_cache_outlives_a_reconnect() {
    let mut t = SimTransport::start(&SimSpec::new(Model::HealthMonitor));
    let v = raw_call(&mut t, 42, "battery.status").await;
    assert!(result_fits("battery.status", &v));
    t.reconnect(Duration::from_secs(1)).await.unwrap();
    let v = raw_call(&mut t, 42, "device.info").await;
    assert!(!result_fits("device.info", &v));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_output_is_paced_at_the_baud_rate() {
    // 9600 baud: ~960 bytes/s, so a ~600-byte log.read answer takes > 0.5 s.
    let server = PtyServer::start(&SimSpec::new(Model::PetTracker), Some(9600)).unwrap();
    let path = server.path().to_str().unwrap().to_string();
    let mut t = SerialTransport::open(&path, 9600, None).unwrap();
    // Let the banner drain first.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let req = Request {
        id: 7,
        method: "log.read".into(),
        params: Some(json!({"max": 50})),
    };
    t.write(&encode_line(&req.to_json()).unwrap())
        .await
        .unwrap();
    let mut buf = LineBuffer::new();
    let got = 'outer: loop {
        let chunk = tokio::time::timeout(Duration::from_secs(5), t.read())
            .await
            .unwrap()
            .unwrap();
        for raw in buf.push(&chunk) {
            if let RawLine::Line(l) = raw
                && l.starts_with(br#"{"id":7"#)
            {
                break 'outer l.len() + 1;
            }
        }
    };
    let took = started.elapsed().as_secs_f64();
    let wire = got as f64 * 10.0 / 9600.0;
    assert!(got > 500, "{got} bytes");
    assert!(
        took >= wire * 0.9 && took < wire * 1.5 + 0.3,
        "{got} bytes took {took:.3} s, wire time {wire:.3} s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pty_crash_goes_silent_then_prints_the_banner_again() {
    // A PTY cannot re-enumerate: the crash is 1.5 s of silence and a new
    // banner, so the client needs enough retries to span the down time.
    let opts = ClientOptions {
        retries: 4,
        ..ClientOptions::default()
    };
    let mut rig = open_with(Via::Pty, &spec(Model::PetTracker, &[], &["reboot"]), opts);
    let c = &mut rig.client;
    for _ in 0..6 {
        c.call("battery.status", None).await.unwrap();
    }
    let banners_before = c.stats().log_lines;
    let info = c.call("device.info", None).await.unwrap();
    assert_eq!(info["last_reset"], "watchdog");
    assert_eq!(info["boot_count"], 13);
    assert!(c.stats().retries > 0);
    assert_eq!(c.stats().log_lines, banners_before + 2, "banner again");
}
