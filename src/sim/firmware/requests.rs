//! Requests on the wire: lines framed and checked, the replay cache, busy
//! answers, scheduling by answer time, execution by the model, events and
//! answers written out.

use super::{Due, Firmware, MAX_OUTSTANDING, Output, Outstanding, REPLAY_DEPTH, Scheduled};
use crate::interface::frame::{RawLine, decode_line, encode_line};
use crate::interface::message::{self, BUSY, FRAME_ERROR, NOT_SUPPORTED, UNKNOWN_METHOD};
use crate::interface::{MAX_LINE, Model};
use crate::sim::linkfault::{self, BUSY_RETRY_MS};
use crate::sim::models::common;
use crate::sim::models::{Answer, DevError};
use serde_json::{Map, Value, json};
use std::time::Instant;

impl Firmware {
    pub(super) fn on_line(&mut self, raw: RawLine, now: Instant, out: &mut Vec<Output>) {
        if self.link.silent || self.link.hung {
            return;
        }
        let line = match raw {
            RawLine::Line(l) => l,
            RawLine::TooLong(_) => {
                return self.frame_error(now, out);
            }
        };
        if line.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        if self.link.garbage {
            let bytes = self.link.garbage_reply();
            out.push(Output::Line { at: now, bytes });
            return;
        }
        if line.first() != Some(&b'{') {
            return; // A host log line: nothing to answer.
        }
        if self.link.garble_rx() {
            return self.frame_error(now, out);
        }
        let Ok(json) = decode_line(&line) else {
            return self.frame_error(now, out);
        };
        let value: Value = match serde_json::from_str(json) {
            Ok(v @ Value::Object(_)) => v,
            _ => return self.frame_error(now, out),
        };
        let Ok(req) = message::parse_request(json) else {
            // Valid JSON that is not a request: answer its id if it has one.
            match value.get("id").and_then(Value::as_u64).map(u32::try_from) {
                Some(Ok(id)) => {
                    let err = DevError::invalid("not a valid request (needs id and method)");
                    let json = error_to_json(id, &err);
                    self.remember(id, &json);
                    self.emit_answer(&json, now, out);
                }
                _ => self.frame_error(now, out),
            }
            return;
        };
        self.on_request(req.id, &req.method, req.params, now, out);
    }

    pub(super) fn frame_error(&mut self, now: Instant, out: &mut Vec<Output>) {
        let json = message::error_json(None, FRAME_ERROR, "frame error", None);
        self.emit_answer(&json, now, out);
    }

    pub(super) fn busy(&mut self, id: u32, retry_ms: u64, now: Instant, out: &mut Vec<Output>) {
        // Busy answers are never cached (§9.2).
        let json = message::error_json(
            Some(id),
            BUSY,
            "busy",
            Some(json!({ "retry_ms": retry_ms })),
        );
        self.emit_answer(&json, now, out);
    }

