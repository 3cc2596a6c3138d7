//! Askers that need no person: [`AnswersAsker`] takes answers from a file
//! (TOML or JSON), [`BatchAsker`] has no answers at all.
//!
//! Answers file: a map of node id to value. Keys may also be
//! `flow-id#node`, or a table per flow id; `safety.hazard` answers the
//! hazard question. Questions take one of their answer values, or
//! `unknown` (or an empty string) for the person's "I'm not sure", which
//! takes the question's `unknown` branch; fixes take `yes` or `no`
//! (true/false also work; `unknown` counts as no); actions take `done` or
//! `failed` (`unknown` counts as failed). A step with no answer in the file is *missing*: the walk
//! stops there with outcome `incomplete`.

use super::engine::{ActionReply, Answer, AskError, Asker, PollControl, Prompt};
use super::load::FlowSet;
use super::session::RunMode;
use super::{answers_check, answers_file};
use futures_util::future::BoxFuture;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

/// A problem with an answers file: its position when it has one, and a
/// hint that fits the cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", where_(.file, .at))]
pub struct AnswersError {
    /// The file.
    pub file: String,
    /// 1-based line and column, when the problem is at one place in it.
    pub at: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

fn where_(file: &str, at: &Option<(usize, usize)>) -> String {
    match at {
        Some((l, c)) => format!("{file}:{l}:{c}: "),
        None => format!("{file}: "),
    }
}

const FORMAT_HINT: &str = "an answers file maps node ids to values, e.g. `app-permissions = \"yes\"` (TOML) or {\"app-permissions\": \"yes\"} (JSON); see docs/flows.md";

impl AnswersError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        self.hint.clone()
    }
}

/// Line and column of an answer's key, then of its value.
type KeyValueAt = ((usize, usize), (usize, usize));

/// Answers from a file.
#[derive(Debug, Clone)]
pub struct AnswersAsker {
    file: String,
    answers: BTreeMap<String, String>,
    // Where each key and value is in the file, by key.
    at: BTreeMap<String, KeyValueAt>,
    used: BTreeSet<String>,
}

/// Largest answers file read.
const MAX_FILE: u64 = 1 << 20;

impl AnswersAsker {
    /// Reads an answers file (`.json`, or TOML otherwise).
    pub fn from_file(path: &Path) -> Result<Self, AnswersError> {
        let file = path.display().to_string();
        let unreadable = |e: std::io::Error| {
            let hint = match e.kind() {
                std::io::ErrorKind::NotFound => "check the path: the file is not there",
                std::io::ErrorKind::PermissionDenied => "check the file's permissions",
                _ => "give the path of a TOML or JSON answers file",
            };
            AnswersError {
                file: file.clone(),
                at: None,
                message: format!("cannot read the answers file: {e}"),
                hint: hint.into(),
            }
        };
        let meta = std::fs::metadata(path).map_err(unreadable)?;
        if !meta.is_file() {
            return Err(AnswersError {
                file,
                at: None,
                message: "the answers file is not a regular file".into(),
                hint: "give the path of a TOML or JSON answers file".into(),
            });
        }
        if meta.len() > MAX_FILE {
            return Err(AnswersError {
                file,
                at: None,
                message: "the answers file is larger than 1 MiB".into(),
                hint:
                    "an answers file holds one line per question; check that this is the right file"
                        .into(),
            });
        }
        let bytes = std::fs::read(path).map_err(unreadable)?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let line = e.as_bytes()[..e.utf8_error().valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            AnswersError {
                file: file.clone(),
                at: Some((line, 1)),
                message: "the answers file is not UTF-8 text".into(),
                hint: "save the file as UTF-8".into(),
            }
        })?;
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Self::parse(&file, &text, json)
    }

    /// Parses answers text; `json` picks JSON, otherwise TOML (text
    /// starting with `{` is taken as JSON either way).
    pub fn parse(file: &str, text: &str, json: bool) -> Result<Self, AnswersError> {
        let entries = if json || text.trim_start().starts_with('{') {
            answers_file::parse_json(text)
        } else {
            answers_file::parse_toml(text)
        }
        .map_err(|e| AnswersError {
            file: file.to_string(),
            at: e.at,
            message: e.message,
            hint: FORMAT_HINT.into(),
        })?;
        let mut answers = BTreeMap::new();
        let mut at = BTreeMap::new();
        for e in entries {
            // `a#b = …` beside a table `[a]` with `b = …` is the same answer twice.
            if answers.contains_key(&e.key) {
                return Err(AnswersError {
                    file: file.to_string(),
                    at: Some(e.key_at),
                    message: format!("`{}` is given twice; an answer may be given once", e.key),
                    hint: FORMAT_HINT.into(),
                });
            }
            at.insert(e.key.clone(), (e.key_at, e.value_at));
            answers.insert(e.key, e.value);
        }
        Ok(Self {
            file: file.to_string(),
            answers,
            at,
            used: BTreeSet::new(),
        })
    }

    /// Checks every answer against the flows before a session starts: each
    /// id must be a question, action or fix of a flow (or `safety.hazard`)
    /// and each value one it takes. `flow` is the flow about to run.
    pub fn check(&self, flows: &FlowSet, flow: Option<&str>) -> Result<(), AnswersError> {
        let given: Vec<answers_check::Given<'_>> = self
            .answers
            .iter()
            .map(|(k, v)| answers_check::Given {
                key: k,
                value: v,
                at: self.at.get(k).copied(),
            })
            .collect();
        answers_check::check(&self.file, &given, flows, flow)
    }

    /// An asker from a map (scenario tests).
    pub fn from_map(name: &str, answers: BTreeMap<String, String>) -> Self {
        Self {
            file: name.to_string(),
            answers,
            at: BTreeMap::new(),
            used: BTreeSet::new(),
        }
    }

    /// The answers, by key (node id, `flow-id#node` or `safety.hazard`).
    pub fn answers(&self) -> &BTreeMap<String, String> {
        &self.answers
    }

    /// Answers never asked for (probably typos), for a warning.
    pub fn unused(&self) -> Vec<&str> {
        self.answers
            .keys()
            .filter(|k| !self.used.contains(*k))
            .map(String::as_str)
            .collect()
    }

    fn get(&mut self, flow: &str, node: &str) -> Option<String> {
        for key in [format!("{flow}#{node}"), node.to_string()] {
            if let Some(v) = self.answers.get(&key) {
                self.used.insert(key);
                return Some(v.clone());
            }
        }
        None
    }

    fn invalid(&self, node: &str, value: &str, allowed: &str) -> AskError {
        let suffix = format!("#{node}");
        let at = self
            .at
            .iter()
            .find(|(k, _)| *k == node || k.ends_with(&suffix))
            .map(|(_, (_, (l, c)))| format!(":{l}:{c}"))
            .unwrap_or_default();
        AskError::Invalid(format!(
            "{}{at}: `{value}` is not an answer to `{node}` (use {allowed})",
            self.file
        ))
    }
}

