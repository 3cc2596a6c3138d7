//! What the Windows and macOS Bluetooth stacks' errors mean, as btleplug
//! 0.13.5 hands them over (BlueZ's are in `link::bluez`, Linux only, since
//! they need its D-Bus types). Both are plain text inside btleplug's error,
//! so they are classified here on every platform and tested on any.
//!
//! WinRT (`btleplug::winrtble`): a connect asks for the GATT services
//! uncached; status `Unreachable` comes back as `Error::NotConnected`,
//! `AccessDenied` as `Error::PermissionDenied` (handled before this), a
//! device object that cannot be made as `Error::DeviceNotFound`, and any
//! failed WinRT call as `Error::Other` holding the `Debug` text of a
//! `windows::core::Error`: `Error { code: HRESULT(0x8007048F), message:
//! "The device is not connected." }`. The message is localised, the
//! HRESULT is not, so the code decides.
//!
//! CoreBluetooth (`btleplug::corebluetooth`): a refused Bluetooth
//! permission is `Error::PermissionDenied` before any adapter exists
//! (handled before this); a failed connect is `Error::RuntimeError` with
//! the `NSError`'s localised description ("The connection has timed out
//! unexpectedly.", "Connection failed" when CoreBluetooth gave none), and
//! a CoreBluetooth thread that went away is `Error::Other("Channel
//! closed")`. CoreBluetooth's connect errors are nearly all about the
//! radio link (timeout, the device went away, failed), so they are retried
//! unless the text says pairing or encryption, which another try cannot fix.

use super::BleFailure;
use crate::link::BluetoothProblem;
use crate::platform::Os;
use btleplug::api::CentralState;

/// What an adapter's state forbids on `os`: a switched-off adapter where
/// the stack will not switch it on for us (Windows and macOS, where a scan
/// would hear nothing and say nothing). BlueZ switches it on while
/// scanning. An unknown state is not held against it (macOS reports an
/// unauthorised or resetting radio as unknown).
pub fn adapter_state_problem(os: Os, state: &CentralState) -> Option<BluetoothProblem> {
    (*state == CentralState::PoweredOff && !os.switches_bluetooth_on())
        .then_some(BluetoothProblem::AdapterOff)
}

/// HRESULTs a connect can meet on Windows that mean "try again".
const WINRT_TRANSIENT: &[(u32, &str)] = &[
    (0x8007_048F, "the device is not connected"),
    (0x8007_05B4, "the operation timed out"),
    (0x8007_0079, "the operation timed out"),
    (0x8000_000E, "Bluetooth was busy with another operation"),
];

/// HRESULTs that mean the radio is off or not ready.
const WINRT_RADIO_OFF: &[u32] = &[
    0x8007_10DF, // ERROR_DEVICE_NOT_AVAILABLE: "The device is not ready for use."
    0x8007_0015, // ERROR_NOT_READY
];

/// What an error of the WinRT stack means.
pub fn winrt(e: &btleplug::Error) -> BleFailure {
    match e {
        btleplug::Error::NotConnected => {
            BleFailure::Transient("Windows: the device could not be reached".into())
        }
        btleplug::Error::DeviceNotFound => {
            BleFailure::Transient("Windows: the device is not known to Windows yet".into())
        }
        btleplug::Error::NotSupported(what) => {
            BleFailure::Other(format!("Windows: {}", first_line(what)))
        }
        other => {
            let text = other.to_string();
            let Some(code) = hresult(&text) else {
                return BleFailure::Other(format!("Windows: {}", first_line(&text)));
            };
            let said = winrt_message(&text).unwrap_or_default();
            let detail = if said.is_empty() {
                format!("Windows: error {code:#010X}")
            } else {
                format!("Windows: {said} ({code:#010X})")
            };
            if code == 0x8007_0005 {
                BleFailure::Unavailable(BluetoothProblem::NotAllowed)
            } else if WINRT_RADIO_OFF.contains(&code) {
                BleFailure::Unavailable(BluetoothProblem::AdapterOff)
            } else if let Some((_, meaning)) = WINRT_TRANSIENT.iter().find(|(c, _)| *c == code) {
                BleFailure::Transient(if said.is_empty() {
                    format!("Windows: {meaning} ({code:#010X})")
                } else {
                    detail
                })
            } else {
                BleFailure::Other(detail)
            }
        }
    }
}

/// The HRESULT in the `Debug` text of a `windows::core::Error`.
fn hresult(text: &str) -> Option<u32> {
    let start = text.find("HRESULT(0x")? + "HRESULT(0x".len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .take(8)
        .collect();
    u32::from_str_radix(&digits, 16).ok()
}

/// The message in the `Debug` text of a `windows::core::Error`, trimmed
/// of its full stop.
fn winrt_message(text: &str) -> Option<String> {
    let start = text.find("message: \"")? + "message: \"".len();
    let rest = &text[start..];
    let end = rest.rfind('"')?;
    Some(first_line(&rest[..end]).trim_end_matches('.').to_string())
}

