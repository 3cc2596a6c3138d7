//! The record of one troubleshooting session: every step the engine took,
//! the facts it read, the answers it got, the fixes it applied, and how the
//! session ended. The report module renders this; nothing here does I/O.
//!
//! Everything is serde-serialisable so a session can be written as JSON,
//! snapshotted in tests and read back (`report verify`). Timestamps are UTC
//! and come from an injectable [`crate::flow::clock::Clock`], so tests can
//! make them deterministic.

use super::finding::Finding;
use crate::interface::Model;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
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

/// The type of a node, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// The product-safety question asked before every interactive flow.
    Hazard,
    /// An automatic check of the device.
    Check,
    /// A question to the person.
    Question,
    /// Something the person does.
    Action,
    /// A fix pawdiag applies after consent.
    Fix,
    /// An ending.
    Outcome,
    /// A safety rule that fired (not a node of the flow).
    Safety,
}

impl fmt::Display for StepKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            StepKind::Hazard => "hazard",
            StepKind::Check => "check",
            StepKind::Question => "question",
            StepKind::Action => "action",
            StepKind::Fix => "fix",
            StepKind::Outcome => "outcome",
            StepKind::Safety => "safety",
        })
    }
}

/// One step: one visit of one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Node id (`safety.hazard` for the hazard question, `safety:<rule>` for
    /// a safety rule that fired).
    pub node_id: String,
    /// Node type.
    pub kind: StepKind,
    /// The playbook step this node implements.
    #[serde(default)]
    pub playbook_step: Option<String>,
    /// What the customer was told or asked, in plain words.
    #[serde(default)]
    pub say: Option<String>,
    /// Extra help shown with a question.
    #[serde(default)]
    pub help: Option<String>,
    /// The technician's label.
    #[serde(default)]
    pub tech: Option<String>,
    /// When the step began.
    pub started_at: DateTime<Utc>,
    /// When it ended.
    pub ended_at: DateTime<Utc>,
    /// Facts read during this step, in order (raw values).
    #[serde(default)]
    pub facts: Vec<FactRecord>,
    /// The rule of a check that matched.
    #[serde(default)]
    pub matched_rule: Option<RuleMatch>,
    /// The person's answer (questions, actions without verification, hazard).
    #[serde(default)]
    pub answer: Option<AnswerRecord>,
    /// The fix applied (or declined).
    #[serde(default)]
    pub fix: Option<FixRecord>,
    /// Verification by polling the device.
    #[serde(default)]
    pub verify: Option<VerifyRecord>,
    /// Where the flow went next.
    #[serde(default)]
    pub branch: Option<Branch>,
    /// Progress notes and remarks, e.g. "Looking for satellites… 3 found".
    #[serde(default)]
    pub notes: Vec<String>,
    /// What the step concluded when no rule, verification or branch says
    /// it: a bench-sweep step's checks and what they found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl StepRecord {
    /// A step of `node_id` begun (and, so far, ended) at `at`, with nothing
    /// recorded yet.
    pub fn new(node_id: &str, kind: StepKind, at: DateTime<Utc>) -> Self {
        Self {
            node_id: node_id.to_string(),
            kind,
            playbook_step: None,
            say: None,
            help: None,
            tech: None,
            started_at: at,
            ended_at: at,
            facts: Vec::new(),
            matched_rule: None,
            answer: None,
            fix: None,
            verify: None,
            branch: None,
            notes: Vec::new(),
            summary: None,
        }
    }

    /// What the person replied at this step, as an answers file would say
    /// it: a question's (or the hazard question's) answer value, `yes`/`no`
    /// for a fix's consent, `done`/`failed` for an action. `None` when
    /// nothing was asked or nothing was answered.
    pub fn reply(&self) -> Option<String> {
        match (self.kind, &self.fix, &self.answer) {
            (StepKind::Fix, Some(f), _) => match f.consent {
                Consent::Given => Some("yes".into()),
                Consent::Declined => Some("no".into()),
                Consent::Unanswered => None,
            },
            (StepKind::Question | StepKind::Hazard | StepKind::Action, _, Some(a))
                if !a.unanswered =>
            {
                a.value.clone()
            }
            _ => None,
        }
    }
}

/// One fact read from the device (or the reason it could not be read).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactRecord {
    /// Probe name, e.g. `battery.temp_c`.
    pub name: String,
    /// Raw value (`null` when the device reported none or it failed).
    pub value: Value,
    /// Why it could not be read, if it could not.
    #[serde(default)]
    pub error: Option<String>,
    /// When it was read.
    pub at: DateTime<Utc>,
    /// The unit of the value (`%`, `°C`, `bpm`…), from the probe catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl FactRecord {
    /// A value read at `at`, with the probe's unit.
    pub fn read(name: &str, value: Value, at: DateTime<Utc>) -> Self {
        Self {
            name: name.to_string(),
            value,
            error: None,
            at,
            unit: crate::probe::catalogue::unit_of(name).map(str::to_string),
        }
    }

    /// A fact that could not be read.
    pub fn failed(name: &str, error: String, at: DateTime<Utc>) -> Self {
        Self {
            name: name.to_string(),
            value: Value::Null,
            error: Some(error),
            at,
            unit: None,
        }
    }
}

