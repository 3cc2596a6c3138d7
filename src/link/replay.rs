//! `replay:FILE`: a [`Transport`] that answers like the recorded device did.
//!
//! A recording (or a report's transcript, turned into one by the caller) is
//! cut into *exchanges*: one request the host sent, every answer the device
//! gave to its id (a busy answer, then the result…) and the events, log
//! lines and link drops that came while it was the latest request. A
//! request is matched to the next unused exchange with the **same method
//! and params**, never by id: the host starts its ids at a random value
//! (§9.1), so each answer is sent back with the id of the request it
//! answers. A re-sent id gets the exchange's next answer, or its last one
//! again (as the device's replay cache would). Asked more often than
//! recorded, a request gets the last answer recorded for it. A request
//! never recorded gets the error [`NOT_RECORDED`] ("not in the recording"):
//! nothing is invented.
//!
//! Nothing is paced: answers are ready as soon as the request is written,
//! and [`Transport::quiet_until_written`] tells the client that waiting for
//! more (an event that never came in the recording) is pointless.

use super::recording::{FrameKind, Recording};
use super::{LinkError, Transport};
use crate::interface::crc::crc16_ccitt_false;
use crate::interface::frame::{LineBuffer, RawLine, decode_line, encode_line};
use crate::interface::message::{self, BUSY, FRAME_ERROR, Incoming, Request};
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::time::Duration;

/// The error code a replayed device answers a request it has no recording
/// of. A host-side code in the range JSON-RPC leaves to servers; no PawCore
/// firmware sends it.
pub const NOT_RECORDED: i64 = -32099;

/// Something the replayed device sends, other than an answer.
#[derive(Debug, Clone, PartialEq)]
enum Item {
    /// A framed line, `\n` included.
    Line(Vec<u8>),
    /// The link drops; `back` when it came back in the recording.
    Down { detail: String, back: bool },
}

#[derive(Debug, Clone, PartialEq)]
enum Step {
    /// An answer (the whole message; its id is replaced when sent).
    Answer(Value),
    Item(Item),
}

#[derive(Debug, Clone)]
struct Exchange {
    method: String,
    params: Value,
    steps: Vec<Step>,
}

/// Where a request being answered is in its exchange.
#[derive(Debug, Clone, Copy)]
struct Bound {
    exchange: usize,
    next: usize,
}

/// A recorded device, replayed.
pub struct ReplayTransport {
    describe: String,
    banner: Vec<Item>,
    exchanges: Vec<Exchange>,
    used: Vec<bool>,
    bound: HashMap<u32, Bound>,
    out: VecDeque<Item>,
    input: LineBuffer,
    reconnect_ok: bool,
    closed: bool,
    not_recorded: Vec<String>,
}

/// Params as compared: absent, `null` and `{}` are the same.
fn params_of(p: Option<&Value>) -> Value {
    match p {
        None | Some(Value::Null) => Value::Object(serde_json::Map::new()),
        Some(v) => v.clone(),
    }
}

/// The JSON text of a protocol line: its checksum checked, unless the line
/// was altered after it was sent (redacted), when it cannot match.
fn json_of(line: &str, altered: bool) -> Option<Value> {
    let text = if altered {
        line.rsplit_once('*').map_or(line, |(json, _)| json)
    } else {
        decode_line(line.as_bytes()).ok()?
    };
    serde_json::from_str(text).ok()
}

/// Frames JSON as a line. An answer made longer than a line by a longer id
/// is framed anyway: the host then discards it, as it would from a device.
fn framed(json: &str) -> Vec<u8> {
    encode_line(json).unwrap_or_else(|_| {
        format!("{json}*{:04X}\n", crc16_ccitt_false(json.as_bytes())).into_bytes()
    })
}

