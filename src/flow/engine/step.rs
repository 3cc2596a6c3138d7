//! One node at a time: the hazard screen, then each kind of node (check,
//! question, action, fix, outcome) performed and recorded as a step.

use super::asker::{ActionReply, Answer, Asker, Choice, Prompt};
use super::fix::fix;
use super::{Run, Stop, kind_of, new_step, or_stop};
use crate::flow::format::{Action, Body, Check, Flow, Node, Question};
use crate::flow::safety::HAZARD_KEY;
use crate::flow::session::*;
use serde_json::Value;
use std::collections::BTreeMap;

/// The branch a node took (`via`, next node id), `None` at an outcome.
pub(super) type Next = Result<Option<(String, String)>, Stop>;

pub(super) async fn hazard(run: &mut Run<'_>, asker: &mut dyn Asker) -> Result<(), Stop> {
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
pub(super) async fn step(
    run: &mut Run<'_>,
    flow: &Flow,
    node: &Node,
    asker: &mut dyn Asker,
) -> StepResult {
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
    let flow_id = flow.id.as_str();
    let base = baseline.as_ref();
    let next = match &node.body {
        Body::Check(c) => check(run, flow_id, node, c, asker, &mut rec).await,
        Body::Question(q) => question(run, flow_id, node, q, asker, &mut rec).await,
        Body::Action(a) => action(run, flow_id, node, a, base, asker, &mut rec).await,
        Body::Fix(f) => fix(run, flow_id, node, f, base, asker, &mut rec).await,
        Body::Outcome(_) => {
            run.session.outcome = outcome_record(node, run.safety.escalate_within_min);
            Ok(None)
        }
    };
    let next = match next {
        Ok(next) => next,
        Err(stop) => return Err((stop, Some(rec))),
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

/// A check: the device's readings pick the branch.
async fn check(
    run: &mut Run<'_>,
    flow_id: &str,
    node: &Node,
    c: &Check,
    asker: &mut dyn Asker,
    rec: &mut StepRecord,
) -> Next {
    Ok({
        if let Some(say) = &c.say {
            let p = Prompt {
                flow_id,
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
        let r = match run.eval_check(node, rec).await {
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
    })
}

/// A question: the person's answer picks the branch.
async fn question(
    run: &mut Run<'_>,
    flow_id: &str,
    node: &Node,
    q: &Question,
    asker: &mut dyn Asker,
    rec: &mut StepRecord,
) -> Next {
    Ok({
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
            flow_id,
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
                let mut accepts: Vec<String> = q.answers.iter().map(|a| a.value.clone()).collect();
                accepts.push("unknown".into());
                bail!(Stop::Unanswered(NeededAnswer {
                    node_id: node.id.clone(),
                    kind: StepKind::Question,
                    text: q.ask.clone(),
                    accepts,
                }))
            }
        }
    })
}

/// An action the person does, verified on the device when the flow says how.
async fn action(
    run: &mut Run<'_>,
    flow_id: &str,
    node: &Node,
    a: &Action,
    baseline: Option<&BTreeMap<String, Value>>,
    asker: &mut dyn Asker,
    rec: &mut StepRecord,
) -> Next {
    Ok({
        rec.help = a.help.clone();
        let p = Prompt {
            flow_id,
            node_id: &node.id,
            kind: StepKind::Action,
            playbook_step: node.playbook_step.as_deref(),
            text: &a.do_,
            help: a.help.as_deref(),
            tech: node.tech.as_deref(),
            choices: &[],
        };
        let reply = match or_stop(run.cancel.clone(), asker.action(&p, a.verify.is_some())).await {
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
                let met = match run.poll(v, baseline, &p, asker, rec).await {
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
    })
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
