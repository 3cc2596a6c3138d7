//! The end of a session for a customer: what happened in one sentence, a
//! case reference that is theirs alone (beside the fault's category code,
//! which every customer with that fault shares), exactly what to do next,
//! where the report is and how to send it. Pure: returns text.
//!
//! Contact is promised only when the report has actually reached support
//! ([`Handover::sent`]): pawdiag collects no contact details, so until the
//! report is sent support cannot know about the case.

use super::escape::one_line;
use super::model::{OutcomeKind, Report, Tier};
use sha2::{Digest as _, Sha256};
use std::path::PathBuf;

/// PawCore phone support (playbook: "Phone Support: 1-800-PAWCORE (24/7)").
pub const PHONE: &str = "1-800-PAWCORE";
/// PawCore e-mail support (playbook: "Email Support: support@pawcore.com").
pub const EMAIL: &str = "support@pawcore.com";

/// Crockford's base 32: no I, L, O or U, so a reference read out over the
/// phone cannot be misheard as another.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The case reference of a report: 8 characters (`K7F3-9Q2M`) derived from
/// its id (serial number and session end), so each session has its own
/// and support can recompute it from any copy of the report.
pub fn case_reference(report_id: &str) -> String {
    let hash = Sha256::digest(report_id.as_bytes());
    let mut bits: u64 = 0;
    for b in &hash[..5] {
        bits = (bits << 8) | u64::from(*b);
    }
    let chars: String = (0..8)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("{}-{}", &chars[..4], &chars[4..])
}

/// Where the report went at the end of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Handover {
    /// The report's files (an HTML to read and a JSON to send, or one file).
    pub saved: Vec<PathBuf>,
    /// Set once the report has reached support: where (e.g. `ticket #1042`).
    pub sent: Option<String>,
}

fn product(r: &Report) -> String {
    one_line(r.device.product.as_deref().unwrap_or("device"))
}

/// The file to send: the JSON copy if there is one, else the first.
fn to_send(h: &Handover) -> Option<&PathBuf> {
    h.saved
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .or_else(|| h.saved.first())
}

fn path_text(p: &std::path::Path) -> String {
    one_line(&p.display().to_string())
}

/// The customer's ending: [`customer_outcome`], then [`customer_next`].
pub fn customer(r: &Report, h: &Handover) -> String {
    format!("{}{}", customer_outcome(r), customer_next(r, h))
}

fn case_of(r: &Report) -> String {
    r.case_ref
        .as_deref()
        .map_or_else(|| case_reference(&r.report_id), one_line)
}

/// What happened, in one friendly sentence, and the case reference.
pub fn customer_outcome(r: &Report) -> String {
    let p = product(r);
    let case = case_of(r);
    let mut out = String::new();
    let headline = match r.outcome.kind {
        OutcomeKind::Safety => "Please stop using your device for now.".to_string(),
        _ if r.outcome.pet_health => "Please contact your vet promptly about your pet.".to_string(),
        OutcomeKind::Escalate if r.outcome.tier == Tier::Management => {
            format!("Your {p} case needs a decision from a PawCore support manager.")
        }
        OutcomeKind::Resolved => format!("Good news: your {p} is working again."),
        OutcomeKind::NoFaultFound => {
            format!("We checked your {p} and found nothing wrong with it.")
        }
        OutcomeKind::CustomerAction => format!("Your {p} needs a little help from you."),
        OutcomeKind::Escalate => format!("Your {p} needs a closer look from our specialists."),
        OutcomeKind::Replace => format!("Your {p} needs to be replaced."),
        // The summary already says it stopped and why.
        OutcomeKind::Incomplete => String::new(),
    };
    if !headline.is_empty() {
        out.push_str(&headline);
        out.push(' ');
    }
    out.push_str(&one_line(&r.outcome.summary));
    out.push('\n');
    let also = r
        .findings
        .as_deref()
        .map(|f| super::findings::also_found(f, &r.outcome))
        .unwrap_or_default();
    if !also.is_empty() {
        out.push_str("\nWe also found:\n");
        for a in also {
            out.push_str(&format!("  • {}\n", one_line(a)));
        }
    }
    out.push('\n');
    out.push_str(&format!(
        "Your case reference: {case} ({})\n",
        one_line(&r.outcome.code)
    ));
    out
}

