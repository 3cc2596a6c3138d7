//! A recording of one device session: every line both ways with its time,
//! and when the link dropped and came back. Written by
//! [`super::record::RecordingTransport`] (`--record FILE`), read back by
//! [`super::replay::ReplayTransport`] (`replay:FILE`).
//!
//! The file is JSON Lines, one object per line, written as the session
//! goes (so a crash keeps everything up to it):
//!
//! ```text
//! {"format":"pawdiag.recording/1","address":"serial:/dev/ttyACM0","started_at":"2026-11-20T15:58:00Z"}
//! {"t_ms":0.4,"rx":"[boot] PawCore PT fw 2.4.1"}
//! {"t_ms":1.2,"tx":"{\"id\":81234,\"method\":\"device.info\"}*4F1C"}
//! {"t_ms":9.8,"rx":"{\"id\":81234,\"result\":{…}}*0A7E"}
//! {"t_ms":5210.0,"link":"down","detail":"device restarted"}
//! {"t_ms":7020.5,"link":"up"}
//! {"t_ms":7300.0,"rx_discarded":1500}
//! {"summary":{…}}
//! ```
//!
//! `tx`/`rx` hold the line as sent or received, without `\n` (invalid
//! UTF-8 replaced). `link` is `down` (the link dropped), `up` (it came back)
//! or `gone` (it did not). `rx_discarded` counts the bytes of a line too long
//! to keep. The last line may be a `summary` the session adds when it ends
//! (flow, answers, verdict); the link layer keeps it opaque. Unknown members
//! and unknown lines are ignored, so later versions can add to the format.
//!
//! Recordings are **not redacted**: they hold the pet's exact position and
//! whatever else the device said. They are created readable by their owner
//! only (0600 on Unix) and never attached to a report.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The `format` value of the first line.
pub const FORMAT: &str = "pawdiag.recording/1";

/// Largest recording read back (a long session is a few MB).
pub const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// What happened at one moment of a recorded session.
#[derive(Debug, Clone, PartialEq)]
pub enum FrameKind {
    /// A line the host sent.
    Tx(String),
    /// A line the device sent.
    Rx(String),
    /// A line the host discarded for being too long (its length).
    RxDiscarded(usize),
    /// The link dropped.
    Down(String),
    /// The link came back.
    Up,
    /// The link did not come back.
    Gone(String),
}

/// One timed frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// Milliseconds since the recording started.
    pub t_ms: f64,
    /// What happened.
    pub kind: FrameKind,
    /// The line's JSON was changed after it was sent (a redacted report's
    /// transcript): its checksum is not to be checked.
    pub altered: bool,
}

/// A whole recording.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Recording {
    /// Where the recorded device was reached.
    pub address: String,
    /// When the recording started.
    pub started_at: Option<DateTime<Utc>>,
    /// Every frame, in order.
    pub frames: Vec<Frame>,
    /// The session's own summary, if it ended normally.
    pub summary: Option<Value>,
}

/// One line of the file, as serde sees it.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct FileLine {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub t_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rx: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rx_discarded: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<Value>,
}

impl FileLine {
    pub(crate) fn frame(t_ms: f64, kind: &FrameKind) -> Self {
        let mut l = FileLine {
            t_ms: Some((t_ms * 10.0).round() / 10.0),
            ..FileLine::default()
        };
        match kind {
            FrameKind::Tx(s) => l.tx = Some(s.clone()),
            FrameKind::Rx(s) => l.rx = Some(s.clone()),
            FrameKind::RxDiscarded(n) => l.rx_discarded = Some(*n),
            FrameKind::Down(d) => {
                l.link = Some("down".into());
                l.detail = Some(d.clone());
            }
            FrameKind::Up => l.link = Some("up".into()),
            FrameKind::Gone(d) => {
                l.link = Some("gone".into());
                l.detail = Some(d.clone());
            }
        }
        l
    }
}

/// Why a file is not a recording.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordingError {
    /// The first line does not say `pawdiag.recording/1`.
    #[error("not a pawdiag recording (its first line does not name the format {FORMAT})")]
    NotARecording,
    /// A later version of the format.
    #[error("a recording in format `{0}`, newer than this pawdiag reads ({FORMAT})")]
    Newer(String),
    /// A line that is not JSON.
    #[error("line {0} of the recording is not JSON")]
    BadLine(usize),
}

