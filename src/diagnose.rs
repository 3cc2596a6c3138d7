//! One diagnosis of one device, start to finish, for every way in
//! (`diagnose`, `guide`, `batch`): identify the device, read what the flow
//! needs in one pipelined batch, walk one flow (or sweep them all), read the
//! device log, and hand back everything a report is built from. Work done
//! before a failure is always returned, and every ending is a [`Diagnosis`]:
//! a device that never answered (or not as a PawCore device) gets a session
//! stopped as `unreachable` with the transcript of what was tried, a lost
//! link stops the session as `link_lost`, and a stop request
//! ([`RunOptions::cancel`]) as `interrupted`.

use crate::client::{Client, Entry, Stats};
use crate::flow::engine::{self, Asker, RunOptions, SweepReport};
use crate::flow::findings_eval::{self, Sources};
use crate::flow::format::Flow;
use crate::flow::load::FlowSet;
use crate::flow::session::{RunMode, Session, StopKind, StopReason};
use crate::flow::verdict;
use crate::interface::Model;
use crate::interface::methods::{BatteryStatus, DeviceInfo, LogRead, Selftest};
use crate::probe::{DeviceFacts, FactError};
use crate::report::DeviceData;
use crate::sweep::sweep_session;
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

impl Diagnosis {
    /// The report of this diagnosis (redacted as `options` say, sealed).
    pub fn report(
        &self,
        customer: &crate::report::CustomerInfo,
        options: crate::report::BuildOptions,
    ) -> Result<crate::report::model::Report, crate::report::BuildError> {
        crate::report::build(crate::report::Inputs {
            session: &self.session,
            device: &self.device,
            transcript: &self.transcript,
            transcript_dropped: self.transcript_dropped,
            customer,
            options,
        })
    }
}

/// Why a diagnosis could not start (bad input: nothing is reported).
#[derive(Debug, thiserror::Error)]
pub enum DiagnoseError {
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

/// A device that answered `device.info` with a PawCore model: the first
/// half of a diagnosis, for callers that choose the flow after seeing the
/// model (`guide` asks the person "What's going on?").
pub struct Identified {
    facts: DeviceFacts,
}

/// A device that did not say who it is (silent, another protocol, gone, or
/// a stop came first): what was tried is in its client's transcript, and
/// [`Unidentified::diagnosis`] turns it into a session to report.
pub struct Unidentified {
    client: Client,
    error: FactError,
}

impl Unidentified {
    /// Why it was not identified.
    pub fn error(&self) -> &FactError {
        &self.error
    }

    /// The diagnosis of a device that never said who it is: nothing of
    /// `flow` ran; the session is stopped `unreachable` (or `interrupted`
    /// when a stop came first) and the transcript shows what was tried and
    /// what came back.
    pub async fn diagnosis(
        self,
        flow: Option<&Flow>,
        mode: RunMode,
        started: chrono::DateTime<chrono::Utc>,
        opts: &RunOptions,
    ) -> Diagnosis {
        let link = self.client.stats().clone();
        let err = &self.error;
        let stopped = if err.is_cancelled() {
            StopReason::interrupted("identify", opts.cancel.signal())
        } else {
            // One classifier for every command: its class names the failure.
            // Named as the person gave it (a transport's description may
            // add, say, a Bluetooth address in brackets).
            let described = self.client.describe();
            let device = described.split(" (").next().unwrap_or(&described);
            let c = crate::failure::of_fact(err, device);
            StopReason {
                failure: Some(c.class.id().to_string()),
                ..StopReason::new(StopKind::Unreachable, "identify", c.message)
            }
        };
        let mut client = self.client;
        // What came back, in words, beside the lines themselves.
        client.note(&heard(&link));
        // The model is only what the flow is for; the device never said.
        let model = flow.map_or(Model::PetTracker, |f| f.model);
        let flow_id = flow.map_or_else(|| "sweep".to_string(), |f| f.id.clone());
        let title = flow.map_or_else(
            || "Bench sweep: every automatic check".to_string(),
            |f| f.title.clone(),
        );
        let session = Session {
            flow_symptom: flow.map(|f| f.symptom.clone()).unwrap_or_default(),
            playbook: flow.map(|f| f.playbook.clone()).unwrap_or_default(),
            ended_at: Some(opts.clock.now()),
            stopped: Some(stopped),
            model_unknown: true,
            ..Session::new(&flow_id, &title, model, mode, started)
        };
        finish(client, session, None, DeviceData::default()).await
    }
}

impl Identified {
    /// Reads `device.info` and learns the model. Set the client's stop
    /// token first ([`Client::set_cancel`]) for a stop to reach this read.
    pub async fn new(client: Client) -> Result<Identified, Unidentified> {
        match DeviceFacts::identify(client).await {
            Ok(facts) => Ok(Identified { facts }),
            Err((client, error)) => Err(Unidentified { client, error }),
        }
    }