    pub(super) fn on_request(
        &mut self,
        id: u32,
        method: &str,
        params: Option<Value>,
        now: Instant,
        out: &mut Vec<Output>,
    ) {
        if let Some((_, json)) = self.replay.iter().find(|(i, _)| *i == id) {
            let json = json.clone();
            self.emit_answer(&json, now, out);
            return;
        }
        if self.outstanding.iter().any(|o| o.id == id) {
            return; // Still working on it; the answer will come.
        }
        if self.link.busy_first_try(id) {
            return self.busy(id, BUSY_RETRY_MS, now, out);
        }
        if self.outstanding.len() >= MAX_OUTSTANDING {
            let first_done = self
                .scheduled
                .iter()
                .filter(|s| matches!(s.what, Due::Answer { .. }))
                .map(|s| s.at)
                .min()
                .unwrap_or(now);
            let retry_ms = first_done.saturating_duration_since(now).as_millis() as u64;
            return self.busy(id, retry_ms.clamp(20, 5000), now, out);
        }
        let params = match params {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(m)) => m,
            Some(_) => {
                let json = error_to_json(id, &DevError::invalid("params must be an object"));
                self.remember(id, &json);
                return self.emit_answer(&json, now, out);
            }
        };
        let answer = self.execute(method, &params, now);
        // A reboot is never held back: its answer must precede the restart.
        let delay = if method == "device.reboot" {
            None
        } else {
            self.link.slow_down()
        };
        let answer = match (answer, delay) {
            (Answer::Now(result), Some(delay)) => Answer::Later {
                after: delay,
                progress: Vec::new(),
                result,
            },
            (
                Answer::Later {
                    after,
                    progress,
                    result,
                },
                Some(delay),
            ) => Answer::Later {
                after: after + delay,
                progress,
                result,
            },
            (a, None) => a,
        };
        match answer {
            Answer::Now(result) => {
                let json = result_to_json(id, &result);
                self.remember(id, &json);
                self.emit_answer(&json, now, out);
                if method == "device.reboot" && result.is_ok() && self.is_up(now) {
                    let factory = params.get("mode").and_then(Value::as_str) == Some("factory");
                    out.push(self.start_reboot(now, "user", factory));
                }
            }
            Answer::Later {
                after,
                progress,
                result,
            } => {
                self.outstanding.push(Outstanding { id });
                for (at, name, data) in progress {
                    let json = message::event_json(&name, &data);
                    self.schedule(now + at, Due::Event(json));
                }
                let json = result_to_json(id, &result);
                self.schedule(now + after, Due::Answer { id, json });
            }
        }
    }

    pub(super) fn schedule(&mut self, at: Instant, what: Due) {
        self.seq += 1;
        self.scheduled.push(Scheduled {
            at,
            seq: self.seq,
            what,
        });
    }

    pub(super) fn execute(
        &mut self,
        method: &str,
        params: &Map<String, Value>,
        now: Instant,
    ) -> Answer {
        let result = match method {
            "device.info" => Ok(self.dev.device_info(now)),
            "battery.status" => Ok(self.dev.battery_status(now)),
            "log.read" => self.dev.log_read(params),
            "settings.get" => Ok(self.dev.settings_get()),
            "settings.set" => self.dev.settings_set(params, now),
            "selftest.run" => {
                return common::selftest_run(&self.dev, self.product.as_ref(), params)
                    .unwrap_or_else(|e| Answer::Now(Err(e)));
            }
            "device.reboot" => match params.get("mode") {
                None | Some(Value::Null) => Ok(json!({"ok": true})),
                Some(Value::String(m)) if m == "soft" || m == "factory" => Ok(json!({"ok": true})),
                Some(_) => Err(DevError::invalid("mode must be soft or factory")),
            },
            _ => {
                if let Some(answer) = self.product.call(method, params, &mut self.dev, now) {
                    return answer;
                }
                if Model::ALL.iter().any(|m| m.has_method(method)) {
                    Err(DevError {
                        code: NOT_SUPPORTED,
                        message: format!("not supported by the {}", self.dev.model.product_name()),
                        data: None,
                    })
                } else {
                    Err(DevError {
                        code: UNKNOWN_METHOD,
                        message: "unknown method".into(),
                        data: None,
                    })
                }
            }
        };
        Answer::Now(result)
    }

    pub(super) fn remember(&mut self, id: u32, json: &str) {
        self.replay.retain(|(i, _)| *i != id);
        if self.replay.len() >= REPLAY_DEPTH {
            self.replay.pop_front();
        }
        self.replay.push_back((id, json.to_string()));
    }

    pub(super) fn emit_event(&mut self, json: &str, at: Instant, out: &mut Vec<Output>) {
        if self.link.mute() {
            return;
        }
        if let Ok(bytes) = encode_line(json) {
            out.push(Output::Line { at, bytes });
        }
    }

    /// Sends an answer line through the link faults.
    pub(super) fn emit_answer(&mut self, json: &str, at: Instant, out: &mut Vec<Output>) {
        if self.link.mute() {
            return;
        }
        if self.link.noisy {
            let (log, event) = self.link.noise();
            out.push(Output::Line {
                at,
                bytes: format!("{log}\n").into_bytes(),
            });
            if let Ok(bytes) = encode_line(&event) {
                out.push(Output::Line { at, bytes });
            }
        }
        let fate = self.link.answer();
        // By construction every answer fits (log.read truncates); a line
        // that does not is a simulator bug, answered as a frame-size error.
        let bytes = match encode_line(json) {
            Ok(b) => b,
            Err(_) => {
                let fallback = message::error_json(None, FRAME_ERROR, "answer too long", None);
                encode_line(&fallback).unwrap_or_default()
            }
        };
        debug_assert!(bytes.len() <= MAX_LINE);
        if !fate.dropped {
            let mut bytes = bytes;
            if fate.corrupted {
                linkfault::corrupt_line(&mut bytes);
            }
            out.push(Output::Line { at, bytes });
        }
        if fate.crash {
            self.dev.log(at, "error", "WDT_RESET", "watchdog reset");
            out.push(self.start_reboot(at, "watchdog", false));
        }
        if fate.vanish {
            self.go_down();
            self.vanished = true;
            out.push(Output::Vanish { at });
        }
    }
}

fn error_to_json(id: u32, err: &DevError) -> String {
    message::error_json(Some(id), err.code, &err.message, err.data.clone())
}

fn result_to_json(id: u32, result: &Result<Value, DevError>) -> String {
    match result {
        Ok(v) => message::response_json(id, v),
        Err(e) => error_to_json(id, e),
    }
}
