//! The engine: walks a flow from `start`, reading facts through
//! [`Facts`] and asking the person through [`Asker`], and records every step
//! in a [`Session`]. Safety rules are checked after every fact read and
//! override the flow. A lost link stops the session, keeping the steps done.
//! A step budget guards against loops.
//!
//! Also the bench **sweep**: every check of every flow of a model evaluated
//! automatically (no questions, no actions, no fixes), reporting which flows
//! found something.
//!
//! Laid out as: [`asker`] (the person), `walk` (the run's state, reads,
//! checks, stops), `poll` (verifications), `step` (each kind of node; `fix` the fixes),
//! [`sweep`] (the bench sweep).

/// Leaves a node early with a stop; `step::step` keeps the record so far.
/// (Defined before the modules that use it: macros are scoped by text.)
macro_rules! bail {
    ($stop:expr) => {
        return Err($stop)
    };
}

mod asker;
mod fix;
mod poll;
mod step;
mod sweep;
mod walk;

pub use asker::{ActionReply, Answer, AskError, Asker, Choice, PollControl, Prompt};
pub use step::outcome_record;
pub use sweep::{Finding, FlowSweep, OutcomeRef, Reached, SweepReport, sweep};

use super::clock::{Clock, SystemClock};
use super::expr::Fact;
use super::format::{Body, Flow, Node};
use super::safety::{HAZARD_KEY, Safety};
use super::session::*;
use crate::cancel::{Cancel, StopSignal};
use crate::probe::Facts;
use chrono::{DateTime, Utc};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
use step::{hazard, step};

/// Options of a run.
#[derive(Clone)]
pub struct RunOptions {
    /// Timestamps and waiting.
    pub clock: Arc<dyn Clock>,
    /// Most node visits before the session is stopped as a loop.
    pub max_steps: usize,
    /// Ask the hazard question first (default: unless the asker is batch).
    pub ask_hazard: Option<bool>,
    /// Most polls kept per verification in the record.
    pub max_polls_kept: usize,
    /// A stop asked from outside (a signal): the walk ends at its next safe
    /// point, never starting another fix or action, and returns the session.
    pub cancel: Cancel,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            clock: Arc::new(SystemClock),
            max_steps: 200,
            ask_hazard: None,
            max_polls_kept: 60,
            cancel: Cancel::new(),
        }
    }
}

impl std::fmt::Debug for RunOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunOptions")
            .field("max_steps", &self.max_steps)
            .field("ask_hazard", &self.ask_hazard)
            .finish()
    }
}

/// Why a walk stopped early (internal).
enum Stop {
    LinkLost(String),
    Safety(usize),
    Interrupted(Option<StopSignal>),
    Error(String),
    Unanswered(NeededAnswer),
}

const IDENTITY: [&str; 6] = [
    "device.model",
    "device.serial",
    "device.fw_version",
    "device.hw_rev",
    "device.firmware_status",
    "device.interface",
];

/// Device data as a session record keeps it: never the owner's location
/// (device interface §9.8); the rules are [`crate::privacy`]'s.
fn redact(v: &Value) -> Value {
    crate::privacy::record_value(v)
}

struct Run<'a> {
    flow_id: String,
    safety: &'a Safety,
    facts: &'a mut dyn Facts,
    clock: Arc<dyn Clock>,
    session: Session,
    values: HashMap<String, Fact>,
    max_polls_kept: usize,
    cancel: Cancel,
}

fn new_step(node: &Node, kind: StepKind, at: DateTime<Utc>) -> StepRecord {
    StepRecord {
        playbook_step: node.playbook_step.clone(),
        say: node.customer_text().map(str::to_string),
        tech: node.tech.clone(),
        ..StepRecord::new(&node.id, kind, at)
    }
}

/// Adds a reading to a step, replacing an earlier one of the same probe
/// (a step lists each reading once, its latest value).
fn record_in(step: &mut StepRecord, rec: FactRecord) {
    match step.facts.iter_mut().find(|f| f.name == rec.name) {
        Some(f) => *f = rec,
        None => step.facts.push(rec),
    }
}

fn kind_of(body: &Body) -> StepKind {
    match body {
        Body::Check(_) => StepKind::Check,
        Body::Question(_) => StepKind::Question,
        Body::Action(_) => StepKind::Action,
        Body::Fix(_) => StepKind::Fix,
        Body::Outcome(_) => StepKind::Outcome,
    }
}

