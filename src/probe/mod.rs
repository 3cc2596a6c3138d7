//! Named facts a flow can ask for (`battery.health_pct`, `gps.fix`,
//! `selftest.gps`…): the catalogue of what exists, the [`Facts`] trait the
//! flow engine reads them through, and [`DeviceFacts`], which reads them from
//! a real (or simulated) device through the client, once per session.

pub mod catalogue;
pub mod device;

pub use catalogue::{Probe, ValueKind};
pub use device::DeviceFacts;

use futures_util::future::BoxFuture;
use serde_json::Value;
use std::time::Duration;

/// Where the flow engine gets device facts from, and how it acts on the
/// device. The engine never talks to a link itself (DESIGN.md).
pub trait Facts: Send {
    /// The value of a probe, read once per session and then cached.
    fn read<'a>(&'a mut self, probe: &'a str) -> BoxFuture<'a, Result<Value, FactError>>;

    /// The value of a probe, read again from the device (polling).
    fn refresh<'a>(&'a mut self, probe: &'a str) -> BoxFuture<'a, Result<Value, FactError>>;

    /// Runs a method that changes the device (a fix) and forgets the cached
    /// facts it makes stale. Its result becomes readable through the
    /// method's active probes (e.g. `alerts.test_delivered`).
    fn invoke<'a>(
        &'a mut self,
        method: &'a str,
        params: Option<Value>,
    ) -> BoxFuture<'a, Result<Value, FactError>>;

    /// Waits up to `timeout` for a device event; its data, or `None` when it
    /// did not come.
    fn wait_event<'a>(
        &'a mut self,
        name: &'a str,
        timeout: Duration,
    ) -> BoxFuture<'a, Result<Option<Value>, FactError>>;

    /// The value of a probe if it is already known without talking to the
    /// device (safety rules look at every fact known so far).
    fn known(&self, _probe: &str) -> Option<Value> {
        None
    }
}

/// Why a fact could not be read or a fix could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FactError {
    /// No probe by that name.
    #[error("there is no probe named `{0}`")]
    UnknownProbe(String),
    /// The probe exists, but not on this model.
    #[error("`{probe}` is not available on the {model}")]
    NotForModel {
        /// The probe.
        probe: String,
        /// The model.
        model: String,
    },
    /// The device does not support the method (error -32010, or -32601 from
    /// older firmware).
    #[error("the device does not support {method}")]
    Unsupported {
        /// The method.
        method: String,
    },
    /// The device answered with an error.
    #[error("the device answered {method} with error {code}: {message}{}", fault.as_deref().map(|f| format!(" ({f})")).unwrap_or_default())]
    Device {
        /// The method.
        method: String,
        /// The error code.
        code: i64,
        /// The device's message.
        message: String,
        /// The hardware fault code (`data.code` of -32020).
        fault: Option<String>,
    },
    /// The device kept answering busy (-32000) past every retry.
    #[error("could not read {method}: the device stayed busy and did not run it")]
    Busy {
        /// The method.
        method: String,
    },
    /// The device answered, but not usefully (answers that did not fit the
    /// request).
    #[error("could not read {method}: {reason}")]
    Unreadable {
        /// The method.
        method: String,
        /// What happened.
        reason: String,
    },
    /// The device gave no answer at all (after every retry); the session
    /// must stop. Keeps the client's error, which tells a silent device
    /// from a hung firmware or another protocol.
    #[error("the device did not answer {method}")]
    Unanswered {
        /// The method.
        method: String,
        /// What the client saw.
        cause: crate::client::CallError,
    },
    /// `device.info` names a model this build does not know.
    #[error("the device reports an unknown model `{model}`")]
    UnknownModel {
        /// The model text (bounded).
        model: String,
    },
    /// The device went away; the session must stop.
    #[error("the connection to the device was lost during {method}: {reason}")]
    LinkLost {
        /// The method in progress.
        method: String,
        /// What the link said.
        reason: String,
    },
    /// A replayed device (`replay:FILE`) has no recording of the request:
    /// the fact could not be checked.
    #[error("{what} is not in the recording")]
    NotRecorded {
        /// The method (and params).
        what: String,
    },
    /// The session is stopping: the read or fix was not started, or no
    /// longer waited for.
    #[error("{method} was not finished because the session is stopping")]
    Cancelled {
        /// The method.
        method: String,
    },
    /// An active probe read before a fix ran its method.
    #[error("`{probe}` is only known after a fix runs {method}")]
    NotRun {
        /// The probe.
        probe: String,
        /// Its method.
        method: String,
    },
}

impl FactError {
    /// True when the device is gone and the session has to stop.
    pub fn is_link_lost(&self) -> bool {
        matches!(
            self,
            FactError::LinkLost { .. } | FactError::Unanswered { .. }
        )
    }

    /// True when a replayed device had no recording of the request.
    pub fn is_not_recorded(&self) -> bool {
        matches!(self, FactError::NotRecorded { .. })
    }

    /// True when the session is stopping (see [`crate::cancel`]).
    pub fn is_cancelled(&self) -> bool {
        matches!(self, FactError::Cancelled { .. })
    }

    /// Converts a client error for `method`.
    pub fn from_call(method: &str, e: &crate::client::CallError) -> Self {
        use crate::client::CallError;
        use crate::interface::message::{HARDWARE_FAULT, NOT_SUPPORTED, UNKNOWN_METHOD};
        match e {
            CallError::Device { error, .. }
                if error.code == NOT_SUPPORTED || error.code == UNKNOWN_METHOD =>
            {
                FactError::Unsupported {
                    method: method.into(),
                }
            }
            CallError::Device { error, .. } => FactError::Device {
                method: method.into(),
                code: error.code,
                message: error.message.clone(),
                fault: if error.code == HARDWARE_FAULT {
                    error.fault_code().map(str::to_string)
                } else {
                    None
                },
            },
            CallError::Busy { .. } => FactError::Busy {
                method: method.into(),
            },
            CallError::Mismatch { .. } => FactError::Unreadable {
                method: method.into(),
                reason: e.to_string(),
            },
            CallError::NotRecorded { what } => FactError::NotRecorded { what: what.clone() },
            CallError::LinkLost { reason, .. } => FactError::LinkLost {
                method: method.into(),
                reason: reason.clone(),
            },
            CallError::Cancelled { .. } => FactError::Cancelled {
                method: method.into(),
            },
            CallError::Timeout { .. } => FactError::Unanswered {
                method: method.into(),
                cause: e.clone(),
            },
        }
    }
}
