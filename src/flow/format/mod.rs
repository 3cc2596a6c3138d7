//! The flow file format (TOML, one file per symptom) and its compiled form.
//!
//! A file is read into "raw" serde types whose fields keep their positions
//! (`toml::Spanned`), then compiled into a [`Flow`]: node types checked,
//! expressions parsed, problems reported with line and column. Nodes are
//! one flat table type in the file (`type = "check"` etc.) rather than a
//! serde-tagged enum, because tagged enums lose the positions lint needs and
//! a flat type lets lint say "`ask` does not belong in a check node".
//! See docs/flows.md for the format.
//!
//! Laid out as: `raw` (the file as serde reads it), `node` and `flow` (the
//! compiled form), `compile` and `body` (from one to the other).

mod body;
mod compile;
mod flow;
mod node;
mod raw;

pub use compile::compile;
pub use flow::{Flow, Node};
pub use node::{
    Action, AnswerOption, Body, Check, Cond, Fix, Outcome, Progress, Question, Rule, Target,
    Verify, WaitEvent,
};
pub use raw::{COMMON_NODE_FIELDS, FLOW_FIELDS, NODE_TYPES, node_fields};