/// What to do next, whether the report has reached support, and where it
/// is saved.
pub fn customer_next(r: &Report, h: &Handover) -> String {
    let case = case_of(r);
    let mut out = String::new();
    let send = match &h.sent {
        Some(_) => None,
        None => Some(match to_send(h) {
            Some(file) => format!(
                "send your report to PawCore support: e-mail {EMAIL} with \"{case}\" in the subject and attach the file {}",
                path_text(file)
            ),
            None => format!(
                "contact PawCore support ({EMAIL}, or {PHONE}) and quote your case reference {case}"
            ),
        }),
    };
    let mut steps: Vec<String> = Vec::new();
    match r.outcome.kind {
        _ if r.outcome.pet_health && !r.outcome.safety => {
            steps.push("Contact your vet today and tell them the readings above.".into());
            if let Some(s) = &send {
                steps.push(format!("If you need us too, {s}."));
            }
        }
        OutcomeKind::Safety => {
            steps.push(
                "Take the device off your pet and keep it away from them, do not charge it, and see a vet if your pet is hurt.".into(),
            );
            steps.push(format!(
                "Call PawCore support now on {PHONE} (open 24/7) and quote your case reference {case}: safety cases are handled first."
            ));
            if let Some(s) = &send {
                steps.push(format!("Then {s}."));
            }
        }
        OutcomeKind::Resolved | OutcomeKind::NoFaultFound => steps.push(format!(
            "Nothing more to do. If it happens again, run `pawdiag guide` again, or contact PawCore support and quote your case reference {case}."
        )),
        OutcomeKind::CustomerAction => {
            steps.push(
                r.escalation
                    .next_steps
                    .first()
                    .map(|s| one_line(s))
                    .unwrap_or_else(|| "Follow the steps shown above.".into()),
            );
            if let Some(s) = &send {
                steps.push(format!("If that does not help, {s}."));
            }
        }
        OutcomeKind::Escalate | OutcomeKind::Replace => {
            if let Some(s) = &send {
                let then = if r.outcome.kind == OutcomeKind::Replace {
                    "they arrange the replacement from it"
                } else if r.outcome.tier == Tier::Management {
                    "a support manager decides from it"
                } else {
                    "a specialist takes it from there"
                };
                steps.push(format!("{}; {then}.", capitalise(s)));
            }
        }
        OutcomeKind::Incomplete => {
            steps.push(
                "Run `pawdiag guide` again when you can, to finish the check.".into(),
            );
            if let Some(s) = &send {
                steps.push(format!("Or {s}, so support can carry on from where it stopped."));
            }
        }
    }
    if let Some(to) = &h.sent {
        // Promises only what the playbooks support, and only now.
        let due = match r.outcome.kind {
            OutcomeKind::Safety => {
                ": the safety team has your case within 30 minutes and contacts you within 24 hours"
                    .to_string()
            }
            OutcomeKind::Escalate if r.outcome.tier == Tier::Management => {
                " within 24 hours".to_string()
            }
            OutcomeKind::Escalate | OutcomeKind::Replace => format!(
                "; we aim to have it sorted by {}",
                r.sla.due.format("%A %-d %B")
            ),
            _ => String::new(),
        };
        steps.push(format!(
                "Your report has been sent to PawCore support ({}). They have everything they need and will get in touch{due}. If you have not heard from them, call {PHONE} and quote your case reference {case}.",
                one_line(to)
            ));
    }
    out.push_str("What to do next:\n");
    for (i, s) in steps.iter().enumerate() {
        out.push_str(&format!("  {}. {s}\n", i + 1));
    }
    if h.sent.is_none() {
        match r.outcome.kind {
            OutcomeKind::Resolved | OutcomeKind::NoFaultFound => {}
            OutcomeKind::Safety => out.push_str(
                "Nothing has been sent yet: support only has your case once you call or send the report.\n",
            ),
            _ => out.push_str(&format!(
                "Nothing has been sent yet: support can only get in touch once they have your report. You can also call {PHONE} (24/7) and quote your case reference.\n"
            )),
        }
    }
    let read = h
        .saved
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "html"));
    match (read, to_send(h)) {
        (Some(html), Some(file)) if html != file => out.push_str(&format!(
            "Your report: {} (open it in your web browser to read it); the file to send is {}.\n",
            path_text(html),
            path_text(file)
        )),
        (_, Some(file)) => out.push_str(&format!("Your report is saved at {}.\n", path_text(file))),
        (_, None) => {}
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_references_are_short_stable_unambiguous_and_differ_per_session() {
        let a = case_reference("PT-24A0-0001-20261120T155841Z");
        assert_eq!(a, case_reference("PT-24A0-0001-20261120T155841Z"));
        assert_eq!(a.len(), 9);
        assert_eq!(&a[4..5], "-");
        assert!(a.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        let mut seen = std::collections::HashSet::new();
        for s in 0..2000 {
            let id = format!("PT-24A0-0001-20261120T15{:02}{:02}Z", s / 60, s % 60);
            assert!(seen.insert(case_reference(&id)), "collision at {id}");
        }
        assert_ne!(a, case_reference("PT-24A0-0002-20261120T155841Z"));
    }
}
