//! The engine: walks a flow from `start`, reading facts through
//! [`Facts`] and asking the person through [`Asker`], and records every step
//! in a [`Session`]. Safety rules are checked after every fact read and
//! override the flow. A lost link stops the session, keeping the steps done.
//! A step budget guards against loops.
//!
//! Also the bench **sweep**: every check of every flow of a model evaluated
//! automatically (no questions, no actions, no fixes), reporting which flows
//! found something.

use super::clock::{Clock, SystemClock};
use super::expr::{Fact, Truth};
use super::format::{Body, Cond, Flow, Node, Verify};
use super::safety::{HAZARD_KEY, Safety};
use super::session::*;
use crate::cancel::{Cancel, StopSignal};
use crate::probe::{Facts, catalogue};
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;
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

impl<'a> Run<'a> {
    fn new(
        flow: &Flow,
        safety: &'a Safety,
        facts: &'a mut dyn Facts,
        clock: Arc<dyn Clock>,
        mode: RunMode,
        opts: &RunOptions,
    ) -> Self {
        let now = clock.now();
        Run {
            flow_id: flow.id.clone(),
            safety,
            facts,
            clock,
            session: Session {
                flow_symptom: flow.symptom.clone(),
                playbook: flow.playbook.clone(),
                ..Session::new(&flow.id, &flow.title, flow.model, mode, now)
            },
            values: HashMap::new(),
            max_polls_kept: opts.max_polls_kept,
            cancel: opts.cancel.clone(),
        }
    }

    /// The stop a request from outside means, once there is one.
    fn requested_stop(&self) -> Option<Stop> {
        self.cancel
            .is_requested()
            .then(|| Stop::Interrupted(self.cancel.signal()))
    }

    fn ask_err(&self, e: AskError) -> Stop {
        match e {
            AskError::Interrupted => Stop::Interrupted(self.cancel.signal()),
            AskError::Invalid(m) => Stop::Error(m),
        }
    }

    fn lookup(&self, name: &str) -> Fact {
        if let Some(f) = self.values.get(name) {
            return f.clone();
        }
        match self.facts.known(name) {
            Some(v) => Fact::Value(v),
            None => Fact::Missing,
        }
    }

    /// Reads a fact (fresh: from the device again), records it, then checks
    /// the safety rules. A step records every reading the method gave (its
    /// evidence), not only the one asked for.
    async fn read(
        &mut self,
        name: &str,
        fresh: bool,
        mut step: Option<&mut StepRecord>,
    ) -> Result<Fact, Stop> {
        let r = if fresh {
            self.facts.refresh(name).await
        } else {
            self.facts.read(name).await
        };
        let at = self.clock.now();
        let v = match r {
            Ok(v) => redact(&v),
            Err(e) => {
                if e.is_cancelled() {
                    // Not a fact about the device: nothing is recorded.
                    return Err(Stop::Interrupted(self.cancel.signal()));
                }
                let rec = FactRecord::failed(name, e.to_string(), at);
                if let Some(s) = step {
                    record_in(s, rec.clone());
                }
                self.note_fact(rec);
                if e.is_link_lost() {
                    return Err(Stop::LinkLost(e.to_string()));
                }
                self.values.insert(name.into(), Fact::Missing);
                return Ok(Fact::Missing);
            }
        };
        let fact = Fact::Value(v.clone());
        let rec = FactRecord::read(name, v, at);
        if let Some(s) = step.as_deref_mut() {
            record_in(s, rec.clone());
        }
        self.note_fact(rec);
        self.values.insert(name.into(), fact.clone());
        if let Some(s) = step {
            // The rest of the same answer, as the device gave it.
            for p in catalogue::siblings(name, self.session.model) {
                if let Some(v) = self.facts.known(&p.name) {
                    let v = redact(&v);
                    let rec = FactRecord::read(&p.name, v.clone(), at);
                    record_in(s, rec.clone());
                    self.note_fact(rec);
                    self.values.insert(p.name.clone(), Fact::Value(v));
                }
            }
        }
        self.check_safety()?;
        Ok(fact)
    }

    /// Whether a fact leaves a check undecided: unavailable, or `null`
    /// where `null` is not itself an answer (a passing self-test has no
    /// failure code).
    fn undecided(&self, probe: &str, f: &Fact) -> bool {
        match f {
            Fact::Missing => true,
            Fact::Value(Value::Null) => !catalogue::code_status_probe(probe).is_some_and(
                |st| matches!(self.lookup(&st), Fact::Value(Value::String(s)) if s == "pass"),
            ),
            Fact::Value(_) => false,
        }
    }

    fn note_fact(&mut self, rec: FactRecord) {
        match self.session.facts.iter_mut().find(|f| f.name == rec.name) {
            Some(f) => *f = rec,
            None => self.session.facts.push(rec),
        }
    }

    fn check_safety(&self) -> Result<(), Stop> {
        for (i, rule) in self.safety.rules.iter().enumerate() {
            let mut lookup = |n: &str| self.lookup(n);
            if rule.when.eval(&mut lookup) == Truth::True {
                return Err(Stop::Safety(i));
            }
        }
        Ok(())
    }

    fn truth(&self, c: &Cond) -> Truth {
        let mut lookup = |n: &str| self.lookup(n);
        c.expr.eval(&mut lookup)
    }

