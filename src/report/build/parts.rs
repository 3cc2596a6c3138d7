//! The outcome, device and step sections of a report, from the session and
//! what was read.

use super::Inputs;
use crate::flow::session::{self, Session, StepRecord};
use crate::interface::model::{FirmwareStatus, Model, firmware_status};
use crate::report::escape;
use crate::report::model::*;

pub(super) fn stop_kind(k: session::StopKind) -> StopKind {
    match k {
        session::StopKind::LinkLost => StopKind::LinkLost,
        session::StopKind::Interrupted => StopKind::Interrupted,
        session::StopKind::Safety => StopKind::Safety,
        session::StopKind::Error => StopKind::Error,
        session::StopKind::Unreachable => StopKind::Unreachable,
        session::StopKind::Unanswered => StopKind::Unanswered,
    }
}

pub(super) fn build_outcome(
    s: &Session,
    model: Option<Model>,
    stopped: Option<&Stopped>,
) -> Outcome {
    match &s.outcome {
        Some(o) => {
            let kind = if o.safety {
                OutcomeKind::Safety
            } else {
                o.kind
            };
            Outcome {
                kind,
                code: o.code.clone(),
                summary: o.summary.clone(),
                tier: o.tier.unwrap_or(default_tier(kind)),
                criterion: o.criterion.clone(),
                tech: o.tech.clone(),
                safety: kind == OutcomeKind::Safety,
                pet_health: o.pet_health,
                flow_outcome: s.flow_outcome.as_ref().map(|f| FlowOutcome {
                    kind: f.kind,
                    code: f.code.clone(),
                    summary: f.summary.clone(),
                }),
            }
        }
        None => {
            let prefix = model.map_or("PAWCORE", Model::code);
            let (code, summary) = match stopped {
                Some(st) => (
                    format!("{prefix}-INCOMPLETE-{}", st.kind.code()),
                    format!(
                        "The check stopped before it finished because {}.",
                        st.kind.label()
                    ),
                ),
                None => (
                    format!("{prefix}-INCOMPLETE"),
                    "The check ended before it reached a result.".to_string(),
                ),
            };
            Outcome {
                kind: OutcomeKind::Incomplete,
                code,
                summary,
                tier: Tier::One,
                criterion: None,
                // The stop's detail is shown with `stopped`; not repeated here.
                tech: None,
                safety: false,
                pet_health: false,
                flow_outcome: None,
            }
        }
    }
}

/// The tier that owns an outcome when the flow does not say.
pub(super) fn default_tier(kind: OutcomeKind) -> Tier {
    match kind {
        // Retailer playbook: Tier 3 (escalations specialist / product owner)
        // handles safety.
        OutcomeKind::Safety => Tier::Three,
        OutcomeKind::Replace | OutcomeKind::Escalate => Tier::Two,
        _ => Tier::One,
    }
}

pub(super) fn build_device(inp: &Inputs<'_>, model: Option<Model>) -> Device {
    let d = inp.device;
    let ident = inp.session.device.as_ref();
    let model_id = d
        .info
        .as_ref()
        .map(|i| i.model.clone())
        .or_else(|| ident.map(|i| i.model.clone()))
        .or_else(|| model.map(|m| m.id().to_string()))
        .unwrap_or_else(|| "unknown".to_string());
    // An unknown model string from the device still gets the session's
    // model for the firmware comparison.
    let reported = Model::parse(&model_id).or(model);
    let fw = d
        .info
        .as_ref()
        .map(|i| i.fw_version.clone())
        .or_else(|| ident.map(|i| i.fw_version.clone()));
    let fw_status = match (reported, fw.as_deref()) {
        (Some(m), Some(v)) => firmware_status(m, v),
        _ => FirmwareStatus::Unknown,
    };
    Device {
        model: escape::one_line(&model_id),
        product: reported.map(|m| m.product_name().to_string()),
        serial: d
            .info
            .as_ref()
            .map(|i| i.serial.clone())
            .or_else(|| ident.map(|i| i.serial.clone()))
            .unwrap_or_else(|| "unknown".into()),
        hw_rev: d
            .info
            .as_ref()
            .and_then(|i| i.hw_rev.clone())
            .or_else(|| ident.and_then(|i| i.hw_rev.clone())),
        fw_version: fw,
        fw_current: reported.map(|m| m.current_firmware().to_string()),
        fw_status,
        interface: d
            .info
            .as_ref()
            .map(|i| i.interface)
            .or_else(|| ident.and_then(|i| i.interface)),
        uptime_s: d.info.as_ref().and_then(|i| i.uptime_s),
        boot_count: d.info.as_ref().and_then(|i| i.boot_count),
        last_reset: d.info.as_ref().and_then(|i| i.last_reset.clone()),
        battery: d.battery.clone(),
        selftest: d.selftest.as_ref().map(|t| t.results.clone()),
        log: d.log.as_ref().map(|l| DeviceLog {
            entries: l.entries.clone(),
            truncated: l.truncated,
        }),
    }
}