impl ReplayTransport {
    /// A device that answers as `rec` did; `describe` names it (`replay:FILE`).
    pub fn new(rec: &Recording, describe: &str) -> Self {
        let mut banner: Vec<Item> = Vec::new();
        let mut exchanges: Vec<Exchange> = Vec::new();
        let mut by_id: HashMap<u32, usize> = HashMap::new();
        let mut current: Option<usize> = None;
        let mut last_down: Option<(Option<usize>, usize)> = None;
        for f in &rec.frames {
            let item = match &f.kind {
                FrameKind::Tx(line) => {
                    let Some(req) = json_of(line, f.altered)
                        .and_then(|v| serde_json::from_value::<Request>(v).ok())
                    else {
                        continue;
                    };
                    // A re-sent id is a retry of the same exchange.
                    if let std::collections::hash_map::Entry::Vacant(slot) = by_id.entry(req.id) {
                        slot.insert(exchanges.len());
                        current = Some(exchanges.len());
                        exchanges.push(Exchange {
                            method: req.method,
                            params: params_of(req.params.as_ref()),
                            steps: Vec::new(),
                        });
                    }
                    continue;
                }
                FrameKind::Rx(line) if line.starts_with('{') => {
                    let Some(v) = json_of(line, f.altered) else {
                        continue;
                    };
                    match message::parse_incoming(&v.to_string()) {
                        Ok(Incoming::Response { id, .. }) => {
                            if let Some(&i) = by_id.get(&id) {
                                exchanges[i].steps.push(Step::Answer(v));
                            }
                            continue;
                        }
                        Ok(Incoming::Event { .. }) => Item::Line(framed(&v.to_string())),
                        // Frame errors answered a garbled line of that
                        // session; a replayed host sends clean ones.
                        _ => continue,
                    }
                }
                FrameKind::Rx(line) => Item::Line(format!("{line}\n").into_bytes()),
                FrameKind::Down(detail) => Item::Down {
                    detail: detail.clone(),
                    back: false,
                },
                FrameKind::Up => {
                    let slot = match last_down {
                        Some((None, i)) => banner.get_mut(i),
                        Some((Some(x), i)) => match exchanges[x].steps.get_mut(i) {
                            Some(Step::Item(item)) => Some(item),
                            _ => None,
                        },
                        None => None,
                    };
                    if let Some(Item::Down { back, .. }) = slot {
                        *back = true;
                    }
                    continue;
                }
                FrameKind::RxDiscarded(_) | FrameKind::Gone(_) => continue,
            };
            let is_down = matches!(item, Item::Down { .. });
            match current {
                Some(i) => {
                    if is_down {
                        last_down = Some((Some(i), exchanges[i].steps.len()));
                    }
                    exchanges[i].steps.push(Step::Item(item));
                }
                None => {
                    if is_down {
                        last_down = Some((None, banner.len()));
                    }
                    banner.push(item);
                }
            }
        }
        Self {
            describe: describe.to_string(),
            out: banner.iter().cloned().collect(),
            banner,
            used: vec![false; exchanges.len()],
            exchanges,
            bound: HashMap::new(),
            input: LineBuffer::new(),
            reconnect_ok: true,
            closed: false,
            not_recorded: Vec::new(),
        }
    }

    /// Requests asked for that the recording has no answer to
    /// (`method params`), in the order asked.
    pub fn not_recorded(&self) -> &[String] {
        &self.not_recorded
    }

    /// How many requests the recording holds.
    pub fn exchanges(&self) -> usize {
        self.exchanges.len()
    }

    fn answer(&mut self, msg: &Value, id: u32) {
        let mut msg = msg.clone();
        if let Some(obj) = msg.as_object_mut() {
            obj.insert("id".into(), Value::from(id));
        }
        self.out.push_back(Item::Line(framed(&msg.to_string())));
    }

    /// Sends what the exchange bound to `id` does next: its items up to and
    /// including its next answer (and, after its last answer, everything
    /// that followed it); a repeat once every answer was given.
    fn advance(&mut self, id: u32) {
        let Some(mut b) = self.bound.get(&id).copied() else {
            return;
        };
        let steps = self.exchanges[b.exchange].steps.clone();
        let mut answered = false;
        while b.next < steps.len() {
            let step = &steps[b.next];
            b.next += 1;
            match step {
                Step::Item(item) => self.out.push_back(item.clone()),
                Step::Answer(msg) if !answered => {
                    self.answer(msg, id);
                    answered = true;
                    if steps[b.next..].iter().any(|s| matches!(s, Step::Answer(_))) {
                        break;
                    }
                }
                Step::Answer(_) => {}
            }
        }
        if !answered && let Some(msg) = last_answer(&steps) {
            self.answer(&msg.clone(), id);
        }
        self.bound.insert(id, b);
    }

