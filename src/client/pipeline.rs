//! Pipelined calls: up to four requests in flight, each answered, retried
//! with the same id, or failed; a dropped link recovered once for all.

use super::{Call, CallError, Client, Recovery, Slot};
use crate::interface::frame::encode_line;
use crate::interface::message::{self, Incoming, Request};
use crate::interface::methods::{is_read_method, result_fits};
use crate::link::LinkError;
use crate::transcript::{Direction, EntryKind};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

impl Client {
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

    pub(super) async fn send_slot(&mut self, slot: &mut Slot) -> Result<(), LinkError> {
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

    pub(super) fn fail_all(
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
}

pub(super) fn finish(
    results: Vec<Option<Result<Value, CallError>>>,
) -> Vec<Result<Value, CallError>> {
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
