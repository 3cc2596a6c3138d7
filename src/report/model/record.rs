//! What a report records besides its verdict: the steps, the customer, the
//! device and its log, the session, the transcript, privacy and the digest.

use super::{BatteryStatus, Direction, EntryKind, FirmwareStatus, LogEntry, SelftestResult};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One step already taken.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// 1-based position.
    pub n: u32,
    /// The flow node id.
    pub node: String,
    /// `hazard`, `check`, `question`, `action`, `fix`, `outcome`, `safety`.
    pub kind: String,
    /// The playbook line this step follows (e.g. "Verify GPS signal strength").
    pub playbook_step: Option<String>,
    /// What was checked, asked or done (the technician's label).
    pub action: String,
    /// What the customer was told or asked, in their words.
    pub customer_text: Option<String>,
    /// Values read from the device, raw.
    pub values: Vec<Reading>,
    /// The person's answer, if one was asked (`(no answer)` when unanswered).
    pub answer: Option<String>,
    /// A fix applied or offered, and what came of it.
    pub fix: Option<String>,
    /// What the step concluded and where the flow went next.
    pub result: String,
    /// Progress remarks.
    pub notes: Vec<String>,
    /// When the step began.
    pub at: DateTime<Utc>,
    /// When it ended.
    pub ended_at: DateTime<Utc>,
    /// The person's reply as an answers file says it (a question's answer
    /// value, `yes`/`no` for a fix's consent, `done`/`failed` for an
    /// action), so a later session can reuse it (`--continue`, replays).
    /// Absent when nothing was answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// One value read from the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reading {
    /// Fact name, e.g. `battery.health_pct`.
    pub name: String,
    /// The raw value as the device gave it (after redaction); `null` when
    /// none was reported or reading failed.
    pub value: Value,
    /// Why it could not be read, if it could not.
    pub error: Option<String>,
    /// The value's unit (`%`, `°C`, `bpm`…), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

/// Customer information (contact details masked unless personal data is included).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Customer {
    /// Name as given.
    pub name: Option<String>,
    /// E-mail (masked by default, e.g. `j***@example.com`).
    pub email: Option<String>,
    /// Phone (masked by default, e.g. `+44 ••• ••• 89`).
    pub phone: Option<String>,
    /// Support ticket reference.
    pub ticket: Option<String>,
    /// Free notes (history, what the customer said).
    pub notes: Vec<String>,
}

/// Urgency levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UrgencyLevel {
    /// Possible harm to a pet.
    Critical,
    /// The device cannot do its job.
    High,
    /// Degraded, a workaround exists.
    Normal,
    /// Nothing outstanding.
    Low,
}

impl UrgencyLevel {
    /// Words for a person.
    pub fn label(self) -> &'static str {
        match self {
            UrgencyLevel::Critical => "Critical",
            UrgencyLevel::High => "High",
            UrgencyLevel::Normal => "Normal",
            UrgencyLevel::Low => "Low",
        }
    }
}

/// Urgency and impact assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Urgency {
    /// How urgent.
    pub level: UrgencyLevel,
    /// What it means for the pet and its owner.
    pub impact: String,
    /// Whether harm to a pet is possible (the retailer playbook then requires
    /// timestamped, audited handling).
    pub pet_harm_possible: bool,
}

/// The device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// Model id (`pettracker`…), as the device reported it.
    pub model: String,
    /// Product name (`PetTracker`…), when the model is known.
    pub product: Option<String>,
    /// Serial number.
    pub serial: String,
    /// Hardware revision.
    pub hw_rev: Option<String>,
    /// Firmware version running.
    pub fw_version: Option<String>,
    /// The current release for this model, when known.
    pub fw_current: Option<String>,
    /// How the running firmware compares with the current release.
    pub fw_status: FirmwareStatus,
    /// Interface version the device speaks.
    pub interface: Option<u64>,
    /// Seconds since boot.
    pub uptime_s: Option<u64>,
    /// Boots since manufacture.
    pub boot_count: Option<u64>,
    /// Why it last reset.
    pub last_reset: Option<String>,
    /// Battery, if read.
    pub battery: Option<BatteryStatus>,
    /// Self-test results, if run.
    pub selftest: Option<Vec<SelftestResult>>,
    /// Recent device log (`log.read`), newest last, if read.
    pub log: Option<DeviceLog>,
}

/// The device log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceLog {
    /// Entries, newest last.
    pub entries: Vec<LogEntry>,
    /// The device left older entries out.
    pub truncated: bool,
}

/// Which flow ran and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionInfo {
    /// Flow id, e.g. `pettracker/gps-not-working`.
    pub flow_id: String,
    /// Flow title, e.g. "GPS not working".
    pub flow_title: String,
    /// The symptom in the customer's words.
    pub symptom: Option<String>,
    /// The playbook section the flow implements.
    pub playbook: Option<String>,
    /// How answers were obtained: `interactive`, `answers`, `batch`, `sweep`.
    pub mode: String,
    /// Session start.
    pub started_at: DateTime<Utc>,
    /// Session end.
    pub ended_at: DateTime<Utc>,
    /// Set when the device was a replay of a recording or a report
    /// (`replay:FILE`) rather than a device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replay: Option<Replay>,
}

/// Where a replayed session's device answers came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replay {
    /// `recording` (a `--record` file) or `report` (a report's transcript).
    pub source: String,
    /// The replayed report's id, when the source was a report.
    pub report_id: Option<String>,
    /// The source's device data was redacted (coarse coordinates, hidden
    /// geofence names, masked contact details): those values were replayed
    /// as redacted.
    pub redacted: bool,
    /// Requests the recording had no answer to (`method params`): what
    /// depended on them could not be checked.
    pub not_in_recording: Vec<String>,
}

/// The protocol transcript.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Transcript {
    /// Lines, oldest first.
    pub entries: Vec<TranscriptLine>,
    /// Lines the client did not keep (its cap was reached).
    pub dropped: u64,
}

/// One transcript line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptLine {
    /// Milliseconds since the session started.
    pub t_ms: f64,
    /// Wall-clock time.
    pub at: DateTime<Utc>,
    /// Direction.
    pub dir: Direction,
    /// Kind.
    pub kind: EntryKind,
    /// The line as received or sent (after redaction).
    pub text: String,
    /// Personal data was removed from this line: its CRC no longer matches.
    pub redacted: bool,
}

/// What was done to personal data.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Privacy {
    /// True when built with `--include-personal-data`.
    pub personal_data_included: bool,
    /// One entry per kind of redaction applied.
    pub redactions: Vec<Redaction>,
    /// Set on a copy made by `report share`: the consent given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shared: Option<Shared>,
}

/// The consent a shared copy was made with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    /// When the copy was made.
    pub at: DateTime<Utc>,
    /// Kinds of personal data consented to leave (`location`, `geofences`,
    /// `contact`), as they were in the original.
    pub included: Vec<String>,
    /// Kinds kept back: coarsened, hidden or masked in this copy.
    pub withheld: Vec<String>,
    /// The original report's id.
    pub from_report: String,
    /// The original report's digest.
    pub from_digest: String,
}

/// One kind of redaction and how often it applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Redaction {
    /// What was redacted, e.g. `gps coordinates`.
    pub what: String,
    /// How, e.g. `coarsened to 2 decimals (about 1 km)`.
    pub how: String,
    /// How many values.
    pub count: u32,
}

/// The tamper-evidence digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Digest {
    /// Always `sha256`.
    pub algorithm: String,
    /// How the hashed bytes were formed (see `docs/report.md`).
    pub canonical: String,
    /// Lowercase hex.
    pub value: String,
}