    fn request(&mut self, req: Request) {
        if self.bound.contains_key(&req.id) {
            return self.advance(req.id);
        }
        let params = params_of(req.params.as_ref());
        let fits = |x: &Exchange| x.method == req.method && x.params == params;
        if let Some(i) =
            (0..self.exchanges.len()).find(|&i| !self.used[i] && fits(&self.exchanges[i]))
        {
            self.used[i] = true;
            self.bound.insert(
                req.id,
                Bound {
                    exchange: i,
                    next: 0,
                },
            );
            return self.advance(req.id);
        }
        // Asked more often than recorded: the device as last seen.
        let last = self
            .exchanges
            .iter()
            .rev()
            .filter(|x| fits(x))
            .find_map(|x| last_answer(&x.steps).cloned());
        match last {
            Some(msg) => self.answer(&msg, req.id),
            None => {
                let what = match &req.params {
                    Some(p) if params != Value::Object(serde_json::Map::new()) => {
                        format!("{} {p}", req.method)
                    }
                    _ => req.method.clone(),
                };
                let text = message::error_json(
                    Some(req.id),
                    NOT_RECORDED,
                    &format!("not in the recording: {what}"),
                    None,
                );
                self.out.push_back(Item::Line(framed(&text)));
                self.not_recorded.push(what);
            }
        }
    }
}

/// The last answer of an exchange that is not a busy answer (busy answers
/// are not kept by a device's replay cache, §9.2).
fn last_answer(steps: &[Step]) -> Option<&Value> {
    let answers = steps.iter().filter_map(|s| match s {
        Step::Answer(v) => Some(v),
        Step::Item(_) => None,
    });
    let not_busy = |v: &&Value| v.pointer("/error/code").and_then(Value::as_i64) != Some(BUSY);
    answers
        .clone()
        .rev()
        .find(not_busy)
        .or_else(|| answers.clone().next_back())
}

impl Transport for ReplayTransport {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>> {
        Box::pin(async move {
            if self.closed {
                return Err(LinkError::Disconnected("the replay was closed".into()));
            }
            for line in self.input.push(bytes) {
                let RawLine::Line(line) = line else { continue };
                let req = decode_line(&line)
                    .ok()
                    .and_then(|json| message::parse_request(json).ok());
                match req {
                    Some(req) => self.request(req),
                    None => {
                        let text = message::error_json(None, FRAME_ERROR, "frame error", None);
                        self.out.push_back(Item::Line(framed(&text)));
                    }
                }
            }
            Ok(())
        })
    }

    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>> {
        Box::pin(async move {
            if self.closed {
                return Err(LinkError::Disconnected("the replay was closed".into()));
            }
            match self.out.pop_front() {
                Some(Item::Line(bytes)) => Ok(bytes),
                Some(Item::Down { detail, back }) => {
                    self.reconnect_ok = back;
                    Err(LinkError::Disconnected(if detail.is_empty() {
                        "as recorded".into()
                    } else {
                        detail
                    }))
                }
                // Nothing more until the host asks: like a quiet device.
                None => std::future::pending().await,
            }
        })
    }

    fn reconnect(&mut self, _within: Duration) -> BoxFuture<'_, Result<(), LinkError>> {
        Box::pin(async move {
            if self.reconnect_ok && !self.closed {
                Ok(())
            } else {
                Err(LinkError::NotFound(
                    "the recorded device did not come back".into(),
                ))
            }
        })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        self.closed = true;
        Box::pin(async {})
    }

    fn expects_banner(&self) -> bool {
        !self.banner.is_empty()
    }

    fn quiet_until_written(&self) -> bool {
        self.out.is_empty()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