impl Asker for AnswersAsker {
    fn mode(&self) -> RunMode {
        RunMode::Answers
    }

    fn say<'a>(&'a mut self, _: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }

    fn ask<'a>(&'a mut self, p: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            match self.get(p.flow_id, p.node_id) {
                None => Ok(Answer::Missing),
                Some(v) if v.is_empty() || v == "unknown" => Ok(Answer::NotSure),
                Some(v) if p.choices.iter().any(|c| c.value == v) => Ok(Answer::Value(v)),
                Some(v) => {
                    let allowed = p
                        .choices
                        .iter()
                        .map(|c| c.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ");
                    Err(self.invalid(p.node_id, &v, &allowed))
                }
            }
        })
    }

    fn consent<'a>(&'a mut self, p: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            match self.get(p.flow_id, p.node_id).as_deref() {
                None => Ok(Answer::Missing),
                Some("") | Some("unknown") => Ok(Answer::NotSure),
                Some("yes") | Some("y") => Ok(Answer::Value("yes".into())),
                Some("no") | Some("n") => Ok(Answer::Value("no".into())),
                Some(v) => Err(self.invalid(p.node_id, v, "yes or no")),
            }
        })
    }

    fn action<'a>(
        &'a mut self,
        p: &'a Prompt<'a>,
        _verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        Box::pin(async move {
            match self.get(p.flow_id, p.node_id).as_deref() {
                None => Ok(ActionReply::Missing),
                Some("done") | Some("yes") | Some("ok") => Ok(ActionReply::Done),
                // "Not sure whether it was done" is not done.
                Some("failed") | Some("no") | Some("") | Some("unknown") => Ok(ActionReply::Failed),
                Some(v) => Err(self.invalid(p.node_id, v, "done or failed")),
            }
        })
    }

    fn progress<'a>(
        &'a mut self,
        _: &'a Prompt<'a>,
        _: &'a str,
        _: Duration,
        _: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        Box::pin(async { Ok(PollControl::Continue) })
    }
}

/// No person: no question, consent or action has an answer, so a walk
/// stops at the first one (outcome `incomplete`); checks run as usual.
#[derive(Debug, Clone, Copy, Default)]
pub struct BatchAsker;

impl Asker for BatchAsker {
    fn mode(&self) -> RunMode {
        RunMode::Batch
    }

    fn say<'a>(&'a mut self, _: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }

    fn ask<'a>(&'a mut self, _: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async { Ok(Answer::Missing) })
    }

    fn consent<'a>(&'a mut self, _: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async { Ok(Answer::Missing) })
    }

    fn action<'a>(
        &'a mut self,
        _: &'a Prompt<'a>,
        _: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        Box::pin(async { Ok(ActionReply::Missing) })
    }

    fn progress<'a>(
        &'a mut self,
        _: &'a Prompt<'a>,
        _: &'a str,
        _: Duration,
        _: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        Box::pin(async { Ok(PollControl::GiveUp) })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn toml_json_and_per_flow_tables() {
        let a = AnswersAsker::parse("a.toml", "app-permissions = \"yes\"\n\"safety.hazard\" = \"no\"\ncold-start = true\n[\"pettracker/gps-not-working\"]\noutdoor = \"done\"\n", false).unwrap();
        assert_eq!(a.answers["cold-start"], "yes");
        assert_eq!(a.answers["pettracker/gps-not-working#outdoor"], "done");
        let j = AnswersAsker::parse(
            "a.json",
            "{\"pettracker/gps-not-working#outdoor\": \"failed\", \"x\": false}",
            true,
        )
        .unwrap();
        assert_eq!(j.answers["x"], "no");
    }

    #[test]
    fn malformed_files_name_the_position() {
        let e = AnswersAsker::parse("ans.toml", "a = \"yes\"\nb = = 3\n", false).unwrap_err();
        assert_eq!((e.file.as_str(), e.at.map(|a| a.0)), ("ans.toml", Some(2)));
        assert!(e.to_string().starts_with("ans.toml:2:"));
        let e = AnswersAsker::parse("ans.json", "{\"a\": \"yes\",\n \"b\" }", true).unwrap_err();
        assert_eq!(e.at.map(|a| a.0), Some(2));
        let e = AnswersAsker::parse("ans.json", "[1,2]", true).unwrap_err();
        assert!(e.message.contains("map"));
        let e = AnswersAsker::parse("ans.toml", "a = [1, 2]\n", false).unwrap_err();
        assert!(e.message.contains("`a`"));
    }
}
