//! Moving bytes to and from one device. Every transport (USB serial, BLE, the
//! in-process simulator) is a byte stream behind [`Transport`], so the client,
//! probes and flows never know which one they use.

pub mod ble;
#[cfg(target_os = "linux")]
pub mod bluez;
pub mod error;
pub mod record;
pub mod recording;
pub mod replay;
pub mod serial;
pub mod usb;

pub use error::{BluetoothProblem, LinkError};

use futures_util::future::BoxFuture;
use std::time::Duration;

/// One open connection to one device, as a byte stream.
///
/// `read` must be cancel-safe: the client races it against timers.
pub trait Transport: Send {
    /// Where this transport goes, e.g. `serial:/dev/ttyACM0`.
    fn describe(&self) -> String;

    /// Sends bytes (a whole line or a part of one).
    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>>;

    /// Waits for the next chunk of bytes from the device. A closed link is an
    /// error ([`LinkError::Disconnected`]), never an empty chunk.
    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>>;

    /// Re-establishes the link after the device rebooted or the link dropped,
    /// trying for at most `within`.
    fn reconnect(&mut self, within: Duration) -> BoxFuture<'_, Result<(), LinkError>>;

    /// Closes the link; further calls fail.
    fn close(&mut self) -> BoxFuture<'_, ()>;

    /// Bytes per second on the wire, when the transport has a fixed rate
    /// (serial: baud / 10). Used to stretch timeouts by the wire time (§9.7).
    fn bytes_per_sec(&self) -> Option<f64> {
        None
    }

    /// Lines the device may send that are not protocol (banners) are expected
    /// on this transport right after opening.
    fn expects_banner(&self) -> bool {
        false
    }

    /// True when nothing will arrive until something is written (a replayed
    /// recording with nothing left to say): waiting for an unsolicited
    /// event is then pointless. Real devices may always speak.
    fn quiet_until_written(&self) -> bool {
        false
    }

    /// Whether an open link by itself shows the device is there (a
    /// Bluetooth connection with its services), so that a device that
    /// answers nothing is a firmware problem rather than a silent port.
    fn proves_presence(&self) -> bool {
        false
    }

    /// Remarks about how the link was set up (connection tries and why
    /// they failed), taken once for the transcript.
    fn take_notes(&mut self) -> Vec<String> {
        Vec::new()
    }
}

/// A boxed transport.
pub type BoxTransport = Box<dyn Transport>;

/// Where a transport reports its setup steps as they happen (connection
/// tries, which device is being looked at), for `-v`. The library never
/// prints: the command decides what to do with them. Default: nowhere.
#[derive(Clone, Default)]
pub struct Progress(Option<std::sync::Arc<StepFn>>);

/// What receives connection steps.
type StepFn = dyn Fn(&str) + Send + Sync;

impl Progress {
    /// Steps go to `f`.
    pub fn new(f: impl Fn(&str) + Send + Sync + 'static) -> Self {
        Progress(Some(std::sync::Arc::new(f)))
    }

    /// Reports one step.
    pub fn say(&self, step: &str) {
        if let Some(f) = &self.0 {
            f(step);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(on)"
        } else {
            "Progress(off)"
        })
    }
}
