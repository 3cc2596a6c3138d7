//! The report data model: one serde structure that the JSON file *is*, and
//! that the Markdown and HTML renderers draw from. Its shape is documented in
//! `docs/report.md` and published as `docs/report.schema.json`; a test checks
//! generated reports against that schema, so change all three together and
//! bump [`SCHEMA_VERSION`] when a change is not purely additive.
//!
//! The model holds plain copies of what the flow engine and the device said,
//! so a report read back years later does not depend on the engine's
//! working state. The few vocabulary types it shares with flows (the outcome
//! kind, the tier, a finding's severity) are re-exported from there: their
//! serde names are the flow files' words and part of this schema, so they
//! change only by adding.

mod record;

pub use record::{
    Customer, Device, DeviceLog, Digest, Privacy, Reading, Redaction, Replay, SessionInfo, Shared,
    Step, Transcript, TranscriptLine, Urgency, UrgencyLevel,
};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use crate::flow::finding::Severity;
pub use crate::flow::session::Tier;
pub use crate::interface::methods::{BatteryStatus, LogEntry, SelftestResult};
pub use crate::interface::model::FirmwareStatus;
pub use crate::transcript::{Direction, EntryKind};

/// Version of the report format. Readers refuse reports with a higher major
/// version than they know.
pub const SCHEMA_VERSION: u32 = 1;

/// One diagnostic report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Format version, [`SCHEMA_VERSION`] when written by this build.
    pub schema_version: u32,
    /// Which program wrote it.
    pub generator: Generator,
    /// A stable identifier: `<serial>-<session end, UTC, basic ISO 8601>`.
    pub report_id: String,
    /// The customer's case reference (`K7F3-9Q2M`), derived from
    /// `report_id` ([`super::case_reference`]): unique to this session,
    /// where the outcome code is shared by every case of a fault. Absent in
    /// reports written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_ref: Option<String>,
    /// When the report was built.
    pub generated_at: DateTime<Utc>,
    /// Who ran the session (config `technician`, `--technician`), when known.
    /// Left out of the JSON when unknown, so reports from before it verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<String>,
    /// The bench or station it ran at (config `station`, `--station`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
    /// The outcome, first thing anyone reads.
    pub outcome: Outcome,
    /// The service-level target the outcome falls under.
    pub sla: Sla,
    /// Set when the session ended before the flow reached an outcome (or a
    /// safety rule stopped it).
    pub stopped: Option<Stopped>,
    /// Everything wrong the device reported or a check found, most serious
    /// first, each with its evidence (`docs/report.md`, "Findings and the
    /// verdict"). Always present in reports written by this version (empty
    /// when nothing was found); absent in older reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<Finding>>,
    /// The steps a walk stopped at for want of an answer (outcome
    /// `incomplete`, `stopped.kind` `unanswered`). Left out when empty, so a
    /// report written before this field existed renders (and verifies)
    /// byte for byte as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs_answers: Vec<NeededAnswer>,
    /// The playbook's "Escalation Documentation".
    pub escalation: Escalation,
    /// The device as read at the start of the session.
    pub device: Device,
    /// Which flow ran, when.
    pub session: SessionInfo,
    /// The protocol transcript (for technicians).
    pub transcript: Transcript,
    /// What personal data was removed or coarsened.
    pub privacy: Privacy,
    /// SHA-256 over the canonical form of everything above.
    pub digest: Digest,
    /// Set when this session continued an earlier report
    /// (`diagnose --continue REPORT`): which one, what was reused, and what
    /// changed on the device since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continues: Option<Continues>,
}

/// The earlier report a session continued.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Continues {
    /// Its id.
    pub report_id: String,
    /// Its digest, so the link names exactly that report.
    pub digest: String,
    /// When its session ended.
    pub ended_at: DateTime<Utc>,
    /// Its outcome kind.
    pub kind: OutcomeKind,
    /// Its reference code.
    pub code: String,
    /// The steps (node ids) whose reply was reused rather than asked again.
    pub reused: Vec<String>,
    /// What changed on the device between that report and this one.
    pub changes: Vec<super::diff::Change>,
}

/// The program that wrote a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Generator {
    /// Always `pawdiag`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// How a diagnostic session ended, in the playbook's terms: the flow
/// files' outcome kinds, plus `incomplete` (one type for flows and reports).
pub use crate::flow::session::OutcomeKind;

/// The outcome block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// What kind of ending.
    pub kind: OutcomeKind,
    /// The reference code to quote to support (the flow's outcome code, or
    /// `STOPPED-…` when the session ended early).
    pub code: String,
    /// One sentence in plain words.
    pub summary: String,
    /// Support tier that owns the case now: 1, 2, 3 or `"management"`.
    pub tier: Tier,
    /// The playbook escalation criterion that applied, if any.
    pub criterion: Option<String>,
    /// The flow's wording for technicians, if any.
    pub tech: Option<String>,
    /// True for a product-safety outcome: flagged red.
    pub safety: bool,
    /// True when the outcome is about the pet's health, not the device: the
    /// owner contacts their vet promptly (possible harm to a pet).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pet_health: bool,
    /// The walked flow's own ending, when a finding decided the outcome
    /// instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flow_outcome: Option<FlowOutcome>,
}

impl Outcome {
    /// Words for a person: the kind's label, or the pet-health ending's.
    pub fn label(&self) -> &'static str {
        if self.pet_health {
            "Pet health: contact the vet"
        } else {
            self.kind.label()
        }
    }
}

