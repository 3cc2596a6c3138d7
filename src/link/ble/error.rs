//! What btleplug's errors mean: which connect errors are worth another try
//! (asked of the platform's module), and the adapter.

use crate::link::{BluetoothProblem, LinkError};
use crate::platform::Os;
use btleplug::api::{Central, CentralState, Manager as _};
use btleplug::platform::{Adapter, Manager};

/// What an error of the Bluetooth stack means for pawdiag. The platform's
/// module decides (on Linux `link::bluez`, from BlueZ's D-Bus error names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BleFailure {
    /// Worth another try (another connect in progress, a connection
    /// attempt that raced the controller, a timeout).
    Transient(String),
    /// Bluetooth cannot be used on this computer.
    Unavailable(BluetoothProblem),
    /// Anything else, with what the stack said.
    Other(String),
}

/// Classifies a btleplug error: btleplug's own kinds first, then what the
/// platform's Bluetooth stack said.
pub(super) fn classify(e: &btleplug::Error) -> BleFailure {
    match e {
        btleplug::Error::NoAdapterAvailable => BleFailure::Unavailable(BluetoothProblem::NoAdapter),
        btleplug::Error::PermissionDenied => BleFailure::Unavailable(BluetoothProblem::NotAllowed),
        btleplug::Error::TimedOut(d) => {
            BleFailure::Transient(format!("timed out after {:.1} s", d.as_secs_f64()))
        }
        _ => platform_classify(e),
    }
}

/// The platform's own reading: BlueZ's D-Bus names on Linux, WinRT's
/// HRESULTs on Windows, CoreBluetooth's messages on macOS.
pub(super) fn platform_classify(e: &btleplug::Error) -> BleFailure {
    #[cfg(target_os = "linux")]
    return crate::link::bluez::classify(e);
    #[cfg(windows)]
    return super::stacks::winrt(e);
    #[cfg(target_os = "macos")]
    return super::stacks::corebluetooth(e);
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    BleFailure::Other(
        e.to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    )
}

/// Maps adapter-level failures (finding, powering, scanning) to link errors.
pub(super) fn adapter_error(e: btleplug::Error) -> LinkError {
    match classify(&e) {
        BleFailure::Unavailable(p) => LinkError::bluetooth(p),
        BleFailure::Transient(d) | BleFailure::Other(d) => {
            LinkError::Bluetooth(format!("the Bluetooth service refused: {d}"))
        }
    }
}

/// Maps a failure on an open link to a lost connection, keeping the first
/// line of what the stack said for the transcript.
pub(super) fn link_error(what: &str, e: btleplug::Error) -> LinkError {
    let detail = e.to_string();
    let detail = detail.lines().next().unwrap_or_default().trim();
    LinkError::Disconnected(format!("{what}: {detail}"))
}

/// Installs, once, a panic hook that keeps one harmless message of
/// bluez-async 0.9 off the screen: a spawned task's `unwrap` in
/// `messagestream.rs` that fails with "No match with that id found" when a
/// signal races a dropped stream. Every other panic goes to the previous hook.
pub(super) fn quiet_bluez_async_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or_default();
            let in_messagestream = info
                .location()
                .is_some_and(|l| l.file().ends_with("messagestream.rs"));
            if in_messagestream && text.contains("No match with that id found") {
                return;
            }
            previous(info);
        }));
    });
}

/// The first Bluetooth adapter, or why there is none (or why it cannot
/// be used: switched off where pawdiag cannot switch it on).
pub(super) async fn adapter() -> Result<Adapter, LinkError> {
    quiet_bluez_async_panic();
    let manager = Manager::new().await.map_err(|e| {
        // On Linux the manager is a connection to the system bus: no bus at
        // all, or the bus refused the connection.
        match adapter_error(e) {
            LinkError::Bluetooth(_) if cfg!(target_os = "linux") => {
                LinkError::bluetooth(BluetoothProblem::NoSystemBus)
            }
            other => other,
        }
    })?;
    let adapters = manager.adapters().await.map_err(adapter_error)?;
    let adapter = adapters
        .into_iter()
        .next()
        .ok_or_else(|| LinkError::bluetooth(BluetoothProblem::NoAdapter))?;
    // BlueZ switches the adapter on itself when scanning: no need to ask.
    if !Os::current().switches_bluetooth_on() {
        let state = adapter
            .adapter_state()
            .await
            .unwrap_or(CentralState::Unknown);
        if let Some(problem) = super::stacks::adapter_state_problem(Os::current(), &state) {
            return Err(LinkError::bluetooth(problem));
        }
    }
    Ok(adapter)
}
