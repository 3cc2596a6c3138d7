//! Askers for runs without a person at the keyboard: [`MapAsker`] answers
//! from a batch manifest row (its `answer:<node>` columns and its answers
//! file). Questions it has no answer for take their `unknown` branch, fixes
//! without consent are declined, actions without a reply are not performed:
//! nothing is ever guessed on a customer's behalf.
//!
//! Answers files map node ids (or `flow-id#node`, or a table per flow id)
//! to values, in TOML or JSON, like `diagnose --answers`.

use futures_util::future::BoxFuture;
use pawdiag::flow::engine::{ActionReply, Answer, AskError, Asker, PollControl, Prompt};
use pawdiag::flow::session::RunMode;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Largest answers file read (they are a few lines).
const MAX_ANSWERS_FILE: u64 = 1 << 20;

/// Answers from a map of node id (or `flow#node`) to value.
#[derive(Debug, Clone, Default)]
pub struct MapAsker {
    answers: BTreeMap<String, String>,
}

impl MapAsker {
    /// An asker with these answers (empty: a pure batch run).
    pub fn new(answers: BTreeMap<String, String>) -> Self {
        Self { answers }
    }

    fn lookup(&self, prompt: &Prompt<'_>) -> Option<&str> {
        self.answers
            .get(&format!("{}#{}", prompt.flow_id, prompt.node_id))
            .or_else(|| self.answers.get(prompt.node_id))
            .map(String::as_str)
    }
}

fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Some(true),
        "no" | "n" | "false" => Some(false),
        _ => None,
    }
}

impl Asker for MapAsker {
    fn mode(&self) -> RunMode {
        if self.answers.is_empty() {
            RunMode::Batch
        } else {
            RunMode::Answers
        }
    }

    fn say<'a>(&'a mut self, _prompt: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }

    fn ask<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        let r = match self.lookup(prompt) {
            None => Ok(Answer::Unknown),
            Some(v) if prompt.choices.iter().any(|c| c.value == v) => {
                Ok(Answer::Value(v.to_string()))
            }
            Some(v) => Err(AskError::Invalid(format!(
                "`{v}` is not an answer to {} (use {})",
                prompt.node_id,
                prompt
                    .choices
                    .iter()
                    .map(|c| c.value.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        };
        Box::pin(async move { r })
    }

    fn consent<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
    ) -> BoxFuture<'a, Result<Answer, AskError>> {
        let r = match self.lookup(prompt).map(|v| (v, yes_no(v))) {
            None => Ok(Answer::Unknown),
            Some((_, Some(true))) => Ok(Answer::Value("yes".into())),
            Some((_, Some(false))) => Ok(Answer::Value("no".into())),
            Some((v, None)) => Err(AskError::Invalid(format!(
                "`{v}` is not an answer to the fix {} (use yes or no)",
                prompt.node_id
            ))),
        };
        Box::pin(async move { r })
    }

    fn action<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        _verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        let r = match self.lookup(prompt).map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(ActionReply::Unknown),
            Some(v) if v == "done" || v == "yes" => Ok(ActionReply::Done),
            Some(v) if v == "failed" || v == "no" => Ok(ActionReply::Failed),
            Some(v) => Err(AskError::Invalid(format!(
                "`{v}` is not an answer to the step {} (use done or failed)",
                prompt.node_id
            ))),
        };
        Box::pin(async move { r })
    }

    fn progress<'a>(
        &'a mut self,
        _prompt: &'a Prompt<'a>,
        _text: &'a str,
        _elapsed: Duration,
        _limit: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        Box::pin(async { Ok(PollControl::Continue) })
    }
}

/// A malformed answers file, with its line and column when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswersFileError {
    /// `file:line:col: what`.
    pub message: String,
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

