//! What `replay:FILE` replays: a recording written by `--record FILE`, or a
//! report (JSON, Markdown or HTML) whose protocol transcript is taken as
//! the recording. Either way the session's flow, the person's replies and
//! the verdict come with it ([`Summary`]), so the session can be replayed
//! as it happened.
//!
//! **Redacted reports.** A report is private by default: coordinates in its
//! transcript are rounded, geofence names hidden and contact details masked
//! (those lines are flagged, their checksums no longer match). Replaying
//! one replays those values *as redacted*, with fresh checksums; the
//! replayed session's report says so (`session.replay.redacted`). No flow
//! decides on geofence names, and only the safe-zone walk decides on
//! coordinates (`geofence.outside`, whether the tracker is outside every
//! zone): a replay of a redacted report that reads it is not compared
//! (`retest` says why). For the exact values, replay the `--record`
//! recording, which is never redacted.

use crate::flow::session::{Session, StepKind};
use crate::link::recording::{self, Frame, FrameKind, Recording};
use crate::report::model::{Report, TranscriptLine};
use crate::report::{self, Verification};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// A reply the person gave at one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Given {
    /// The node (`safety.hazard` for the hazard question).
    pub node_id: String,
    /// The reply as an answers file says it; `None` when asked but not answered.
    pub reply: Option<String>,
}

/// How a session ended, as compared between runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    /// Outcome kind (`replace`, `incomplete`…).
    pub kind: String,
    /// Reference code.
    pub code: String,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.kind, self.code)
    }
}

impl Verdict {
    /// The verdict a report states.
    pub fn of(r: &Report) -> Self {
        Self {
            kind: r.outcome.kind.as_str().into(),
            code: r.outcome.code.clone(),
        }
    }
}

/// What a recorded session was: enough to run it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The flow walked (`<model>/sweep` for the bench sweep).
    pub flow_id: String,
    /// The device's serial number.
    pub serial: Option<String>,
    /// The report written at the end.
    pub report_id: Option<String>,
    /// Every reply, in the order given.
    pub answers: Vec<Given>,
    /// Whether the hazard question was asked.
    pub asked_hazard: bool,
    /// How replies were obtained (`interactive`, `answers`, `batch`,
    /// `sweep`): a batch session gives up waiting where a person waits.
    #[serde(default)]
    pub mode: String,
    /// How it ended.
    pub verdict: Verdict,
}

impl Summary {
    /// An asker that stands in for the recorded person where the recording
    /// has no reply: nothing answered, and waiting on (or, for a batch
    /// session, giving up) as that session did.
    pub fn stand_in(&self) -> Box<dyn crate::flow::engine::Asker> {
        if self.mode == "batch" {
            Box::new(crate::flow::answers::BatchAsker)
        } else {
            Box::new(crate::flow::answers::AnswersAsker::from_map(
                "the recording",
                Default::default(),
            ))
        }
    }

    /// True when the session was the bench sweep rather than one flow.
    pub fn is_sweep(&self) -> bool {
        self.flow_id.ends_with("/sweep")
    }

    /// The summary of a finished session and the report it produced.
    pub fn of_session(session: &Session, report: &Report) -> Self {
        Self {
            flow_id: session.flow_id.clone(),
            serial: Some(report.device.serial.clone()),
            report_id: Some(report.report_id.clone()),
            answers: session
                .steps
                .iter()
                .filter(|s| asks(s.kind))
                .map(|s| Given {
                    node_id: s.node_id.clone(),
                    reply: s.reply(),
                })
                .collect(),
            asked_hazard: session.steps.iter().any(|s| s.kind == StepKind::Hazard),
            mode: report.session.mode.clone(),
            verdict: Verdict::of(report),
        }
    }

    /// The summary a report gives of its session.
    pub fn of_report(r: &Report) -> Self {
        let answers = r
            .escalation
            .steps
            .iter()
            .filter(|s| matches!(s.kind.as_str(), "hazard" | "question" | "action" | "fix"))
            .map(|s| Given {
                node_id: s.node.clone(),
                reply: s.reply.clone().or_else(|| reply_from_text(s)),
            })
            .collect();
        Self {
            flow_id: r.session.flow_id.clone(),
            serial: Some(r.device.serial.clone()),
            report_id: Some(r.report_id.clone()),
            answers,
            asked_hazard: r.escalation.steps.iter().any(|s| s.kind == "hazard"),
            mode: r.session.mode.clone(),
            verdict: Verdict::of(r),
        }
    }
}

fn asks(kind: StepKind) -> bool {
    matches!(
        kind,
        StepKind::Hazard | StepKind::Question | StepKind::Action | StepKind::Fix
    )
}

