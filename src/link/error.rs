//! Typed link errors. What a person reads about each (one sentence, one
//! hint, one exit code) comes from [`crate::failure`], so every command
//! says the same about the same failure.

use std::io;

/// Why Bluetooth cannot be used on this computer (platform-neutral; the
/// BlueZ module on Linux maps D-Bus errors onto these).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BluetoothProblem {
    /// The system message bus (D-Bus) cannot be reached.
    NoSystemBus,
    /// The Bluetooth service (BlueZ) is not running.
    ServiceNotRunning,
    /// No Bluetooth adapter.
    NoAdapter,
    /// The adapter is switched off and could not be switched on.
    AdapterOff,
    /// Blocked by rfkill (airplane mode, a hardware switch).
    Blocked,
    /// The operating system does not let pawdiag use Bluetooth.
    NotAllowed,
}

impl BluetoothProblem {
    /// The problem in a few words (for transcripts and `Display`).
    pub fn describe(self) -> &'static str {
        match self {
            BluetoothProblem::NoSystemBus => "the system message bus (D-Bus) cannot be reached",
            BluetoothProblem::ServiceNotRunning => "the Bluetooth service (BlueZ) is not running",
            BluetoothProblem::NoAdapter => "this computer has no Bluetooth adapter",
            BluetoothProblem::AdapterOff => "the Bluetooth adapter is switched off",
            BluetoothProblem::Blocked => "Bluetooth is blocked by rfkill or airplane mode",
            BluetoothProblem::NotAllowed => "pawdiag is not allowed to use Bluetooth",
        }
    }
}

/// Why a link could not be opened or broke.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The serial port path does not exist.
    #[error("no serial port at {path}")]
    NoSuchPort {
        /// The path asked for.
        path: String,
    },
    /// The path exists but is not a serial port (a directory, a file…).
    #[error("{path} is {what}, not a serial port")]
    NotAPort {
        /// The path asked for.
        path: String,
        /// What it is instead, e.g. "a directory".
        what: String,
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
    /// A link that was up went away (unplugged, out of range, powered off).
    #[error("the connection to the device was lost{}", detail_suffix(.0))]
    Disconnected(String),
    /// No device was found for an address.
    #[error("no PawCore device found{}", detail_suffix(.0))]
    NotFound(String),
    /// Several devices match and no terminal is there to pick one: each
    /// entry names one (serial, model, address).
    #[error("several PawCore devices are attached: {}", .0.join("; "))]
    Ambiguous(Vec<String>),
    /// The device at the other end is not a PawCore device (e.g. a BLE
    /// device without the Nordic UART Service).
    #[error("{0}")]
    NotPawcore(String),
    /// A transport that is not available in this build or on this platform.
    #[error("{0}")]
    Unsupported(String),
    /// Any other Bluetooth problem, with what the Bluetooth stack said.
    #[error("{0}")]
    Bluetooth(String),
    /// Bluetooth cannot be used on this computer.
    #[error("{}{}", .problem.describe(), detail_suffix(.detail))]
    BluetoothUnavailable {
        /// What is wrong.
        problem: BluetoothProblem,
        /// What the Bluetooth stack said, when it said something useful.
        detail: String,
    },
    /// A Bluetooth connection could not be made, after every try.
    #[error("could not connect to {target} over Bluetooth ({detail})")]
    ConnectFailed {
        /// The device's name or address.
        target: String,
        /// What the Bluetooth stack said last, e.g. `BlueZ: le-connection-abort-by-local`.
        detail: String,
        /// How many tries were made.
        tries: u32,
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
    /// A Bluetooth problem without further detail.
    pub fn bluetooth(problem: BluetoothProblem) -> Self {
        LinkError::BluetoothUnavailable {
            problem,
            detail: String::new(),
        }
    }

    /// True when the link itself is gone (as opposed to never opened).
    pub fn is_disconnect(&self) -> bool {
        matches!(self, LinkError::Disconnected(_))
    }
}
