//! The record of one troubleshooting session: every step the engine took,
//! the facts it read, the answers it got, the fixes it applied, and how the
//! session ended. The report module renders this; nothing here does I/O.
//!
//! Everything is serde-serialisable so a session can be written as JSON,
//! snapshotted in tests and read back (`report verify`). Timestamps are UTC
//! and come from an injectable [`crate::flow::clock::Clock`], so tests can
//! make them deterministic.

mod outcome;
mod step;

pub use outcome::{OutcomeKind, OutcomeRecord, Tier};
pub use step::{
    AnswerRecord, Branch, Consent, EventRecord, FactRecord, FixRecord, PollRecord, RuleMatch,
    StepKind, StepRecord, VerifyRecord,
};

use crate::flow::finding::Finding;
use crate::interface::Model;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One run of one flow against one device (or the sweep of a model's flows,
/// see [`crate::flow::engine::SweepReport`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Flow id, e.g. `pettracker/gps-not-working`.
    pub flow_id: String,
    /// The flow's technician title.
    pub flow_title: String,
    /// The flow's symptom in the customer's words.
    #[serde(default)]
    pub flow_symptom: String,
    /// The playbook section the flow implements.
    #[serde(default)]
    pub playbook: String,
    /// The model the flow is for.
    pub model: Model,
    /// Who the device is, when it could be read.
    #[serde(default)]
    pub device: Option<DeviceIdentity>,
    /// How answers were obtained.
    pub mode: RunMode,
    /// When the session began.
    pub started_at: DateTime<Utc>,
    /// When it ended (set on every ending, including a stop).
    #[serde(default)]
    pub ended_at: Option<DateTime<Utc>>,
    /// The steps, in the order taken.
    pub steps: Vec<StepRecord>,
    /// How the flow ended; `None` when it stopped before an outcome.
    #[serde(default)]
    pub outcome: Option<OutcomeRecord>,
    /// Why the flow ended early (link lost, interrupted, safety, error).
    #[serde(default)]
    pub stopped: Option<StopReason>,
    /// Questions (node ids, or `safety.hazard`) that had no answer.
    #[serde(default)]
    pub answers_unanswered: Vec<String>,
    /// The last value of every fact read in this session, by probe name,
    /// in the order first read.
    #[serde(default)]
    pub facts: Vec<FactRecord>,
    /// True when the device never said what it is: `model` is then only
    /// the flow's (or a placeholder) and says nothing about the device.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub model_unknown: bool,
    /// When the walk stopped for want of an answer (outcome `incomplete`):
    /// the steps that need one, with the values they accept.
    #[serde(default)]
    pub needs_answers: Vec<NeededAnswer>,
    /// Everything wrong the device reported or a check found, most serious
    /// first (see [`crate::flow::verdict`]).
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// The flow's own ending when a finding decided the outcome instead.
    #[serde(default)]
    pub flow_outcome: Option<OutcomeRecord>,
}

/// A step the walk could not take without a person's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeededAnswer {
    /// The node id (the key in an answers file; `flow-id#node` also works).
    pub node_id: String,
    /// `question`, `action` or `fix` (a consent).
    pub kind: StepKind,
    /// What the person would be asked or told, in their words.
    pub text: String,
    /// The values an answers file may give.
    pub accepts: Vec<String>,
}

impl Session {
    /// An empty session of `flow_id` (no steps, no ending yet).
    pub fn new(
        flow_id: &str,
        flow_title: &str,
        model: Model,
        mode: RunMode,
        started_at: DateTime<Utc>,
    ) -> Self {
        Self {
            flow_id: flow_id.to_string(),
            flow_title: flow_title.to_string(),
            flow_symptom: String::new(),
            playbook: String::new(),
            model,
            device: None,
            mode,
            started_at,
            ended_at: None,
            steps: Vec::new(),
            outcome: None,
            stopped: None,
            answers_unanswered: Vec::new(),
            facts: Vec::new(),
            needs_answers: Vec::new(),
            findings: Vec::new(),
            flow_outcome: None,
            model_unknown: false,
        }
    }

