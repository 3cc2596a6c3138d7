//! The report's outcome and escalation documentation as plain text: the
//! body of a helpdesk ticket, readable in any mail client or ticket view.
//! Pure, like the other renderers; every string from a device or a person
//! goes through [`one_line`], so it cannot add lines or control sequences.

use super::escape::one_line;
use super::model::*;
use super::{due_text, readings_text, when};
use std::fmt::Write as _;

/// The outcome and the playbook's escalation documentation, as text.
pub fn escalation(r: &Report) -> String {
    let mut o = String::with_capacity(4096);
    let d = &r.device;
    let product = one_line(d.product.as_deref().unwrap_or(&d.model));
    let _ = writeln!(
        o,
        "PawCore diagnostic report: {product} {}",
        one_line(&d.serial)
    );
    let _ = writeln!(
        o,
        "Report {} (pawdiag {})\n",
        one_line(&r.report_id),
        one_line(&r.generator.version)
    );
    if r.outcome.safety {
        let _ = writeln!(
            o,
            "*** PRODUCT SAFETY: FLAGGED RED. Escalate to Operations within 30 minutes, by {}. Possible harm to a pet: the device must not be used. ***\n",
            due_text(&r.sla.due)
        );
    }

    let _ = writeln!(o, "OUTCOME");
    let _ = writeln!(o, "- Result: {}", r.outcome.kind.label());
    let _ = writeln!(o, "- Reference code: {}", one_line(&r.outcome.code));
    let _ = writeln!(o, "- Summary: {}", one_line(&r.outcome.summary));
    let _ = writeln!(o, "- Tier: {}", r.outcome.tier);
    let _ = writeln!(
        o,
        "- SLA: {}, due {}{}",
        one_line(&r.sla.target),
        due_text(&r.sla.due),
        if r.sla.state == SlaState::Met {
            " (met: resolved in the session)"
        } else {
            ""
        }
    );
    if let Some(c) = &r.outcome.criterion {
        let _ = writeln!(o, "- Escalation criterion: {}", one_line(c));
    }
    if let Some(t) = &r.outcome.tech {
        let _ = writeln!(o, "- Technician detail: {}", one_line(t));
    }
    if let Some(st) = &r.stopped {
        let _ = writeln!(
            o,
            "- Stopped early: {} at step {} ({}), {}",
            st.kind.label(),
            one_line(&st.at_node),
            one_line(&st.detail),
            when(&st.at)
        );
    }

    let e = &r.escalation;
    let _ = writeln!(o, "\nESCALATION DOCUMENTATION\n");
    let _ = writeln!(o, "Issue description:\n{}\n", one_line(&e.issue));
    let _ = writeln!(o, "Steps already taken:");
    if e.steps.is_empty() {
        let _ = writeln!(o, "No steps were taken.");
    }
    for s in &e.steps {
        let _ = writeln!(
            o,
            "{}. {} ({}, step {}, {})",
            s.n,
            one_line(&s.action),
            one_line(&s.kind),
            one_line(&s.node),
            when(&s.at)
        );
        let line = |o: &mut String, label: &str, v: &str| {
            let _ = writeln!(o, "   {label}: {}", one_line(v));
        };
        if let Some(p) = &s.playbook_step {
            line(&mut o, "Playbook", p);
        }
        if let Some(c) = &s.customer_text
            && c != &s.action
        {
            line(&mut o, "Told or asked", c);
        }
        if !s.values.is_empty() {
            line(&mut o, "Values", &readings_text(&s.values));
        }
        if let Some(a) = &s.answer {
            line(&mut o, "Answer", a);
        }
        if let Some(f) = &s.fix {
            line(&mut o, "Fix", f);
        }
        line(&mut o, "Result", &s.result);
        for n in &s.notes {
            line(&mut o, "Note", n);
        }
    }

    let c = &e.customer;
    let _ = writeln!(o, "\nCustomer information and history:");
    for (label, v) in [
        ("Name", &c.name),
        ("E-mail", &c.email),
        ("Phone", &c.phone),
        ("Ticket", &c.ticket),
    ] {
        let _ = writeln!(
            o,
            "- {label}: {}",
            v.as_deref().map_or_else(|| "not given".into(), one_line)
        );
    }
    if c.notes.is_empty() {
        let _ = writeln!(o, "- Notes: none");
    }
    for n in &c.notes {
        let _ = writeln!(o, "- Note: {}", one_line(n));
    }

    let _ = writeln!(o, "\nUrgency and impact assessment:");
    let _ = writeln!(
        o,
        "- Urgency: {}{}",
        e.urgency.level.label(),
        if e.urgency.pet_harm_possible {
            " (possible harm to a pet)"
        } else {
            ""
        }
    );
    let _ = writeln!(o, "- Impact: {}", one_line(&e.urgency.impact));

    let _ = writeln!(o, "\nRecommended next steps:");
    for (i, n) in e.next_steps.iter().enumerate() {
        let _ = writeln!(o, "{}. {}", i + 1, one_line(n));
    }
    o
}
