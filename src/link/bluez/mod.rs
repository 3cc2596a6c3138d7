//! Everything BlueZ-specific on the host side, Linux only: what BlueZ's
//! D-Bus error names mean (which connect errors are transient, which mean
//! the adapter is off or blocked), rfkill, and the questions `pawdiag
//! doctor` asks BlueZ. The BLE transport (`link::ble`) stays
//! platform-neutral and asks this module through [`classify`].
//!
//! How the errors surface, read from btleplug 0.13.5 and bluez-async 0.9:
//! `Peripheral::connect` calls `Device1.Connect` (a 30 s D-Bus timeout) and
//! then waits up to 30 s for `ServicesResolved`; a D-Bus error comes back as
//! `btleplug::Error::Other(BluetoothError::DbusError(dbus::Error))` with
//! BlueZ's error name and message intact. BlueZ (src/device.c, src/error.h)
//! answers a connect that races another with `org.bluez.Error.InProgress`
//! (or `Failed: Operation already in progress` from the LE path), an LE
//! connection that did not come up with `Failed: le-connection-abort-by-local`
//! (or `-timeout`, `-abort-by-remote`), a link the kernel tore down with
//! `Failed: Software caused connection abort`, and a connect cancelled by
//! `Device1.Disconnect` with `Failed: Cancelled`.

pub mod host;
pub mod rfkill;

use super::ble::BleFailure;
use super::error::BluetoothProblem;

/// The D-Bus error name and message inside a btleplug error, when BlueZ
/// (or the bus) answered with one.
pub fn dbus_error(e: &btleplug::Error) -> Option<(String, String)> {
    let btleplug::Error::Other(inner) = e else {
        return None;
    };
    match inner.downcast_ref::<bluez_async::BluetoothError>()? {
        bluez_async::BluetoothError::DbusError(d) => Some((
            d.name().unwrap_or_default().to_string(),
            d.message().unwrap_or_default().to_string(),
        )),
        bluez_async::BluetoothError::NoBluetoothAdapters => {
            Some(("NoBluetoothAdapters".into(), String::new()))
        }
        bluez_async::BluetoothError::ServiceDiscoveryTimedOut => Some((
            "ServiceDiscoveryTimedOut".into(),
            "services were not resolved in time".into(),
        )),
        _ => None,
    }
}

/// `org.bluez.Error.Failed` messages that mean "try again": an LE
/// connection attempt that raced the controller, the kernel or the device.
const TRANSIENT_FAILED: &[&str] = &[
    "le-connection-abort-by-local",
    "le-connection-abort-by-remote",
    "le-connection-timeout",
    "le-connection-busy",
    "software caused connection abort",
    "operation already in progress",
    "connection timed out",
    "cancelled",
];

/// What a BlueZ error means for the host.
pub fn classify(e: &btleplug::Error) -> BleFailure {
    let Some((name, message)) = dbus_error(e) else {
        return BleFailure::Other(first_line(&e.to_string()));
    };
    let lower = message.to_ascii_lowercase();
    let detail = if message.is_empty() {
        name.trim_start_matches("org.bluez.Error.").to_string()
    } else {
        first_line(&message)
    };
    match name.as_str() {
        "org.freedesktop.DBus.Error.ServiceUnknown"
        | "org.freedesktop.DBus.Error.NameHasNoOwner" => {
            BleFailure::Unavailable(BluetoothProblem::ServiceNotRunning)
        }
        "org.freedesktop.DBus.Error.NoServer"
        | "org.freedesktop.DBus.Error.FileNotFound"
        | "org.freedesktop.DBus.Error.Disconnected" => {
            BleFailure::Unavailable(BluetoothProblem::NoSystemBus)
        }
        "org.freedesktop.DBus.Error.AccessDenied" => {
            BleFailure::Unavailable(BluetoothProblem::NotAllowed)
        }
        "org.bluez.Error.Blocked" => BleFailure::Unavailable(BluetoothProblem::Blocked),
        "org.bluez.Error.NotReady" => BleFailure::Unavailable(BluetoothProblem::AdapterOff),
        "NoBluetoothAdapters" => BleFailure::Unavailable(BluetoothProblem::NoAdapter),
        _ if lower.contains("rfkill") => BleFailure::Unavailable(BluetoothProblem::Blocked),
        "org.bluez.Error.InProgress" => BleFailure::Transient(format!("BlueZ: {detail}")),
        // The D-Bus call itself timed out, or services never resolved.
        "org.freedesktop.DBus.Error.NoReply"
        | "org.freedesktop.DBus.Error.Timeout"
        | "ServiceDiscoveryTimedOut" => BleFailure::Transient(format!("BlueZ: {detail}")),
        "org.bluez.Error.Failed" if TRANSIENT_FAILED.iter().any(|t| lower.contains(t)) => {
            BleFailure::Transient(format!("BlueZ: {detail}"))
        }
        _ => BleFailure::Other(format!("BlueZ: {detail}")),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bluez(name: &str, message: &str) -> btleplug::Error {
        btleplug::Error::Other(Box::new(bluez_async::BluetoothError::DbusError(
            dbus::Error::new_custom(name, message),
        )))
    }

    #[test]
    fn transient_connect_errors_are_told_from_lasting_ones() {
        for (name, msg) in [
            ("org.bluez.Error.InProgress", "In Progress"),
            ("org.bluez.Error.Failed", "le-connection-abort-by-local"),
            ("org.bluez.Error.Failed", "Software caused connection abort"),
            ("org.bluez.Error.Failed", "Operation already in progress"),
            (
                "org.freedesktop.DBus.Error.NoReply",
                "Did not receive a reply",
            ),
        ] {
            assert!(
                matches!(classify(&bluez(name, msg)), BleFailure::Transient(d) if d.starts_with("BlueZ: ")),
                "{name}: {msg}"
            );
        }
        assert!(matches!(
            classify(&bluez("org.bluez.Error.Failed", "Blocked through rfkill")),
            BleFailure::Unavailable(BluetoothProblem::Blocked)
        ));
        assert!(matches!(
            classify(&bluez("org.bluez.Error.NotReady", "Resource Not Ready")),
            BleFailure::Unavailable(BluetoothProblem::AdapterOff)
        ));
        assert!(matches!(
            classify(&bluez("org.bluez.Error.Failed", "Input/output error")),
            BleFailure::Other(d) if d == "BlueZ: Input/output error"
        ));
        assert!(matches!(
            classify(&bluez(
                "org.freedesktop.DBus.Error.UnknownMethod",
                "Method \"Connect\" doesn't exist"
            )),
            BleFailure::Other(_)
        ));
    }
}
