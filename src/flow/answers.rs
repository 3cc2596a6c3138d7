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
use super::session::RunMode;
use futures_util::future::BoxFuture;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

/// A malformed answers file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct AnswersError {
    /// The file.
    pub file: String,
    /// 1-based line (0 when not known).
    pub line: usize,
    /// 1-based column.
    pub col: usize,
    /// What is wrong.
    pub message: String,
}

impl AnswersError {
    /// What to do about it.
    pub fn hint(&self) -> String {
        "an answers file maps node ids to values, e.g. `app-permissions = \"yes\"` (TOML) or {\"app-permissions\": \"yes\"} (JSON); see docs/flows.md".into()
    }
}

/// Answers from a file.
#[derive(Debug, Clone)]
pub struct AnswersAsker {
    file: String,
    answers: BTreeMap<String, String>,
    used: BTreeSet<String>,
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(true) => Some("yes".into()),
        Value::Bool(false) => Some("no".into()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl AnswersAsker {
    /// Reads an answers file (`.json`, or TOML otherwise).
    pub fn from_file(path: &Path) -> Result<Self, AnswersError> {
        let file = path.display().to_string();
        let meta = std::fs::metadata(path).map_err(|e| AnswersError {
            file: file.clone(),
            line: 0,
            col: 0,
            message: format!("cannot read the answers file: {e}"),
        })?;
        if meta.len() > 1 << 20 {
            return Err(AnswersError {
                file,
                line: 0,
                col: 0,
                message: "the answers file is larger than 1 MiB".into(),
            });
        }
        let text = std::fs::read_to_string(path).map_err(|e| AnswersError {
            file: file.clone(),
            line: 0,
            col: 0,
            message: format!("cannot read the answers file: {e}"),
        })?;
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        Self::parse(&file, &text, json)
    }

    /// Parses answers text; `json` picks JSON, otherwise TOML (text
    /// starting with `{` is taken as JSON either way).
    pub fn parse(file: &str, text: &str, json: bool) -> Result<Self, AnswersError> {
        let err = |line: usize, col: usize, message: String| AnswersError {
            file: file.to_string(),
            line,
            col,
            message,
        };
        let value: Value = if json || text.trim_start().starts_with('{') {
            serde_json::from_str(text)
                .map_err(|e| err(e.line(), e.column(), format!("not valid JSON: {e}")))?
        } else {
            let t: toml::Table = toml::from_str(text).map_err(|e| {
                let (l, c) = e
                    .span()
                    .map(|s| super::diag::line_col(text, s.start))
                    .unwrap_or((0, 0));
                err(l, c, format!("not valid TOML: {}", e.message().trim()))
            })?;
            serde_json::to_value(t).map_err(|e| err(0, 0, e.to_string()))?
        };
        let Value::Object(map) = value else {
            return Err(err(
                1,
                1,
                "the answers file must be a map of node ids to answers".into(),
            ));
        };
        let mut answers = BTreeMap::new();
        for (k, v) in map {
            match &v {
                Value::Object(inner) => {
                    // A table per flow id.
                    for (node, iv) in inner {
                        let s = scalar(iv).ok_or_else(|| err(0, 0, format!("the answer for `{k}#{node}` must be text, a number or true/false")))?;
                        answers.insert(format!("{k}#{node}"), s);
                    }
                }
                other => {
                    let s = scalar(other).ok_or_else(|| {
                        err(
                            0,
                            0,
                            format!("the answer for `{k}` must be text, a number or true/false"),
                        )
                    })?;
                    answers.insert(k, s);
                }
            }
        }
        Ok(Self {
            file: file.to_string(),
            answers,
            used: BTreeSet::new(),
        })
    }

    /// An asker from a map (scenario tests).
    pub fn from_map(name: &str, answers: BTreeMap<String, String>) -> Self {
        Self {
            file: name.to_string(),
            answers,
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
        AskError::Invalid(format!(
            "{}: `{value}` is not an answer to `{node}` (use {allowed})",
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
        assert_eq!((e.file.as_str(), e.line), ("ans.toml", 2));
        assert!(e.to_string().starts_with("ans.toml:2:"));
        let e = AnswersAsker::parse("ans.json", "{\"a\": \"yes\",\n \"b\" }", true).unwrap_err();
        assert_eq!(e.line, 2);
        let e = AnswersAsker::parse("ans.json", "[1,2]", true).unwrap_err();
        assert!(e.message.contains("map"));
        let e = AnswersAsker::parse("ans.toml", "a = [1, 2]\n", false).unwrap_err();
        assert!(e.message.contains("`a`"));
    }
}