/// Reads an answers file (JSON when it ends in `.json` or starts with `{`,
/// TOML otherwise) into a flat map: `node` or `flow#node` to value.
pub fn load_answers_file(path: &Path) -> Result<BTreeMap<String, String>, AnswersFileError> {
    let file = path.display().to_string();
    let fail = |line: usize, col: usize, what: String| AnswersFileError {
        message: if line > 0 {
            format!("{file}:{line}:{col}: {what}")
        } else {
            format!("{file}: {what}")
        },
    };
    let len = std::fs::metadata(path)
        .map_err(|e| fail(0, 0, format!("cannot read the answers file: {e}")))?
        .len();
    if len > MAX_ANSWERS_FILE {
        return Err(fail(0, 0, "the answers file is larger than 1 MiB".into()));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| fail(0, 0, format!("cannot read the answers file: {e}")))?;
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let value: Value = if json {
        serde_json::from_str(&text)
            .map_err(|e| fail(e.line(), e.column(), format!("not valid JSON: {e}")))?
    } else {
        let t: toml::Table = toml::from_str(&text).map_err(|e| {
            let (l, c) = e
                .span()
                .map_or((0, 0), |s| pawdiag::config::line_col(&text, s.start));
            fail(l, c, format!("not valid TOML: {}", e.message().trim()))
        })?;
        serde_json::to_value(t).map_err(|e| fail(0, 0, e.to_string()))?
    };
    let Value::Object(map) = value else {
        return Err(fail(
            1,
            1,
            "the answers file must map question ids to answers".into(),
        ));
    };
    let mut out = BTreeMap::new();
    for (k, v) in map {
        if let Value::Object(inner) = &v {
            // A table per flow id.
            for (node, iv) in inner {
                let s = scalar(iv).ok_or_else(|| {
                    fail(
                        0,
                        0,
                        format!("the answer for `{k}#{node}` must be text, a number or true/false"),
                    )
                })?;
                out.insert(format!("{k}#{node}"), s);
            }
        } else {
            let s = scalar(&v).ok_or_else(|| {
                fail(
                    0,
                    0,
                    format!("the answer for `{k}` must be text, a number or true/false"),
                )
            })?;
            out.insert(k, s);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pawdiag::flow::engine::Choice;
    use pawdiag::flow::session::StepKind;

    fn prompt<'a>(node: &'a str, choices: &'a [Choice]) -> Prompt<'a> {
        Prompt {
            flow_id: "pettracker/gps-not-working",
            node_id: node,
            kind: StepKind::Question,
            playbook_step: None,
            text: "?",
            help: None,
            tech: None,
            choices,
        }
    }

    #[tokio::test]
    async fn answers_by_node_or_flow_and_never_guesses() {
        let choices = [
            Choice {
                value: "yes".into(),
                label: "Yes".into(),
            },
            Choice {
                value: "no".into(),
                label: "No".into(),
            },
        ];
        let mut a = MapAsker::new(
            [
                ("outdoors".to_string(), "yes".to_string()),
                (
                    "pettracker/gps-not-working#cold".to_string(),
                    "no".to_string(),
                ),
                ("bad".to_string(), "maybe".to_string()),
            ]
            .into(),
        );
        assert_eq!(a.mode(), RunMode::Answers);
        assert_eq!(
            a.ask(&prompt("outdoors", &choices)).await,
            Ok(Answer::Value("yes".into()))
        );
        assert_eq!(
            a.consent(&prompt("cold", &choices)).await,
            Ok(Answer::Value("no".into()))
        );
        assert_eq!(a.ask(&prompt("other", &choices)).await, Ok(Answer::Unknown));
        assert!(matches!(
            a.ask(&prompt("bad", &choices)).await,
            Err(AskError::Invalid(_))
        ));
        assert_eq!(
            a.action(&prompt("other", &[]), true).await,
            Ok(ActionReply::Unknown)
        );
        assert_eq!(MapAsker::default().mode(), RunMode::Batch);
    }

    #[test]
    fn answers_files_in_toml_and_json() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("a.toml");
        std::fs::write(
            &t,
            "outdoors = \"yes\"\ncharged = true\n[\"pettracker/gps-not-working\"]\ncold = \"no\"\n",
        )
        .unwrap();
        let m = load_answers_file(&t).unwrap();
        assert_eq!(m["outdoors"], "yes");
        assert_eq!(m["charged"], "yes");
        assert_eq!(m["pettracker/gps-not-working#cold"], "no");
        let j = dir.path().join("a.json");
        std::fs::write(&j, "{\"x\": [1]}").unwrap();
        assert!(load_answers_file(&j).unwrap_err().message.contains("`x`"));
        std::fs::write(&t, "a = \"yes\"\nb = \n").unwrap();
        let e = load_answers_file(&t).unwrap_err();
        assert!(e.message.contains("a.toml:2:"), "{}", e.message);
    }
}
