//! Diagnostic reports: what a Tier 2 technician attaches to a ticket, what
//! Tier 3 engineering reads, and what a customer hands to support.
//!
//! One data model ([`model::Report`], serialised as the JSON report) is built
//! from a flow session, the device's identity and the protocol transcript
//! ([`build`]); personal data is redacted on the way in unless asked for
//! ([`redact`]). Renderers are pure functions of the model ([`render`]):
//! JSON, Markdown for pasting into a ticket, and one self-contained HTML
//! file. A SHA-256 digest over the canonical content makes alteration
//! evident ([`digest`]); reports are written atomically ([`store`]). A short
//! terminal summary for the end of a session comes from [`summary`].
//!
//! Nothing here prints or reads a device.

pub mod diff;
pub mod digest;
pub mod ending;
mod escalation;
pub mod escape;
mod findings;
pub mod history;
mod html;
mod markdown;
pub mod model;
pub mod redact;
mod relay_text;
pub mod share;
pub mod sla;
pub mod store;
pub mod summary;
mod summary_tech;
pub use summary_tech::{PET_BANNER, SAFETY_BANNER};
pub mod text;

use crate::flow::session::{self, Session, StepRecord};
use crate::interface::methods::{BatteryStatus, DeviceInfo, LogRead, Selftest};
use crate::interface::model::{FirmwareStatus, Model, firmware_status};
use crate::privacy::{Policy, Redactor};
use crate::transcript::Entry;
use chrono::{DateTime, Utc};
use model::*;
use std::fmt;

pub use digest::{LoadError, Verification, load, verify};
pub use ending::{Handover, case_reference};
pub use store::{WriteError, default_path, free_path_in, report_dir, write_atomic};
pub use summary::{Audience, summary, summary_fit};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// The report itself, pretty-printed JSON.
    Json,
    /// Markdown that pastes cleanly into a ticket.
    Markdown,
    /// One self-contained HTML file.
    Html,
}

impl Format {
    /// All formats.
    pub const ALL: [Format; 3] = [Format::Json, Format::Markdown, Format::Html];

    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Markdown => "md",
            Format::Html => "html",
        }
    }

    /// A name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
        }
    }

    /// `json`, `md`/`markdown`, `html`/`htm`.
    pub fn parse(s: &str) -> Option<Format> {
        match s
            .trim()
            .trim_start_matches('.')
            .to_ascii_lowercase()
            .as_str()
        {
            "json" => Some(Format::Json),
            "md" | "markdown" => Some(Format::Markdown),
            "html" | "htm" => Some(Format::Html),
            _ => None,
        }
    }

    /// The format a file name's extension names.
    pub fn from_path(path: &std::path::Path) -> Option<Format> {
        path.extension()
            .and_then(|e| e.to_str())
            .and_then(Format::parse)
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

/// Renders a report. Pure: the same report always gives the same text.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => render_json(report),
        Format::Markdown => markdown::render(report),
        Format::Html => html::render(report),
    }
}

