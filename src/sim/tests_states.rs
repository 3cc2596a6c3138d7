//! Device states added so verdicts can be tested against more than the
//! first simulator knew: a pet with a fever, readings no animal has, a weak
//! or stale GPS fix, a walk out of the safe zone, a cue from the app, a
//! link that comes back when the devices are brought together, and the
//! hands-on rules that stand for the person doing what a flow asks.

#![allow(clippy::unwrap_used)]

use super::models::HANDS_ON_PAUSE;
use super::tests::{Bench, spec};
use crate::interface::Model;
use crate::probe::catalogue;
use serde_json::{Value, json};
use std::time::Duration;

const PAUSE: Duration = HANDS_ON_PAUSE;

fn outside(b: &mut Bench) -> Value {
    let gps = b.ok("gps.status", None);
    let zones = b.ok("geofence.list", None);
    catalogue::find("geofence.outside")
        .unwrap()
        .extract_with(&gps, Some(&zones), Model::PetTracker)
}

#[test]
fn a_walk_takes_the_tracker_out_of_its_home_zone_after_a_pause() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &[]));
    assert_eq!(outside(&mut b), json!(false));
    // Polled at once: nobody has walked anywhere yet.
    assert_eq!(outside(&mut b), json!(false));
    b.advance(PAUSE);
    assert_eq!(outside(&mut b), json!(true));

    // A zone 5 km across is never left by a walk of a few hundred metres.
    let mut b = Bench::new(&spec(Model::PetTracker, &["geofence-huge"], &[]));
    b.ok("gps.status", None);
    b.advance(PAUSE);
    assert_eq!(outside(&mut b), json!(false));

    // A stuck position does not move.
    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-position-stuck"], &[]));
    b.ok("gps.status", None);
    b.advance(PAUSE);
    assert_eq!(outside(&mut b), json!(false));
}

#[test]
fn a_weak_fix_stays_weak_and_a_stuck_position_clears_on_a_cold_start() {
    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-weak-fix"], &[]));
    let s = b.ok("gps.status", None);
    assert_eq!(
        (&s["fix"], &s["satellites"], &s["hdop"]),
        (&json!("2d"), &json!(3), &json!(4.8))
    );
    b.ok("gps.cold_start", None);
    b.advance(Duration::from_secs(4));
    assert_eq!(b.ok("gps.status", None)["fix"], "2d");

    let mut b = Bench::new(&spec(Model::PetTracker, &["gps-position-stuck"], &[]));
    let s = b.ok("gps.status", None);
    assert_eq!(s["fix"], "3d");
    assert!(s["last_fix_age_s"].as_u64().unwrap() >= 900);
    b.advance(Duration::from_secs(10));
    assert!(b.ok("gps.status", None)["last_fix_age_s"].as_u64().unwrap() >= 910);
    b.ok("gps.cold_start", None);
    b.advance(Duration::from_secs(4));
    assert_eq!(b.ok("gps.status", None)["last_fix_age_s"], 1);
}

#[test]
fn plugging_in_shows_as_charging_unless_the_cable_is_bad() {
    let mut b = Bench::new(&spec(Model::PetTracker, &[], &[]));
    assert_eq!(b.ok("battery.status", None)["charging"], false);
    assert_eq!(b.ok("battery.status", None)["charging"], false);
    b.advance(PAUSE);
    let s = b.ok("battery.status", None);
    assert_eq!(
        (&s["charging"], &s["charger"]),
        (&json!(true), &json!("usb"))
    );

    let mut b = Bench::new(&spec(Model::HealthMonitor, &["charger-not-detected"], &[]));
    b.ok("battery.status", None);
    b.advance(PAUSE);
    let s = b.ok("battery.status", None);
    assert_eq!(
        (&s["charging"], &s["charger"]),
        (&json!(false), &json!("none"))
    );

    // A charge fault sits on the charger and does not charge, whatever happens.
    let mut b = Bench::new(&spec(Model::SmartCollar, &["battery-charge-fault"], &[]));
    b.ok("battery.status", None);
    b.advance(PAUSE);
    assert_eq!(b.ok("battery.status", None)["charging"], false);
}

#[test]
fn fever_and_impossible_readings_survive_calibration() {
    let mut b = Bench::new(&spec(Model::HealthMonitor, &["fever"], &[]));
    let s = b.ok("sensors.status", None);
    assert_eq!(
        (
            &s["temperature"]["c"],
            &s["heart_rate"]["bpm"],
            &s["contact_quality_pct"]
        ),
        (&json!(40.9), &json!(188), &json!(80))
    );
    assert_eq!(s["heart_rate"]["status"], "ok");
    assert_eq!(b.ok("sensors.calibrate", None), json!({"ok": true}));
    assert_eq!(b.ok("sensors.status", None)["temperature"]["c"], 40.9);
    assert_eq!(b.ok("alerts.config", None)["temp_high_c"], 39.7);

    let mut b = Bench::new(&spec(Model::HealthMonitor, &["temp-implausible"], &[]));
    assert_eq!(b.ok("sensors.status", None)["temperature"]["c"], 55.0);
    b.ok("sensors.calibrate", None);
    assert_eq!(b.ok("sensors.status", None)["temperature"]["c"], 55.0);
}

