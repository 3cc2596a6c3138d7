//! Moving bytes to and from one device. Every transport (USB serial, BLE, the
//! in-process simulator) is a byte stream behind [`Transport`], so the client,
//! probes and flows never know which one they use.

pub mod address;
pub mod ble;
pub mod error;
pub mod record;
pub mod recording;
pub mod replay;
pub mod serial;
pub mod usb;

pub use address::{Address, AddressError};
pub use error::LinkError;

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
}

/// A boxed transport.
pub type BoxTransport = Box<dyn Transport>;
