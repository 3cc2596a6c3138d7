//! Bytes from the device: whole lines framed and checked, answers matched
//! to their requests, events and banners recorded.

use super::{Client, DeviceEvent};
use crate::interface::frame::{FrameError, RawLine, decode_line};
use crate::interface::message::{self, Incoming};
use crate::transcript::{Direction, EntryKind};
use chrono::Utc;

impl Client {
    /// Splits bytes into lines, records them, and returns the protocol
    /// messages; events are queued and given to the listener.
    pub(super) fn ingest(&mut self, bytes: &[u8]) -> Vec<Incoming> {
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
}
