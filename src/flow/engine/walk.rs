//! The walk's state and what it does with the device: identify it, read
//! facts (each read checked against the safety rules), evaluate a check's
//! rules, and record how a walk stopped.

use super::asker::AskError;
use super::{CheckResult, IDENTITY, Run, RunOptions, Stop, record_in, redact};
use crate::flow::clock::Clock;
use crate::flow::expr::{Fact, Truth};
use crate::flow::format::{Body, Cond, Flow, Node};
use crate::flow::safety::Safety;
use crate::flow::session::*;
use crate::probe::{Facts, catalogue};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

impl<'a> Run<'a> {
    pub(super) fn new(
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
    pub(super) fn requested_stop(&self) -> Option<Stop> {
        self.cancel
            .is_requested()
            .then(|| Stop::Interrupted(self.cancel.signal()))
    }

    pub(super) fn ask_err(&self, e: AskError) -> Stop {
        match e {
            AskError::Interrupted => Stop::Interrupted(self.cancel.signal()),
            AskError::Invalid(m) => Stop::Error(m),
        }
    }

    pub(super) fn lookup(&self, name: &str) -> Fact {
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
    pub(super) async fn read(
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
    pub(super) fn undecided(&self, probe: &str, f: &Fact) -> bool {
        match f {
            Fact::Missing => true,
            Fact::Value(Value::Null) => !catalogue::code_status_probe(probe).is_some_and(
                |st| matches!(self.lookup(&st), Fact::Value(Value::String(s)) if s == "pass"),
            ),
            Fact::Value(_) => false,
        }
    }

    pub(super) fn note_fact(&mut self, rec: FactRecord) {
        match self.session.facts.iter_mut().find(|f| f.name == rec.name) {
            Some(f) => *f = rec,
            None => self.session.facts.push(rec),
        }
    }

    pub(super) fn check_safety(&self) -> Result<(), Stop> {
        for (i, rule) in self.safety.rules.iter().enumerate() {
            let mut lookup = |n: &str| self.lookup(n);
            if rule.when.eval(&mut lookup) == Truth::True {
                return Err(Stop::Safety(i));
            }
        }
        Ok(())
    }

    pub(super) fn truth(&self, c: &Cond) -> Truth {
        let mut lookup = |n: &str| self.lookup(n);
        c.expr.eval(&mut lookup)
    }

    pub(super) async fn identify(&mut self) -> Result<(), Stop> {
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

    pub(super) async fn eval_check(
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

    pub(super) fn finish_stop(&mut self, stop: Stop, at_node: &str, step: Option<StepRecord>) {
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