/// Reports written before steps carried `reply`: the reply read back from
/// the step's text (`Label (value)`, `… (consent given)`, `done`).
fn reply_from_text(s: &report::model::Step) -> Option<String> {
    if s.kind == "fix" {
        let fix = s.fix.as_deref()?;
        return if fix.contains("(consent given)") {
            Some("yes".into())
        } else if fix.contains("(declined)") {
            Some("no".into())
        } else {
            None
        };
    }
    let a = s.answer.as_deref()?.trim();
    if a == "(no answer)" || a.is_empty() {
        return None;
    }
    match a.strip_suffix(')').and_then(|x| x.rsplit_once(" (")) {
        Some((_, value)) => Some(value.to_string()),
        None => Some(a.to_ascii_lowercase()),
    }
}

/// Where a replay's device answers come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A `--record` recording (exact, unredacted).
    Recording,
    /// A report's transcript.
    Report {
        /// Its id.
        report_id: String,
        /// Its digest (the same report saved as JSON and HTML has one).
        digest: String,
        /// Some lines were redacted.
        redacted: bool,
    },
}

/// A file that can be replayed.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file.
    pub path: PathBuf,
    /// Every frame to replay.
    pub recording: Recording,
    /// Where they came from.
    pub origin: Origin,
    /// The recorded session (`None` for a recording cut short before its end).
    pub summary: Option<Summary>,
    /// Transcript lines the original session did not keep (its cap was
    /// reached): requests beyond them are not in the recording.
    pub dropped: u64,
}

/// Why a file cannot be replayed.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// Cannot be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// Larger than any real recording.
    #[error("{0} is too large to be a pawdiag recording or report")]
    TooLarge(PathBuf),
    /// Neither a recording nor a report.
    #[error("{path} is neither a recording nor a report: {reason}")]
    Unrecognised {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A report that was changed after it was written.
    #[error("{path} does not verify ({reason}), so it is not replayed")]
    Altered {
        /// The file.
        path: PathBuf,
        /// What does not match.
        reason: String,
    },
}

impl SourceError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        match self {
            SourceError::Altered { .. } => {
                "replay the report as it was written (`pawdiag report verify FILE` checks it)".into()
            }
            _ => "give a file written by `--record FILE`, or a report (.json, .md, .html) written by pawdiag".into(),
        }
    }
}

/// Reads a recording or a report for replaying.
pub fn load(path: &Path) -> Result<Source, SourceError> {
    let io = |source| SourceError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > recording::MAX_BYTES {
        return Err(SourceError::TooLarge(path.to_path_buf()));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let unrecognised = |reason: String| SourceError::Unrecognised {
        path: path.to_path_buf(),
        reason,
    };
    let text = String::from_utf8_lossy(&bytes);
    if recording::looks_like_recording(&text) {
        let rec = recording::parse(&text).map_err(|e| unrecognised(e.to_string()))?;
        let summary = rec
            .summary
            .clone()
            .and_then(|v| serde_json::from_value(v).ok());
        return Ok(Source {
            path: path.to_path_buf(),
            recording: rec,
            origin: Origin::Recording,
            summary,
            dropped: 0,
        });
    }
    match report::verify(&bytes) {
        Verification::Intact { .. } => {}
        Verification::Altered { reason, .. } => {
            return Err(SourceError::Altered {
                path: path.to_path_buf(),
                reason,
            });
        }
        Verification::Invalid { reason } => return Err(unrecognised(reason)),
    }
    let r = report::load(&bytes).map_err(|e| unrecognised(e.to_string()))?;
    Ok(from_report(&r, path))
}

/// A report as a replay source.
pub fn from_report(r: &Report, path: &Path) -> Source {
    Source {
        path: path.to_path_buf(),
        recording: Recording {
            address: format!("report {}", r.report_id),
            started_at: Some(r.session.started_at),
            frames: r.transcript.entries.iter().filter_map(frame_of).collect(),
            summary: None,
        },
        origin: Origin::Report {
            report_id: r.report_id.clone(),
            digest: r.digest.value.clone(),
            redacted: r.transcript.entries.iter().any(|l| l.redacted),
        },
        summary: Some(Summary::of_report(r)),
        dropped: r.transcript.dropped,
    }
}

/// One transcript line as a recorded frame; the client's notes about the
/// link become link frames.
fn frame_of(l: &TranscriptLine) -> Option<Frame> {
    use crate::transcript::{Direction, EntryKind};
    let kind = match (l.dir, l.kind) {
        (Direction::Tx, _) => FrameKind::Tx(l.text.clone()),
        (Direction::Rx, EntryKind::TooLong) => return None,
        (Direction::Rx, _) => FrameKind::Rx(l.text.clone()),
        (Direction::Note, _) => {
            let t = l.text.as_str();
            if let Some(rest) = t.strip_prefix("link lost (") {
                FrameKind::Down(rest.trim_end_matches("); reconnecting").to_string())
            } else if t == "link re-established" {
                FrameKind::Up
            } else if let Some(rest) = t.strip_prefix("could not reconnect: ") {
                FrameKind::Gone(rest.to_string())
            } else {
                return None;
            }
        }
    };
    Some(Frame {
        t_ms: l.t_ms,
        kind,
        altered: l.redacted,
    })
}