    async fn identify(&mut self) -> Result<(), Stop> {
        for p in IDENTITY {
            self.read(p, false, None).await?;
        }
        let text = |run: &Self, p: &str| match run.values.get(p) {
            Some(Fact::Value(Value::String(s))) => Some(s.clone()),
            _ => None,
        };
        if let (Some(serial), Some(fw)) =
            (text(self, "device.serial"), text(self, "device.fw_version"))
        {
            self.session.device = Some(DeviceIdentity {
                model: text(self, "device.model").unwrap_or_default(),
                serial,
                hw_rev: text(self, "device.hw_rev"),
                fw_version: fw,
                firmware_status: text(self, "device.firmware_status"),
                interface: match self.values.get("device.interface") {
                    Some(Fact::Value(v)) => v.as_u64(),
                    _ => None,
                },
            });
        }
        for p in self.safety.read_at_start.clone() {
            if catalogue::find(&p).is_some_and(|pr| pr.applies_to(self.session.model)) {
                self.read(&p, false, None).await?;
            }
        }
        Ok(())
    }

    async fn eval_check(
        &mut self,
        node: &Node,
        step: &mut StepRecord,
    ) -> Result<CheckResult, Stop> {
        let Body::Check(c) = &node.body else {
            return Ok(CheckResult {
                matched: None,
                unsure: false,
            });
        };
        let mut unsure = false;
        // A `fresh` check reads each method once more from the device; other
        // probes of the same method come from that read.
        let mut refreshed: Vec<&str> = Vec::new();
        let mut fresh = |p: &str| {
            let method = catalogue::find(p).map_or("", |c| c.method);
            let first = c.fresh && !refreshed.contains(&method);
            refreshed.push(method);
            first
        };
        let mut probes: Vec<&str> = c.reads.iter().map(|(r, _)| r.as_str()).collect();
        for (i, rule) in c.rules.iter().enumerate() {
            probes.extend(rule.when.expr.probes().iter().map(|(p, _)| *p));
            // Each probe once; those a read already brought along come from
            // the step's record.
            for p in std::mem::take(&mut probes) {
                let f = match step.facts.iter().find(|f| f.name == p) {
                    Some(rec) if rec.error.is_some() => Fact::Missing,
                    Some(rec) => Fact::Value(rec.value.clone()),
                    None => self.read(p, fresh(p), Some(step)).await?,
                };
                unsure |= self.undecided(p, &f);
            }
            if self.truth(&rule.when) == Truth::True {
                return Ok(CheckResult {
                    matched: Some(i),
                    unsure,
                });
            }
        }
        for p in probes {
            let f = self.read(p, fresh(p), Some(step)).await?;
            unsure |= self.undecided(p, &f);
        }
        Ok(CheckResult {
            matched: None,
            unsure,
        })
    }

    /// Reads the values a `require_change` verification compares its polls
    /// with: what the session knows at the step's start (usually what the
    /// check that led here read), read from the device if not known yet.
    /// Active probes have no baseline: their value is the result of this
    /// step's own fix.
    async fn baseline(
        &mut self,
        v: &Verify,
        step: &mut StepRecord,
    ) -> Result<std::collections::BTreeMap<String, Value>, Stop> {
        let mut out = std::collections::BTreeMap::new();
        for (p, _) in v.until.expr.probes() {
            let Some(probe) = catalogue::find(p) else {
                continue;
            };
            if probe.active || out.contains_key(p) {
                continue;
            }
            let f = self.read(p, false, Some(step)).await?;
            out.insert(
                p.to_string(),
                match f {
                    Fact::Value(v) => v,
                    Fact::Missing => Value::Null,
                },
            );
        }
        Ok(out)
    }

    /// Polls `v` until its condition holds, the time is up or the person
    /// gives up. With a `baseline` (`require_change`), the condition only
    /// counts on a poll where a value it reads differs from the baseline.
    async fn poll(
        &mut self,
        v: &Verify,
        baseline: Option<&std::collections::BTreeMap<String, Value>>,
        prompt: &Prompt<'_>,
        asker: &mut dyn Asker,
        step: &mut StepRecord,
    ) -> Result<bool, Stop> {
        let mut rec = VerifyRecord {
            until: v.until.text.clone(),
            every_s: v.every_s,
            timeout_s: v.timeout_s,
            polls: Vec::new(),
            polls_dropped: 0,
            met: false,
            gave_up: false,
            baseline: baseline.cloned(),
        };
        // The polls so far are kept even when the session stops mid-way.
        let r = self.poll_into(v, prompt, asker, step, &mut rec).await;
        // The last poll's whole answer is the step's evidence.
        let at = rec.polls.last().map_or_else(|| self.clock.now(), |p| p.at);
        for (p, _) in v.until.expr.probes() {
            let names = std::iter::once(p.to_string())
                .chain(catalogue::siblings(p, self.session.model).map(|x| x.name.clone()));
            for name in names {
                if let Some(val) = self.facts.known(&name) {
                    record_in(step, FactRecord::read(&name, redact(&val), at));
                }
            }
        }
        let met = rec.met;
        step.verify = Some(rec);
        r.map(|()| met)
    }

