//! One conversation with one device over any transport: request ids,
//! pipelining (at most 4 in flight), timeouts, retries with the same id,
//! busy answers, events, reconnection and the transcript.

mod error;
mod waits;

use crate::cancel::Cancel;
use crate::interface::frame::{FrameError, LineBuffer, RawLine, decode_line, encode_line};
use crate::interface::message::{self, Incoming, Request};
use crate::interface::methods::{is_read_method, result_fits};
use crate::link::{BoxTransport, LinkError};
pub use crate::transcript::{Direction, Entry, EntryKind, Transcript};
use chrono::{DateTime, Utc};
pub use error::CallError;
use serde::Serialize;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
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

    /// Calls several independent methods, pipelined (up to 4 in flight);
    /// results come back in the order of `calls`.
    pub async fn call_many(&mut self, calls: &[Call]) -> Vec<Result<Value, CallError>> {
        let now = Instant::now();
        let mut slots: Vec<Slot> = calls
            .iter()
            .map(|c| Slot {
                method: c.method.clone(),
                params: c.params.clone(),
                id: None,
                attempts: 0,
                busy: 0,
                deadline: now,
                not_before: now,
            })
            .collect();
        let mut results: Vec<Option<Result<Value, CallError>>> = vec![None; calls.len()];
        let mut waiting: VecDeque<usize> = (0..calls.len()).collect();
        let mut in_flight: HashMap<u32, usize> = HashMap::new();
        self.stats.requests += calls.len() as u64;
        let cancel = self.cancel.clone();
        let mut stop_seen = false;

        loop {
            // A stop request: nothing new goes out and reads are abandoned;
            // a state-changing request on the wire is let finish (unless
            // hurried), so the device is never left half-way.
            if cancel.is_requested() {
                stop_seen = true;
                let hurried = cancel.is_hurried();
                // A state-changing request already sent may be sent again
                // with its id (the device replays its answer, §3).
                let finishing =
                    |slot: &Slot| !hurried && slot.attempts > 0 && !is_read_method(&slot.method);
                waiting.retain(|&i| {
                    let keep = finishing(&slots[i]);
                    if !keep {
                        results[i] = Some(Err(CallError::Cancelled {
                            method: slots[i].method.clone(),
                        }));
                    }
                    keep
                });
                in_flight.retain(|_, i| {
                    let keep = !hurried && !is_read_method(&slots[*i].method);
                    if !keep {
                        results[*i] = Some(Err(CallError::Cancelled {
                            method: slots[*i].method.clone(),
                        }));
                    }
                    keep
                });
            }
            if results.iter().all(Option::is_some) {
                break;
            }
            // Send what may be sent now.
            let now = Instant::now();
            let mut deferred = VecDeque::new();
            while in_flight.len() < self.opts.max_in_flight {
                let Some(idx) = waiting.pop_front() else {
                    break;
                };
                if slots[idx].not_before > now {
                    deferred.push_back(idx);
                    continue;
                }
                if let Err(e) = self.send_slot(&mut slots[idx]).await {
                    match self.recover(&e).await {
                        Recovery::Back => {}
                        gone => return self.without_link(gone, &e, &slots, results),
                    }
                    // Re-send everything outstanding after the reconnect.
                    waiting.push_front(idx);
                    waiting.extend(in_flight.drain().map(|(_, i)| i));
                    continue;
                }
                if let Some(id) = slots[idx].id {
                    in_flight.insert(id, idx);
                }
            }
            waiting.extend(deferred);

            let wake = in_flight
                .values()
                .map(|&i| slots[i].deadline)
                .chain(waiting.iter().map(|&i| slots[i].not_before))
                .min()
                .unwrap_or_else(|| Instant::now() + Duration::from_millis(10));

            tokio::select! {
                _ = cancel.requested(), if !stop_seen => continue,
                _ = cancel.hurried(), if !cancel.is_hurried() && !in_flight.is_empty() => continue,
                chunk = self.transport.read() => match chunk {
                    Ok(bytes) => {
                        self.count_rx(bytes.len());
                        for msg in self.ingest(&bytes) {
                            let Incoming::Response { id, outcome } = msg else { continue };
                            let Some(idx) = in_flight.remove(&id) else {
                                self.stats.stale += 1;
                                self.transcript.note(&format!("answer for id {id} matches no pending request; ignored"));
                                continue;
                            };
                            let slot = &mut slots[idx];
                            match outcome {
                                Ok(v) if result_fits(&slot.method, &v) => {
                                    self.learn_identity(&slot.method, &v);
                                    results[idx] = Some(Ok(v));
                                }
                                Ok(_) => {
                                    // Possibly a previous session's answer from the replay cache (§9.1).
                                    self.stats.mismatches += 1;
                                    self.transcript.note(&format!("answer for id {id} does not fit {}; asking again with a new id", slot.method));
                                    slot.id = None;
                                    slot.attempts += 1;
                                    if slot.attempts > self.opts.retries {
                                        results[idx] = Some(Err(CallError::Mismatch { method: slot.method.clone() }));
                                    } else {
                                        waiting.push_back(idx);
                                    }
                                }
                                Err(e) if e.code == message::BUSY => {
                                    self.stats.busy += 1;
                                    slot.busy += 1;
                                    if slot.busy > self.opts.max_busy {
                                        results[idx] = Some(Err(CallError::Busy { method: slot.method.clone() }));
                                    } else {
                                        let wait = e.retry_ms().unwrap_or(100).clamp(5, 5_000);
                                        slot.not_before = Instant::now() + Duration::from_millis(wait);
                                        // Busy answers are not cached (§9.2): the same id is fine.
                                        slot.attempts = slot.attempts.saturating_sub(1);
                                        waiting.push_back(idx);
                                    }
                                }
                                Err(e) if e.code == crate::link::replay::NOT_RECORDED => {
                                    let what = e.message.strip_prefix("not in the recording: ").unwrap_or(&slot.method).to_string();
                                    results[idx] = Some(Err(CallError::NotRecorded { what }));
                                }
                                Err(e) => results[idx] = Some(Err(CallError::Device { method: slot.method.clone(), error: e })),
                            }
                        }
                    }
                    Err(e) => match self.recover(&e).await {
                        Recovery::Back => {
                            for (_, i) in in_flight.drain() {
                                if slots[i].method == "device.reboot" {
                                    // The device drops the link as it restarts, at times
                                    // before its answer is out. Sending it again would
                                    // restart it twice: the restart clears the replay
                                    // cache (§9.1).
                                    self.transcript.note("the link dropped with device.reboot on the wire: taken as the restart");
                                    self.restarted = true;
                                    results[i] = Some(Ok(serde_json::json!({ "ok": true })));
                                } else {
                                    waiting.push_back(i);
                                }
                            }
                        }
                        gone => return self.without_link(gone, &e, &slots, results),
                    },
                },
                _ = tokio::time::sleep_until(wake.into()) => {
                    let now = Instant::now();
                    let expired: Vec<u32> = in_flight.iter().filter(|(_, i)| slots[**i].deadline <= now).map(|(id, _)| *id).collect();
                    for id in expired {
                        let Some(idx) = in_flight.remove(&id) else { continue };
                        let slot = &slots[idx];
                        if slot.attempts > self.opts.retries {
                            results[idx] = Some(Err(CallError::Timeout {
                                method: slot.method.clone(),
                                attempts: slot.attempts,
                                heard_anything: self.stats.bytes_rx > 0,
                                heard_protocol: self.stats.protocol_lines > 0,
                                foreign: self.foreign_lines > 0,
                                alive: self.transport.proves_presence(),
                            }));
                        } else {
                            // Retrying with the same id is safe: the device replays its answer (§3).
                            waiting.push_front(idx);
                        }
                    }
                }
            }
        }
        finish(results)
    }

    async fn send_slot(&mut self, slot: &mut Slot) -> Result<(), LinkError> {
        let retry = slot.id.is_some();
        let id = match slot.id {
            Some(id) => id,
            None => {
                let id = self.fresh_id();
                slot.id = Some(id);
                id
            }
        };
        let req = Request {
            id,
            method: slot.method.clone(),
            params: slot.params.clone(),
        };
        let json = req.to_json();
        let line = encode_line(&json).map_err(|_| {
            LinkError::Unsupported(format!("request {} is too long for one line", slot.method))
        })?;
        slot.attempts += 1;
        if retry {
            self.stats.retries += 1;
            self.resent = true;
        }
        self.transcript.push(
            Direction::Tx,
            if retry {
                EntryKind::Retry
            } else {
                EntryKind::Request
            },
            &line[..line.len() - 1],
        );
        let now = Instant::now();
        slot.deadline = now + self.timeout_for(&slot.method, line.len());
        self.stats.bytes_tx += line.len() as u64;
        self.transport.write(&line).await
    }

    /// Tries to get a dropped link back, giving up at once when the
    /// session is stopping.
    async fn recover(&mut self, err: &LinkError) -> Recovery {
        if !err.is_disconnect() {
            return Recovery::Lost;
        }
        self.transcript
            .note(&format!("link lost ({err}); reconnecting"));
        let cancel = self.cancel.clone();
        let within = self.opts.reconnect_within;
        match cancel
            .unless_requested(self.transport.reconnect(within))
            .await
        {
            Some(Ok(())) => {
                for n in self.transport.take_notes() {
                    self.transcript.note(&n);
                }
                self.lines.clear();
                if let Some(expected) = self.identity.clone()
                    && !self.same_device(&expected).await
                {
                    self.transcript.note(&format!(
                        "the device now reached there is not {expected}; giving up"
                    ));
                    return Recovery::Lost;
                }
                self.stats.reconnects += 1;
                self.transcript.note("link re-established");
                Recovery::Back
            }
            Some(Err(e)) => {
                self.transcript.note(&format!("could not reconnect: {e}"));
                Recovery::Lost
            }
            None => {
                self.transcript
                    .note("stopped reconnecting: the session is stopping");
                Recovery::Stopped
            }
        }
    }

    /// Ends a call whose link did not come back: what is unfinished failed
    /// (the link is lost) or was abandoned (the session is stopping).
    fn without_link(
        &self,
        how: Recovery,
        err: &LinkError,
        slots: &[Slot],
        mut results: Vec<Option<Result<Value, CallError>>>,
    ) -> Vec<Result<Value, CallError>> {
        if matches!(how, Recovery::Stopped) {
            for (i, r) in results.iter_mut().enumerate() {
                if r.is_none() {
                    *r = Some(Err(CallError::Cancelled {
                        method: slots[i].method.clone(),
                    }));
                }
            }
        } else {
            self.fail_all(slots, &mut results, err);
        }
        finish(results)
    }

    fn learn_identity(&mut self, method: &str, v: &Value) {
        if method == "device.info" && self.identity.is_none() {
            self.identity = v
                .get("serial")
                .and_then(Value::as_str)
                .map(|s| s.chars().take(64).collect());
        }
    }

    /// Asks `device.info` once more (two tries) after a reconnect: true when
    /// the device there has the serial number `expected`.
    async fn same_device(&mut self, expected: &str) -> bool {
        for _ in 0..2 {
            let id = self.fresh_id();
            let req = Request {
                id,
                method: "device.info".into(),
                params: None,
            };
            let Ok(line) = encode_line(&req.to_json()) else {
                return false;
            };
            self.transcript
                .push(Direction::Tx, EntryKind::Request, &line[..line.len() - 1]);
            self.stats.bytes_tx += line.len() as u64;
            if self.transport.write(&line).await.is_err() {
                return false;
            }
            let deadline = Instant::now() + self.timeout_for("device.info", line.len());
            loop {
                let read = tokio::time::timeout_at(deadline.into(), self.transport.read()).await;
                let bytes = match read {
                    Err(_) => break,
                    Ok(Err(_)) => return false,
                    Ok(Ok(b)) => b,
                };
                self.count_rx(bytes.len());
                for msg in self.ingest(&bytes) {
                    if let Incoming::Response { id: got, outcome } = msg
                        && got == id
                    {
                        return outcome.ok().is_some_and(|v| {
                            v.get("serial")
                                .and_then(Value::as_str)
                                .is_some_and(|s| crate::interface::serial::same(s, expected))
                        });
                    }
                }
            }
        }
        false
    }

    fn fail_all(
        &self,
        slots: &[Slot],
        results: &mut [Option<Result<Value, CallError>>],
        err: &LinkError,
    ) {
        // The detail alone: the error's own sentence already says "lost".
        let reason = match err {
            LinkError::Disconnected(detail) if !detail.is_empty() => detail.clone(),
            other => other.to_string(),
        };
        for (i, r) in results.iter_mut().enumerate() {
            if r.is_none() {
                *r = Some(Err(CallError::LinkLost {
                    method: slots[i].method.clone(),
                    reason: reason.clone(),
                }));
            }
        }
    }

    /// Splits bytes into lines, records them, and returns the protocol
    /// messages; events are queued and given to the listener.
    fn ingest(&mut self, bytes: &[u8]) -> Vec<Incoming> {
        let mut out = Vec::new();
        for raw in self.lines.push(bytes) {
            let line = match raw {
                RawLine::Line(l) => l,
                RawLine::TooLong(n) => {
                    self.stats.corrupt_rx += 1;
                    self.foreign_lines += u64::from(self.resent);
                    self.transcript.push(
                        Direction::Rx,
                        EntryKind::TooLong,
                        format!("<{n} bytes discarded: line too long>").as_bytes(),
                    );
                    continue;
                }
            };
            if line.is_empty() {
                continue;
            }
            let json = match decode_line(&line) {
                Ok(j) => j,
                Err(FrameError::NotProtocol) => {
                    self.stats.log_lines += 1;
                    self.foreign_lines += u64::from(self.resent);
                    self.banner_seen = true;
                    self.transcript.push(Direction::Rx, EntryKind::Log, &line);
                    continue;
                }
                Err(_) => {
                    self.stats.corrupt_rx += 1;
                    self.foreign_lines += u64::from(self.resent);
                    self.transcript
                        .push(Direction::Rx, EntryKind::Corrupt, &line);
                    continue;
                }
            };
            match message::parse_incoming(json) {
                Ok(msg) => {
                    self.stats.protocol_lines += 1;
                    let kind = match &msg {
                        Incoming::Response { outcome: Ok(_), .. } => EntryKind::Response,
                        Incoming::Response {
                            outcome: Err(_), ..
                        }
                        | Incoming::Unaddressed(_) => EntryKind::Error,
                        Incoming::Event { .. } => EntryKind::Event,
                    };
                    self.transcript.push(Direction::Rx, kind, &line);
                    match msg {
                        Incoming::Event { name, data } => {
                            let ev = DeviceEvent {
                                name,
                                data,
                                at: Utc::now(),
                            };
                            if let Some(l) = self.listener.as_mut() {
                                l(&ev);
                            }
                            if self.events.len() >= 256 {
                                self.events.pop_front();
                            }
                            self.events.push_back(ev);
                        }
                        Incoming::Unaddressed(_) => self.stats.frame_errors_reported += 1,
                        other => out.push(other),
                    }
                }
                Err(_) => {
                    self.stats.corrupt_rx += 1;
                    self.transcript
                        .push(Direction::Rx, EntryKind::Corrupt, &line);
                }
            }
        }
        out
    }

    /// Closes the link.
    pub async fn close(mut self) -> Transcript {
        self.transport.close().await;
        self.transcript
    }
}

fn finish(results: Vec<Option<Result<Value, CallError>>>) -> Vec<Result<Value, CallError>> {
    results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|| {
                Err(CallError::LinkLost {
                    method: String::new(),
                    reason: "unfinished".into(),
                })
            })
        })
        .collect()
}
