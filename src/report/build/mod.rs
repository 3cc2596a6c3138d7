//! Building the report from a session: the customer, the device data, the
//! transcript and the steps, redacted unless asked otherwise, then sealed
//! with its digest. `parts`: the outcome, device and step sections.

mod parts;

use crate::flow::session::Session;
use crate::interface::methods::{BatteryStatus, DeviceInfo, LogRead, Selftest};
use crate::privacy::{Policy, Redactor};
use crate::report::model::*;
use crate::report::{case_reference, digest, escalation, escape, findings, redact, sla};
use crate::transcript::Entry;
use chrono::{DateTime, Utc};
use parts::{build_device, build_outcome, build_step, stop_kind};

/// What the person filled in: about the customer (`--customer`, `--email`,
/// `--phone`, `--ticket`, `--note`), and who they are (`--technician`,
/// `--station`, or the config file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerInfo {
    /// Name.
    pub name: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Support ticket reference.
    pub ticket: Option<String>,
    /// Free notes: history, what the customer said.
    pub notes: Vec<String>,
    /// The technician who ran the session.
    pub technician: Option<String>,
    /// The station (bench) it ran at.
    pub station: Option<String>,
}

/// What was read from the device at the start of the session (each `None`
/// when it could not be read).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeviceData {
    /// `device.info`.
    pub info: Option<DeviceInfo>,
    /// `battery.status`.
    pub battery: Option<BatteryStatus>,
    /// `selftest.run`.
    pub selftest: Option<Selftest>,
    /// `log.read`.
    pub log: Option<LogRead>,
}

/// How to build a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuildOptions {
    /// Keep GPS coordinates, geofence names and contact details as they are.
    pub include_personal_data: bool,
    /// When the report is built (from the session's clock, so snapshots are
    /// stable).
    pub now: DateTime<Utc>,
}

/// Everything a report is built from.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The flow session.
    pub session: &'a Session,
    /// What was read from the device.
    pub device: &'a DeviceData,
    /// The protocol transcript (`client.transcript().entries()`).
    pub transcript: &'a [Entry],
    /// Transcript lines the client dropped (`client.transcript().dropped()`).
    pub transcript_dropped: u64,
    /// The customer.
    pub customer: &'a CustomerInfo,
    /// Options.
    pub options: BuildOptions,
}

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
#[error("could not compute the report's digest: {0}")]
pub struct BuildError(#[from] serde_json::Error);

/// Builds the report (redacted unless `include_personal_data`) and seals it
/// with its digest.
pub fn build(inp: Inputs<'_>) -> Result<Report, BuildError> {
    let s = inp.session;
    let ended = s
        .ended_at
        .or_else(|| s.steps.last().map(|st| st.ended_at))
        .unwrap_or(s.started_at);
    // A device that never said what it is has no model to name.
    let model = (!s.model_unknown).then_some(s.model);

    let device = build_device(&inp, model);
    let stopped = s.stopped.as_ref().map(|st| Stopped {
        kind: stop_kind(st.kind),
        detail: st.reason.clone(),
        at_node: st.at_node.clone(),
        at: ended,
        signal: st.signal.clone(),
        step: s
            .steps
            .iter()
            .rposition(|x| x.node_id == st.at_node)
            .and_then(|i| u32::try_from(i + 1).ok()),
        failure: st.failure.clone(),
    });
    let outcome = build_outcome(s, model, stopped.as_ref());
    let safety_minutes = s.outcome.as_ref().and_then(|o| o.escalate_within_min);
    let sla = sla::sla_for(outcome.kind, outcome.tier, ended, safety_minutes);
    let mut steps: Vec<Step> = s
        .steps
        .iter()
        .enumerate()
        .map(|(i, st)| build_step(i, st))
        .collect();
    // Say where the session stopped, on the step it stopped at.
    if let Some(st) = &stopped
        && let Some(last) = steps.iter_mut().rev().find(|x| x.node == st.at_node)
        && s.steps
            .iter()
            .rev()
            .find(|x| x.node_id == st.at_node)
            .is_some_and(|x| x.branch.is_none())
    {
        last.result = format!("stopped here: {} ({})", st.kind.label(), st.detail);
    }
    let customer = Customer {
        name: inp.customer.name.as_deref().map(escape::one_line),
        email: inp.customer.email.clone(),
        phone: inp.customer.phone.clone(),
        ticket: inp.customer.ticket.clone(),
        notes: inp.customer.notes.clone(),
    };
    let session_info = SessionInfo {
        flow_id: s.flow_id.clone(),
        flow_title: s.flow_title.clone(),
        symptom: (!s.flow_symptom.is_empty()).then(|| s.flow_symptom.clone()),
        playbook: (!s.playbook.is_empty()).then(|| s.playbook.clone()),
        mode: serde_json::to_value(s.mode)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        started_at: s.started_at,
        ended_at: ended,
        replay: None,
    };
    let found = findings::build(&s.findings);
    let urgency = findings::assess_pets(
        escalation::assess(&outcome, &device, stopped.as_ref()),
        &found,
    );
    let mut issue = escalation::describe(
        &session_info,
        &device,
        &outcome,
        stopped.as_ref(),
        steps.len(),
    );
    findings::describe(&mut issue, &found, &outcome);
    let mut next_steps = escalation::next_steps(s, &outcome, &sla, &device, stopped.as_ref());
    findings::add_next_steps(&mut next_steps, &found, &outcome);
    let transcript = Transcript {
        entries: inp
            .transcript
            .iter()
            .map(|e| TranscriptLine {
                t_ms: e.t_ms,
                at: e.at,
                dir: e.dir,
                kind: e.kind,
                text: e.text.clone(),
                redacted: false,
            })
            .collect(),
        dropped: inp.transcript_dropped,
    };

    let mut report = Report {
        schema_version: SCHEMA_VERSION,
        generator: Generator {
            name: "pawdiag".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        },
        report_id: String::new(),
        case_ref: None,
        generated_at: inp.options.now,
        technician: inp.customer.technician.clone(),
        station: inp.customer.station.clone(),
        outcome,
        sla,
        stopped,
        findings: Some(found),
        needs_answers: s
            .needs_answers
            .iter()
            .map(|n| NeededAnswer {
                node: n.node_id.clone(),
                kind: n.kind.to_string(),
                text: n.text.clone(),
                accepts: n.accepts.clone(),
            })
            .collect(),
        escalation: Escalation {
            issue,
            steps,
            customer,
            urgency,
            next_steps,
        },
        device,
        session: session_info,
        transcript,
        privacy: Privacy {
            personal_data_included: inp.options.include_personal_data,
            redactions: Vec::new(),
            shared: None,
        },
        digest: Digest {
            algorithm: String::new(),
            canonical: String::new(),
            value: String::new(),
        },
        continues: None,
    };
    // Personal data, in every field at once (`redact` knows which is which).
    let mut red = Redactor::new(Policy::from_include_flag(inp.options.include_personal_data));
    redact::apply(&mut report, &mut red);
    redact::merge_counts(&mut report.privacy.redactions, &red);
    // Milliseconds keep two sessions of one device within a second apart
    // (their case references and helpdesk tickets too); a clock without
    // them (tests' fixed clocks) gives the plain second.
    let stamp = if ended.timestamp_subsec_millis() == 0 {
        ended.format("%Y%m%dT%H%M%SZ")
    } else {
        ended.format("%Y%m%dT%H%M%S%.3fZ")
    };
    report.report_id = format!("{}-{stamp}", report.device.serial);
    report.case_ref = Some(case_reference(&report.report_id));
    digest::seal(&mut report)?;
    Ok(report)
}