pub(super) fn build_step(i: usize, st: &StepRecord) -> Step {
    let values = st
        .facts
        .iter()
        .map(|f| Reading {
            name: f.name.clone(),
            value: f.value.clone(),
            error: f.error.clone(),
            unit: f.unit.clone(),
        })
        .collect();
    let answer = st.answer.as_ref().map(|a| {
        if a.unanswered {
            "(no answer)".to_string()
        } else {
            match (&a.label, &a.value) {
                (Some(l), Some(v)) if !l.eq_ignore_ascii_case(v) => format!("{l} ({v})"),
                (Some(l), _) => l.clone(),
                (None, Some(v)) => v.clone(),
                (None, None) => "(no answer)".to_string(),
            }
        }
    });
    let fix = st.fix.as_ref().map(|f| {
        let consent = match f.consent {
            session::Consent::Given => "consent given",
            session::Consent::Declined => "declined",
            session::Consent::Unanswered => "no consent (unanswered)",
        };
        let mut text = format!("{} ({consent})", f.method);
        if let Some(r) = &f.result {
            text.push_str(&format!(": result {r}"));
        }
        if let Some(e) = &f.error {
            text.push_str(&format!(": failed, {e}"));
        }
        if let Some(ev) = &f.event {
            if ev.arrived {
                let data = ev.data.clone().unwrap_or_default();
                text.push_str(&format!("; event {} arrived: {data}", ev.name));
            } else {
                text.push_str(&format!(
                    "; event {} did not arrive within {} s",
                    ev.name, ev.timeout_s
                ));
            }
        }
        text
    });
    let mut result = Vec::new();
    if let Some(m) = &st.matched_rule {
        result.push(format!("rule {} matched: {}", m.index + 1, m.when));
    }
    if let Some(v) = &st.verify {
        let polls = v.polls.len() + v.polls_dropped as usize;
        result.push(if v.met {
            format!("verified: {} (after {polls} polls)", v.until)
        } else if v.gave_up {
            format!("not verified: {} (gave up after {polls} polls)", v.until)
        } else {
            format!(
                "not verified: {} within {} s ({polls} polls)",
                v.until, v.timeout_s
            )
        });
        // The last poll's values are the evidence; earlier ones are in the
        // transcript.
        if let Some(last) = v.polls.last() {
            let vals = serde_json::to_value(&last.values).unwrap_or_default();
            result.push(format!("last poll {vals}"));
        }
    }
    if let Some(b) = &st.branch {
        let said = st
            .matched_rule
            .as_ref()
            .is_some_and(|m| b.via == format!("rule {}", m.index + 1));
        result.push(if said {
            format!("→ {}", b.to)
        } else {
            format!("→ {} ({})", b.to, b.via)
        });
    }
    if result.is_empty() {
        result.push(if let Some(summary) = &st.summary {
            summary.clone()
        } else if st.kind == session::StepKind::Outcome {
            "outcome reached".into()
        } else {
            "done".into()
        });
    }
    Step {
        n: u32::try_from(i + 1).unwrap_or(u32::MAX),
        node: st.node_id.clone(),
        kind: st.kind.to_string(),
        playbook_step: st.playbook_step.clone(),
        action: st
            .tech
            .as_deref()
            .or(st.say.as_deref())
            .unwrap_or(&st.node_id)
            .to_string(),
        customer_text: st.say.clone(),
        values,
        answer,
        fix,
        result: result.join("; "),
        notes: st.notes.clone(),
        at: st.started_at,
        ended_at: st.ended_at,
        reply: st.reply(),
    }
}
