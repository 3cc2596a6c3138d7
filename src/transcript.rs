//! A timestamped record of every line both ways, kept for the report.
//! Bounded: after [`Transcript::CAP`] entries the oldest-first record stops
//! growing and counts what it left out.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Which way a line went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Host to device.
    Tx,
    /// Device to host.
    Rx,
    /// A remark of the host (retry, reconnect…), not on the wire.
    Note,
}

/// What a line was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A request we sent.
    Request,
    /// A request we sent again with the same id.
    Retry,
    /// A result.
    Response,
    /// An error answer.
    Error,
    /// An event.
    Event,
    /// A banner or log line (not starting with `{`).
    Log,
    /// A line whose CRC or JSON did not check out (discarded).
    Corrupt,
    /// A line longer than 1024 bytes (discarded).
    TooLong,
    /// A valid answer to no pending request (e.g. a late duplicate).
    Stale,
    /// A host remark.
    Note,
}

/// One transcript line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Milliseconds since the session started.
    pub t_ms: f64,
    /// Wall-clock time.
    pub at: DateTime<Utc>,
    /// Direction.
    pub dir: Direction,
    /// Kind.
    pub kind: EntryKind,
    /// The line as text (invalid UTF-8 replaced), without `\n`.
    pub text: String,
}

/// The whole record.
#[derive(Debug, Clone)]
pub struct Transcript {
    start: Instant,
    started_at: DateTime<Utc>,
    entries: Vec<Entry>,
    dropped: u64,
}

impl Default for Transcript {
    fn default() -> Self {
        Self::new()
    }
}

impl Transcript {
    /// Entries kept at most.
    pub const CAP: usize = 20_000;

    /// An empty transcript starting now.
    pub fn new() -> Self {
        Self {
            start: Instant::now(),
            started_at: Utc::now(),
            entries: Vec::new(),
            dropped: 0,
        }
    }

    /// Adds a line.
    pub fn push(&mut self, dir: Direction, kind: EntryKind, bytes: &[u8]) {
        if self.entries.len() >= Self::CAP {
            self.dropped += 1;
            return;
        }
        let elapsed = self.start.elapsed();
        self.entries.push(Entry {
            t_ms: (elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
            at: self.started_at + chrono::Duration::from_std(elapsed).unwrap_or_default(),
            dir,
            kind,
            text: String::from_utf8_lossy(bytes).into_owned(),
        });
    }

    /// Adds a host remark.
    pub fn note(&mut self, text: &str) {
        self.push(Direction::Note, EntryKind::Note, text.as_bytes());
    }

    /// The entries so far.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Entries left out because the cap was reached.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    /// When the session started.
    pub fn started_at(&self) -> DateTime<Utc> {
        self.started_at
    }
}
