//! The guide's journal: every answer the person gave, saved (atomically)
//! as soon as it is given, so a stop or a closed laptop loses nothing and
//! the next `pawdiag guide` carries on.

use chrono::{DateTime, Utc};
use pawdiag::address::Address;
use pawdiag::report;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The journal's schema.
pub const JOURNAL_SCHEMA: &str = "pawdiag.guide-journal/1";

/// One answer the person gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Given {
    /// The node (`safety.hazard` for the hazard question).
    pub node_id: String,
    /// `question`, `consent` or `action`.
    pub kind: String,
    /// The value given (`yes`, `done`…).
    pub value: String,
    /// What the person saw and picked.
    pub label: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A guide in progress, as saved after every step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// Always [`JOURNAL_SCHEMA`].
    pub schema: String,
    /// When the guide began.
    pub started_at: DateTime<Utc>,
    /// When this journal was last written.
    pub updated_at: DateTime<Utc>,
    /// The address that reached the device.
    pub device: String,
    /// Its serial number.
    pub serial: Option<String>,
    /// Its model.
    pub model: String,
    /// The flow being walked.
    pub flow_id: String,
    /// The symptom the person picked, in their words.
    pub symptom: String,
    /// Answers so far, in order.
    pub answers: Vec<Given>,
    /// Steps finished so far (checks and answers).
    pub steps_done: usize,
}

/// Where the journal lives.
pub fn journal_path() -> PathBuf {
    pawdiag::config::data_dir()
        .join("guide")
        .join("journal.json")
}

/// The journal at `path`, if there is a readable one.
pub fn read_journal(path: &Path) -> Option<Journal> {
    let bytes = std::fs::read(path).ok()?;
    let j: Journal = serde_json::from_slice(&bytes).ok()?;
    (j.schema == JOURNAL_SCHEMA).then_some(j)
}

/// Writes the journal atomically (a stop mid-write never leaves half a file).
pub fn write_journal(path: &Path, j: &Journal) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(j).map_err(std::io::Error::other)?;
    report::store::write_bytes_atomic(path, &bytes).map_err(std::io::Error::other)
}

/// A fresh journal of `flow_id`: a flow, or `<model>/sweep` for "check
/// everything" (not a flow: a guide resumed from it checks everything again).
pub fn new_journal(
    addr: &Address,
    serial: Option<String>,
    model: pawdiag::interface::Model,
    flow_id: String,
    symptom: String,
) -> Journal {
    Journal {
        schema: JOURNAL_SCHEMA.into(),
        started_at: Utc::now(),
        updated_at: Utc::now(),
        device: addr.to_string(),
        serial,
        model: model.id().into(),
        flow_id,
        symptom,
        answers: Vec::new(),
        steps_done: 0,
    }
}
