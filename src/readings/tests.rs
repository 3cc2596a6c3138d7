//! The wording and judgements of each method's status line.

use super::*;
use serde_json::json;

fn one(method: &str, v: Value) -> Line {
    let mut l = lines(method, &v);
    assert_eq!(l.len(), 1, "{method}");
    l.remove(0)
}

#[test]
fn gps_reads_like_the_issue_asks() {
    let l = one(
        "gps.status",
        json!({"fix":"3d","satellites":9,"cn0_avg_dbhz":38.5,"hdop":1.1,"last_fix_age_s":12,
               "lat":52.52,"lon":13.4,"antenna":"ok"}),
    );
    assert_eq!(l.label, "GPS");
    assert_eq!(
        l.text(", "),
        "3D fix, 9 satellites, signal 38.5 dB-Hz (good), HDOP 1.1 (good), last fix 12 s ago, position 52.52, 13.4"
    );
    assert_eq!(l.worst(), Mark::Good);
}

#[test]
fn a_broken_antenna_and_a_weak_signal_are_marked() {
    let l = one(
        "gps.status",
        json!({"fix":"none","satellites":2,"cn0_avg_dbhz":22,"hdop":null,"last_fix_age_s":null,
               "lat":null,"lon":null,"antenna":"open"}),
    );
    let t = l.text(", ");
    assert!(
        t.starts_with("no fix, 2 satellites (too few for a fix), signal 22 dB-Hz (poor)"),
        "{t}"
    );
    assert!(
        t.contains("antenna open circuit (FAULT)") && t.ends_with("never had a fix"),
        "{t}"
    );
    assert_eq!(l.worst(), Mark::Bad);
}

#[test]
fn battery_shows_the_charger_in_words_and_judges_health_and_heat() {
    let l = one(
        "battery.status",
        json!({"level_pct":78,"voltage_mv":3950,"charging":true,"charger":"usb",
               "cycle_count":210,"health_pct":91,"temp_c":24.5}),
    );
    assert_eq!(
        l.text(", "),
        "78%, 3950 mV, charging from USB, health 91% (good), 210 cycles, 24.5 °C"
    );
    let hot = one(
        "battery.status",
        json!({"level_pct":7,"charging":false,"charger":"dock","health_pct":55,"temp_c":62.0}),
    );
    let t = hot.text(", ");
    assert!(
        t.contains("7% (low)") && t.contains("on the dock but not charging"),
        "{t}"
    );
    assert!(
        t.contains("health 55% (degraded)") && t.contains("62.0 °C (OVERHEATING)"),
        "{t}"
    );
    assert_eq!(hot.worst(), Mark::Bad);
}

#[test]
fn link_is_two_lines_and_a_stale_sync_is_marked() {
    let l = lines(
        "link.status",
        &json!({"cellular":{"registered":true,"rssi_dbm":-85},"app_paired":true,
                "last_sync_age_s":86487,"cloud":"ok"}),
    );
    assert_eq!(l[0].text(", "), "registered, signal -85 dBm (good)");
    assert_eq!(
        l[1].text(", "),
        "app paired, cloud reachable, last sync 24 h ago"
    );
    assert_eq!(l[1].worst(), Mark::Warn);
}

#[test]
fn geofences_become_zones_and_small_ones_are_flagged() {
    let v = json!({"notifications":true,"geofences":[
        {"id":1,"name":"(hidden)","lat":52.52,"lon":13.41,"radius_m":150,"enabled":true},
        {"id":2,"name":"Park\u{1b}[2J","lat":52.5,"lon":13.38,"radius_m":20,"enabled":false}]});
    let l = one("geofence.list", v.clone());
    assert_eq!(
        l.text(", "),
        "2 zones (1 on), notifications on, a zone is under 50 m (alerts may misfire)"
    );
    let z = zones(&v);
    assert_eq!(z[0].radius, "150 m");
    assert!(!z[1].name.contains('\u{1b}') && z[1].small);
}

#[test]
fn health_monitor_ranges_follow_the_flows() {
    let l = lines(
        "sensors.status",
        &json!({"heart_rate":{"status":"ok","bpm":250,"signal_quality_pct":40},
                "temperature":{"status":"ok","c":38.6},"activity":{"status":"ok"},
                "contact_quality_pct":80,"optical_window":"dirty"}),
    );
    assert_eq!(
        l[0].text(", "),
        "ok, 250 bpm (high for a dog or cat), signal 40% (poor)"
    );
    assert_eq!(l[1].text(", "), "ok, 38.6 °C (normal)");
    assert_eq!(
        l[2].text(", "),
        "80% (good), optical window dirty, activity sensor ok"
    );
    let s = one(
        "sync.status",
        json!({"pending_records":1440,"last_sync_age_s":86400,"last_error":"ble_timeout","storage_used_pct":96}),
    );
    assert_eq!(
        s.text(", "),
        "1440 records waiting, last sync 24 h ago, last error: Bluetooth timeout, storage 96% used (full)"
    );
}

#[test]
fn collar_lines_mark_a_dead_channel_and_a_lost_link() {
    let l = one(
        "led.status",
        json!({"mode":"steady","brightness_pct":80,
               "channels":[{"id":0,"ok":true,"current_ma":12},{"id":1,"ok":false,"current_ma":0}]}),
    );
    assert_eq!(
        l.text(", "),
        "steady, brightness 80%, channel 0 ok 12 mA, channel 1 FAULT 0 mA"
    );
    assert_eq!(l.worst(), Mark::Bad);
    let i = one(
        "integration.status",
        json!({"linked":[{"product":"pettracker","serial":"PT-24A0-0001","link":"lost"}],
               "compatible":["pettracker","healthmonitor"]}),
    );
    assert_eq!(
        i.text(", "),
        "PetTracker PT-24A0-0001 (link LOST), works with PetTracker and HealthMonitor"
    );
}

#[test]
fn settings_and_unknown_methods_show_no_raw_keys() {
    let s = one(
        "settings.get",
        json!({"tracking_interval_s":10,"power_mode":"balanced","led":"on"}),
    );
    assert_eq!(
        s.text(", "),
        "position every 10 s (drains the battery), power mode balanced, LED on"
    );
    let g = one(
        "thermal.status",
        json!({"fan_rpm": 1200, "zones": [{"temp_c": 40}]}),
    );
    assert_eq!(g.label, "Thermal status");
    let t = g.text(", ");
    assert!(!t.contains('_') && t.contains("fan rpm 1200"), "{t}");
}

#[test]
fn durations_and_ages_read_naturally() {
    assert_eq!(duration(3600), "1 h 0 min");
    assert_eq!(duration(59), "59 s");
    assert_eq!(duration(90_000), "1 day 1 h");
    assert_eq!(age(Some(600)), "10 min ago");
    assert_eq!(age(None), "—");
}
