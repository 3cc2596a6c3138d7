//! One diagnosis of one device, start to finish, for every way in
//! (`diagnose`, `guide`, `batch`): identify the device, read what the flow
//! needs in one pipelined batch, walk one flow (or sweep them all), read the
//! device log, and hand back everything a report is built from. Work done
//! before a failure is always returned.

use crate::client::{Client, Entry, Stats};
use crate::flow::engine::{self, Asker, RunOptions, SweepReport};
use crate::flow::format::Flow;
use crate::flow::load::FlowSet;
use crate::flow::session::{
    FactRecord, OutcomeKind, OutcomeRecord, RunMode, Session, StepKind, StepRecord, Tier,
};
use crate::interface::Model;
use crate::interface::methods::{BatteryStatus, DeviceInfo, LogRead, Selftest};
use crate::probe::{DeviceFacts, FactError};
use crate::report::DeviceData;
use serde::Serialize;
use serde_json::Value;

/// What a diagnosis produced.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    /// The session record (for a sweep: one step per flow).
    pub session: Session,
    /// The sweep, when no flow was named.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweep: Option<SweepReport>,
    /// Identity, battery, self-test and log, as read.
    #[serde(skip)]
    pub device: DeviceData,
    /// The protocol transcript.
    #[serde(skip)]
    pub transcript: Vec<Entry>,
    /// Transcript entries left out (cap reached).
    #[serde(skip)]
    pub transcript_dropped: u64,
    /// Link counters.
    pub link: Stats,
}

/// Why a diagnosis could not start.
#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
    /// The device could not be identified (silent, not PawCore, link lost).
    #[error("{0}")]
    Unreachable(FactError),
    /// No flow with that id.
    #[error("there is no flow `{0}`")]
    NoSuchFlow(String),
    /// An id without its model (`gps-not-working`) that the device's model
    /// has no flow of.
    #[error("the {model} has no flow `{name}`")]
    NoFlowForModel {
        /// The id as given.
        name: String,
        /// The device's model.
        model: Model,
    },
    /// The flow is for another product.
    #[error("flow `{flow}` is for the {flow_model}, but this device is a {device_model}")]
    WrongModel {
        /// The flow id.
        flow: String,
        /// Its model.
        flow_model: Model,
        /// The device's model.
        device_model: Model,
    },
}

/// Diagnoses the device behind `client`: one flow when `flow_id` is given,
/// otherwise the bench sweep of every flow of its model.
pub async fn diagnose(
    client: Client,
    flows: &FlowSet,
    flow_id: Option<&str>,
    asker: &mut dyn Asker,
    opts: &RunOptions,
) -> Result<Diagnosis, DiagnoseError> {
    let mut facts = DeviceFacts::identify(client)
        .await
        .map_err(|(_, e)| DiagnoseError::Unreachable(e))?;
    let model = facts.model();
    let flow = match flow_id {
        Some(id) => {
            // An id without its model names the device's model's flow.
            let flow = flows.resolve(id, model).ok_or_else(|| {
                if flows.has_name(id) {
                    DiagnoseError::NoFlowForModel {
                        name: id.to_string(),
                        model,
                    }
                } else {
                    DiagnoseError::NoSuchFlow(id.to_string())
                }
            })?;
            if flow.model != model {
                return Err(DiagnoseError::WrongModel {
                    flow: id.to_string(),
                    flow_model: flow.model,
                    device_model: model,
                });
            }
            Some(flow)
        }
        None => None,
    };
    // One pipelined batch up front: everything read-only the model offers
    // (self-test included), so checks then answer from the cache. A link
    // lost here is recorded by the engine on its first read.
    let _ = facts.prefetch().await;

    let (session, sweep) = match flow {
        Some(flow) => (
            engine::run(flow, &flows.safety, &mut facts, asker, opts).await,
            None,
        ),
        None => {
            let list: Vec<&Flow> = flows.for_model(model).collect();
            let sweep = engine::sweep(&list, &flows.safety, &mut facts, model, opts).await;
            (sweep_session(&sweep, flows, opts), Some(sweep))
        }
    };

    // The report shows the recent device log; a lost link simply leaves it out.
    if session.stopped.is_none() {
        let _ = facts
            .client_mut()
            .call("log.read", Some(serde_json::json!({ "max": 30 })))
            .await
            .map(|v| facts.remember("log.read", v));
    }
    let device = device_data(&facts);
    let client = facts.into_client();
    let link = client.stats().clone();
    let transcript = client.transcript().entries().to_vec();
    let transcript_dropped = client.transcript().dropped();
    client.close().await;
    Ok(Diagnosis {
        session,
        sweep,
        device,
        transcript,
        transcript_dropped,
        link,
    })
}

