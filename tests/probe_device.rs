//! DeviceFacts against the in-process simulator, through the real client:
//! one read per method per session, fresh reads on refresh, fixes forgetting
//! what they change, pipelined prefetch, and typed errors.

#![allow(clippy::unwrap_used)]

use pawdiag::client::{Client, ClientOptions};
use pawdiag::interface::Model;
use pawdiag::probe::{DeviceFacts, FactError, Facts};
use pawdiag::sim::{SimSpec, SimTransport};
use serde_json::json;
use std::time::Duration;

fn device(model: Model, faults: &[&str], link: &[&str]) -> DeviceFacts {
    let spec = SimSpec::new(model)
        .with_faults(faults)
        .unwrap()
        .with_link_faults(link)
        .unwrap();
    let client = Client::new(
        Box::new(SimTransport::start(&spec)),
        ClientOptions {
            reconnect_within: Duration::from_secs(2),
            ..ClientOptions::default()
        },
    );
    DeviceFacts::new(client, model)
}

#[tokio::test]
async fn each_method_is_read_once_and_refresh_reads_again() {
    let mut f = device(Model::PetTracker, &["battery-low"], &[]);
    assert_eq!(f.read("battery.level_pct").await.unwrap(), json!(7));
    assert_eq!(f.read("battery.charging").await.unwrap(), json!(false));
    assert!(f.read("battery.temp_c").await.unwrap().as_f64().is_some());
    assert_eq!(
        f.client().stats().requests,
        1,
        "one battery.status for three probes"
    );
    f.refresh("battery.level_pct").await.unwrap();
    assert_eq!(f.client().stats().requests, 2);
    assert_eq!(f.known("battery.charging"), Some(json!(false)));
    assert_eq!(f.known("gps.fix"), None, "not read yet");
}

#[tokio::test]
async fn identify_reads_the_model_and_caches_device_info() {
    let spec = SimSpec::new(Model::SmartCollar)
        .with_faults(&["firmware-outdated"])
        .unwrap();
    let client = Client::new(
        Box::new(SimTransport::start(&spec)),
        ClientOptions::default(),
    );
    let mut f = DeviceFacts::identify(client)
        .await
        .map_err(|(_, e)| e)
        .unwrap();
    assert_eq!(f.model(), Model::SmartCollar);
    assert_eq!(
        f.read("device.firmware_status").await.unwrap(),
        json!("outdated")
    );
    assert_eq!(f.client().stats().requests, 1);
}

#[tokio::test]
async fn prefetch_pipelines_the_flows_methods() {
    let mut f = device(Model::PetTracker, &["gps-antenna-open"], &[]);
    f.prefetch_for(&[
        "battery.level_pct",
        "gps.fix",
        "gps.satellites",
        "selftest.gps",
        "link.cloud",
    ])
    .await
    .unwrap();
    assert_eq!(
        f.client().stats().requests,
        4,
        "battery, gps, selftest, link"
    );
    let before = f.client().stats().requests;
    assert_eq!(f.read("selftest.gps").await.unwrap(), json!("fail"));
    assert_eq!(
        f.read("selftest.gps.code").await.unwrap(),
        json!("GPS_ANT_OPEN")
    );
    assert_eq!(f.read("gps.antenna").await.unwrap(), json!("open"));
    assert_eq!(f.client().stats().requests, before, "all from the cache");
}

#[tokio::test]
async fn a_fix_forgets_what_it_changes() {
    let mut f = device(Model::SmartCollar, &["led-off"], &[]);
    assert_eq!(f.read("settings.led_mode").await.unwrap(), json!("off"));
    assert_eq!(f.read("led.mode").await.unwrap(), json!("off"));
    let r = f
        .invoke("settings.set", Some(json!({"led_mode": "steady"})))
        .await
        .unwrap();
    assert_eq!(r["applied"]["led_mode"], "steady");
    assert_eq!(f.read("settings.led_mode").await.unwrap(), json!("steady"));
    assert_eq!(f.read("led.mode").await.unwrap(), json!("steady"));
}

#[tokio::test]
async fn active_probes_are_known_only_after_their_fix() {
    let mut f = device(Model::HealthMonitor, &["alerts-undelivered"], &[]);
    let e = f.read("alerts.test_delivered").await.unwrap_err();
    assert!(matches!(e, FactError::NotRun { .. }), "{e:?}");
    f.invoke("alerts.test", None).await.unwrap();
    assert_eq!(f.read("alerts.test_delivered").await.unwrap(), json!(false));
}

#[tokio::test]
async fn errors_are_typed() {
    let mut f = device(Model::PetTracker, &[], &[]);
    assert!(matches!(
        f.read("led.mode").await,
        Err(FactError::NotForModel { .. })
    ));
    assert!(matches!(
        f.read("battery.levl").await,
        Err(FactError::UnknownProbe(_))
    ));
    assert!(matches!(
        f.invoke("led.test", None).await,
        Err(FactError::Unsupported { .. })
    ));
    // A hardware fault answer carries its code.
    let mut hm = device(Model::HealthMonitor, &["storage-full"], &[]);
    match hm.invoke("sync.now", None).await {
        Err(FactError::Device { code, fault, .. }) => {
            assert_eq!(code, -32020);
            assert_eq!(fault.as_deref(), Some("SYNC_FAILED"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_vanished_device_is_link_lost() {
    let mut f = device(Model::PetTracker, &[], &["vanish"]);
    let mut lost = None;
    // The device disappears after its 6th answer.
    for p in [
        "device.serial",
        "battery.level_pct",
        "gps.fix",
        "link.cloud",
        "geofence.count",
        "settings.led",
        "log.error_count",
        "selftest.gps",
    ] {
        if let Err(e) = f.refresh(p).await {
            lost = Some(e);
            break;
        }
    }
    let e = lost.expect("the device vanished");
    assert!(e.is_link_lost(), "{e:?}");
}
