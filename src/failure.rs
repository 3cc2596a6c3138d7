//! One failure classifier for every command. Whatever went wrong on the way
//! to a device (a link that would not open, a device that did not answer,
//! an answer that made no sense) becomes one [`FailureClass`] on the ladder
//! host → adapter/port → device → protocol → firmware, with one sentence,
//! one hint and one exit code, so `info`, `diagnose`, `guide`, `watch`,
//! `scan` and `batch` say the same about the same failure. Batch puts the
//! class's stable id in its JSON lines (`"failure":"silent"`).
//!
//! Platform-neutral: each Bluetooth stack's errors (BlueZ's D-Bus names on
//! Linux, WinRT's HRESULTs, CoreBluetooth's messages) are mapped onto
//! [`crate::link::BluetoothProblem`] before they get here; what a person
//! is told to do names their own system's settings (`hints`).

use crate::client::CallError;
use crate::link::{BluetoothProblem, LinkError};
use crate::platform::Os;
use crate::probe::FactError;
use serde::Serialize;

/// The rung of the ladder a failure sits on: the lowest rung that failed
/// is where to start fixing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rung {
    /// This computer: system bus, Bluetooth service, permissions.
    Host,
    /// The Bluetooth adapter or the serial port.
    AdapterOrPort,
    /// The device itself: found, connected, answering at all.
    Device,
    /// What the device says: the PawCore protocol or another one.
    Protocol,
    /// The firmware behind the protocol.
    Firmware,
}

impl Rung {
    /// The rung in words.
    pub fn label(self) -> &'static str {
        match self {
            Rung::Host => "host",
            Rung::AdapterOrPort => "adapter/port",
            Rung::Device => "device",
            Rung::Protocol => "protocol",
            Rung::Firmware => "firmware",
        }
    }
}

/// Why a device could not be reached or understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureClass {
    /// The system message bus (D-Bus) cannot be reached.
    NoSystemBus,
    /// BlueZ is not running.
    BluetoothServiceDown,
    /// The operating system does not let pawdiag use Bluetooth.
    BluetoothNotAllowed,
    /// Not allowed to open the serial port.
    PermissionDenied,
    /// No Bluetooth adapter.
    NoAdapter,
    /// The adapter is off and could not be switched on.
    AdapterOff,
    /// Bluetooth blocked by rfkill or airplane mode.
    RfkillBlocked,
    /// Another Bluetooth stack error.
    BluetoothError,
    /// No serial port at that path.
    PortMissing,
    /// Another program holds the port.
    PortBusy,
    /// The path is a directory, a file or another non-terminal.
    NotAPort,
    /// The port failed in another way.
    PortError,
    /// No PawCore device was found for the address (not attached, not heard).
    NotFound,
    /// Several devices match and no one can be picked.
    Ambiguous,
    /// A Bluetooth connection could not be made, after every try.
    CouldNotConnect,
    /// Nothing at all came back.
    Silent,
    /// A link that was up went away.
    LinkLost,
    /// The device answers in another protocol.
    NotPawcore,
    /// PawCore framing, but answers that do not fit the requests.
    UnexpectedAnswers,
    /// The device is there (banner, or a Bluetooth connection) but its
    /// firmware does not answer.
    FirmwareNotResponding,
    /// The device kept answering busy.
    DeviceBusy,
    /// The device reports a model pawdiag does not know.
    UnknownModel,
}

impl FailureClass {
    /// Every class, ladder order (for the README table and tests).
    pub const ALL: [FailureClass; 22] = [
        FailureClass::NoSystemBus,
        FailureClass::BluetoothServiceDown,
        FailureClass::BluetoothNotAllowed,
        FailureClass::PermissionDenied,
        FailureClass::NoAdapter,
        FailureClass::AdapterOff,
        FailureClass::RfkillBlocked,
        FailureClass::BluetoothError,
        FailureClass::PortMissing,
        FailureClass::PortBusy,
        FailureClass::NotAPort,
        FailureClass::PortError,
        FailureClass::NotFound,
        FailureClass::Ambiguous,
        FailureClass::CouldNotConnect,
        FailureClass::Silent,
        FailureClass::LinkLost,
        FailureClass::NotPawcore,
        FailureClass::UnexpectedAnswers,
        FailureClass::FirmwareNotResponding,
        FailureClass::DeviceBusy,
        FailureClass::UnknownModel,
    ];

