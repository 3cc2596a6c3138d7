//! The guide's journal: every answer the person gave, saved (atomically)
//! as soon as it is given, so a stop or a closed laptop loses nothing and
//! the next `pawdiag guide` carries on. Carrying on replays the answers in
//! order ([`Replay`]): the device is checked again, the person is not asked
//! again, except for a step whose result fades with time after a long
//! break, and from the first step the walk takes differently, afresh.

use crate::address::Address;
use crate::report;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
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
    crate::config::data_dir().join("guide").join("journal.json")
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
    model: crate::interface::Model,
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

impl Journal {
    /// Whether this journal is the story of the device identified now (a
    /// journal of another device is not carried on).
    pub fn belongs_to(&self, serial: Option<&str>, model: crate::interface::Model) -> bool {
        self.serial.as_deref() == serial && self.model == model.id()
    }
}

/// How long a step whose result fades with time (a verified action, such
/// as taking the tracker outdoors) stays done across a break.
pub const FADES_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(10);

/// What a resumed guide does with a step it has an answer for.
#[derive(Debug, Clone, PartialEq)]
pub enum Replayed {
    /// The answer given before, taken again.
    Given(Given),
    /// Given too long ago for a step whose result fades: ask again.
    Faded,
    /// No recorded answer for this step (a new step, or the walk went
    /// another way): ask, and from here on ask everything afresh.
    Ask,
}

/// The answers of an earlier run being replayed, and those confirmed on
/// this one.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    pending: VecDeque<Given>,
    confirmed: Vec<Given>,
}

impl Replay {
    /// Replays `answers` in order.
    pub fn new(answers: &[Given]) -> Self {
        Self {
            pending: answers.iter().cloned().collect(),
            confirmed: Vec::new(),
        }
    }

    /// Whether there is anything to replay.
    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    /// The recorded answer for `node_id` at `now`, when it is the next one
    /// recorded. `fades`: the step's result does not last (a verified
    /// action), so after [`FADES_AFTER`] it is asked again.
    pub fn take(&mut self, node_id: &str, fades: bool, now: DateTime<Utc>) -> Replayed {
        if self.pending.front().is_some_and(|g| g.node_id == node_id) {
            let Some(g) = self.pending.pop_front() else {
                return Replayed::Ask;
            };
            if fades && now - g.at > FADES_AFTER {
                return Replayed::Faded;
            }
            self.confirmed.push(g.clone());
            return Replayed::Given(g);
        }
        // The device changed since last time and the flow took another
        // path: from here on, ask afresh.
        self.pending.clear();
        Replayed::Ask
    }

    /// An answer given on this run.
    pub fn record(&mut self, g: Given) {
        self.confirmed.push(g);
    }

    /// What the journal keeps: the answers confirmed on this run, then
    /// those still to be replayed, so a stop half-way through a resumed
    /// guide keeps every answer (never fewer than it had, unless the device
    /// took the flow down another path).
    pub fn answers(&self) -> Vec<Given> {
        self.confirmed
            .iter()
            .chain(self.pending.iter())
            .cloned()
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::interface::Model;

    fn given(node: &str, at: DateTime<Utc>) -> Given {
        Given {
            node_id: node.into(),
            kind: "question".into(),
            value: "yes".into(),
            label: "Yes".into(),
            at,
        }
    }

    #[test]
    fn answers_replay_in_order_and_a_stop_keeps_the_rest() {
        let t = Utc::now();
        let mut r = Replay::new(&[given("a", t), given("b", t), given("c", t)]);
        assert_eq!(r.take("a", false, t), Replayed::Given(given("a", t)));
        r.record(given("new", t));
        let kept: Vec<String> = r.answers().into_iter().map(|g| g.node_id).collect();
        assert_eq!(kept, ["a", "new", "b", "c"]);
    }

    #[test]
    fn a_step_that_fades_is_asked_again_after_a_long_break() {
        let t = Utc::now();
        let mut r = Replay::new(&[given("outdoors", t), given("b", t)]);
        let later = t + FADES_AFTER + chrono::TimeDelta::seconds(1);
        assert_eq!(r.take("outdoors", true, later), Replayed::Faded);
        // The rest still replays.
        assert_eq!(r.take("b", false, later), Replayed::Given(given("b", t)));
        let mut r = Replay::new(&[given("outdoors", t)]);
        assert_eq!(
            r.take("outdoors", true, t + FADES_AFTER),
            Replayed::Given(given("outdoors", t))
        );
    }

    #[test]
    fn another_path_asks_everything_afresh() {
        let t = Utc::now();
        let mut r = Replay::new(&[given("a", t), given("b", t)]);
        assert_eq!(r.take("b", false, t), Replayed::Ask);
        assert!(r.is_empty());
        assert_eq!(r.take("a", false, t), Replayed::Ask);
        assert!(r.answers().is_empty());
    }

    #[test]
    fn a_journal_is_written_whole_and_read_back_only_when_it_is_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("guide").join("journal.json");
        let addr: Address = "sim:pettracker".parse().unwrap();
        let mut j = new_journal(
            &addr,
            Some("PT-24A0-0001".into()),
            Model::PetTracker,
            "pettracker/gps-not-working".into(),
            "GPS".into(),
        );
        j.answers.push(given("a", Utc::now()));
        write_journal(&path, &j).unwrap();
        assert_eq!(read_journal(&path), Some(j.clone()));
        assert!(j.belongs_to(Some("PT-24A0-0001"), Model::PetTracker));
        assert!(!j.belongs_to(Some("PT-24A0-0002"), Model::PetTracker));
        assert!(!j.belongs_to(None, Model::PetTracker));
        std::fs::write(&path, br#"{"schema":"something-else/1"}"#).unwrap();
        assert_eq!(read_journal(&path), None);
        std::fs::write(&path, b"not json").unwrap();
        assert_eq!(read_journal(&path), None);
    }
}
