//! One conversation with one device over any transport: request ids,
//! pipelining (at most 4 in flight), timeouts, retries with the same id,
//! busy answers, events, reconnection and the transcript.

mod error;
mod incoming;
mod pipeline;
mod recover;
mod waits;

use crate::cancel::Cancel;
use crate::interface::frame::LineBuffer;
use crate::link::BoxTransport;
pub use crate::transcript::{Direction, Entry, EntryKind, Transcript};
use chrono::{DateTime, Utc};
pub use error::CallError;
use serde::Serialize;
use serde_json::Value;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Tuning of a client.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// Slack added to every answer time (on top of the wire time).
    pub margin: Duration,
    /// How often a request is re-sent after a timeout or a garbled answer.
    pub retries: u32,
    /// Requests in flight at once (the interface allows 4).
    pub max_in_flight: usize,
    /// How many busy answers one request tolerates.
    pub max_busy: u32,
    /// How long to try to get a dropped link back.
    pub reconnect_within: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            margin: Duration::from_millis(250),
            retries: 2,
            max_in_flight: 4,
            max_busy: 20,
            reconnect_within: Duration::from_secs(8),
        }
    }
}

/// An event the device sent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceEvent {
    /// Name, e.g. `selftest.progress`.
    pub name: String,
    /// Its data.
    pub data: Value,
    /// When it arrived.
    pub at: DateTime<Utc>,
}

/// Counters of what happened on the link.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    /// Requests made (not counting re-sends).
    pub requests: u64,
    /// Re-sends after a timeout or a garbled answer.
    pub retries: u64,
    /// Busy answers.
    pub busy: u64,
    /// Lines from the device that failed CRC or JSON.
    pub corrupt_rx: u64,
    /// Frame errors the device reported for our lines.
    pub frame_errors_reported: u64,
    /// Answers that did not fit their request.
    pub mismatches: u64,
    /// Valid answers to no pending request.
    pub stale: u64,
    /// Banner and log lines.
    pub log_lines: u64,
    /// Valid protocol lines received.
    pub protocol_lines: u64,
    /// Bytes sent.
    pub bytes_tx: u64,
    /// Bytes received.
    pub bytes_rx: u64,
    /// Times the link was re-established.
    pub reconnects: u64,
    /// How long opening the link took (finding the device, connecting,
    /// every retry), in milliseconds; `None` when not measured.
    pub connect_ms: Option<f64>,
    /// From the start of connecting to the first byte from the device, in
    /// milliseconds.
    pub first_byte_ms: Option<f64>,
}

type Listener = Box<dyn FnMut(&DeviceEvent) + Send>;

/// One conversation with a device.
pub struct Client {
    transport: BoxTransport,
    opts: ClientOptions,
    lines: LineBuffer,
    next_id: u32,
    transcript: Transcript,
    events: VecDeque<DeviceEvent>,
    listener: Option<Listener>,
    stats: Stats,
    banner_seen: bool,
    /// A request has been re-sent: lines from now on are replies, not a banner.
    resent: bool,
    /// Non-protocol or garbled lines received after a re-send.
    foreign_lines: u64,
    /// When connecting began, to time the first byte.
    connect_started: Option<Instant>,
    /// The serial number the device gave in its first `device.info`: after
    /// a reconnect the device must give it again (the path or address may
    /// now lead to another device).
    identity: Option<String>,
    // Set when a link drop was taken as the restart `device.reboot` asked for.
    restarted: bool,
    cancel: Cancel,
}

/// How an attempt to get a dropped link back ended.
enum Recovery {
    /// The link is back.
    Back,
    /// It did not come back.
    Lost,
    /// The session is stopping; no more waiting for it.
    Stopped,
}

/// A method and its params, for [`Client::call_many`].
#[derive(Debug, Clone)]
pub struct Call {
    /// Method name.
    pub method: String,
    /// Params object.
    pub params: Option<Value>,
}

impl Call {
    /// A call without params.
    pub fn new(method: &str) -> Self {
        Self {
            method: method.into(),
            params: None,
        }
    }

    /// A call with params.
    pub fn with(method: &str, params: Value) -> Self {
        Self {
            method: method.into(),
            params: Some(params),
        }
    }
}

struct Slot {
    method: String,
    params: Option<Value>,
    id: Option<u32>,
    attempts: u32,
    busy: u32,
    deadline: Instant,
    not_before: Instant,
}

