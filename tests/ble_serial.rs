//! A serial number over BLE, in-process against the fake BlueZ: only
//! devices whose advertised name carries the serial's code and last four
//! characters are connected to, one at a time, until one's Device
//! Information says it is the one. Its own test binary because libdbus
//! reads `DBUS_SYSTEM_BUS_ADDRESS` once per process.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used)]

mod support;

use pawdiag::interface::Model;
use pawdiag::link::{LinkError, Progress, Transport, ble};
use pawdiag::sim::bluez::{BluezOptions, DeviceKind, FakeBluez, FakeDevice, device_address};
use pawdiag::sim::{Firmware, SimSpec};
use std::sync::{Arc, Mutex};
use std::time::Duration;

fn tracker(n: u32, serial: &str, rssi: i16) -> FakeDevice {
    FakeDevice {
        address: device_address(n),
        rssi,
        kind: DeviceKind::PawCore(Box::new(Firmware::new(&SimSpec {
            serial: Some(serial.into()),
            ..SimSpec::new(Model::PetTracker)
        }))),
    }
}

#[test]
fn a_serial_is_found_by_its_name_and_confirmed_by_device_information() {
    let bus = support::Bus::start();
    // SAFETY: the only test of this binary, before any thread of ours uses
    // the environment and before libdbus first reads the variable.
    unsafe { std::env::set_var("DBUS_SYSTEM_BUS_ADDRESS", &bus.address) };
    support::runtime().block_on(async {
        // Two trackers advertise the same name (same last four characters,
        // other batches); the one asked for is the weaker. A third has
        // another name.
        let fake = FakeBluez::start(
            &bus.address,
            vec![
                tracker(0, "PT-24B1-0001", -40),
                tracker(1, "PT-24A0-0001", -60),
                tracker(2, "PT-24A0-0002", -45),
            ],
            BluezOptions::default(),
        )
        .await
        .unwrap();
        let steps = Arc::new(Mutex::new(Vec::<String>::new()));
        let seen = steps.clone();
        let progress = Progress::new(move |s| seen.lock().unwrap().push(s.to_string()));
        let mut t = ble::open_by_serial("pt-24a0-0001", Duration::from_secs(6), progress)
            .await
            .unwrap();
        assert_eq!(t.address(), device_address(1));
        assert_eq!(
            t.device_information().serial.as_deref(),
            Some("PT-24A0-0001")
        );
        // Never connected to the device whose name does not fit; the other
        // namesake (heard first: the fake advertises in order) was tried
        // once, found to be another serial, and let go.
        assert_eq!(fake.connect_calls(&device_address(2)), 0);
        assert_eq!(fake.connect_calls(&device_address(0)), 1);
        assert!(!fake.is_connected(&device_address(0)));
        let steps = steps.lock().unwrap().clone();
        assert!(
            steps
                .iter()
                .any(|s| s.contains("is PT-24B1-0001, not pt-24a0-0001")),
            "{steps:#?}"
        );
        t.close().await;

        // A serial whose name nobody advertises is not found, and nothing
        // is connected to.
        let before: u32 = (0..3).map(|n| fake.connect_calls(&device_address(n))).sum();
        let e = ble::open_by_serial("PT-24A0-0042", Duration::from_secs(1), Progress::default())
            .await
            .err()
            .unwrap();
        assert!(matches!(e, LinkError::NotFound(_)), "{e}");
        let after: u32 = (0..3).map(|n| fake.connect_calls(&device_address(n))).sum();
        assert_eq!(before, after);
    });
}
