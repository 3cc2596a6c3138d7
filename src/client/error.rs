//! Why a call did not produce a result, and what the client saw that
//! tells a silent device from a hung firmware or another protocol.

use crate::interface::message::RpcError;

/// Why a call did not produce a result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CallError {
    /// The device answered with an error.
    #[error("the device answered {method} with error {}: {}", .error.code, .error.message)]
    Device {
        /// The method.
        method: String,
        /// Its error.
        error: RpcError,
    },
    /// No answer after every retry.
    #[error("the device did not answer {method} ({attempts} tries)")]
    Timeout {
        /// The method.
        method: String,
        /// How many times it was sent.
        attempts: u32,
        /// Whether anything at all was heard from the device in this session.
        heard_anything: bool,
        /// Whether any valid protocol line was heard.
        heard_protocol: bool,
        /// Whether the device kept sending text that is not the protocol
        /// (or garbled lines) after a request was re-sent: it answers, in
        /// another protocol. Banner lines sent on opening do not count.
        foreign: bool,
        /// Whether the link itself shows the device is there (a Bluetooth
        /// connection with its services), so silence is the firmware's.
        alive: bool,
    },
    /// Kept answering busy.
    #[error("the device stayed busy and did not run {method}")]
    Busy {
        /// The method.
        method: String,
    },
    /// Answers kept not fitting the request (another firmware, or stale ids).
    #[error("the device's answers to {method} do not look like a PawCore answer")]
    Mismatch {
        /// The method.
        method: String,
    },
    /// A replayed device (`replay:FILE`) has no recording of this request.
    #[error("{what} is not in the recording")]
    NotRecorded {
        /// The method (and params) asked for.
        what: String,
    },
    /// The link went away and did not come back.
    #[error("the connection to the device was lost during {method}: {reason}")]
    LinkLost {
        /// The method in progress.
        method: String,
        /// What the transport said.
        reason: String,
    },
    /// The session is stopping ([`crate::cancel::Cancel`]): the request was
    /// not sent, or its answer was no longer waited for.
    #[error("{method} was abandoned because the session is stopping")]
    Cancelled {
        /// The method.
        method: String,
    },
}

impl CallError {
    /// True when the device is unreachable (as opposed to answering with an error).
    pub fn is_link(&self) -> bool {
        matches!(self, CallError::LinkLost { .. } | CallError::Timeout { .. })
    }

    /// True when the device answers, but not as a PawCore device.
    pub fn not_pawcore(&self) -> bool {
        matches!(
            self,
            CallError::Timeout {
                heard_protocol: false,
                foreign: true,
                ..
            } | CallError::Mismatch { .. }
        )
    }

    /// The device's error, if it answered with one.
    pub fn rpc(&self) -> Option<&RpcError> {
        match self {
            CallError::Device { error, .. } => Some(error),
            _ => None,
        }
    }
}