    /// The device's model.
    pub fn model(&self) -> Model {
        self.facts.model()
    }

    /// The serial number the device reported.
    pub fn serial(&self) -> Option<String> {
        self.facts
            .raw("device.info")
            .and_then(|v| v.get("serial"))
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// Closes the connection without diagnosing.
    pub async fn close(self) {
        self.facts.into_client().close().await;
    }

    /// Walks one flow (`flow_id`), or sweeps every flow of the model, and
    /// returns everything a report is built from. The client observes
    /// `opts.cancel` from here on.
    pub async fn run(
        self,
        flows: &FlowSet,
        flow_id: Option<&str>,
        asker: &mut dyn Asker,
        opts: &RunOptions,
    ) -> Result<Diagnosis, DiagnoseError> {
        let mut facts = self.facts;
        facts.client_mut().set_cancel(opts.cancel.clone());
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
                    facts.into_client().close().await;
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
        // lost here (and not got back) ends the session at its first read:
        // answers read before the loss must not carry it to a verdict.
        if let Err(e) = facts.prefetch().await
            && e.is_link_lost()
        {
            facts.mark_lost(e);
        }

        let (mut session, sweep, checks) = match flow {
            Some(flow) => (
                engine::run(flow, &flows.safety, &mut facts, asker, opts).await,
                None,
                None,
            ),
            None => {
                // A person at the sweep (the guide) is asked the hazard
                // question first; a reported hazard ends it there.
                let screened = match opts.ask_hazard {
                    Some(true) => {
                        Some(engine::screen(&flows.safety, &mut facts, asker, model, opts).await)
                    }
                    _ => None,
                };
                match screened {
                    Some(s) if s.outcome.is_some() || s.stopped.is_some() => (s, None, None),
                    screened => {
                        let list: Vec<&Flow> = flows.for_model(model).collect();
                        let sweep =
                            engine::sweep(&list, &flows.safety, &mut facts, model, opts).await;
                        let (mut session, checks) = sweep_session(&sweep, flows);
                        if let Some(s) = screened {
                            session.answers_unanswered = s.answers_unanswered;
                            session.steps.splice(0..0, s.steps);
                        }
                        (session, Some(sweep), Some(checks))
                    }
                }
            }
        };

        // The report shows the recent device log; a lost link simply leaves
        // it out (the prefetched one still counts for findings).
        let lost = session
            .stopped
            .as_ref()
            .is_some_and(|s| s.kind == StopKind::LinkLost);
        if !lost {
            match facts
                .client_mut()
                .call("log.read", Some(serde_json::json!({ "max": 30 })))
                .await
            {
                Ok(v) => facts.remember("log.read", v),
                // After a verdict the verdict stands; the transcript says
                // what happened.
                Err(e) if e.is_link() => facts
                    .client_mut()
                    .note(&format!("the device log could not be read: {e}")),
                Err(_) => {}
            }
        }

        // Everything the device reported, whether or not the flow asked.
        let src = sources(&facts, &session);
        let mut found = findings_eval::evaluate(&flows.findings, &flows.safety, &src);
        let minutes = flows.safety.escalate_within_min;
        match checks {
            Some(checks) => {
                found.extend(checks);
                verdict::apply_sweep(&mut session, findings_eval::merge_parts(found), minutes);
            }
            None => verdict::apply(&mut session, found, minutes),
        }
        let device = device_data(&facts);
        Ok(finish(facts.into_client(), session, sweep, device).await)
    }
}

/// Diagnoses the device behind `client`: one flow when `flow_id` is given,
/// otherwise the bench sweep of every flow of its model. The client
/// observes `opts.cancel` from here on. A device that never says who it is
/// is a diagnosis too (stopped `unreachable`), never an error.
pub async fn diagnose(
    mut client: Client,
    flows: &FlowSet,
    flow_id: Option<&str>,
    asker: &mut dyn Asker,
    opts: &RunOptions,
) -> Result<Diagnosis, DiagnoseError> {
    client.set_cancel(opts.cancel.clone());
    // A full id is checked now; one without its model (`gps-not-working`)
    // once the device has said what it is.
    let named = match flow_id {
        Some(id) => match flows.get(id) {
            Some(flow) => Some(flow),
            None if flows.has_name(id) => None,
            None => return Err(DiagnoseError::NoSuchFlow(id.to_string())),
        },
        None => None,
    };
    let started = opts.clock.now();
    match Identified::new(client).await {
        Ok(device) => device.run(flows, flow_id, asker, opts).await,
        Err(unknown) => {
            let mode = if flow_id.is_some() {
                asker.mode()
            } else {
                RunMode::Sweep
            };
            Ok(unknown.diagnosis(named, mode, started, opts).await)
        }
    }
}

async fn finish(
    client: Client,
    session: Session,
    sweep: Option<SweepReport>,
    device: DeviceData,
) -> Diagnosis {
    let link = client.stats().clone();
    let transcript = client.transcript().entries().to_vec();
    let transcript_dropped = client.transcript().dropped();
    client.close().await;
    Diagnosis {
        session,
        sweep,
        device,
        transcript,
        transcript_dropped,
        link,
    }
}

/// What came back from a device that could not be identified, in words.
fn heard(link: &Stats) -> String {
    match (link.bytes_rx, link.log_lines, link.protocol_lines) {
        (0, _, _) => "nothing came back".into(),
        (n, logs, 0) => format!(
            "{n} bytes came back ({logs} text line{}), none of them a PawCore answer",
            if logs == 1 { "" } else { "s" }
        ),
        (n, _, p) => format!(
            "{n} bytes came back, {p} of them in PawCore lines, but no usable answer to device.info"
        ),
    }
}

fn parsed<T: serde::de::DeserializeOwned>(facts: &DeviceFacts, method: &str) -> Option<T> {
    facts
        .raw(method)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// What was read from the device, for the report's device section.
pub fn device_data(facts: &DeviceFacts) -> DeviceData {
    DeviceData {
        info: parsed::<DeviceInfo>(facts, "device.info"),
        battery: parsed::<BatteryStatus>(facts, "battery.status"),
        selftest: parsed::<Selftest>(facts, "selftest.run"),
        log: parsed::<LogRead>(facts, "log.read"),
    }
}

/// What was read from the device, as finding rules see it: every method
/// result, and when each probe was read (the prefetch at the start of the
/// session for the rest).
pub fn sources(facts: &DeviceFacts, session: &Session) -> Sources {
    let raw = facts
        .raw_all()
        .map(|(m, v)| (m.to_string(), v.clone()))
        .collect();
    let mut src = Sources::new(facts.model(), raw);
    src.faults = facts.hardware_faults();
    src.read_at = session
        .facts
        .iter()
        .filter(|f| f.error.is_none())
        .map(|f| (f.name.clone(), f.at))
        .collect();
    src.default_at = Some(session.started_at);
    src
}

/// The same, from the report's device data (identity, battery, self-test,
/// log) only: for sessions rebuilt without the live device.
pub fn sources_of(device: &DeviceData, session: &Session) -> Sources {
    let raw = [
        ("device.info", serde_json::to_value(&device.info)),
        ("battery.status", serde_json::to_value(&device.battery)),
        ("selftest.run", serde_json::to_value(&device.selftest)),
        ("log.read", serde_json::to_value(&device.log)),
    ]
    .into_iter()
    .filter_map(|(m, v)| v.ok().filter(|v| !v.is_null()).map(|v| (m.to_string(), v)))
    .collect();
    let mut src = Sources::new(session.model, raw);
    src.default_at = Some(session.started_at);
    src
}

/// Values a shell script can branch on.
pub fn outcome_value(session: &Session) -> Value {
    serde_json::json!({
        "kind": session.outcome.as_ref().map(|o| o.kind.as_str()),
        "code": session.outcome.as_ref().map(|o| o.code.clone()),
        "stopped": session.stopped.as_ref().map(|s| s.kind.to_string()),
    })
}
