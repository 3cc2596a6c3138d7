//! Verifications: the baseline a `require_change` condition compares
//! with, and polling the device until the condition holds, the time is up
//! or the person gives up.

use super::asker::{Asker, PollControl, Prompt};
use super::{Run, Stop, or_stop, record_in, redact};
use crate::flow::expr::{Fact, Truth};
use crate::flow::format::Verify;
use crate::flow::session::*;
use crate::probe::catalogue;
use serde_json::Value;
use std::time::Duration;

/// Step note when a `require_change` condition holds but nothing it reads
/// has changed since the step began.
const UNCHANGED: &str =
    "the condition already held when the step began; waiting for a change the device reports";

impl Run<'_> {
    /// Reads the values a `require_change` verification compares its polls
    /// with: what the session knows at the step's start (usually what the
    /// check that led here read), read from the device if not known yet.
    /// Active probes have no baseline: their value is the result of this
    /// step's own fix.
    pub(super) async fn baseline(
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
    pub(super) async fn poll(
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

    pub(super) async fn poll_into(
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
}