    async fn poll_into(
        &mut self,
        v: &Verify,
        prompt: &Prompt<'_>,
        asker: &mut dyn Asker,
        step: &mut StepRecord,
        rec: &mut VerifyRecord,
    ) -> Result<(), Stop> {
        let mut probes: Vec<String> = v
            .until
            .expr
            .probes()
            .iter()
            .map(|(p, _)| p.to_string())
            .collect();
        if let Some(pr) = &v.progress {
            for (p, _) in pr.template.probes() {
                if !probes.iter().any(|x| x == p) {
                    probes.push(p.to_string());
                }
            }
        }
        let every = Duration::from_secs_f64(v.every_s);
        let limit = Duration::from_secs_f64(v.timeout_s);
        let polls = (v.timeout_s / v.every_s).ceil().max(1.0) as usize;
        for i in 0..=polls {
            if i == 1 && prompt.kind == StepKind::Action {
                or_stop(self.cancel.clone(), self.clock.pause_for_person(every)).await?;
            } else if i > 0 {
                or_stop(self.cancel.clone(), self.clock.sleep(every)).await?;
            }
            // One fresh read per method per poll; other probes of the same
            // method come from that read.
            let mut refreshed: Vec<&str> = Vec::new();
            let mut values = std::collections::BTreeMap::new();
            for p in &probes {
                let method = catalogue::find(p).map_or("", |c| c.method);
                let fresh = !refreshed.contains(&method);
                refreshed.push(method);
                let f = self.read(p, fresh, None).await?;
                values.insert(
                    p.clone(),
                    match f {
                        Fact::Value(v) => v,
                        Fact::Missing => Value::Null,
                    },
                );
            }
            let held = self.truth(&v.until) == Truth::True;
            let changed = rec.baseline.as_ref().is_none_or(|base| {
                v.until.expr.probes().iter().any(|(p, _)| {
                    catalogue::find(p).is_some_and(|c| c.active) || base.get(*p) != values.get(*p)
                })
            });
            let met = held && changed;
            if held && !changed && !step.notes.iter().any(|n| n == UNCHANGED) {
                step.notes.push(UNCHANGED.into());
            }
            let at = self.clock.now();
            if rec.polls.len() < self.max_polls_kept {
                rec.polls.push(PollRecord { at, met, values });
            } else {
                rec.polls_dropped += 1;
            }
            if met {
                rec.met = true;
                break;
            }
            if i == polls {
                break;
            }
            let text = match &v.progress {
                Some(pr) => {
                    let mut lookup = |n: &str| self.lookup(n);
                    pr.template.render(&mut lookup)
                }
                None => String::new(),
            };
            let elapsed = every.mul_f64(i as f64);
            let control = or_stop(
                self.cancel.clone(),
                asker.progress(prompt, &text, elapsed, limit),
            )
            .await?;
            match control {
                Ok(PollControl::Continue) => {}
                Ok(PollControl::GiveUp) => {
                    rec.gave_up = true;
                    step.notes.push("the person stopped waiting".into());
                    break;
                }
                Err(e) => return Err(self.ask_err(e)),
            }
            if !text.is_empty() && step.notes.last() != Some(&text) && step.notes.len() < 20 {
                step.notes.push(text);
            }
        }
        Ok(())
    }

    fn finish_stop(&mut self, stop: Stop, at_node: &str, step: Option<StepRecord>) {
        if let Some(mut s) = step {
            s.ended_at = self.clock.now();
            self.session.steps.push(s);
        }
        let (kind, reason) = match stop {
            Stop::LinkLost(r) => (StopKind::LinkLost, r),
            Stop::Interrupted(signal) => {
                self.session.stopped = Some(StopReason::interrupted(at_node, signal));
                return;
            }
            Stop::Error(r) => (StopKind::Error, r),
            Stop::Unanswered(need) => {
                let reason = format!(
                    "no answer for `{}` ({}: {})",
                    need.node_id,
                    need.kind,
                    need.accepts.join(", ")
                );
                self.session.outcome = Some(incomplete_outcome(
                    self.session.model,
                    &need,
                    self.session.steps.len(),
                ));
                self.session.needs_answers.push(need);
                (StopKind::Unanswered, reason)
            }
            Stop::Safety(i) => {
                let rule = &self.safety.rules[i];
                let now = self.clock.now();
                // The facts the rule saw, including any the device gave
                // alongside another read and not yet recorded.
                let mut facts: Vec<FactRecord> = Vec::new();
                for (p, _) in rule.when.probes() {
                    if facts.iter().any(|f| f.name == p) {
                        continue;
                    }
                    let rec = match self.session.fact(p) {
                        Some(f) => f.clone(),
                        None => match self.lookup(p) {
                            Fact::Value(v) => FactRecord::read(p, redact(&v), now),
                            Fact::Missing => continue,
                        },
                    };
                    facts.push(rec.clone());
                    if self.session.fact(p).is_none() {
                        self.session.facts.push(rec);
                    }
                }
                self.session.steps.push(StepRecord {
                    node_id: format!("safety:{}", rule.id),
                    kind: StepKind::Safety,
                    playbook_step: None,
                    say: rule.say.clone(),
                    help: None,
                    tech: Some(rule.when_text.clone()),
                    started_at: now,
                    ended_at: now,
                    facts,
                    matched_rule: Some(RuleMatch {
                        index: i,
                        when: rule.when_text.clone(),
                    }),
                    answer: None,
                    fix: None,
                    verify: None,
                    branch: None,
                    notes: Vec::new(),
                    summary: None,
                });
                self.session.outcome = Some(rule.outcome.clone());
                (
                    StopKind::Safety,
                    format!("safety rule `{}` matched: {}", rule.id, rule.when_text),
                )
            }
        };
        self.session.stopped = Some(StopReason::new(kind, at_node, reason));
    }
}