    /// True when the session ended in a product-safety outcome.
    pub fn is_safety(&self) -> bool {
        self.outcome.as_ref().is_some_and(|o| o.safety)
    }

    /// The last value read for a probe, if any.
    pub fn fact(&self, probe: &str) -> Option<&FactRecord> {
        self.facts.iter().rev().find(|f| f.name == probe)
    }
}

/// How the engine got its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunMode {
    /// A person at a terminal.
    Interactive,
    /// From an answers file.
    Answers,
    /// No person: every question unanswered, every fix declined.
    Batch,
    /// The bench sweep: checks only.
    Sweep,
}

/// The device as it identified itself (`device.info`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    /// `model` value the device reported.
    pub model: String,
    /// Serial number.
    pub serial: String,
    /// Hardware revision.
    #[serde(default)]
    pub hw_rev: Option<String>,
    /// Firmware version.
    pub fw_version: String,
    /// `current`, `outdated`, `newer` or `unknown`.
    #[serde(default)]
    pub firmware_status: Option<String>,
    /// Interface version.
    #[serde(default)]
    pub interface: Option<u64>,
}

/// Why a flow ended before reaching an outcome node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StopReason {
    /// The node being worked on.
    pub at_node: String,
    /// What happened, in a sentence.
    pub reason: String,
    /// The kind of stop.
    pub kind: StopKind,
    /// The signal that stopped it (`SIGINT`, `SIGTERM`, `SIGHUP`), for an
    /// interruption that came as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// For a device that could not be reached or understood: what was
    /// seen, as the failure classifier's class id (`silent`, `not-pawcore`…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

impl StopReason {
    /// A stop of `kind` at `at_node`, for `reason`.
    pub fn new(kind: StopKind, at_node: &str, reason: impl Into<String>) -> Self {
        Self {
            at_node: at_node.to_string(),
            reason: reason.into(),
            kind,
            signal: None,
            failure: None,
        }
    }

    /// An interruption at `at_node`, by `signal` when it came as one.
    pub fn interrupted(at_node: &str, signal: Option<crate::cancel::StopSignal>) -> Self {
        let reason = match signal {
            Some(s) => format!("the session was stopped by {s} before it finished"),
            None => "the session was interrupted".to_string(),
        };
        Self {
            signal: signal.map(|s| s.name().to_string()),
            ..Self::new(StopKind::Interrupted, at_node, reason)
        }
    }

    /// The signal that stopped the session, if one did.
    pub fn stop_signal(&self) -> Option<crate::cancel::StopSignal> {
        self.signal
            .as_deref()
            .and_then(crate::cancel::StopSignal::parse)
    }
}

/// Kinds of early ending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopKind {
    /// The device went away; the steps so far are kept.
    LinkLost,
    /// The person stopped the session (Ctrl-C, quit).
    Interrupted,
    /// A safety rule fired: the outcome is the safety outcome.
    Safety,
    /// A defect in the flow (step budget exhausted, missing node) or pawdiag.
    Error,
    /// The device never answered, or not as a PawCore device: nothing of
    /// the flow could run.
    Unreachable,
    /// A question, action or consent had no answer (no person, or the
    /// answers file has none): the outcome is `incomplete`.
    Unanswered,
}

impl fmt::Display for StopKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StopKind::LinkLost => "link lost",
            StopKind::Interrupted => "interrupted",
            StopKind::Safety => "safety",
            StopKind::Error => "error",
            StopKind::Unreachable => "unreachable",
            StopKind::Unanswered => "unanswered",
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tier_round_trips_as_number_or_word() {
        for (t, json) in [
            (Tier::One, "1"),
            (Tier::Three, "3"),
            (Tier::Management, "\"management\""),
        ] {
            assert_eq!(serde_json::to_string(&t).unwrap(), json);
            assert_eq!(serde_json::from_str::<Tier>(json).unwrap(), t);
        }
        assert!(serde_json::from_str::<Tier>("4").is_err());
    }

    #[test]
    fn outcome_kind_names_match_flow_files() {
        for k in OutcomeKind::ALL {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(OutcomeKind::parse(k.as_str()), Some(k));
        }
    }
}
