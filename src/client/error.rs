//! Why a call did not produce a result, and what a person can do about it.

use crate::interface::message::RpcError;

/// Why a call did not produce a result.
#[derive(Debug, Clone, thiserror::Error)]
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
    /// The link went away and did not come back.
    #[error("the connection to the device was lost during {method}: {reason}")]
    LinkLost {
        /// The method in progress.
        method: String,
        /// What the transport said.
        reason: String,
    },
    /// The session is stopping ([`Cancel`]): the request was not sent, or
    /// its answer was no longer waited for.
    #[error("{method} was abandoned because the session is stopping")]
    Cancelled {
        /// The method.
        method: String,
    },
}

impl CallError {
    /// What a person can do.
    pub fn hint(&self) -> Option<String> {
        match self {
            CallError::Timeout { heard_anything: true, heard_protocol: false, .. } => Some(
                "this port answers, but not like a PawCore device: check that you picked the right port".into(),
            ),
            CallError::Timeout { .. } => Some(
                "the device is silent: unplug it and plug it back in (or wake it with its button), then try again".into(),
            ),
            CallError::Busy { .. } => Some("wait a minute for the device to finish what it is doing, then try again".into()),
            CallError::Mismatch { .. } => Some("check that this is a PawCore device with current firmware".into()),
            CallError::LinkLost { .. } => Some("check the cable or move closer, then run the command again".into()),
            CallError::Device { .. } | CallError::Cancelled { .. } => None,
        }
    }

    /// True when the device is unreachable (as opposed to answering with an error).
    pub fn is_link(&self) -> bool {
        matches!(self, CallError::LinkLost { .. } | CallError::Timeout { .. })
    }

    /// True when the device is silent or not a PawCore device.
    pub fn not_pawcore(&self) -> bool {
        matches!(
            self,
            CallError::Timeout {
                heard_anything: true,
                heard_protocol: false,
                ..
            }
        ) || matches!(self, CallError::Mismatch { .. })
    }

    /// The device's error, if it answered with one.
    pub fn rpc(&self) -> Option<&RpcError> {
        match self {
            CallError::Device { error, .. } => Some(error),
            _ => None,
        }
    }
}
