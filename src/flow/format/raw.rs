//! The file as serde reads it: every field keeps its position
//! (`toml::Spanned`) for lint's line and column, and the fields each node
//! type may have.

use crate::flow::session::Tier;
use serde::Deserialize;
use toml::Spanned;

type S<T> = Spanned<T>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFlow {
    pub(super) id: S<String>,
    pub(super) model: S<String>,
    pub(super) title: S<String>,
    pub(super) symptom: S<String>,
    pub(super) playbook: S<String>,
    pub(super) start: S<String>,
    #[serde(default)]
    pub(super) nodes: Vec<S<RawNode>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNode {
    pub(super) id: S<String>,
    #[serde(rename = "type")]
    pub(super) node_type: S<String>,
    pub(super) playbook_step: Option<S<String>>,
    pub(super) tech: Option<S<String>>,
    // check
    pub(super) say: Option<S<String>>,
    pub(super) reads: Option<S<Vec<S<String>>>>,
    pub(super) fresh: Option<S<bool>>,
    pub(super) rules: Option<S<Vec<S<RawRule>>>>,
    pub(super) next: Option<S<String>>,
    pub(super) on_error: Option<S<String>>,
    // question
    pub(super) ask: Option<S<String>>,
    pub(super) help: Option<S<String>>,
    pub(super) answers: Option<S<Vec<S<RawAnswer>>>>,
    pub(super) unknown: Option<S<String>>,
    // action
    #[serde(rename = "do")]
    pub(super) do_: Option<S<String>>,
    pub(super) verify: Option<S<RawVerify>>,
    pub(super) success: Option<S<String>>,
    pub(super) timeout: Option<S<String>>,
    // fix
    pub(super) consent: Option<S<String>>,
    pub(super) method: Option<S<String>>,
    pub(super) params: Option<S<toml::Value>>,
    pub(super) wait_event: Option<S<RawWaitEvent>>,
    pub(super) failure: Option<S<String>>,
    pub(super) declined: Option<S<String>>,
    // outcome
    pub(super) kind: Option<S<String>>,
    pub(super) code: Option<S<String>>,
    pub(super) tier: Option<S<Tier>>,
    pub(super) criterion: Option<S<String>>,
    pub(super) summary: Option<S<String>>,
    pub(super) next_steps: Option<S<Vec<String>>>,
    pub(super) pet_health: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub(super) when: S<String>,
    pub(super) goto: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAnswer {
    pub(super) value: S<String>,
    pub(super) label: S<String>,
    pub(super) goto: S<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawVerify {
    pub(super) until: S<String>,
    pub(super) every_s: Option<S<f64>>,
    pub(super) timeout_s: S<f64>,
    pub(super) progress: Option<S<String>>,
    pub(super) require_change: Option<S<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWaitEvent {
    pub(super) name: S<String>,
    pub(super) timeout_s: S<f64>,
}

/// Top-level fields of a flow file (kept in step with docs/flow.schema.json
/// by a test).
pub const FLOW_FIELDS: [&str; 7] = [
    "id", "model", "title", "symptom", "playbook", "start", "nodes",
];

/// Node types.
pub const NODE_TYPES: [&str; 5] = ["check", "question", "action", "fix", "outcome"];

/// Fields every node may have.
pub const COMMON_NODE_FIELDS: [&str; 4] = ["id", "type", "playbook_step", "tech"];

/// Field names allowed per node type, beyond [`COMMON_NODE_FIELDS`].
pub fn node_fields(node_type: &str) -> &'static [&'static str] {
    allowed(node_type)
}

pub(super) fn allowed(node_type: &str) -> &'static [&'static str] {
    match node_type {
        "check" => &["say", "reads", "fresh", "rules", "next", "on_error"],
        "question" => &["ask", "help", "answers", "unknown"],
        "action" => &["do", "help", "verify", "success", "timeout"],
        "fix" => &[
            "consent",
            "say",
            "method",
            "params",
            "wait_event",
            "verify",
            "success",
            "failure",
            "declined",
        ],
        "outcome" => &[
            "kind",
            "code",
            "tier",
            "criterion",
            "summary",
            "next_steps",
            "pet_health",
        ],
        _ => &[],
    }
}

pub(super) fn owner_of(field: &str) -> &'static str {
    for t in ["check", "question", "action", "fix", "outcome"] {
        if allowed(t).contains(&field) {
            return t;
        }
    }
    "no"
}

pub(super) fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}
