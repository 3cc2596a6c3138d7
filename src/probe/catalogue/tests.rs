//! Tests of the probe catalogue.

#![allow(clippy::unwrap_used)]

use super::*;
use serde_json::json;

#[test]
fn names_are_unique_and_methods_exist_on_their_models() {
    let mut seen = std::collections::HashSet::new();
    for p in all() {
        assert!(seen.insert(p.name.clone()), "duplicate probe {}", p.name);
        for m in Model::ALL {
            if p.applies_to(m) {
                assert!(
                    m.has_method(p.method),
                    "{} uses {} missing on {m}",
                    p.name,
                    p.method
                );
            }
        }
        assert_eq!(p.active, !is_read_method(p.method), "{}", p.name);
        if let Some(other) = p.also_reads() {
            assert!(is_read_method(other), "{} joins {other}", p.name);
            for m in Model::ALL {
                assert!(!p.applies_to(m) || m.has_method(other), "{}", p.name);
            }
        }
    }
}

#[test]
fn selftest_probes_follow_the_component_table() {
    let gps = find("selftest.gps").unwrap();
    assert!(gps.applies_to(Model::PetTracker));
    assert!(!gps.applies_to(Model::SmartCollar));
    assert!(
        find("selftest.battery")
            .unwrap()
            .applies_to(Model::SmartCollar)
    );
    let r = json!({"results":[
        {"component":"gps","status":"fail","code":"GPS_ANT_OPEN","detail":"antenna open circuit"},
        {"component":"battery","status":"pass","code":null,"detail":null}]});
    assert_eq!(gps.extract(&r, Model::PetTracker), json!("fail"));
    assert_eq!(
        find("selftest.gps.code")
            .unwrap()
            .extract(&r, Model::PetTracker),
        json!("GPS_ANT_OPEN")
    );
    assert_eq!(
        find("selftest.battery.code")
            .unwrap()
            .extract(&r, Model::PetTracker),
        json!(null)
    );
    assert_eq!(
        find("selftest.cellular")
            .unwrap()
            .extract(&r, Model::PetTracker),
        json!(null)
    );
    assert_eq!(
        find("selftest.failed_count")
            .unwrap()
            .extract(&r, Model::PetTracker),
        json!(1)
    );
}

#[test]
fn conditions_that_rest_on_the_owners_location() {
    assert!(mentions_location("geofence.outside == true"));
    assert!(mentions_location("gps.fix == 'none' or geofence.outside"));
    assert!(!mentions_location(
        "gps.fix == '3d' and gps.satellites >= 5"
    ));
    assert!(!mentions_location("geofence.outside_count > 0"));
}

#[test]
fn derived_values() {
    let fw = find("device.firmware_status").unwrap();
    assert_eq!(
        fw.extract(&json!({"fw_version":"2.3.0"}), Model::PetTracker),
        json!("outdated")
    );
    assert_eq!(
        fw.extract(&json!({"fw_version":"2.4.1"}), Model::PetTracker),
        json!("current")
    );
    let g = json!({"notifications":true,"geofences":[
        {"id":1,"radius_m":15,"enabled":true},{"id":2,"radius_m":5,"enabled":false},{"id":3,"radius_m":200}]});
    assert_eq!(
        find("geofence.count")
            .unwrap()
            .extract(&g, Model::PetTracker),
        json!(3)
    );
    assert_eq!(
        find("geofence.enabled_count")
            .unwrap()
            .extract(&g, Model::PetTracker),
        json!(2)
    );
    assert_eq!(
        find("geofence.min_radius_m")
            .unwrap()
            .extract(&g, Model::PetTracker),
        json!(15.0)
    );
    let none = json!({"notifications":true,"geofences":[]});
    assert_eq!(
        find("geofence.min_radius_m")
            .unwrap()
            .extract(&none, Model::PetTracker),
        json!(null)
    );
    let led = json!({"mode":"steady","channels":[{"id":0,"ok":true},{"id":1,"ok":false}]});
    assert_eq!(
        find("led.failed_channels")
            .unwrap()
            .extract(&led, Model::SmartCollar),
        json!(1)
    );
    let missing = json!({"fix":"3d"});
    assert_eq!(
        find("gps.hdop")
            .unwrap()
            .extract(&missing, Model::PetTracker),
        json!(null)
    );
    let outside = find("geofence.outside").unwrap();
    let zones = json!({"geofences":[
        {"lat":52.52,"lon":13.405,"radius_m":150,"enabled":true},
        {"lat":52.0,"lon":13.0,"radius_m":90000,"enabled":false}]});
    let at = |lat: f64, fix: &str| json!({"fix": fix, "lat": lat, "lon": 13.405});
    // 0.001° of latitude is about 111 m.
    let home = outside.extract_with(&at(52.521, "3d"), Some(&zones), Model::PetTracker);
    let away = outside.extract_with(&at(52.522, "2d"), Some(&zones), Model::PetTracker);
    let no_fix = outside.extract_with(&at(52.53, "none"), Some(&zones), Model::PetTracker);
    assert_eq!(
        (home, away, no_fix),
        (json!(false), json!(true), json!(null))
    );
    assert_eq!(
        outside.extract_with(&at(52.53, "3d"), None, Model::PetTracker),
        json!(null)
    );
    assert_eq!(
        outside.extract_with(
            &at(52.53, "3d"),
            Some(&json!({"geofences": []})),
            Model::PetTracker
        ),
        json!(null)
    );
    let pos = json!({"fix":"3d","lat":52.5,"lon":13.4});
    assert_eq!(
        find("gps.has_location")
            .unwrap()
            .extract(&pos, Model::PetTracker),
        json!(true)
    );
}
