//! How the engine talks to a person: the [`Asker`] trait (a terminal, an
//! answers file, batch) and what it is given and gives back.

use crate::flow::session::{RunMode, Session, StepKind};
use futures_util::future::BoxFuture;
use std::time::Duration;

/// A person's answer to a question or a consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// One of the offered values (`yes`, `no`, …).
    Value(String),
    /// The person said "I'm not sure": an answer. A question takes its
    /// `unknown` branch; a consent counts as declined.
    NotSure,
    /// No answer is available (nobody to ask, or the answers file has
    /// none): the walk stops there with outcome `incomplete`.
    Missing,
}

/// The person's reply to an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionReply {
    /// Done (and, without verification, it worked).
    Done,
    /// Could not do it, or it did not work.
    Failed,
    /// No reply is available (nobody there to do it): the walk stops there
    /// with outcome `incomplete`; nothing is assumed done.
    Missing,
}

/// Whether to keep waiting during a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollControl {
    /// Keep polling.
    Continue,
    /// The person gave up waiting.
    GiveUp,
}

/// Why asking failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AskError {
    /// The person stopped the session.
    #[error("the session was interrupted")]
    Interrupted,
    /// The answer source is unusable (e.g. an answers file gives a value the
    /// question does not offer).
    #[error("{0}")]
    Invalid(String),
}

/// One choice offered to the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Value (as in answers files).
    pub value: String,
    /// Label shown.
    pub label: String,
}

/// What the engine shows or asks at one step.
#[derive(Debug, Clone)]
pub struct Prompt<'a> {
    /// The flow.
    pub flow_id: &'a str,
    /// The node (`safety.hazard` for the hazard question).
    pub node_id: &'a str,
    /// The node type.
    pub kind: StepKind,
    /// The playbook step it implements.
    pub playbook_step: Option<&'a str>,
    /// Customer words.
    pub text: &'a str,
    /// Extra help.
    pub help: Option<&'a str>,
    /// Technician label.
    pub tech: Option<&'a str>,
    /// Choices offered (questions and consents).
    pub choices: &'a [Choice],
}

/// How the engine asks a person (or an answers file, or nobody).
pub trait Asker: Send {
    /// How answers are obtained (recorded in the session).
    fn mode(&self) -> RunMode;

    /// Shows a check's (or a fix's, or a safety rule's) customer text.
    fn say<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, ()>;

    /// Asks a question; the value must be one of `prompt.choices`.
    fn ask<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>>;

    /// Asks consent for a fix (`yes` / `no`).
    fn consent<'a>(&'a mut self, prompt: &'a Prompt<'a>)
    -> BoxFuture<'a, Result<Answer, AskError>>;

    /// Tells the person to do something. With `verified`, the device will
    /// confirm it: reply Done when ready to check (or Failed when it cannot
    /// be done). Without, reply whether it worked.
    fn action<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>>;

    /// Shows progress while polling.
    fn progress<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        text: &'a str,
        elapsed: Duration,
        limit: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>>;

    /// Shows how the flow ended (the engine calls it once, at the end).
    fn finished<'a>(&'a mut self, _session: &'a Session) -> BoxFuture<'a, ()> {
        Box::pin(async {})
    }
}
