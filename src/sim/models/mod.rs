//! Per-product state and methods of the simulated firmware.
//!
//! [`common`] holds what every PawCore product shares (identity, battery,
//! log, settings storage, the self-test of `battery` and `flash`); one module
//! per product holds its own state, its methods (§5–§7) and how its device
//! faults show. The dispatcher in `sim::firmware` owns framing, ids, the
//! replay cache and timing; products only turn a method call into an
//! [`Answer`].

pub mod common;
pub mod healthmonitor;
mod history;
pub mod pettracker;
pub mod smartcollar;

use crate::interface::Model;
use crate::interface::message::{HARDWARE_FAULT, INVALID_PARAMS};
use crate::sim::SimSpec;
use common::Common;
use serde_json::{Map, Value, json};
use std::time::{Duration, Instant};

/// An error answer before it gets its id.
#[derive(Debug, Clone, PartialEq)]
pub struct DevError {
    /// Error code (§3).
    pub code: i64,
    /// Text for people.
    pub message: String,
    /// Extra data (`retry_ms`, `code`).
    pub data: Option<Value>,
}

impl DevError {
    /// `-32602` invalid params.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self {
            code: INVALID_PARAMS,
            message: message.into(),
            data: None,
        }
    }

    /// `-32020` hardware fault with `data.code` (§9.9).
    pub fn hardware(code: &str, detail: &str) -> Self {
        Self {
            code: HARDWARE_FAULT,
            message: "hardware fault".into(),
            data: Some(json!({ "code": code, "detail": detail })),
        }
    }
}

/// What a method produces.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// Answered at once (within the 300 ms of §3).
    Now(Result<Value, DevError>),
    /// Long work: `progress` events at offsets from the start, then the
    /// answer `after` the start.
    Later {
        /// When the answer goes out, from the request.
        after: Duration,
        /// Events (name, data) at offsets from the request, in order.
        progress: Vec<(Duration, String, Value)>,
        /// The answer.
        result: Result<Value, DevError>,
    },
}

/// One product's own state and methods.
pub trait Product: Send {
    /// Answers one of this product's own methods (§5–§7), or `None` when the
    /// method is not one of them.
    fn call(
        &mut self,
        method: &str,
        params: &Map<String, Value>,
        dev: &mut Common,
        now: Instant,
    ) -> Option<Answer>;

    /// The failure (code, detail) of one of this product's own self-test
    /// components, `None` on a pass.
    fn selftest(&self, component: &str) -> Option<(&'static str, &'static str)>;

    /// Events from the product's own timers that are due (e.g. `gps.fix`).
    fn poll(&mut self, now: Instant, dev: &mut Common) -> Vec<(String, Value)>;

    /// The next time [`Product::poll`] has something to do.
    fn next_deadline(&self) -> Option<Instant>;

    /// The device finished booting at `now`.
    fn on_boot(&mut self, now: Instant);
}

/// Builds the shared state and the product of a spec, booted at `now`.
pub fn build(spec: &SimSpec, now: Instant) -> (Common, Box<dyn Product>) {
    let mut dev = Common::new(spec, now);
    let product: Box<dyn Product> = match spec.model {
        Model::PetTracker => Box::new(pettracker::PetTracker::new(&mut dev, now)),
        Model::HealthMonitor => Box::new(healthmonitor::HealthMonitor::new(&mut dev, now)),
        Model::SmartCollar => Box::new(smartcollar::SmartCollar::new(&mut dev, now)),
    };
    (dev, product)
}

/// Resolution rule shared by the "go and fix it by hand" faults
/// (`optical-window-dirty`, `no-skin-contact`, `fit-loose`, `fit-tight`):
/// the condition clears on a read that comes at least this long after the
/// previous read of the same status, i.e. the host paused (asked the person
/// to clean or refit the device) and then looked again.
pub const HANDS_ON_PAUSE: Duration = Duration::from_secs(2);

/// Tracks reads of one status for [`HANDS_ON_PAUSE`]: returns true when this
/// read comes after such a pause, and records it.
pub fn paused_before_read(last_read: &mut Option<Instant>, now: Instant) -> bool {
    let paused = last_read.is_some_and(|t| now.saturating_duration_since(t) >= HANDS_ON_PAUSE);
    *last_read = Some(now);
    paused
}
