//! What Windows and macOS use of Bluetooth, run against the fake BlueZ:
//! `auto`'s discovery (`connect::candidates_everywhere`) and doctor's
//! Bluetooth check for systems without BlueZ (`BluetoothAny`), which asks
//! btleplug only. Both are the same code on every system; here btleplug's
//! BlueZ backend stands in for WinRT and CoreBluetooth.
//! Its own test binary because libdbus reads `DBUS_SYSTEM_BUS_ADDRESS` once
//! per process, and here the library runs in-process.
#![cfg(target_os = "linux")] // the fake BlueZ
// Test helpers may panic: a failed set-up is a failed test.
#![allow(clippy::unwrap_used)]

use pawdiag::doctor::bluetooth_any::BluetoothAny;
use pawdiag::doctor::helpdesk::HelpdeskSetup;
use pawdiag::doctor::{Check, ConfigState, Context, Status};
use pawdiag::interface::Model;
use pawdiag::link::{BluetoothProblem, LinkError};
use pawdiag::sim::bluez::{BluezOptions, DeviceKind, FakeBluez, FakeDevice, device_address};
use pawdiag::sim::{Firmware, SimSpec};
use std::time::Duration;

mod support;

fn healthmonitor() -> FakeDevice {
    FakeDevice {
        address: device_address(0),
        rssi: -50,
        kind: DeviceKind::PawCore(Box::new(Firmware::new(&SimSpec::new(Model::HealthMonitor)))),
    }
}

#[test]
fn discovery_and_doctor_work_through_btleplug_alone() {
    let bus = support::Bus::start();
    let address = bus.address.clone();
    // SAFETY: the only test of this binary, before any other thread of ours
    // exists and before libdbus first reads the variable.
    unsafe { std::env::set_var("DBUS_SYSTEM_BUS_ADDRESS", &address) };
    let ctx = Context {
        report_dir: bus.home.path().join("reports"),
        config: ConfigState::default(),
        ble_listen: Duration::from_secs(2),
        helpdesk: HelpdeskSetup::NotConfigured,
        outbox_pending: 0,
    };

    support::runtime().block_on(async {
        // A HealthMonitor in range.
        let fake = FakeBluez::start(&address, vec![healthmonitor()], BluezOptions::default())
            .await
            .unwrap();
        let findings = BluetoothAny.run(&ctx).await;
        assert!(
            findings.iter().all(|f| f.status == Status::Ok),
            "{findings:?}"
        );
        assert!(
            findings.iter().any(|f| f
                .message
                .starts_with("1 PawCore device is advertising nearby")),
            "{findings:?}"
        );
        let (found, ble_error) =
            pawdiag::connect::candidates_everywhere(Duration::from_secs(3)).await;
        assert!(ble_error.is_none(), "{ble_error:?}");
        let ble: Vec<_> = found.iter().filter(|c| c.via == "ble").collect();
        assert_eq!(ble.len(), 1, "{found:?}");
        assert_eq!(ble[0].model, Model::HealthMonitor);
        assert_eq!(ble[0].address, format!("ble:{}", device_address(0)));
        assert_eq!(ble[0].serial_hint.as_deref(), Some("HM-…-0001"));
        fake.stop().await;

        // A computer without an adapter: doctor fails with the class's
        // sentence and hint; `auto` still lists USB and says why not BLE.
        let fake = FakeBluez::start(
            &address,
            vec![healthmonitor()],
            BluezOptions {
                no_adapter: true,
                ..BluezOptions::default()
            },
        )
        .await
        .unwrap();
        let findings = BluetoothAny.run(&ctx).await;
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].status, Status::Fail);
        assert_eq!(
            findings[0].message,
            "This computer has no Bluetooth adapter"
        );
        assert_eq!(
            findings[0].fix.as_deref(),
            Some(pawdiag::failure::FailureClass::NoAdapter.hint())
        );
        let (found, ble_error) =
            pawdiag::connect::candidates_everywhere(Duration::from_secs(1)).await;
        assert!(found.iter().all(|c| c.via != "ble"), "{found:?}");
        assert!(
            matches!(
                ble_error,
                Some(LinkError::BluetoothUnavailable {
                    problem: BluetoothProblem::NoAdapter,
                    ..
                })
            ),
            "{ble_error:?}"
        );
        fake.stop().await;
    });
}