/// Result of evaluating one check node.
struct CheckResult {
    matched: Option<usize>,
    unsure: bool,
}

/// Waits for `fut` (a prompt, a wait) unless a stop is asked for first.
/// Takes the token by value so no borrow of the run lives across the wait.
async fn or_stop<F: std::future::Future>(cancel: Cancel, fut: F) -> Result<F::Output, Stop> {
    cancel
        .unless_requested(fut)
        .await
        .ok_or_else(|| Stop::Interrupted(cancel.signal()))
}

fn yes_no() -> Vec<Choice> {
    vec![
        Choice {
            value: "yes".into(),
            label: "Yes".into(),
        },
        Choice {
            value: "no".into(),
            label: "No".into(),
        },
    ]
}

/// Runs `flow` to an outcome (or a stop) and returns the session record.
/// Never fails: link loss, interruption, safety and flow defects end up in
/// `Session::stopped`.
pub async fn run(
    flow: &Flow,
    safety: &Safety,
    facts: &mut dyn Facts,
    asker: &mut dyn Asker,
    opts: &RunOptions,
) -> Session {
    let mode = asker.mode();
    let mut run = Run::new(flow, safety, facts, opts.clock.clone(), mode, opts);
    if let Err(stop) = run.identify().await {
        run.finish_stop(stop, "start", None);
        return end(run, asker).await;
    }
    let ask_hazard = opts
        .ask_hazard
        .unwrap_or(!matches!(mode, RunMode::Batch | RunMode::Sweep));
    if ask_hazard {
        if let Err(stop) = hazard(&mut run, asker).await {
            run.finish_stop(stop, HAZARD_KEY, None);
            return end(run, asker).await;
        }
        if run.session.outcome.is_some() {
            return end(run, asker).await;
        }
    }
    let mut current = flow.start.id.clone();
    let mut visits = 0usize;
    loop {
        // The safe point between steps: nothing of the next one has started.
        if let Some(stop) = run.requested_stop() {
            run.finish_stop(stop, &current, None);
            break;
        }
        visits += 1;
        if visits > opts.max_steps {
            run.finish_stop(
                Stop::Error(format!(
                    "the flow went round more than {} steps without ending (a loop)",
                    opts.max_steps
                )),
                &current,
                None,
            );
            break;
        }
        let Some(node) = flow.node(&current) else {
            run.finish_stop(
                Stop::Error(format!("the flow has no node `{current}`")),
                &current,
                None,
            );
            break;
        };
        match step(&mut run, flow, node, asker).await {
            Ok(Some(next)) => current = next,
            Ok(None) => break,
            Err((stop, partial)) => {
                run.finish_stop(stop, &node.id, partial);
                break;
            }
        }
    }
    end(run, asker).await
}

async fn end(mut run: Run<'_>, asker: &mut dyn Asker) -> Session {
    run.session.ended_at = Some(run.clock.now());
    // Tell the person at once what a safety rule says to do.
    if let Some(s) = run.session.steps.last()
        && s.kind == StepKind::Safety
        && let Some(text) = s.say.clone()
    {
        let p = Prompt {
            flow_id: &run.flow_id,
            node_id: &s.node_id,
            kind: StepKind::Safety,
            playbook_step: None,
            text: &text,
            help: None,
            tech: s.tech.as_deref(),
            choices: &[],
        };
        asker.say(&p).await;
    }
    asker.finished(&run.session).await;
    run.session
}

/// Asks only the hazard question, for a person present at a sweep (the
/// guide's "check everything"): a session holding the hazard step, ended
/// with the safety outcome when a hazard was reported.
pub async fn screen(
    safety: &Safety,
    facts: &mut dyn Facts,
    asker: &mut dyn Asker,
    model: crate::interface::Model,
    opts: &RunOptions,
) -> Session {
    let flow = Flow::placeholder(model);
    let mut run = Run::new(&flow, safety, facts, opts.clock.clone(), asker.mode(), opts);
    if let Err(stop) = hazard(&mut run, asker).await {
        run.finish_stop(stop, HAZARD_KEY, None);
    }
    run.session.ended_at = Some(run.clock.now());
    run.session
}
