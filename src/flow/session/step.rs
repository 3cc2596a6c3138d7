//! One step as recorded: its kind, the readings it took, the answer it got,
//! the fix it applied and how it was verified, and where it led.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

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