#[test]
fn a_cue_from_the_app_arrives_unless_commands_are_lost() {
    let mut b = Bench::new(&spec(Model::SmartCollar, &[], &[]));
    let age = |b: &mut Bench| {
        b.ok("training.status", None)["last_command_age_s"]
            .as_u64()
            .unwrap()
    };
    assert!(age(&mut b) >= 3600);
    b.advance(PAUSE);
    assert!(age(&mut b) < 10);

    let mut b = Bench::new(&spec(Model::SmartCollar, &["training-commands-lost"], &[]));
    assert!(age(&mut b) >= 3 * 86_400);
    b.advance(PAUSE);
    assert!(age(&mut b) >= 3 * 86_400);
}

#[test]
fn a_link_out_of_range_comes_back_when_brought_together_a_lost_one_does_not() {
    let link = |b: &mut Bench| b.ok("integration.status", None)["linked"][0]["link"].clone();
    let mut b = Bench::new(&spec(
        Model::SmartCollar,
        &["integration-out-of-range"],
        &[],
    ));
    assert_eq!(link(&mut b), "lost");
    assert_eq!(link(&mut b), "lost");
    b.advance(PAUSE);
    assert_eq!(link(&mut b), "ok");

    let mut b = Bench::new(&spec(Model::SmartCollar, &["integration-lost"], &[]));
    link(&mut b);
    b.advance(PAUSE);
    assert_eq!(link(&mut b), "lost");
    b.ok("device.reboot", Some(json!({"mode": "soft"})));
    b.wait_reboot();
    assert_eq!(link(&mut b), "lost");
}

#[test]
fn states_that_a_person_or_a_restart_puts_right() {
    // Paired again in the app, after a pause.
    let mut b = Bench::new(&spec(Model::PetTracker, &["app-not-paired"], &[]));
    assert_eq!(b.ok("link.status", None)["app_paired"], false);
    b.advance(PAUSE);
    assert_eq!(b.ok("link.status", None)["app_paired"], true);

    // The cloud comes back only after a restart.
    let mut b = Bench::new(&spec(Model::PetTracker, &["cloud-stalled"], &[]));
    assert_eq!(b.ok("link.status", None)["cloud"], "unreachable");
    b.advance(PAUSE);
    assert_eq!(b.ok("link.status", None)["cloud"], "unreachable");
    b.ok("device.reboot", Some(json!({"mode": "soft"})));
    b.wait_reboot();
    assert_eq!(b.ok("link.status", None)["cloud"], "ok");

    // Linked in the app; back after a restart.
    let link = |b: &mut Bench| b.ok("integration.status", None)["linked"].clone();
    let mut b = Bench::new(&spec(Model::SmartCollar, &["integration-none"], &[]));
    assert_eq!(link(&mut b), json!([]));
    b.advance(PAUSE);
    assert_eq!(link(&mut b)[0]["link"], "ok");
    let mut b = Bench::new(&spec(Model::SmartCollar, &["integration-stuck"], &[]));
    assert_eq!(link(&mut b)[0]["link"], "lost");
    b.advance(PAUSE);
    assert_eq!(link(&mut b)[0]["link"], "lost");
    b.ok("device.reboot", Some(json!({"mode": "soft"})));
    b.wait_reboot();
    assert_eq!(link(&mut b)[0]["link"], "ok");

    // Turned back under the neck.
    let mut b = Bench::new(&spec(Model::HealthMonitor, &["sensor-turned"], &[]));
    assert_eq!(
        b.ok("sensors.status", None)["heart_rate"]["signal_quality_pct"],
        35
    );
    b.advance(PAUSE);
    assert_eq!(
        b.ok("sensors.status", None)["heart_rate"]["signal_quality_pct"],
        85
    );
}

#[test]
fn states_that_nothing_on_the_spot_puts_right() {
    // A collar a size too small stays tight however it is adjusted.
    let mut b = Bench::new(&spec(Model::SmartCollar, &["collar-too-small"], &[]));
    assert_eq!(b.ok("fit.status", None)["contact"], "tight");
    b.advance(PAUSE);
    assert_eq!(b.ok("fit.status", None)["contact"], "tight");

    // A channel that passes its self-test but stays dark when lit.
    let mut b = Bench::new(&spec(
        Model::SmartCollar,
        &["led-channel-intermittent"],
        &[],
    ));
    let st = b.ok("selftest.run", None);
    assert!(
        st["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "pass")
    );
    assert_eq!(b.ok("led.test", None)["results"][1]["ok"], false);

    // The app refuses the data: the manual sync fails.
    let mut b = Bench::new(&spec(Model::HealthMonitor, &["sync-rejected"], &[]));
    assert_eq!(b.ok("sync.status", None)["pending_records"], 300);
    let e = b.err("sync.now", None);
    assert_eq!(e.code, crate::interface::message::HARDWARE_FAULT);

    // 395 bpm, which calibration does not change.
    let mut b = Bench::new(&spec(Model::HealthMonitor, &["hr-implausible"], &[]));
    assert_eq!(b.ok("sensors.status", None)["heart_rate"]["bpm"], 395);
    b.ok("sensors.calibrate", None);
    assert_eq!(b.ok("sensors.status", None)["heart_rate"]["bpm"], 395);
}