    /// The stable id scripts see (`"failure":"silent"`).
    pub fn id(self) -> &'static str {
        match self {
            FailureClass::NoSystemBus => "no-system-bus",
            FailureClass::BluetoothServiceDown => "bluetooth-service-down",
            FailureClass::BluetoothNotAllowed => "bluetooth-not-allowed",
            FailureClass::PermissionDenied => "permission-denied",
            FailureClass::NoAdapter => "no-adapter",
            FailureClass::AdapterOff => "adapter-off",
            FailureClass::RfkillBlocked => "rfkill-blocked",
            FailureClass::BluetoothError => "bluetooth-error",
            FailureClass::PortMissing => "port-missing",
            FailureClass::PortBusy => "port-busy",
            FailureClass::NotAPort => "not-a-port",
            FailureClass::PortError => "port-error",
            FailureClass::NotFound => "not-found",
            FailureClass::Ambiguous => "ambiguous",
            FailureClass::CouldNotConnect => "could-not-connect",
            FailureClass::Silent => "silent",
            FailureClass::LinkLost => "link-lost",
            FailureClass::NotPawcore => "not-pawcore",
            FailureClass::UnexpectedAnswers => "unexpected-answers",
            FailureClass::FirmwareNotResponding => "firmware-not-responding",
            FailureClass::DeviceBusy => "device-busy",
            FailureClass::UnknownModel => "unknown-model",
        }
    }

    /// The class with this id (as written in reports' `stopped.failure`).
    pub fn from_id(id: &str) -> Option<FailureClass> {
        Self::ALL.into_iter().find(|c| c.id() == id)
    }

    /// Where on the ladder it sits.
    pub fn rung(self) -> Rung {
        use FailureClass as F;
        match self {
            F::NoSystemBus
            | F::BluetoothServiceDown
            | F::BluetoothNotAllowed
            | F::PermissionDenied => Rung::Host,
            F::NoAdapter
            | F::AdapterOff
            | F::RfkillBlocked
            | F::BluetoothError
            | F::PortMissing
            | F::PortBusy
            | F::NotAPort
            | F::PortError => Rung::AdapterOrPort,
            F::NotFound | F::Ambiguous | F::CouldNotConnect | F::Silent | F::LinkLost => {
                Rung::Device
            }
            F::NotPawcore | F::UnexpectedAnswers => Rung::Protocol,
            F::FirmwareNotResponding | F::DeviceBusy | F::UnknownModel => Rung::Firmware,
        }
    }

    /// The exit code (README's table): 2 when the address given names no
    /// one device, 3 when the device could not be reached or understood.
    pub fn exit_code(self) -> u8 {
        match self {
            FailureClass::NotAPort | FailureClass::Ambiguous => 2,
            _ => 3,
        }
    }

    /// What to do about it, on this computer's system.
    pub fn hint(self) -> &'static str {
        self.hint_on(Os::current())
    }

    /// What to do about it on `os` (each system names its own settings).
    pub fn hint_on(self, os: Os) -> &'static str {
        hints::hint(self, os)
    }

    /// The sentence for `device` (as the person named it), with `detail`
    /// (what the link or device said) where the class shows it.
    pub fn sentence(self, device: &str, detail: &str) -> String {
        self.sentence_on(Os::current(), device, detail)
    }

    /// [`FailureClass::sentence`] as said on `os` (BlueZ, D-Bus and rfkill
    /// are named only on Linux).
    pub fn sentence_on(self, os: Os, device: &str, detail: &str) -> String {
        use FailureClass as F;
        let paren = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!(" ({s})")
            }
        };
        match self {
            F::NoSystemBus if os == Os::Linux => {
                "Bluetooth is not available: the system message bus (D-Bus) cannot be reached"
                    .into()
            }
            F::NoSystemBus => "Bluetooth is not available on this computer".into(),
            F::BluetoothServiceDown if os == Os::Linux => {
                "The Bluetooth service (BlueZ) is not running".into()
            }
            F::BluetoothServiceDown => "The Bluetooth service is not running".into(),
            F::BluetoothNotAllowed => "pawdiag is not allowed to use Bluetooth".into(),
            F::PermissionDenied => format!("Permission denied opening {device}"),
            F::NoAdapter => "This computer has no Bluetooth adapter".into(),
            F::AdapterOff => "The Bluetooth adapter is switched off".into(),
            F::RfkillBlocked if os == Os::Linux => {
                "Bluetooth is switched off on this computer (blocked by rfkill or airplane mode)"
                    .into()
            }
            F::RfkillBlocked => "Bluetooth is switched off on this computer (airplane mode)".into(),
            F::BluetoothError => format!("Bluetooth failed{}", paren(detail)),
            F::PortMissing => format!("No serial port at {device}"),
            F::PortBusy => format!("Serial port {device} is busy: another program has it open"),
            F::NotAPort => format!("{device} is {detail}, not a serial port"),
            F::PortError => format!("The serial port {device} failed{}", paren(detail)),
            F::NotFound => format!("No PawCore device found{}", paren(detail)),
            F::Ambiguous => format!("Several PawCore devices are attached: {detail}"),
            F::CouldNotConnect => {
                format!(
                    "Could not connect to {device} over Bluetooth{}",
                    paren(detail)
                )
            }
            F::Silent => format!("The device at {device} is silent: nothing at all came back"),
            F::LinkLost => format!("The connection to {device} was lost{}", paren(detail)),
            F::NotPawcore => format!(
                "The device at {device} is not a PawCore device (it answers in another protocol)"
            ),
            F::UnexpectedAnswers => format!(
                "The device at {device} answers, but not as a PawCore device would{}",
                paren(detail)
            ),
            F::FirmwareNotResponding => format!(
                "The device at {device} is there, but its firmware does not answer{}",
                paren(detail)
            ),
            F::DeviceBusy => format!(
                "The device at {device} stayed busy and did not answer{}",
                paren(detail)
            ),
            F::UnknownModel => format!(
                "The device at {device} reports a model pawdiag does not know{}",
                paren(detail)
            ),
        }
    }

    /// This class for `device`: its sentence (with `detail`) and hint.
    pub fn with(self, device: &str, detail: &str) -> Classified {
        Classified {
            class: self,
            message: self.sentence(device, detail),
            hint: self.hint().to_string(),
        }
    }
}