/// True when `text` starts like a recording (cheap sniffing).
pub fn looks_like_recording(text: &str) -> bool {
    text.lines()
        .next()
        .and_then(|l| serde_json::from_str::<FileLine>(l).ok())
        .and_then(|l| l.format)
        .is_some_and(|f| f.starts_with("pawdiag.recording/"))
}

/// Parses a recording file's text.
pub fn parse(text: &str) -> Result<Recording, RecordingError> {
    let mut lines = text.lines().enumerate();
    let header: FileLine = lines
        .next()
        .and_then(|(_, l)| serde_json::from_str(l).ok())
        .ok_or(RecordingError::NotARecording)?;
    match header.format.as_deref() {
        Some(FORMAT) => {}
        Some(f) if f.starts_with("pawdiag.recording/") => {
            return Err(RecordingError::Newer(f.to_string()));
        }
        _ => return Err(RecordingError::NotARecording),
    }
    let mut rec = Recording {
        address: header.address.unwrap_or_default(),
        started_at: header.started_at,
        ..Recording::default()
    };
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let l: FileLine = match serde_json::from_str(line) {
            Ok(l) => l,
            // A session killed mid-write leaves a torn last line.
            Err(_) if i + 1 == text.lines().count() => break,
            Err(_) => return Err(RecordingError::BadLine(i + 1)),
        };
        if let Some(s) = l.summary {
            rec.summary = Some(s);
            continue;
        }
        let t_ms = l.t_ms.unwrap_or_default();
        let kind = if let Some(s) = l.tx {
            FrameKind::Tx(s)
        } else if let Some(s) = l.rx {
            FrameKind::Rx(s)
        } else if let Some(n) = l.rx_discarded {
            FrameKind::RxDiscarded(n)
        } else {
            match l.link.as_deref() {
                Some("down") => FrameKind::Down(l.detail.unwrap_or_default()),
                Some("up") => FrameKind::Up,
                Some("gone") => FrameKind::Gone(l.detail.unwrap_or_default()),
                _ => continue,
            }
        };
        rec.frames.push(Frame {
            t_ms,
            kind,
            altered: false,
        });
    }
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_line_and_ignores_what_it_does_not_know() {
        let text = concat!(
            r#"{"format":"pawdiag.recording/1","address":"sim:pettracker","started_at":"2026-11-20T15:58:00Z"}"#,
            "\n",
            r#"{"t_ms":0.5,"rx":"[boot] hello"}"#,
            "\n",
            r#"{"t_ms":1,"tx":"{\"id\":5,\"method\":\"device.info\"}*0000"}"#,
            "\n",
            r#"{"t_ms":2,"link":"down","detail":"restart"}"#,
            "\n",
            r#"{"t_ms":3,"link":"up","later":"field"}"#,
            "\n",
            r#"{"t_ms":4,"rx_discarded":1500}"#,
            "\n",
            r#"{"t_ms":5,"something":"new"}"#,
            "\n",
            r#"{"summary":{"flow_id":"x"}}"#,
            "\n",
            r#"{"t_ms":6,"rx":"torn"#,
        );
        assert!(looks_like_recording(text));
        let r = parse(text).unwrap();
        assert_eq!(r.address, "sim:pettracker");
        let kinds: Vec<&FrameKind> = r.frames.iter().map(|f| &f.kind).collect();
        assert_eq!(
            kinds,
            vec![
                &FrameKind::Rx("[boot] hello".into()),
                &FrameKind::Tx(r#"{"id":5,"method":"device.info"}*0000"#.into()),
                &FrameKind::Down("restart".into()),
                &FrameKind::Up,
                &FrameKind::RxDiscarded(1500),
            ]
        );
        assert_eq!(r.summary, Some(serde_json::json!({"flow_id":"x"})));
    }

    #[test]
    fn other_files_are_refused() {
        assert_eq!(parse("{}"), Err(RecordingError::NotARecording));
        assert_eq!(parse(""), Err(RecordingError::NotARecording));
        assert!(matches!(
            parse(r#"{"format":"pawdiag.recording/2"}"#),
            Err(RecordingError::Newer(_))
        ));
        assert!(!looks_like_recording(r#"{"schema_version":1}"#));
        let bad = format!("{{\"format\":\"{FORMAT}\"}}\nnot json\n{{}}\n");
        assert_eq!(parse(&bad), Err(RecordingError::BadLine(2)));
    }
}
