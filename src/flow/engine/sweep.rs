//! The bench sweep: every check of every flow of a model evaluated
//! automatically (no questions, no actions, no fixes), reporting which
//! flows found something.

use super::{Run, RunOptions, Stop, kind_of, new_step};
use crate::flow::format::{Body, Flow, Node};
use crate::flow::safety::Safety;
use crate::flow::session::*;
use crate::probe::Facts;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
