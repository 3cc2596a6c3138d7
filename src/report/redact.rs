//! Applying the privacy rules ([`crate::privacy`]) to a report: the one
//! list of which report field holds what. [`apply`] runs when a report is
//! built (with the private policy unless `--include-personal-data`) and
//! again when a copy is shared (`report share`, with the kinds consented
//! to), so a field added to the model is redacted in both or in neither.
//!
//! - Device JSON (readings, transcript lines): coordinates under location
//!   keys, geofence names, and every string as free text.
//! - The customer's e-mail and phone fields: masked as a whole.
//! - The customer's name: free text, or withheld when sharing without
//!   contact details.
//! - Every other text a person or a device wrote (notes, answers, step
//!   texts, results, device strings and log messages, self-test details,
//!   stop reasons, the issue description, next steps): free text.
//!
//! Identifiers pawdiag makes (report id, flow and node ids, codes, kinds,
//! times, the ticket reference) are left alone.

use super::model::{Redaction, Report};
use crate::privacy::Redactor;

/// Redacts every personal field of `report` in place, as `red`'s policy says.
pub fn apply(report: &mut Report, red: &mut Redactor) {
    let o = &mut report.outcome;
    o.summary = red.text(&o.summary);
    o.tech = red.opt_text(o.tech.as_deref());
    if let Some(f) = o.flow_outcome.as_mut() {
        f.summary = red.text(&f.summary);
    }
    if let Some(st) = report.stopped.as_mut() {
        st.detail = red.text(&st.detail);
    }
    for f in report.findings.iter_mut().flatten() {
        f.title = red.text(&f.title);
        f.summary = red.text(&f.summary);
        for n in &mut f.next_steps {
            *n = red.text(n);
        }
        for e in &mut f.evidence {
            e.value = red.fact(&e.name, &e.value);
        }
    }

    for n in &mut report.needs_answers {
        n.text = red.text(&n.text);
    }

    let e = &mut report.escalation;
    e.issue = red.text(&e.issue);
    for s in &mut e.steps {
        s.playbook_step = red.opt_text(s.playbook_step.as_deref());
        s.action = red.text(&s.action);
        s.customer_text = red.opt_text(s.customer_text.as_deref());
        for r in &mut s.values {
            r.value = red.fact(&r.name, &r.value);
            r.error = red.opt_text(r.error.as_deref());
        }
        s.answer = red.opt_text(s.answer.as_deref());
        s.fix = red.opt_text(s.fix.as_deref());
        s.result = red.text(&s.result);
        for n in &mut s.notes {
            *n = red.text(n);
        }
    }
    let c = &mut e.customer;
    c.name = c.name.as_deref().map(|n| red.customer_name(n));
    c.email = c.email.as_deref().map(|x| red.email(x));
    c.phone = c.phone.as_deref().map(|x| red.phone(x));
    for n in &mut c.notes {
        *n = red.text(n);
    }
    e.urgency.impact = red.text(&e.urgency.impact);
    for n in &mut e.next_steps {
        *n = red.text(n);
    }

    let d = &mut report.device;
    d.model = red.text(&d.model);
    d.serial = red.text(&d.serial);
    d.hw_rev = red.opt_text(d.hw_rev.as_deref());
    d.fw_version = red.opt_text(d.fw_version.as_deref());
    d.last_reset = red.opt_text(d.last_reset.as_deref());
    for t in d.selftest.iter_mut().flatten() {
        t.detail = red.opt_text(t.detail.as_deref());
    }
    if let Some(log) = d.log.as_mut() {
        for entry in &mut log.entries {
            entry.msg = red.opt_text(entry.msg.as_deref());
        }
    }

    let si = &mut report.session;
    si.flow_title = red.text(&si.flow_title);
    si.symptom = red.opt_text(si.symptom.as_deref());
    si.playbook = red.opt_text(si.playbook.as_deref());

    for line in &mut report.transcript.entries {
        if let Some(t) = red.protocol_line(&line.text) {
            line.text = t;
            line.redacted = true;
        }
    }
}

/// The redactions of `red` added to those already listed (a shared copy
/// keeps what the original report said was done, plus what sharing did).
pub fn merge_counts(into: &mut Vec<Redaction>, red: &Redactor) {
    for c in red.summary() {
        match into.iter_mut().find(|r| r.what == c.what) {
            Some(r) => r.count = r.count.saturating_add(c.count),
            None => into.push(Redaction {
                what: c.what.into(),
                how: c.how.into(),
                count: c.count,
            }),
        }
    }
}