impl std::fmt::Display for FailureClass {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id())
    }
}

/// A failure as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{message}")]
pub struct Classified {
    /// Its class.
    pub class: FailureClass,
    /// One sentence.
    pub message: String,
    /// What to do.
    pub hint: String,
}

impl Classified {
    /// The exit code of its class.
    pub fn exit_code(&self) -> u8 {
        self.class.exit_code()
    }
}

/// A link that could not be opened, or broke.
pub fn of_link(e: &LinkError, device: &str) -> Classified {
    use FailureClass as F;
    match e {
        LinkError::NoSuchPort { path } => F::PortMissing.with(path, ""),
        LinkError::NotAPort { path, what } => F::NotAPort.with(path, what),
        LinkError::PortBusy { path } => F::PortBusy.with(path, ""),
        LinkError::PermissionDenied { path } => F::PermissionDenied.with(path, ""),
        LinkError::Io { path, source } => F::PortError.with(path, &source.to_string()),
        LinkError::Disconnected(detail) => F::LinkLost.with(device, detail),
        LinkError::NotFound(detail) => F::NotFound.with(device, detail),
        LinkError::Ambiguous(list) => {
            let mut c = F::Ambiguous.with(device, &list.join("; "));
            if let Some(example) = example_of(list) {
                c.hint = format!(
                    "name one device by its serial number or address, e.g. `pawdiag info {example}`"
                );
            }
            c
        }
        LinkError::NotPawcore(detail) => F::NotPawcore.with(device, "").with_message(detail),
        LinkError::Unsupported(detail) => F::PortError.with(device, detail).with_message(detail),
        LinkError::Bluetooth(detail) => F::BluetoothError.with(device, detail),
        LinkError::BluetoothUnavailable { problem, .. } => {
            let class = match problem {
                BluetoothProblem::NoSystemBus => F::NoSystemBus,
                BluetoothProblem::ServiceNotRunning => F::BluetoothServiceDown,
                BluetoothProblem::NoAdapter => F::NoAdapter,
                BluetoothProblem::AdapterOff => F::AdapterOff,
                BluetoothProblem::Blocked => F::RfkillBlocked,
                BluetoothProblem::NotAllowed => F::BluetoothNotAllowed,
            };
            class.with(device, "")
        }
        LinkError::ConnectFailed { target, detail, .. } => F::CouldNotConnect.with(target, detail),
    }
}