/// Connect failures CoreBluetooth reports that another try cannot fix.
const COREBLUETOOTH_LASTING: &[&str] = &["pairing", "encryption", "authentication", "limit"];

/// What an error of the CoreBluetooth stack means.
pub fn corebluetooth(e: &btleplug::Error) -> BleFailure {
    match e {
        btleplug::Error::RuntimeError(said) => {
            let said = first_line(said);
            let said = said.trim_end_matches('.');
            let lower = said.to_ascii_lowercase();
            if COREBLUETOOTH_LASTING.iter().any(|w| lower.contains(w)) {
                BleFailure::Other(format!("macOS: {said}"))
            } else {
                BleFailure::Transient(format!("macOS: {said}"))
            }
        }
        btleplug::Error::DeviceNotFound => {
            BleFailure::Other("macOS: CoreBluetooth no longer knows the device".into())
        }
        other => BleFailure::Other(format!("macOS: {}", first_line(&other.to_string()))),
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or_default().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WinRT failure exactly as btleplug wraps it (`format!("{:?}")` of
    /// `windows::core::Error`).
    fn winrt_error(code: u32, message: &str) -> btleplug::Error {
        btleplug::Error::Other(
            format!("Error {{ code: HRESULT({code:#010X}), message: \"{message}\" }}").into(),
        )
    }

    #[test]
    fn a_switched_off_adapter_stops_where_the_stack_leaves_it_off() {
        for os in [Os::Windows, Os::MacOs] {
            assert_eq!(
                adapter_state_problem(os, &CentralState::PoweredOff),
                Some(BluetoothProblem::AdapterOff)
            );
            assert_eq!(adapter_state_problem(os, &CentralState::PoweredOn), None);
            assert_eq!(adapter_state_problem(os, &CentralState::Unknown), None);
        }
        // BlueZ is asked to switch it on while scanning.
        assert_eq!(
            adapter_state_problem(Os::Linux, &CentralState::PoweredOff),
            None
        );
    }

    #[test]
    fn winrt_errors_are_classified_by_their_hresult() {
        assert_eq!(
            winrt(&winrt_error(0x8007_048F, "The device is not connected.")),
            BleFailure::Transient("Windows: The device is not connected (0x8007048F)".into())
        );
        // Localised text, same code: the code decides.
        assert!(matches!(
            winrt(&winrt_error(
                0x8007_048F,
                "Das Gerät ist nicht angeschlossen."
            )),
            BleFailure::Transient(_)
        ));
        assert_eq!(
            winrt(&winrt_error(0x8007_0005, "Access is denied.")),
            BleFailure::Unavailable(BluetoothProblem::NotAllowed)
        );
        assert_eq!(
            winrt(&winrt_error(
                0x8007_10DF,
                "The device is not ready for use."
            )),
            BleFailure::Unavailable(BluetoothProblem::AdapterOff)
        );
        assert_eq!(
            winrt(&winrt_error(
                0x8065_0005,
                "The attribute cannot be written."
            )),
            BleFailure::Other("Windows: The attribute cannot be written (0x80650005)".into())
        );
        assert_eq!(
            winrt(&btleplug::Error::NotConnected),
            BleFailure::Transient("Windows: the device could not be reached".into())
        );
        assert!(matches!(
            winrt(&btleplug::Error::NotSupported("ProtocolError".into())),
            BleFailure::Other(d) if d == "Windows: ProtocolError"
        ));
        // btleplug's own texts without an HRESULT stay as they are.
        assert_eq!(
            winrt(&btleplug::Error::Other("Communication Error:".into())),
            BleFailure::Other("Windows: Communication Error:".into())
        );
        assert_eq!(hresult("HRESULT(0xZZ)"), None);
        assert_eq!(hresult("x HRESULT(0x8007048F) y"), Some(0x8007_048F));
    }

    #[test]
    fn corebluetooth_retries_the_radio_link_but_not_pairing() {
        assert_eq!(
            corebluetooth(&btleplug::Error::RuntimeError(
                "The connection has timed out unexpectedly.".into()
            )),
            BleFailure::Transient("macOS: The connection has timed out unexpectedly".into())
        );
        assert!(matches!(
            corebluetooth(&btleplug::Error::RuntimeError("Connection failed".into())),
            BleFailure::Transient(_)
        ));
        assert!(matches!(
            corebluetooth(&btleplug::Error::RuntimeError(
                "Peer removed pairing information".into()
            )),
            BleFailure::Other(d) if d == "macOS: Peer removed pairing information"
        ));
        assert_eq!(
            corebluetooth(&btleplug::Error::Other("Channel closed".into())),
            BleFailure::Other("macOS: Channel closed".into())
        );
    }
}
