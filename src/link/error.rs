//! Typed link errors, each with a sentence and a hint a person can act on.

use std::io;

/// Why a link could not be opened or broke.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The serial port path does not exist.
    #[error("no serial port at {path}")]
    NoSuchPort {
        /// The path asked for.
        path: String,
    },
    /// Another program holds the port.
    #[error("serial port {path} is busy (another program has it open)")]
    PortBusy {
        /// The path.
        path: String,
    },
    /// Not allowed to open the port.
    #[error("permission denied opening {path}")]
    PermissionDenied {
        /// The path.
        path: String,
    },
    /// The device went away (unplugged, out of range, powered off).
    #[error("the connection to the device was lost{}", detail_suffix(.0))]
    Disconnected(String),
    /// No device was found for an address.
    #[error("no PawCore device found{}", detail_suffix(.0))]
    NotFound(String),
    /// Several devices match and no terminal is there to pick one.
    #[error("several PawCore devices are attached: {}", .0.join(", "))]
    Ambiguous(Vec<String>),
    /// A transport that is not available in this build or on this platform.
    #[error("{0}")]
    Unsupported(String),
    /// Bluetooth problems (no adapter, adapter off, BlueZ not running…).
    #[error("{0}")]
    Bluetooth(String),
    /// Bluetooth cannot be used on this computer, with what to do about it.
    #[error("{message}")]
    BluetoothUnavailable {
        /// What is wrong, one sentence.
        message: String,
        /// What the person can do.
        hint: String,
    },
    /// Any other I/O error.
    #[error("I/O error on {path}: {source}")]
    Io {
        /// The port or device.
        path: String,
        /// The underlying error.
        source: io::Error,
    },
}

fn detail_suffix(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" ({s})")
    }
}

impl LinkError {
    /// What the person can do about it.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            LinkError::NoSuchPort { .. } => {
                "check the cable and run `pawdiag scan` to list attached devices".into()
            }
            LinkError::PortBusy { .. } => {
                "close the other program using the port (another pawdiag, a serial monitor or ModemManager) and try again".into()
            }
            LinkError::PermissionDenied { .. } => {
                if cfg!(target_os = "linux") {
                    "add yourself to the `dialout` group (`sudo usermod -aG dialout $USER`), then log out and back in".into()
                } else {
                    "run with a user allowed to open serial ports".into()
                }
            }
            LinkError::Disconnected(_) => {
                "check the cable or move closer, make sure the device is on, then run the command again".into()
            }
            LinkError::NotFound(_) => {
                "wake the device (press its button or put it on the charger), move closer, and run `pawdiag scan`".into()
            }
            LinkError::Ambiguous(list) => format!(
                "name one device, e.g. `pawdiag info {}`",
                list.first().map_or("serial:/dev/ttyACM0", String::as_str)
            ),
            LinkError::Unsupported(_) => return None,
            LinkError::Bluetooth(_) => {
                "check that Bluetooth is switched on (`bluetoothctl show`) and try again, or use the USB cable".into()
            }
            LinkError::BluetoothUnavailable { hint, .. } => hint.clone(),
            LinkError::Io { .. } => "unplug the device, plug it back in, and try again".into(),
        })
    }

    /// True when the link itself is gone (as opposed to never opened).
    pub fn is_disconnect(&self) -> bool {
        matches!(self, LinkError::Disconnected(_))
    }
}