impl Classified {
    /// The same class with the link's own sentence (for errors whose text
    /// already says what happened).
    fn with_message(mut self, text: &str) -> Self {
        if !text.is_empty() {
            self.message = sentence_case(text);
        }
        self
    }
}

/// A call that got no usable answer, typically the first one of a session.
pub fn of_call(e: &CallError, device: &str) -> Classified {
    use FailureClass as F;
    match e {
        CallError::Timeout {
            heard_protocol: true,
            method,
            ..
        } => F::FirmwareNotResponding.with(device, &format!("it stopped answering {method}")),
        CallError::Timeout { foreign: true, .. } => F::NotPawcore.with(device, ""),
        CallError::Timeout {
            heard_anything: true,
            ..
        } => F::FirmwareNotResponding.with(device, "its boot banner came, then no answers"),
        CallError::Timeout { alive: true, .. } => {
            F::FirmwareNotResponding.with(device, "connected, but nothing answered")
        }
        CallError::Timeout { .. } => F::Silent.with(device, ""),
        CallError::LinkLost { method, reason } => {
            let detail = if method.is_empty() {
                reason.clone()
            } else {
                format!("during {method}: {reason}")
            };
            F::LinkLost.with(device, &detail)
        }
        // Not the device's doing; callers report a stop as a stop. Should
        // one reach here, it is a link given up.
        CallError::Cancelled { method } => F::LinkLost.with(
            device,
            &format!("{method} was abandoned: the session is stopping"),
        ),
        CallError::Busy { method } => F::DeviceBusy.with(device, method),
        // A replay: the recording has no answer to this request.
        CallError::NotRecorded { what } => {
            F::UnexpectedAnswers.with(device, &format!("{what} is not in the recording"))
        }
        CallError::Mismatch { method } => {
            F::UnexpectedAnswers.with(device, &format!("its answers to {method} do not fit"))
        }
        CallError::Device { method, error } => F::UnexpectedAnswers.with(
            device,
            &format!("it refused {method}: {} {}", error.code, error.message),
        ),
    }
}

/// A fact that could not be read (the first one identifies the device).
pub fn of_fact(e: &FactError, device: &str) -> Classified {
    use FailureClass as F;
    match e {
        FactError::Unanswered { cause, .. } => of_call(cause, device),
        FactError::LinkLost { method, reason } => {
            F::LinkLost.with(device, &format!("during {method}: {reason}"))
        }
        FactError::UnknownModel { model } => F::UnknownModel.with(device, &format!("`{model}`")),
        FactError::Busy { method } => F::DeviceBusy.with(device, method),
        other => F::UnexpectedAnswers.with(device, &other.to_string()),
    }
}

/// An address to suggest from entries `SERIAL (Model, ADDRESS)`: the first
/// full serial number, else the first address.
fn example_of(list: &[String]) -> Option<String> {
    let serial = list.iter().find_map(|e| {
        let first = e.split_whitespace().next()?;
        crate::interface::serial::model_of(first).map(|_| first.to_string())
    });
    serial.or_else(|| {
        let inside = list.first()?.split_once(" (")?.1.trim_end_matches(')');
        inside.split(", ").nth(1).map(str::to_string)
    })
}

/// First letter upper-case.
fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

mod hints;

// The errors of the layers below say what a person can do through this
// classifier; the methods live here so that `link` and `client` need not
// know it.
impl LinkError {
    /// What the person can do about it (the failure class's hint).
    pub fn hint(&self) -> Option<String> {
        Some(of_link(self, "the device").hint)
    }
}

impl CallError {
    /// What a person can do.
    pub fn hint(&self) -> Option<String> {
        match self {
            CallError::Device { .. } | CallError::Cancelled { .. } => None,
            other => Some(of_call(other, "").class.hint().to_string()),
        }
    }
}

#[cfg(test)]
mod tests;