/// How long the device may take to answer (§3).
fn answer_time(method: &str) -> Duration {
    Duration::from_millis(crate::interface::model::answer_time_ms(method))
}

/// An unpredictable starting id (§9.1), far from the wrap-around.
fn random_start_id() -> u32 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default(),
    );
    h.write_u32(std::process::id());
    // Stay below 2^31 so a session never wraps in practice.
    (h.finish() as u32 & 0x7FFF_FFFF).max(1)
}

impl Client {
    /// A client over an open transport.
    pub fn new(mut transport: BoxTransport, opts: ClientOptions) -> Self {
        // How the link came up (connection tries) belongs in the transcript.
        let mut transcript = Transcript::new();
        for n in transport.take_notes() {
            transcript.note(&n);
        }
        Self {
            transport,
            opts,
            lines: LineBuffer::new(),
            next_id: random_start_id(),
            transcript,
            events: VecDeque::new(),
            listener: None,
            stats: Stats::default(),
            banner_seen: false,
            restarted: false,
            cancel: Cancel::new(),
            resent: false,
            foreign_lines: 0,
            connect_started: None,
            identity: None,
        }
    }

    /// Observes `cancel` from now on: once a stop is requested no new
    /// request is sent, read-only requests on the wire are abandoned,
    /// waits (events, reconnects, a reboot) end at once, and a
    /// state-changing request already sent is let finish; a second request
    /// abandons that too.
    pub fn set_cancel(&mut self, cancel: Cancel) {
        self.cancel = cancel;
    }

    /// The stop token this client observes.
    pub fn cancel(&self) -> &Cancel {
        &self.cancel
    }

    /// Records when connecting began (before the transport was opened), so
    /// the link counters tell how long connecting and the first byte took.
    pub fn connected_since(&mut self, started: Instant) {
        self.connect_started = Some(started);
        self.stats.connect_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
    }

    fn count_rx(&mut self, n: usize) {
        if self.stats.bytes_rx == 0
            && n > 0
            && let Some(t) = self.connect_started
        {
            self.stats.first_byte_ms = Some(t.elapsed().as_secs_f64() * 1000.0);
        }
        self.stats.bytes_rx += n as u64;
    }

    /// Where the client is connected.
    pub fn describe(&self) -> String {
        self.transport.describe()
    }

    /// The transcript so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// Link counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Calls `f` for every event as it arrives (progress displays).
    pub fn set_event_listener(&mut self, f: impl FnMut(&DeviceEvent) + Send + 'static) {
        self.listener = Some(Box::new(f));
    }

    /// Removes the event listener.
    pub fn clear_event_listener(&mut self) {
        self.listener = None;
    }

    /// Events received and not yet taken.
    pub fn take_events(&mut self) -> Vec<DeviceEvent> {
        self.events.drain(..).collect()
    }

    /// Adds a host remark to the transcript.
    pub fn note(&mut self, text: &str) {
        self.transcript.note(text);
    }

    /// Calls one method.
    pub async fn call(&mut self, method: &str, params: Option<Value>) -> Result<Value, CallError> {
        let mut out = self
            .call_many(&[Call {
                method: method.into(),
                params,
            }])
            .await;
        out.pop().unwrap_or_else(|| {
            Err(CallError::LinkLost {
                method: method.into(),
                reason: "no result".into(),
            })
        })
    }

    /// Calls one method and reads its result into a typed value.
    pub async fn call_typed<T: serde::de::DeserializeOwned>(
        &mut self,
        method: &str,
        params: Option<Value>,
    ) -> Result<T, CallError> {
        let v = self.call(method, params).await?;
        serde_json::from_value(v).map_err(|_| CallError::Mismatch {
            method: method.into(),
        })
    }

    fn fresh_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id = self.next_id.wrapping_add(1).max(1);
        id
    }

    fn timeout_for(&self, method: &str, request_len: usize) -> Duration {
        let wire = self
            .transport
            .bytes_per_sec()
            .map(|bps| {
                Duration::from_secs_f64((request_len + crate::interface::MAX_LINE) as f64 / bps)
            })
            .unwrap_or_default();
        answer_time(method) + wire + self.opts.margin
    }

    /// Closes the link.
    pub async fn close(mut self) -> Transcript {
        self.transport.close().await;
        self.transcript
    }
}
