//! Each link fault, as a host meets it.

#![allow(clippy::unwrap_used)]

use super::faults::LINK_FAULTS;
use super::firmware::{Output, nth_serial};
use super::tests::{Bench, lines, messages, request, spec};
use crate::interface::Model;
use crate::interface::message::{self, Incoming};
use serde_json::json;
use std::time::Duration;

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