/// Step note when a `require_change` condition holds but nothing it reads
/// has changed since the step began.
const UNCHANGED: &str =
    "the condition already held when the step began; waiting for a change the device reports";

/// Waits for `fut` (a prompt, a wait) unless a stop is asked for first.
/// Takes the token by value so no borrow of the run lives across the wait.
async fn or_stop<F: std::future::Future>(cancel: Cancel, fut: F) -> Result<F::Output, Stop> {
    cancel
        .unless_requested(fut)
        .await
        .ok_or_else(|| Stop::Interrupted(cancel.signal()))
}

/// The ending of a walk that stopped for want of an answer: it says only
/// what happened (nothing was done or assumed at that step).
fn incomplete_outcome(
    model: crate::interface::Model,
    need: &NeededAnswer,
    steps_before: usize,
) -> OutcomeRecord {
    let summary = match need.kind {
        StepKind::Action => {
            "The check stopped at a step someone has to do in person. Nobody did it in this run, so there is no result yet."
        }
        StepKind::Fix => {
            "The check stopped where it asks permission to change something on the device. Nobody gave it in this run, so nothing was changed and there is no result yet."
        }
        _ => {
            "The check stopped at a question nobody answered in this run, so there is no result yet."
        }
    };
    let accepts = need.accepts.join(", ");
    OutcomeRecord {
        node_id: need.node_id.clone(),
        kind: OutcomeKind::Incomplete,
        code: format!("{}-INCOMPLETE-UNANSWERED", model.code()),
        tier: Some(Tier::One),
        criterion: None,
        summary: summary.into(),
        tech: Some(format!(
            "No answer for `{}` ({}; accepts {accepts}) after {steps_before} step{}; the walk stopped there",
            need.node_id,
            need.kind,
            if steps_before == 1 { "" } else { "s" }
        )),
        next_steps: vec![format!(
            "Run the check again with the customer, or give `{}` ({accepts}) in an answers file",
            need.node_id
        )],
        safety: false,
        escalate_within_min: None,
        pet_health: false,
    }
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

async fn hazard(run: &mut Run<'_>, asker: &mut dyn Asker) -> Result<(), Stop> {
    let h = &run.safety.hazard;
    let choices: Vec<Choice> = h
        .answers
        .iter()
        .map(|a| Choice {
            value: a.value.clone(),
            label: a.label.clone(),
        })
        .collect();
    let started = run.clock.now();
    let flow_id = run.flow_id.clone();
    let prompt = Prompt {
        flow_id: &flow_id,
        node_id: HAZARD_KEY,
        kind: StepKind::Hazard,
        playbook_step: None,
        text: &h.ask,
        help: h.help.as_deref(),
        tech: None,
        choices: &choices,
    };
    let answer = or_stop(run.cancel.clone(), asker.ask(&prompt)).await?;
    let answer = answer.map_err(|e| run.ask_err(e))?;
    let mut step = StepRecord {
        say: Some(h.ask.clone()),
        help: h.help.clone(),
        ..StepRecord::new(HAZARD_KEY, StepKind::Hazard, started)
    };
    match answer {
        Answer::Value(v) => {
            let Some(a) = h.answers.iter().find(|a| a.value == v) else {
                return Err(Stop::Error(format!(
                    "`{v}` is not an answer to {HAZARD_KEY} (use {})",
                    choices
                        .iter()
                        .map(|c| c.value.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            };
            step.answer = Some(AnswerRecord::given(&a.value, Some(&a.label)));
            if a.hazard {
                step.ended_at = run.clock.now();
                run.session.steps.push(step);
                run.session.outcome = Some(h.outcome.clone());
                run.session.stopped = Some(StopReason::new(
                    StopKind::Safety,
                    HAZARD_KEY,
                    "the person reported a hazard (swelling, heat, burning smell or harm to the pet)",
                ));
                return Ok(());
            }
        }
        // The screening question is not a step of the flow: without an
        // answer the walk carries on (the report says it was not answered),
        // so scripts need not answer it; the device's own readings still
        // go through every safety rule.
        Answer::Missing => {
            step.answer = Some(AnswerRecord::unanswered());
            run.session.answers_unanswered.push(HAZARD_KEY.into());
        }
        Answer::NotSure => step.answer = Some(AnswerRecord::not_sure()),
    }
    step.ended_at = run.clock.now();
    run.session.steps.push(step);
    Ok(())
}

type StepResult = Result<Option<String>, (Stop, Option<StepRecord>)>;

/// Performs one node; the next node's id, or `None` at an outcome.
async fn step(run: &mut Run<'_>, flow: &Flow, node: &Node, asker: &mut dyn Asker) -> StepResult {
    let mut rec = new_step(node, kind_of(&node.body), run.clock.now());
    // A verification that needs a change reads its baseline before the
    // person (or the fix) has done anything.
    let baseline = match node.verify() {
        Some(v) if v.require_change => match run.baseline(v, &mut rec).await {
            Ok(b) => Some(b),
            Err(s) => return Err((s, Some(rec))),
        },
        _ => None,
    };
    let flow_id = flow.id.clone();
    macro_rules! bail {
        ($stop:expr) => {
            return Err(($stop, Some(rec)))
        };
    }
    let next: Option<(String, String)> = match &node.body {
        Body::Check(c) => {
            if let Some(say) = &c.say {
                let p = Prompt {
                    flow_id: &flow_id,
                    node_id: &node.id,
                    kind: StepKind::Check,
                    playbook_step: node.playbook_step.as_deref(),
                    text: say,
                    help: None,
                    tech: node.tech.as_deref(),
                    choices: &[],
                };
                asker.say(&p).await;
            }
            let r = match run.eval_check(node, &mut rec).await {
                Ok(r) => r,
                Err(s) => bail!(s),
            };
            match r.matched {
                Some(i) => {
                    rec.matched_rule = Some(RuleMatch {
                        index: i,
                        when: c.rules[i].when.text.clone(),
                    });
                    Some((format!("rule {}", i + 1), c.rules[i].goto.id.clone()))
                }
                None if r.unsure => match &c.on_error {
                    Some(t) => Some(("on_error".into(), t.id.clone())),
                    None => Some(("next (the device could not tell)".into(), c.next.id.clone())),
                },
                None => Some(("next".into(), c.next.id.clone())),
            }
        }
        Body::Question(q) => {
            rec.help = q.help.clone();
            let choices: Vec<Choice> = q
                .answers
                .iter()
                .map(|a| Choice {
                    value: a.value.clone(),
                    label: a.label.clone(),
                })
                .collect();
            let p = Prompt {
                flow_id: &flow_id,
                node_id: &node.id,
                kind: StepKind::Question,
                playbook_step: node.playbook_step.as_deref(),
                text: &q.ask,
                help: q.help.as_deref(),
                tech: node.tech.as_deref(),
                choices: &choices,
            };
            let answer = match or_stop(run.cancel.clone(), asker.ask(&p)).await {
                Ok(Ok(a)) => a,
                Ok(Err(e)) => bail!(run.ask_err(e)),
                Err(s) => bail!(s),
            };
            match answer {
                Answer::Value(v) => match q.answers.iter().find(|a| a.value == v) {
                    Some(a) => {
                        rec.answer = Some(AnswerRecord::given(&a.value, Some(&a.label)));
                        Some((format!("answer {}", a.value), a.goto.id.clone()))
                    }
                    None => bail!(Stop::Error(format!(
                        "`{v}` is not an answer to `{}` (use {})",
                        node.id,
                        choices
                            .iter()
                            .map(|c| c.value.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))),
                },
                Answer::NotSure => {
                    rec.answer = Some(AnswerRecord::not_sure());
                    Some(("unknown".into(), q.unknown.id.clone()))
                }
                Answer::Missing => {
                    rec.answer = Some(AnswerRecord::unanswered());
                    run.session.answers_unanswered.push(node.id.clone());
                    let mut accepts: Vec<String> =
                        q.answers.iter().map(|a| a.value.clone()).collect();
                    accepts.push("unknown".into());
                    bail!(Stop::Unanswered(NeededAnswer {
                        node_id: node.id.clone(),
                        kind: StepKind::Question,
                        text: q.ask.clone(),
                        accepts,
                    }))
                }
            }
        }
        Body::Action(a) => {
            rec.help = a.help.clone();
            let p = Prompt {
                flow_id: &flow_id,
                node_id: &node.id,
                kind: StepKind::Action,
                playbook_step: node.playbook_step.as_deref(),
                text: &a.do_,
                help: a.help.as_deref(),
                tech: node.tech.as_deref(),
                choices: &[],
            };
            let reply =
                match or_stop(run.cancel.clone(), asker.action(&p, a.verify.is_some())).await {
                    Ok(Ok(r)) => r,
                    Ok(Err(e)) => bail!(run.ask_err(e)),
                    Err(s) => bail!(s),
                };
            rec.answer = Some(match reply {
                ActionReply::Done => AnswerRecord::given("done", None),
                ActionReply::Failed => AnswerRecord::given("failed", None),
                ActionReply::Missing => AnswerRecord::unanswered(),
            });
            match (&a.verify, reply) {
                // Nobody there to do it: nothing is assumed done, nothing
                // is polled for.
                (_, ActionReply::Missing) => {
                    run.session.answers_unanswered.push(node.id.clone());
                    bail!(Stop::Unanswered(NeededAnswer {
                        node_id: node.id.clone(),
                        kind: StepKind::Action,
                        text: a.do_.clone(),
                        accepts: vec!["done".into(), "failed".into()],
                    }))
                }
                (_, ActionReply::Failed) => Some((
                    "timeout (the person could not do it)".into(),
                    a.timeout.id.clone(),
                )),
                (Some(v), _) => {
                    let met = match run.poll(v, baseline.as_ref(), &p, asker, &mut rec).await {
                        Ok(met) => met,
                        Err(s) => bail!(s),
                    };
                    if met {
                        Some(("success".into(), a.success.id.clone()))
                    } else {
                        Some(("timeout".into(), a.timeout.id.clone()))
                    }
                }
                (None, ActionReply::Done) => Some(("success".into(), a.success.id.clone())),
            }
        }
        Body::Fix(f) => {
            let choices = yes_no();
            let p = Prompt {
                flow_id: &flow_id,
                node_id: &node.id,
                kind: StepKind::Fix,
                playbook_step: node.playbook_step.as_deref(),
                text: &f.consent,
                help: None,
                tech: node.tech.as_deref(),
                choices: &choices,
            };
            let answer = match or_stop(run.cancel.clone(), asker.consent(&p)).await {
                Ok(Ok(a)) => a,
                Ok(Err(e)) => bail!(run.ask_err(e)),
                Err(s) => bail!(s),
            };
            let consent = match &answer {
                Answer::Value(v) if v == "yes" => Consent::Given,
                Answer::Value(v) if v == "no" => Consent::Declined,
                Answer::Value(v) => bail!(Stop::Error(format!(
                    "`{v}` is not an answer to the fix `{}` (use yes or no)",
                    node.id
                ))),
                // "Not sure" is no permission.
                Answer::NotSure => Consent::Declined,
                Answer::Missing => Consent::Unanswered,
            };
            let mut fix = FixRecord {
                method: f.method.clone(),
                params: f.params.clone(),
                consent_text: f.consent.clone(),
                consent,
                result: None,
                error: None,
                event: None,
            };
            if consent == Consent::Unanswered {
                run.session.answers_unanswered.push(node.id.clone());
                rec.fix = Some(fix);
                bail!(Stop::Unanswered(NeededAnswer {
                    node_id: node.id.clone(),
                    kind: StepKind::Fix,
                    text: f.consent.clone(),
                    accepts: vec!["yes".into(), "no".into()],
                }))
            } else if consent == Consent::Declined {
                rec.fix = Some(fix);
                Some(("declined".into(), f.declined.id.clone()))
            } else {
                // The last moment to stop before the device is changed.
                if let Some(stop) = run.requested_stop() {
                    rec.fix = Some(fix);
                    rec.notes
                        .push("not applied: the session was stopped first".into());
                    bail!(stop)
                }
                if let Some(say) = &f.say {
                    let sp = Prompt {
                        text: say,
                        choices: &[],
                        ..p.clone()
                    };
                    asker.say(&sp).await;
                }
                let invoked = run.facts.invoke(&f.method, f.params.clone()).await;
                match invoked {
                    Err(e) if e.is_cancelled() => {
                        fix.error = Some(e.to_string());
                        rec.fix = Some(fix);
                        bail!(Stop::Interrupted(run.cancel.signal()))
                    }
                    Err(e) if e.is_link_lost() => {
                        fix.error = Some(e.to_string());
                        rec.fix = Some(fix);
                        bail!(Stop::LinkLost(e.to_string()))
                    }
                    // A replay cannot tell how a fix it never saw would
                    // have gone: stop rather than invent a failure.
                    Err(e) if e.is_not_recorded() => {
                        fix.error = Some(e.to_string());
                        rec.fix = Some(fix);
                        bail!(Stop::Error(format!(
                            "could not check: {e}, so the replay cannot tell how this fix would have gone"
                        )))
                    }
                    Err(e) => {
                        fix.error = Some(e.to_string());
                        rec.fix = Some(fix);
                        Some(("failure".into(), f.failure.id.clone()))
                    }
                    Ok(result) => {
                        fix.result = Some(redact(&result));
                        // The fix may have changed what the rules see.
                        if let Err(s) = run.check_safety() {
                            rec.fix = Some(fix);
                            bail!(s)
                        }
                        let mut arrived = None;
                        if let Some(w) = &f.wait_event {
                            let cancel = run.cancel.clone();
                            let r = cancel
                                .unless_requested(
                                    run.facts
                                        .wait_event(&w.name, Duration::from_secs_f64(w.timeout_s)),
                                )
                                .await
                                .unwrap_or_else(|| {
                                    Err(crate::probe::FactError::Cancelled {
                                        method: format!("waiting for {}", w.name),
                                    })
                                });
                            match r {
                                Ok(data) => {
                                    arrived = Some(data.is_some());
                                    fix.event = Some(EventRecord {
                                        name: w.name.clone(),
                                        timeout_s: w.timeout_s,
                                        data: data.as_ref().map(redact),
                                        arrived: data.is_some(),
                                    });
                                }
                                Err(e) if e.is_link_lost() => {
                                    rec.fix = Some(fix);
                                    bail!(Stop::LinkLost(e.to_string()))
                                }
                                Err(e) if e.is_cancelled() => {
                                    rec.fix = Some(fix);
                                    rec.notes.push(format!(
                                        "stopped waiting for {}: the session was stopped",
                                        w.name
                                    ));
                                    bail!(Stop::Interrupted(run.cancel.signal()))
                                }
                                Err(e) => {
                                    arrived = Some(false);
                                    rec.notes.push(format!("waiting for {}: {e}", w.name));
                                }
                            }
                        }
                        rec.fix = Some(fix);
                        if let Some(v) = &f.verify {
                            let met =
                                match run.poll(v, baseline.as_ref(), &p, asker, &mut rec).await {
                                    Ok(met) => met,
                                    Err(s) => bail!(s),
                                };
                            if met {
                                Some(("success".into(), f.success.id.clone()))
                            } else {
                                Some(("failure".into(), f.failure.id.clone()))
                            }
                        } else if arrived == Some(false) {
                            Some(("failure (no event)".into(), f.failure.id.clone()))
                        } else {
                            Some(("success".into(), f.success.id.clone()))
                        }
                    }
                }
            }
        }
        Body::Outcome(_) => {
            run.session.outcome = outcome_record(node, run.safety.escalate_within_min);
            None
        }
    };
    rec.ended_at = run.clock.now();
    if let Some((via, to)) = &next {
        rec.branch = Some(Branch {
            via: via.clone(),
            to: to.clone(),
        });
    }
    run.session.steps.push(rec);
    Ok(next.map(|(_, to)| to))
}

/// The record of reaching an outcome node (`None` for any other node).
/// Safety outcomes carry the escalation deadline in minutes.
pub fn outcome_record(node: &Node, escalate_within_min: u32) -> Option<OutcomeRecord> {
    let Body::Outcome(o) = &node.body else {
        return None;
    };
    Some(OutcomeRecord {
        node_id: node.id.clone(),
        kind: o.kind,
        code: o.code.clone(),
        tier: o.tier,
        criterion: o.criterion.clone(),
        summary: o.summary.clone(),
        tech: node.tech.clone(),
        next_steps: o.next_steps.clone(),
        safety: o.kind == OutcomeKind::Safety,
        escalate_within_min: (o.kind == OutcomeKind::Safety).then_some(escalate_within_min),
        pet_health: o.pet_health,
    })
}

// ---------------------------------------------------------------- sweep

/// Summary of the outcome a finding leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutcomeRef {
    /// Outcome node.
    pub node_id: String,
    /// Kind.
    pub kind: OutcomeKind,
    /// Code.
    pub code: String,
    /// Tier.
    #[serde(default)]
    pub tier: Option<Tier>,
}

/// A check whose rule matched during a sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The check node.
    pub node_id: String,
    /// Its playbook step.
    #[serde(default)]
    pub playbook_step: Option<String>,
    /// Its technician label.
    #[serde(default)]
    pub tech: Option<String>,
    /// The rule that matched.
    pub rule: RuleMatch,
    /// Where the rule leads.
    pub goto: String,
    /// The outcome reached from there by checks alone, if any.
    #[serde(default)]
    pub leads_to: Option<OutcomeRef>,
    /// Every reading the check took (the rule's facts and the rest of the
    /// same answers).
    pub facts: Vec<FactRecord>,
}

/// How far the automatic walk of a flow got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "reached", rename_all = "snake_case")]
pub enum Reached {
    /// An outcome, by checks alone.
    Outcome {
        /// The outcome.
        outcome: OutcomeRef,
    },
    /// A node that needs a person (question, action or fix).
    NeedsPerson {
        /// The node.
        node_id: String,
        /// Its type.
        kind: StepKind,
    },
    /// The walk could not continue (a loop, a missing node).
    Stuck {
        /// Why.
        reason: String,
    },
}

/// The sweep of one flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FlowSweep {
    /// Flow id.
    pub flow_id: String,
    /// Technician title.
    pub title: String,
    /// Customer's words.
    pub symptom: String,
    /// Checks evaluated.
    pub checks: usize,
    /// Checks whose rule matched.
    pub findings: Vec<Finding>,
    /// Checks the device could not answer (node ids).
    pub undecided: Vec<String>,
    /// Every reading its checks took (each probe once, latest value).
    #[serde(default)]
    pub readings: Vec<FactRecord>,
    /// Where the automatic walk from `start` got to.
    pub reached: Reached,
}

impl FlowSweep {
    /// Whether any check found something.
    pub fn found_something(&self) -> bool {
        !self.findings.is_empty()
    }
}

/// The sweep of all flows of a model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    /// The model.
    pub model: crate::interface::Model,
    /// The device.
    #[serde(default)]
    pub device: Option<DeviceIdentity>,
    /// Start.
    pub started_at: DateTime<Utc>,
    /// End.
    pub ended_at: DateTime<Utc>,
    /// One entry per flow, in id order.
    pub flows: Vec<FlowSweep>,
    /// A safety rule that fired (the sweep stops there).
    #[serde(default)]
    pub safety: Option<OutcomeRecord>,
    /// Why the sweep stopped early.
    #[serde(default)]
    pub stopped: Option<StopReason>,
    /// Every fact read.
    pub facts: Vec<FactRecord>,
}

impl SweepReport {
    /// Flows whose checks found something.
    pub fn flows_with_findings(&self) -> impl Iterator<Item = &FlowSweep> {
        self.flows.iter().filter(|f| f.found_something())
    }
}

fn outcome_ref(node: &Node) -> Option<OutcomeRef> {
    match &node.body {
        Body::Outcome(o) => Some(OutcomeRef {
            node_id: node.id.clone(),
            kind: o.kind,
            code: o.code.clone(),
            tier: o.tier,
        }),
        _ => None,
    }
}

/// Follows checks automatically from `from` until a node that needs a
/// person, an outcome, or a repeat.
async fn walk_checks(run: &mut Run<'_>, flow: &Flow, from: &str) -> Result<Reached, Stop> {
    let mut current = from.to_string();
    let mut seen: Vec<String> = Vec::new();
    loop {
        if seen.contains(&current) {
            return Ok(Reached::Stuck {
                reason: format!("checks loop back to `{current}`"),
            });
        }
        seen.push(current.clone());
        let Some(node) = flow.node(&current) else {
            return Ok(Reached::Stuck {
                reason: format!("no node `{current}`"),
            });
        };
        if let Some(o) = outcome_ref(node) {
            return Ok(Reached::Outcome { outcome: o });
        }
        let Body::Check(c) = &node.body else {
            return Ok(Reached::NeedsPerson {
                node_id: node.id.clone(),
                kind: kind_of(&node.body),
            });
        };
        let mut scratch = new_step(node, StepKind::Check, run.clock.now());
        let r = run.eval_check(node, &mut scratch).await?;
        current = match (r.matched, r.unsure) {
            (Some(i), _) => c.rules[i].goto.id.clone(),
            (None, true) => c.on_error.as_ref().unwrap_or(&c.next).id.clone(),
            (None, false) => c.next.id.clone(),
        };
    }
}

/// Evaluates every check of every flow of the model automatically: no
/// questions, no actions, no fixes. Safety rules still apply (a match
/// stops the sweep). Reads are cached, so each device method is read once;
/// prefetch the model's probes first for speed.
pub async fn sweep(
    flows: &[&Flow],
    safety: &Safety,
    facts: &mut dyn Facts,
    model: crate::interface::Model,
    opts: &RunOptions,
) -> SweepReport {
    let dummy = Flow::placeholder(model);
    let mut run = Run::new(
        &dummy,
        safety,
        facts,
        opts.clock.clone(),
        RunMode::Sweep,
        opts,
    );
    let started_at = run.session.started_at;
    let mut out = Vec::new();
    let mut stop = run.identify().await.err().map(|s| (s, "start".to_string()));
    if stop.is_none() {
        'flows: for flow in flows.iter().filter(|f| f.model == model) {
            run.flow_id = flow.id.clone();
            let mut fs = FlowSweep {
                flow_id: flow.id.clone(),
                title: flow.title.clone(),
                symptom: flow.symptom.clone(),
                checks: 0,
                findings: Vec::new(),
                undecided: Vec::new(),
                readings: Vec::new(),
                reached: Reached::Stuck {
                    reason: "not walked".into(),
                },
            };
            let after_a_person = flow.checks_after_a_person();
            for node in &flow.nodes {
                let Body::Check(c) = &node.body else { continue };
                if let Some(s) = run.requested_stop() {
                    stop = Some((s, format!("{}#{}", flow.id, node.id)));
                    out.push(fs);
                    break 'flows;
                }
                if after_a_person.contains(node.id.as_str()) {
                    continue;
                }
                fs.checks += 1;
                let mut scratch = new_step(node, StepKind::Check, run.clock.now());
                let r = run.eval_check(node, &mut scratch).await;
                for f in &scratch.facts {
                    match fs.readings.iter_mut().find(|x| x.name == f.name) {
                        Some(x) => *x = f.clone(),
                        None => fs.readings.push(f.clone()),
                    }
                }
                let r = match r {
                    Ok(r) => r,
                    Err(s) => {
                        stop = Some((s, format!("{}#{}", flow.id, node.id)));
                        out.push(fs);
                        break 'flows;
                    }
                };
                match r.matched {
                    Some(i) => {
                        let goto = c.rules[i].goto.id.clone();
                        let leads_to = match walk_checks(&mut run, flow, &goto).await {
                            Ok(Reached::Outcome { outcome }) => Some(outcome),
                            Ok(_) => None,
                            Err(s) => {
                                stop = Some((s, format!("{}#{}", flow.id, node.id)));
                                out.push(fs);
                                break 'flows;
                            }
                        };
                        fs.findings.push(Finding {
                            node_id: node.id.clone(),
                            playbook_step: node.playbook_step.clone(),
                            tech: node.tech.clone(),
                            rule: RuleMatch {
                                index: i,
                                when: c.rules[i].when.text.clone(),
                            },
                            goto,
                            leads_to,
                            facts: scratch.facts.clone(),
                        });
                    }
                    None if r.unsure => fs.undecided.push(node.id.clone()),
                    None => {}
                }
            }
            match walk_checks(&mut run, flow, &flow.start.id).await {
                Ok(r) => fs.reached = r,
                Err(s) => {
                    stop = Some((s, flow.id.clone()));
                    out.push(fs);
                    break;
                }
            }
            out.push(fs);
        }
    }
    let mut safety_outcome = None;
    let mut stopped = None;
    if let Some((s, at)) = stop {
        run.finish_stop(s, &at, None);
        safety_outcome = run.session.outcome.clone();
        stopped = run.session.stopped.clone();
    }
    SweepReport {
        model,
        device: run.session.device.clone(),
        started_at,
        ended_at: run.clock.now(),
        flows: out,
        safety: safety_outcome,
        stopped,
        facts: run.session.facts.clone(),
    }
}
