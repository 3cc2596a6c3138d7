//! A fix node: pawdiag changes the device once the person consents, waits
//! for the event the fix announces, then verifies.

use super::asker::{Answer, Asker, Prompt};
use super::step::Next;
use super::{Run, Stop, or_stop, redact, yes_no};
use crate::flow::format::{Fix, Node};
use crate::flow::session::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

/// A fix pawdiag applies once the person consents, then verifies.
pub(super) async fn fix(
    run: &mut Run<'_>,
    flow_id: &str,
    node: &Node,
    f: &Fix,
    baseline: Option<&BTreeMap<String, Value>>,
    asker: &mut dyn Asker,
    rec: &mut StepRecord,
) -> Next {
    Ok({
        let choices = yes_no();
        let p = Prompt {
            flow_id,
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
                        let met = match run.poll(v, baseline, &p, asker, rec).await {
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
    })
}