/// The rule of a check node that matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleMatch {
    /// 0-based position in `rules`.
    pub index: usize,
    /// The rule's condition, as written.
    pub when: String,
}

/// A person's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerRecord {
    /// The answer value (`None` when unanswered).
    #[serde(default)]
    pub value: Option<String>,
    /// The answer's label as shown to the person.
    #[serde(default)]
    pub label: Option<String>,
    /// True when no answer was available (the walk stopped there).
    #[serde(default)]
    pub unanswered: bool,
    /// True when the person said they were not sure (the `unknown` branch).
    #[serde(default)]
    pub not_sure: bool,
}

impl AnswerRecord {
    /// An unanswered question.
    pub fn unanswered() -> Self {
        Self {
            value: None,
            label: None,
            unanswered: true,
            not_sure: false,
        }
    }

    /// The person's "I'm not sure".
    pub fn not_sure() -> Self {
        Self {
            value: Some("unknown".into()),
            label: Some("Not sure".into()),
            unanswered: false,
            not_sure: true,
        }
    }

    /// An answer the person gave.
    pub fn given(value: &str, label: Option<&str>) -> Self {
        Self {
            value: Some(value.to_string()),
            label: label.map(str::to_string),
            unanswered: false,
            not_sure: false,
        }
    }
}

/// Consent to a fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// The person agreed.
    Given,
    /// The person said no.
    Declined,
    /// No answer was available: the walk stopped there (outcome
    /// `incomplete`); nothing was run.
    Unanswered,
}

/// A fix pawdiag applied, or offered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FixRecord {
    /// Device method, e.g. `gps.cold_start`.
    pub method: String,
    /// Its params.
    #[serde(default)]
    pub params: Option<Value>,
    /// The consent question, as asked.
    pub consent_text: String,
    /// The answer.
    pub consent: Consent,
    /// The device's result, when it ran.
    #[serde(default)]
    pub result: Option<Value>,
    /// Why it failed, when it did.
    #[serde(default)]
    pub error: Option<String>,
    /// The event waited for, and whether it came.
    #[serde(default)]
    pub event: Option<EventRecord>,
}

/// An event waited for after a fix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    /// Event name.
    pub name: String,
    /// Seconds allowed.
    pub timeout_s: f64,
    /// Its data, when it arrived.
    #[serde(default)]
    pub data: Option<Value>,
    /// Whether it arrived in time.
    pub arrived: bool,
}

/// Verification by polling.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerifyRecord {
    /// The condition, as written.
    pub until: String,
    /// Seconds between polls.
    pub every_s: f64,
    /// Seconds allowed.
    pub timeout_s: f64,
    /// Every poll (at most a bounded number are kept; see `polls_dropped`).
    pub polls: Vec<PollRecord>,
    /// Polls not kept to bound the record's size.
    #[serde(default)]
    pub polls_dropped: u32,
    /// Whether the condition was met.
    pub met: bool,
    /// Whether the person gave up waiting.
    #[serde(default)]
    pub gave_up: bool,
    /// With `require_change`: the values read at the step's start, which a
    /// poll must differ from for the condition to count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BTreeMap<String, Value>>,
}

/// One poll of a verification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollRecord {
    /// When.
    pub at: DateTime<Utc>,
    /// Whether the condition held.
    pub met: bool,
    /// The values the condition looked at.
    pub values: BTreeMap<String, Value>,
}

/// The branch a step took.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    /// Why: `rule 1`, `next`, `on_error`, `answer yes`, `unknown`,
    /// `success`, `timeout`, `failure`, `declined`.
    pub via: String,
    /// The node it led to.
    pub to: String,
}

/// How a flow ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRecord {
    /// The outcome node (or `safety:<rule>` / `safety.hazard`).
    pub node_id: String,
    /// What kind of ending.
    pub kind: OutcomeKind,
    /// Stable reference code a customer reads out to support.
    pub code: String,
    /// Support tier that takes it from here.
    #[serde(default)]
    pub tier: Option<Tier>,
    /// The playbook escalation criterion that applies.
    #[serde(default)]
    pub criterion: Option<String>,
    /// What happened, in the customer's words.
    pub summary: String,
    /// The technician's detail.
    #[serde(default)]
    pub tech: Option<String>,
    /// What happens next.
    #[serde(default)]
    pub next_steps: Vec<String>,
    /// A product-safety ending: flagged red, escalated at once.
    #[serde(default)]
    pub safety: bool,
    /// Minutes within which a safety case must reach the escalation team
    /// (the retailer playbook's 30 minutes).
    #[serde(default)]
    pub escalate_within_min: Option<u32>,
    /// A possible health problem for the pet (not a device fault): the
    /// owner contacts their vet promptly; flagged as possible harm to a pet.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pet_health: bool,
}