/// `2026-11-20 16:00:05 UTC`.
pub(crate) fn when(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// `2026-11-20 16:00:05 UTC`, for messages outside the renderers.
pub fn when_text(t: &DateTime<Utc>) -> String {
    when(t)
}

/// `Fri 2026-11-20 16:00 UTC`, for due times.
pub(crate) fn due_text(t: &DateTime<Utc>) -> String {
    t.format("%a %Y-%m-%d %H:%M UTC").to_string()
}

/// A raw value for display: strings bare, everything else as compact JSON.
pub(crate) fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A value with its unit: `78%`, `24.5 °C`, `1440`.
pub(crate) fn with_unit(v: &serde_json::Value, unit: Option<&str>) -> String {
    match unit {
        Some(u) if !v.is_null() && u == "%" => format!("{}%", value_text(v)),
        Some(u) if !v.is_null() => format!("{} {u}", value_text(v)),
        _ => value_text(v),
    }
}

/// The readings of a step as `name = value` pairs.
pub(crate) fn readings_text(values: &[Reading]) -> String {
    values
        .iter()
        .map(|r| match &r.error {
            Some(e) => format!("{} = (not read: {e})", r.name),
            None => format!("{} = {}", r.name, with_unit(&r.value, r.unit.as_deref())),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One transcript line as text: time offset, clock, direction, kind, line.
pub(crate) fn transcript_text(l: &TranscriptLine) -> String {
    let dir = match l.dir {
        Direction::Tx => "tx",
        Direction::Rx => "rx",
        Direction::Note => "--",
    };
    let kind = serde_json::to_value(l.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{:>10.1} ms  {}  {dir} {kind:<8} {}{}",
        l.t_ms,
        l.at.format("%H:%M:%S%.3f"),
        l.text,
        if l.redacted {
            "   [redacted: CRC no longer matches]"
        } else {
            ""
        }
    )
}

/// The JSON report, pretty-printed, with a final newline.
fn render_json(report: &Report) -> String {
    // Serialising plain data with string keys cannot fail; fall back to the
    // compact form rather than panic should it ever.
    let mut s = serde_json::to_string_pretty(report)
        .or_else(|_| serde_json::to_string(report))
        .unwrap_or_default();
    s.push('\n');
    s
}

/// The report as embedded in Markdown and HTML: compact JSON with `<`, `>`
/// and `&` escaped (same value, cannot break out of its container).
pub(crate) fn embedded_json(report: &Report) -> String {
    escape::json_for_embedding(&serde_json::to_string(report).unwrap_or_default())
}

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
    report.report_id = format!(
        "{}-{}",
        report.device.serial,
        ended.format("%Y%m%dT%H%M%SZ")
    );
    report.case_ref = Some(case_reference(&report.report_id));
    digest::seal(&mut report)?;
    Ok(report)
}

fn stop_kind(k: session::StopKind) -> StopKind {
    match k {
        session::StopKind::LinkLost => StopKind::LinkLost,
        session::StopKind::Interrupted => StopKind::Interrupted,
        session::StopKind::Safety => StopKind::Safety,
        session::StopKind::Error => StopKind::Error,
        session::StopKind::Unreachable => StopKind::Unreachable,
        session::StopKind::Unanswered => StopKind::Unanswered,
    }
}

pub(crate) fn outcome_kind(k: session::OutcomeKind) -> OutcomeKind {
    match k {
        session::OutcomeKind::Resolved => OutcomeKind::Resolved,
        session::OutcomeKind::CustomerAction => OutcomeKind::CustomerAction,
        session::OutcomeKind::Escalate => OutcomeKind::Escalate,
        session::OutcomeKind::Replace => OutcomeKind::Replace,
        session::OutcomeKind::Safety => OutcomeKind::Safety,
        session::OutcomeKind::NoFaultFound => OutcomeKind::NoFaultFound,
        session::OutcomeKind::Incomplete => OutcomeKind::Incomplete,
    }
}

fn build_outcome(s: &Session, model: Option<Model>, stopped: Option<&Stopped>) -> Outcome {
    match &s.outcome {
        Some(o) => {
            let kind = if o.safety {
                OutcomeKind::Safety
            } else {
                outcome_kind(o.kind)
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
                    kind: outcome_kind(f.kind),
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
fn default_tier(kind: OutcomeKind) -> Tier {
    match kind {
        // Retailer playbook: Tier 3 (escalations specialist / product owner)
        // handles safety.
        OutcomeKind::Safety => Tier::Three,
        OutcomeKind::Replace | OutcomeKind::Escalate => Tier::Two,
        _ => Tier::One,
    }
}

fn build_device(inp: &Inputs<'_>, model: Option<Model>) -> Device {
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

fn build_step(i: usize, st: &StepRecord) -> Step {
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
