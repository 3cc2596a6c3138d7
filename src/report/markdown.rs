//! The Markdown rendering: pastes cleanly into a ticket (GitHub-flavoured
//! Markdown: headings, lists, pipe tables, fenced code). Every string from a
//! device or a person goes through [`escape::md`] (inline) or
//! [`escape::md_code_block`] (the transcript). The report's JSON is embedded
//! at the end in an HTML comment so `pawdiag report verify` can check the
//! file; it does not show when the Markdown is rendered.

use super::digest::{MD_CLOSE, MD_OPEN};
use super::escape::{md, md_code_block};
use super::model::*;
use super::relay_text::privacy_text;
use super::{due_text, embedded_json, readings_text, transcript_text, value_text, when};
use std::fmt::Write as _;

/// Renders the report as Markdown.
pub fn render(r: &Report) -> String {
    let mut o = String::with_capacity(8 * 1024 + r.transcript.entries.len() * 120);
    let d = &r.device;
    let product = d.product.clone().unwrap_or_else(|| d.model.clone());
    let _ = writeln!(
        o,
        "# PawCore diagnostic report: {} {}\n",
        md(&product),
        md(&d.serial)
    );

    // ---- Outcome first.
    if r.outcome.safety {
        let _ = writeln!(
            o,
            "> **🟥 PRODUCT SAFETY: FLAGGED RED.** Escalate to Operations within 30 minutes, by **{}**. Possible harm to a pet: the device must not be used.\n",
            due_text(&r.sla.due)
        );
    }
    if r.outcome.pet_health {
        let _ = writeln!(
            o,
            "> **🟪 POSSIBLE HARM TO A PET.** The readings point to a health problem for the pet, not a device fault: the owner should contact their vet promptly. Readings and times are recorded below.\n"
        );
    }
    let _ = writeln!(o, "## Outcome\n");
    let _ = writeln!(o, "- **Result:** {}", r.outcome.label());
    let _ = writeln!(o, "- **Reference code:** {}", md(&r.outcome.code));
    if let Some(case) = &r.case_ref {
        let _ = writeln!(o, "- **Case reference:** {}", md(case));
    }
    let _ = writeln!(o, "- **Summary:** {}", md(&r.outcome.summary));
    let _ = writeln!(o, "- **Tier:** {}", r.outcome.tier);
    let _ = writeln!(
        o,
        "- **SLA:** {}, due **{}**{}",
        md(&r.sla.target),
        due_text(&r.sla.due),
        if r.sla.state == SlaState::Met {
            " (met: resolved in the session)"
        } else {
            ""
        }
    );
    if let Some(c) = &r.outcome.criterion {
        let _ = writeln!(o, "- **Escalation criterion:** {}", md(c));
    }
    if let Some(t) = &r.outcome.tech {
        let _ = writeln!(o, "- **Technician detail:** {}", md(t));
    }
    if let Some(f) = &r.outcome.flow_outcome {
        let _ = writeln!(
            o,
            "- **The flow itself ended:** {} {}: {}",
            f.kind.label(),
            md(&f.code),
            md(&f.summary)
        );
    }
    if let Some(st) = &r.stopped {
        let _ = writeln!(
            o,
            "- **Stopped early:** {} at step {} ({}), {}",
            st.kind.label(),
            md(&st.at_node),
            md(&st.detail),
            when(&st.at)
        );
    }
    if let Some(t) = &r.escalation.customer.ticket {
        let _ = writeln!(o, "- **Ticket:** {}", md(t));
    }
    if let Some(who) = operator_text(r) {
        let _ = writeln!(o, "- **Run by:** {}", md(&who));
    }
    for n in &r.needs_answers {
        let _ = writeln!(
            o,
            "- **Needs an answer:** {} {} ({}): {}",
            md(&n.kind),
            md(&n.node),
            md(&n.accepts.join(", ")),
            md(&n.text)
        );
    }
    o.push('\n');

    // ---- Findings: everything the device reported, most serious first.
    super::findings::markdown(&mut o, r);

    // ---- Escalation documentation.
    let e = &r.escalation;
    let _ = writeln!(o, "## Escalation documentation\n");
    let _ = writeln!(o, "### Issue description\n\n{}\n", md(&e.issue));
    let _ = writeln!(o, "### Steps already taken\n");
    if e.steps.is_empty() {
        let _ = writeln!(o, "No steps were taken.\n");
    }
    for s in &e.steps {
        let _ = writeln!(
            o,
            "{}. **{}** ({}, step {}, {})",
            s.n,
            md(&s.action),
            md(&s.kind),
            md(&s.node),
            when(&s.at)
        );
        if let Some(p) = &s.playbook_step {
            let _ = writeln!(o, "   - Playbook: {}", md(p));
        }
        if let Some(c) = &s.customer_text
            && Some(c) != Some(&s.action)
        {
            let _ = writeln!(o, "   - Told or asked: {}", md(c));
        }
        if !s.values.is_empty() {
            let _ = writeln!(o, "   - Values: {}", md(&readings_text(&s.values)));
        }
        if let Some(a) = &s.answer {
            let _ = writeln!(o, "   - Answer: {}", md(a));
        }
        if let Some(f) = &s.fix {
            let _ = writeln!(o, "   - Fix: {}", md(f));
        }
        let _ = writeln!(o, "   - Result: {}", md(&s.result));
        for n in &s.notes {
            let _ = writeln!(o, "   - Note: {}", md(n));
        }
    }
    o.push('\n');

    let c = &e.customer;
    let _ = writeln!(o, "### Customer information and history\n");
    let field = |o: &mut String, label: &str, v: &Option<String>| {
        let _ = writeln!(
            o,
            "- **{label}:** {}",
            v.as_deref().map(md).unwrap_or_else(|| "not given".into())
        );
    };
    field(&mut o, "Name", &c.name);
    field(&mut o, "E-mail", &c.email);
    field(&mut o, "Phone", &c.phone);
    field(&mut o, "Ticket", &c.ticket);
    if c.notes.is_empty() {
        let _ = writeln!(o, "- **Notes:** none");
    } else {
        let _ = writeln!(o, "- **Notes:**");
        for n in &c.notes {
            let _ = writeln!(o, "  - {}", md(n));
        }
    }
    o.push('\n');

    let _ = writeln!(o, "### Urgency and impact assessment\n");
    let _ = writeln!(
        o,
        "- **Urgency:** {}{}",
        e.urgency.level.label(),
        if e.urgency.pet_harm_possible {
            " (possible harm to a pet)"
        } else {
            ""
        }
    );
    let _ = writeln!(o, "- **Impact:** {}\n", md(&e.urgency.impact));

    let _ = writeln!(o, "### Recommended next steps\n");
    for (i, n) in e.next_steps.iter().enumerate() {
        let _ = writeln!(o, "{}. {}", i + 1, md(n));
    }
    o.push('\n');

    // ---- Device.
    let _ = writeln!(o, "## Device\n");
    let _ = writeln!(o, "| Field | Value |\n|---|---|");
    let row = |o: &mut String, k: &str, v: String| {
        let _ = writeln!(o, "| {k} | {v} |");
    };
    let opt = |v: &Option<String>| v.as_deref().map(md).unwrap_or_else(|| "unknown".into());
    let num = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_else(|| "unknown".into());
    row(
        &mut o,
        "Model",
        format!("{} ({})", md(&product), md(&d.model)),
    );
    row(&mut o, "Serial", md(&d.serial));
    row(&mut o, "Hardware revision", opt(&d.hw_rev));
    row(
        &mut o,
        "Firmware",
        format!(
            "{} (current release {}: {})",
            opt(&d.fw_version),
            opt(&d.fw_current),
            fw_words(d.fw_status)
        ),
    );
    row(&mut o, "Interface version", num(d.interface));
    row(&mut o, "Uptime (s)", num(d.uptime_s));
    row(&mut o, "Boot count", num(d.boot_count));
    row(&mut o, "Last reset", opt(&d.last_reset));
    row(&mut o, "Battery", battery_text(d.battery.as_ref()));
    o.push('\n');

    let _ = writeln!(o, "### Self-test\n");
    match &d.selftest {
        None => {
            let _ = writeln!(o, "Not run.\n");
        }
        Some(tests) => {
            let _ = writeln!(
                o,
                "| Component | Status | Code | Detail |\n|---|---|---|---|"
            );
            for t in tests {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    md(&t.component),
                    status_word(t.status),
                    t.code.as_deref().map(md).unwrap_or_default(),
                    t.detail.as_deref().map(md).unwrap_or_default()
                );
            }
            o.push('\n');
        }
    }

    let _ = writeln!(o, "### Device log (newest last)\n");
    match &d.log {
        None => {
            let _ = writeln!(o, "Not read.\n");
        }
        Some(log) if log.entries.is_empty() => {
            let _ = writeln!(o, "Empty.\n");
        }
        Some(log) => {
            if log.truncated {
                let _ = writeln!(o, "Older entries were left out by the device.\n");
            }
            let _ = writeln!(
                o,
                "| Uptime (s) | Level | Code | Message |\n|---:|---|---|---|"
            );
            for l in &log.entries {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} |",
                    l.t.map(|t| t.to_string()).unwrap_or_default(),
                    l.level.as_deref().map(md).unwrap_or_default(),
                    l.code.as_deref().map(md).unwrap_or_default(),
                    l.msg.as_deref().map(md).unwrap_or_default()
                );
            }
            o.push('\n');
        }
    }

    // ---- Session, privacy.
    let s = &r.session;
    let _ = writeln!(o, "## Session\n");
    let _ = writeln!(o, "- **Flow:** {} ({})", md(&s.flow_title), md(&s.flow_id));
    if let Some(p) = &s.playbook {
        let _ = writeln!(o, "- **Playbook section:** {}", md(p));
    }
    let _ = writeln!(o, "- **Mode:** {}", md(&s.mode));
    let _ = writeln!(o, "- **Started:** {}", when(&s.started_at));
    let _ = writeln!(o, "- **Ended:** {}", when(&s.ended_at));
    for (label, text) in super::relay_text::session_lines(r) {
        let _ = writeln!(o, "- **{label}:** {}", md(&text));
    }
    let _ = writeln!(
        o,
        "- **Report:** {} written {} by {} {}\n",
        md(&r.report_id),
        when(&r.generated_at),
        md(&r.generator.name),
        md(&r.generator.version)
    );

    let _ = writeln!(o, "## Privacy\n");
    let _ = writeln!(o, "{}\n", md(&privacy_text(&r.privacy)));
    for x in &r.privacy.redactions {
        let _ = writeln!(o, "- {}: {} ({})", md(&x.what), md(&x.how), x.count);
    }
    if !r.privacy.redactions.is_empty() {
        o.push('\n');
    }

    // ---- Transcript.
    let _ = writeln!(o, "## Protocol transcript (for technicians)\n");
    if r.transcript.entries.is_empty() {
        let _ = writeln!(o, "No lines were recorded.\n");
    } else {
        let lines: Vec<String> = r.transcript.entries.iter().map(transcript_text).collect();
        o.push_str(&md_code_block("text", &lines.join("\n")));
        o.push('\n');
    }
    if r.transcript.dropped > 0 {
        let _ = writeln!(
            o,
            "{} later lines were not kept (transcript limit).\n",
            r.transcript.dropped
        );
    }

    // ---- Integrity.
    let _ = writeln!(o, "## Integrity\n");
    let _ = writeln!(
        o,
        "SHA-256 {} of the canonical report. Check with `pawdiag report verify FILE`.",
        md(&r.digest.value)
    );
    o.push('\n');
    o.push_str(MD_OPEN);
    o.push_str(&embedded_json(r));
    o.push_str(MD_CLOSE);
    o
}