fn parsed<T: serde::de::DeserializeOwned>(facts: &DeviceFacts, method: &str) -> Option<T> {
    facts
        .raw(method)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fn device_data(facts: &DeviceFacts) -> DeviceData {
    DeviceData {
        info: parsed::<DeviceInfo>(facts, "device.info"),
        battery: parsed::<BatteryStatus>(facts, "battery.status"),
        selftest: parsed::<Selftest>(facts, "selftest.run"),
        log: parsed::<LogRead>(facts, "log.read"),
    }
}

/// How serious an outcome is, for picking the sweep's overall outcome.
fn severity(kind: OutcomeKind) -> u8 {
    match kind {
        OutcomeKind::Safety => 5,
        OutcomeKind::Replace => 4,
        OutcomeKind::Escalate => 3,
        OutcomeKind::CustomerAction => 2,
        // Checks alone never fix anything: a "resolved" ending reached by
        // checks only means the device looks fine.
        OutcomeKind::Resolved | OutcomeKind::NoFaultFound | OutcomeKind::Incomplete => 0,
    }
}

fn outcome_of(flow: &Flow, node_id: &str, escalate_within_min: u32) -> Option<OutcomeRecord> {
    let mut rec = engine::outcome_record(flow.node(node_id)?, escalate_within_min)?;
    // Sweeps cover many flows: name the flow with the node.
    rec.node_id = format!("{}#{}", flow.id, node_id);
    Some(rec)
}

/// The sweep as a session, so it reports like any flow: one step per flow
/// (its findings as notes and facts), and the most serious outcome the
/// checks alone reached. Findings that need a person to finish lead to a
/// follow-up escalation rather than a silent "no fault".
pub fn sweep_session(sweep: &SweepReport, flows: &FlowSet, _opts: &RunOptions) -> Session {
    let model = sweep.model;
    let mut steps = Vec::new();
    let mut best: Option<OutcomeRecord> = None;
    let mut needs_person = Vec::new();
    for fs in &sweep.flows {
        let flow = flows.get(&fs.flow_id);
        let mut notes = Vec::new();
        let mut facts: Vec<FactRecord> = Vec::new();
        let mut problems = 0usize;
        for f in &fs.findings {
            // A matched rule is only a problem when it leads towards a fault
            // (or needs the person to tell more); rules that route a healthy
            // reading onwards are not findings for the bench.
            let outcome = f.leads_to.as_ref().and_then(|o| {
                flow.and_then(|fl| outcome_of(fl, &o.node_id, flows.safety.escalate_within_min))
            });
            let leads = match (&f.leads_to, &outcome) {
                (Some(_), Some(rec)) if rec.kind.is_fault() || rec.safety => {
                    format!(" → {} {}", rec.kind, rec.code)
                }
                (Some(_), _) => continue,
                (None, _) => " → needs the person to continue".into(),
            };
            problems += 1;
            notes.push(format!(
                "{}: `{}` matched{leads}",
                f.tech
                    .as_deref()
                    .or(f.playbook_step.as_deref())
                    .unwrap_or(&f.node_id),
                f.rule.when
            ));
            facts.extend(f.facts.iter().cloned());
            match outcome {
                Some(rec) => {
                    if best
                        .as_ref()
                        .is_none_or(|b| severity(rec.kind) > severity(b.kind))
                    {
                        best = Some(rec);
                    }
                }
                None => needs_person.push(fs.title.clone()),
            }
        }
        if !fs.undecided.is_empty() {
            notes.push(format!(
                "the device could not answer: {}",
                fs.undecided.join(", ")
            ));
        }
        steps.push(StepRecord {
            node_id: fs.flow_id.clone(),
            kind: StepKind::Check,
            playbook_step: Some(fs.title.clone()),
            say: Some(fs.symptom.clone()),
            help: None,
            tech: Some(format!(
                "{}: {} checks, {} finding{}",
                fs.title,
                fs.checks,
                problems,
                if problems == 1 { "" } else { "s" }
            )),
            started_at: sweep.started_at,
            ended_at: sweep.ended_at,
            facts,
            matched_rule: None,
            answer: None,
            fix: None,
            verify: None,
            branch: None,
            notes,
        });
    }
    needs_person.dedup();
    let code = model.code();
    let outcome = if let Some(s) = &sweep.safety {
        Some(s.clone())
    } else if let Some(b) = best.filter(|b| b.kind.is_fault()) {
        Some(b)
    } else if !needs_person.is_empty() {
        Some(OutcomeRecord {
            node_id: "sweep#follow-up".into(),
            kind: OutcomeKind::Escalate,
            code: format!("{code}-SWEEP-FOLLOWUP"),
            tier: Some(Tier::Two),
            criterion: Some("Complex technical issues".into()),
            summary: format!(
                "The automatic checks found something that needs a closer look: {}.",
                needs_person.join(", ")
            ),
            tech: Some("Findings that need the person's answers: run `pawdiag diagnose --flow …` for these flows".into()),
            next_steps: needs_person
                .iter()
                .map(|t| format!("Walk the \"{t}\" flow with the customer"))
                .collect(),
            safety: false,
            escalate_within_min: None,
        })
    } else if sweep.stopped.is_none() {
        Some(OutcomeRecord {
            node_id: "sweep#no-fault".into(),
            kind: OutcomeKind::NoFaultFound,
            code: format!("{code}-SWEEP-OK"),
            tier: Some(Tier::One),
            criterion: None,
            summary: "Every automatic check passed: no fault found.".into(),
            tech: Some("All checks of all flows passed; all self-tests passed".into()),
            next_steps: vec!["Return the unit to the customer or to stock".into()],
            safety: false,
            escalate_within_min: None,
        })
    } else {
        None
    };
    Session {
        flow_id: format!("{}/sweep", model.id()),
        flow_title: format!(
            "Bench sweep: every automatic check of every {} flow",
            model.product_name()
        ),
        flow_symptom: String::new(),
        playbook: format!("{} Support (all symptoms)", model.product_name()),
        model,
        device: sweep.device.clone(),
        mode: RunMode::Sweep,
        started_at: sweep.started_at,
        ended_at: Some(sweep.ended_at),
        steps,
        outcome,
        stopped: sweep.stopped.clone(),
        answers_unanswered: Vec::new(),
        facts: sweep.facts.clone(),
        needs_answers: Vec::new(),
    }
}

/// Values a shell script can branch on.
pub fn outcome_value(session: &Session) -> Value {
    serde_json::json!({
        "kind": session.outcome.as_ref().map(|o| o.kind.as_str()),
        "code": session.outcome.as_ref().map(|o| o.code.clone()),
        "stopped": session.stopped.as_ref().map(|s| s.kind.to_string()),
    })
}
