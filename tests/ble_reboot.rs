//! The client's reboot path over BLE (`Client::reboot`): the device answers
//! `device.reboot`, drops the link, advertises again at the same address,
//! and the client reconnects through the BLE transport and carries on.
//! Its own test binary because libdbus reads `DBUS_SYSTEM_BUS_ADDRESS` once
//! per process, and here the client runs in-process.
#![cfg(target_os = "linux")]
// Test helpers may panic: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

use pawdiag::client::{Client, ClientOptions};
use pawdiag::interface::Model;
use pawdiag::interface::methods::DeviceInfo;
use pawdiag::link::ble;
use pawdiag::sim::bluez::{BluezOptions, DeviceKind, FakeBluez, FakeDevice, device_address};
use pawdiag::sim::{Firmware, SimSpec};
use std::time::{Duration, Instant};

mod support;

#[test]
fn client_reboot_reconnects_over_ble() {
    let bus = support::Bus::start();
    let address = bus.address.clone();
    // SAFETY: the only test of this binary, before any other thread of ours
    // exists and before libdbus first reads the variable.
    unsafe { std::env::set_var("DBUS_SYSTEM_BUS_ADDRESS", &address) };

    let rt = support::runtime();
    let result = rt.block_on(async {
        let fake = FakeBluez::start(
            &address,
            vec![FakeDevice {
                address: device_address(0),
                rssi: -50,
                kind: DeviceKind::PawCore(Box::new(Firmware::new(&SimSpec::new(
                    Model::HealthMonitor,
                )))),
            }],
            BluezOptions::default(),
        )
        .await
        .unwrap();
        let link = ble::open(
            "pawcore-hm-0001",
            Duration::from_secs(5),
            pawdiag::link::Progress::default(),
        )
        .await
        .unwrap();
        assert_eq!(link.address(), device_address(0));
        assert_eq!(
            link.device_information().serial.as_deref(),
            Some("HM-24A0-0001")
        );
        let mut client = Client::new(Box::new(link), ClientOptions::default());
        let before: DeviceInfo = client.call_typed("device.info", None).await.unwrap();

        let t = Instant::now();
        client.reboot("soft").await.unwrap();
        let took = t.elapsed();
        let after: DeviceInfo = client.call_typed("device.info", None).await.unwrap();
        assert_eq!(after.boot_count, before.boot_count.map(|b| b + 1));
        assert_eq!(after.last_reset.as_deref(), Some("user"));
        assert_eq!(client.stats().reconnects, 1);
        // Down 1.5 s (the simulator), found again by scanning: well within 5 s.
        assert!(took < Duration::from_secs(5), "{took:?}");
        assert!(fake.is_connected(&device_address(0)));

        // Closing really ends the BlueZ connection.
        client.close().await;
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(!fake.is_connected(&device_address(0)));
        took
    });
    eprintln!("reboot over BLE took {result:?}");
}
