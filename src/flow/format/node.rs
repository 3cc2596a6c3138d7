//! The compiled parts of a flow: node bodies by type, conditions, targets,
//! verifications.

use crate::flow::expr::{Expr, Template};
use crate::flow::session::{OutcomeKind, Tier};
use serde_json::Value;
use std::ops::Range;

/// A reference to another node.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    /// The node id (empty when it was missing; already reported).
    pub id: String,
    /// Byte offset in the file.
    pub at: usize,
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    /// As written.
    pub text: String,
    /// Parsed.
    pub expr: Expr,
    /// Span of the string token in the file.
    pub token: Range<usize>,
}

/// A parsed progress template.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    /// As written.
    pub text: String,
    /// Parsed.
    pub template: Template,
    /// Span of the string token in the file.
    pub token: Range<usize>,
}

/// One rule of a check.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The condition.
    pub when: Cond,
    /// Where to go when it holds.
    pub goto: Target,
}

/// Verification by polling the device.
#[derive(Debug, Clone, PartialEq)]
pub struct Verify {
    /// Condition that ends the wait.
    pub until: Cond,
    /// Seconds between polls.
    pub every_s: f64,
    /// Seconds allowed.
    pub timeout_s: f64,
    /// Text shown while polling.
    pub progress: Option<Progress>,
    /// The condition only counts once at least one value it reads differs
    /// from the baseline read at the step's start: the device must report
    /// a change after the action (or fix) began, so a state that already
    /// held never passes the verification by itself.
    pub require_change: bool,
}

/// A device event awaited after a fix.
#[derive(Debug, Clone, PartialEq)]
pub struct WaitEvent {
    /// Event name, e.g. `gps.fix`.
    pub name: String,
    /// Seconds allowed.
    pub timeout_s: f64,
    /// Byte offset in the file.
    pub at: usize,
}

/// A possible answer to a question.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerOption {
    /// Value written in answers files, e.g. `yes`.
    pub value: String,
    /// Label shown to the person.
    pub label: String,
    /// Where it leads.
    pub goto: Target,
}

/// An automatic check.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Customer words.
    pub say: Option<String>,
    /// Probes read and recorded even if no rule names them.
    pub reads: Vec<(String, usize)>,
    /// Read every probe again from the device instead of using what the
    /// session already read (a state that may have changed since).
    pub fresh: bool,
    /// First match wins.
    pub rules: Vec<Rule>,
    /// No rule matched.
    pub next: Target,
    /// The device could not tell; defaults to `next`.
    pub on_error: Option<Target>,
}

/// A question to the person.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// The question.
    pub ask: String,
    /// Where to find the answer.
    pub help: Option<String>,
    /// The possible answers.
    pub answers: Vec<AnswerOption>,
    /// Taken when no answer is available.
    pub unknown: Target,
}

/// Something the person does.
#[derive(Debug, Clone, PartialEq)]
pub struct Action {
    /// The instruction.
    pub do_: String,
    /// More detail.
    pub help: Option<String>,
    /// How the device confirms it worked.
    pub verify: Option<Verify>,
    /// It worked.
    pub success: Target,
    /// It did not work (in time).
    pub timeout: Target,
}

/// A fix pawdiag applies.
#[derive(Debug, Clone, PartialEq)]
pub struct Fix {
    /// The consent question.
    pub consent: String,
    /// Customer words while it runs.
    pub say: Option<String>,
    /// Device method.
    pub method: String,
    /// Method params.
    pub params: Option<Value>,
    /// Byte offset of `method`.
    pub method_at: usize,
    /// Event to await.
    pub wait_event: Option<WaitEvent>,
    /// How the device confirms it worked.
    pub verify: Option<Verify>,
    /// It worked.
    pub success: Target,
    /// It did not.
    pub failure: Target,
    /// The person said no (or did not answer).
    pub declined: Target,
}

/// An ending.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// What kind.
    pub kind: OutcomeKind,
    /// Reference code.
    pub code: String,
    /// Byte offset of `code`.
    pub code_at: usize,
    /// Support tier.
    pub tier: Option<Tier>,
    /// Playbook escalation criterion.
    pub criterion: Option<String>,
    /// Customer words.
    pub summary: String,
    /// What happens next.
    pub next_steps: Vec<String>,
    /// The ending is about the pet's health, not the device (e.g. "contact
    /// your vet"): ranked above device faults, flagged as possible harm to
    /// a pet.
    pub pet_health: bool,
}

/// What a node does.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Automatic check.
    Check(Check),
    /// Question.
    Question(Question),
    /// Action by the person.
    Action(Action),
    /// Fix by pawdiag.
    Fix(Fix),
    /// Ending.
    Outcome(Outcome),
}

impl Body {
    /// The `type` name.
    pub fn type_name(&self) -> &'static str {
        match self {
            Body::Check(_) => "check",
            Body::Question(_) => "question",
            Body::Action(_) => "action",
            Body::Fix(_) => "fix",
            Body::Outcome(_) => "outcome",
        }
    }
}