/// The kinds of ending a flow can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OutcomeKind {
    /// The problem is fixed.
    Resolved,
    /// The customer has something to do (charge, change a setting in the app…).
    CustomerAction,
    /// A support tier takes over.
    Escalate,
    /// The unit is to be replaced.
    Replace,
    /// A product-safety case.
    Safety,
    /// Nothing wrong found.
    NoFaultFound,
    /// The walk stopped for want of an answer or a person (never written in
    /// a flow file: the engine's ending when nobody can answer).
    Incomplete,
}

impl OutcomeKind {
    /// All kinds a flow file's outcome node may have.
    pub const ALL: [OutcomeKind; 6] = [
        OutcomeKind::Resolved,
        OutcomeKind::CustomerAction,
        OutcomeKind::Escalate,
        OutcomeKind::Replace,
        OutcomeKind::Safety,
        OutcomeKind::NoFaultFound,
    ];

    /// Words for a person.
    pub fn label(self) -> &'static str {
        match self {
            OutcomeKind::Resolved => "Resolved",
            OutcomeKind::CustomerAction => "Customer action needed",
            OutcomeKind::Escalate => "Escalate",
            OutcomeKind::Replace => "Replace device",
            OutcomeKind::Safety => "SAFETY: escalate now",
            OutcomeKind::NoFaultFound => "No fault found",
            OutcomeKind::Incomplete => "Incomplete",
        }
    }

    /// The name used in flow files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            OutcomeKind::Resolved => "resolved",
            OutcomeKind::CustomerAction => "customer-action",
            OutcomeKind::Escalate => "escalate",
            OutcomeKind::Replace => "replace",
            OutcomeKind::Safety => "safety",
            OutcomeKind::NoFaultFound => "no-fault-found",
            OutcomeKind::Incomplete => "incomplete",
        }
    }

    /// Parses the name used in flow files.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Parses any kind a session can end with (scenario expectations),
    /// `incomplete` included.
    pub fn parse_any(s: &str) -> Option<Self> {
        Self::parse(s).or((s == "incomplete").then_some(OutcomeKind::Incomplete))
    }

    /// Whether this ending means a fault remains (exit code 4), as opposed
    /// to resolved or nothing found (0) or safety (5).
    pub fn is_fault(self) -> bool {
        matches!(
            self,
            OutcomeKind::CustomerAction | OutcomeKind::Escalate | OutcomeKind::Replace
        )
    }
}

impl fmt::Display for OutcomeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A support tier (PawCore playbook, "Support Levels").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Tier {
    /// Initial contact and basic troubleshooting.
    One,
    /// Advanced technical support.
    Two,
    /// Engineering.
    Three,
    /// Management escalation.
    Management,
}

impl Tier {
    /// Parses `1`, `2`, `3` or `management`.
    pub fn parse(s: &str) -> Option<Tier> {
        match s.trim().to_ascii_lowercase().as_str() {
            "1" => Some(Tier::One),
            "2" => Some(Tier::Two),
            "3" => Some(Tier::Three),
            "management" => Some(Tier::Management),
            _ => None,
        }
    }

    /// The number, or `None` for management.
    pub fn number(self) -> Option<u8> {
        match self {
            Tier::One => Some(1),
            Tier::Two => Some(2),
            Tier::Three => Some(3),
            Tier::Management => None,
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number() {
            Some(n) => write!(f, "Tier {n}"),
            None => f.write_str("Management"),
        }
    }
}

// Written as in flow files: 1, 2, 3 or "management".
impl Serialize for Tier {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.number() {
            Some(n) => s.serialize_u8(n),
            None => s.serialize_str("management"),
        }
    }
}

impl<'de> Deserialize<'de> for Tier {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Tier;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("1, 2, 3 or \"management\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Tier, E> {
                Tier::parse(&v.to_string())
                    .ok_or_else(|| E::custom("a tier is 1, 2, 3 or \"management\""))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Tier, E> {
                Tier::parse(&v.to_string())
                    .ok_or_else(|| E::custom("a tier is 1, 2, 3 or \"management\""))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tier, E> {
                Tier::parse(v).ok_or_else(|| E::custom("a tier is 1, 2, 3 or \"management\""))
            }
        }
        d.deserialize_any(V)
    }
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