/// A flow's own ending, kept when a finding decided the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowOutcome {
    /// Its kind.
    pub kind: OutcomeKind,
    /// Its reference code.
    pub code: String,
    /// Its summary.
    pub summary: String,
}

/// Something wrong the device reported or a check found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id (`selftest:flash`, `log:FLASH_ECC`, `rule:temperature-high`,
    /// `safety:<rule>`, `<flow>#<node>`).
    pub id: String,
    /// `safety`, `pet-health`, `replace`, `escalate`, `customer-action`, `info`.
    pub severity: Severity,
    /// `self_test`, `device_log`, `rule`, `safety_rule`, `flow_check`.
    pub source: String,
    /// Reference code.
    pub code: String,
    /// One line for a technician, with the values.
    pub title: String,
    /// What it means, in the customer's words.
    pub summary: String,
    /// The tier that takes it.
    pub tier: Option<Tier>,
    /// The playbook escalation criterion.
    pub criterion: Option<String>,
    /// What to do about it.
    pub next_steps: Vec<String>,
    /// The readings behind it.
    pub evidence: Vec<Evidence>,
    /// The walked flow's check that looked at it; absent when the flow did
    /// not ask about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addressed_by: Option<String>,
}

/// One reading behind a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Probe name, or a self-test or log item.
    pub name: String,
    /// The value as the device gave it (after redaction).
    pub value: Value,
    /// Its unit, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// The device method it came from.
    pub from: String,
    /// When it was read, when known.
    pub at: Option<DateTime<Utc>>,
}

/// Which SLA target applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaCategory {
    /// Tier 1: 80% resolved within 24 hours.
    Tier1,
    /// Tier 2: 80% resolved within 48 hours.
    Tier2,
    /// Tier 3: 80% resolved within 5 business days.
    Tier3,
    /// Hardware: 80% resolved within 7 business days.
    Hardware,
    /// Management escalation: the playbook's 24 hours for escalations.
    Management,
    /// Product safety: escalate to Operations within 30 minutes, 24/7.
    Safety,
}

/// Whether the target is still running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaState {
    /// Resolved within the session: the target was met.
    Met,
    /// The clock is running until `due`.
    Open,
}

/// The service-level target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sla {
    /// Which target.
    pub category: SlaCategory,
    /// The playbook's words for it.
    pub target: String,
    /// When the clock started (the session end).
    pub from: DateTime<Utc>,
    /// When it is due (business days skip Saturday and Sunday, UTC).
    pub due: DateTime<Utc>,
    /// Met or open.
    pub state: SlaState,
}

/// Why a session ended early (the flow engine's stop kinds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopKind {
    /// The device stopped answering or the connection dropped.
    LinkLost,
    /// Someone pressed Ctrl-C or quit.
    Interrupted,
    /// A product-safety rule stopped the flow.
    Safety,
    /// A defect in the flow or in pawdiag.
    Error,
    /// The device never answered, or not as a PawCore device.
    Unreachable,
    /// A question, action or consent had no answer (no person, or none in
    /// the answers file): see `needs_answers`.
    Unanswered,
}

impl StopKind {
    /// Words for a person.
    pub fn label(self) -> &'static str {
        match self {
            StopKind::LinkLost => "the connection to the device was lost",
            StopKind::Interrupted => "the session was stopped by the user",
            StopKind::Safety => "a product-safety rule stopped the check",
            StopKind::Error => "an error stopped the check",
            StopKind::Unreachable => "the device could not be reached or understood",
            StopKind::Unanswered => "a step needs an answer this run did not have",
        }
    }

    /// Reference-code part, e.g. `LINK-LOST`.
    pub fn code(self) -> &'static str {
        match self {
            StopKind::LinkLost => "LINK-LOST",
            StopKind::Interrupted => "INTERRUPTED",
            StopKind::Safety => "SAFETY",
            StopKind::Error => "ERROR",
            StopKind::Unreachable => "UNREACHABLE",
            StopKind::Unanswered => "UNANSWERED",
        }
    }
}

/// Where and why a session stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stopped {
    /// Why.
    pub kind: StopKind,
    /// What happened, in a sentence.
    pub detail: String,
    /// The flow node it was at.
    pub at_node: String,
    /// When (the session end).
    pub at: DateTime<Utc>,
    /// The signal that stopped it (`SIGINT`, `SIGTERM` or `SIGHUP`), when
    /// an interruption came as one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<String>,
    /// The step it stopped at, part-way through: `n` of that step in
    /// `escalation.steps`; `null` when it stopped between steps (before
    /// `at_node` began).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u32>,
    /// For a device that could not be reached or understood: what was
    /// seen, as the failure classifier's class id (`silent`,
    /// `not-pawcore`, `firmware-not-responding`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<String>,
}

/// A step that needs a person's answer before the check can go on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NeededAnswer {
    /// The flow node: the key to give in an answers file.
    pub node: String,
    /// `question`, `action` or `fix` (a consent to a fix).
    pub kind: String,
    /// What the person would be asked or told.
    pub text: String,
    /// The values an answers file may give for it.
    pub accepts: Vec<String>,
}

/// The playbook's escalation documentation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Escalation {
    /// Detailed issue description.
    pub issue: String,
    /// Steps already taken, in order.
    pub steps: Vec<Step>,
    /// Customer information and history.
    pub customer: Customer,
    /// Urgency and impact assessment.
    pub urgency: Urgency,
    /// Recommended next steps.
    pub next_steps: Vec<String>,
}