pub(crate) fn fw_words(s: FirmwareStatus) -> &'static str {
    match s {
        FirmwareStatus::Current => "up to date",
        FirmwareStatus::Outdated => "update due",
        FirmwareStatus::Newer => "newer than the known release",
        FirmwareStatus::Unknown => "cannot compare",
    }
}

pub(crate) fn status_word(s: crate::interface::methods::TestStatus) -> &'static str {
    use crate::interface::methods::TestStatus;
    match s {
        TestStatus::Pass => "pass",
        TestStatus::Fail => "FAIL",
        TestStatus::Skipped => "skipped",
        TestStatus::Other => "other",
    }
}

/// The battery on one line (numbers only: nothing to escape).
pub(crate) fn battery_text(b: Option<&BatteryStatus>) -> String {
    let Some(b) = b else {
        return "not read".into();
    };
    let mut parts = Vec::new();
    parts.push(match b.level_pct {
        Some(l) => format!("{l}%"),
        None => "level unknown".into(),
    });
    if let Some(v) = b.voltage_mv {
        parts.push(format!("{v} mV"));
    }
    parts.push(if b.charging {
        format!(
            "charging ({})",
            value_text(&serde_json::to_value(b.charger).unwrap_or_default())
        )
    } else {
        "not charging".into()
    });
    if let Some(h) = b.health_pct {
        parts.push(format!("health {h}%"));
    }
    if let Some(c) = b.cycle_count {
        parts.push(format!("{c} cycles"));
    }
    if let Some(t) = b.temp_c {
        parts.push(format!("{t} °C"));
    }
    parts.join(", ")
}

/// `Sam Lee at bench-3`, `Sam Lee`, `station bench-3`, or nothing.
pub(crate) fn operator_text(r: &Report) -> Option<String> {
    match (&r.technician, &r.station) {
        (Some(t), Some(s)) => Some(format!("{t} at station {s}")),
        (Some(t), None) => Some(t.clone()),
        (None, Some(s)) => Some(format!("station {s}")),
        (None, None) => None,
    }
}
