//! The few lines shown on the terminal at the end of a session: for a
//! customer, the outcome in one friendly sentence, the reference code, what
//! happens next and where the report is (words to read aloud); for a
//! technician, the verdict, level, criterion and each step's readings
//! ([`super::summary_tech`]). Pure: returns a string, the caller prints it.
//! Every device or person string is passed through [`escape::one_line`] so
//! terminal escape sequences in device data are shown, not obeyed.

use super::escape::one_line;
use super::model::*;
use std::path::Path;

/// PawCore phone support (playbook: "Phone Support: 1-800-PAWCORE (24/7)").
const PHONE: &str = "1-800-PAWCORE";

/// Who the summary is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A pet owner at home: plain words, no jargon.
    Customer,
    /// A support technician: codes, values, a findings table.
    Technician,
}

/// The end-of-session summary. `saved_at` is where the report was written.
/// Customer sentences are not wrapped; the technician's fit 100 columns.
pub fn summary(report: &Report, audience: Audience, saved_at: Option<&Path>) -> String {
    match audience {
        Audience::Customer => customer(report, saved_at),
        Audience::Technician => {
            super::summary_tech::technician(report, saved_at, crate::table::PIPED_WIDTH)
        }
    }
}

/// The end-of-session summary fitted to `width` columns (sentences
/// wrapped at spaces, tables wrapped in their text columns).
pub fn summary_fit(
    report: &Report,
    audience: Audience,
    saved_at: Option<&Path>,
    width: usize,
) -> String {
    match audience {
        Audience::Customer => {
            let text = customer(report, None);
            let mut wrapped: Vec<String> = text
                .split('\n')
                .map(|l| crate::table::wrap_words(l, width, ""))
                .collect();
            if let Some(path) = saved_at {
                // A path is one long word: name and folder on lines of their own.
                let at = super::summary_tech::path_lines("Your report is saved as", path, width);
                wrapped.insert(
                    wrapped.len().saturating_sub(1),
                    format!("{at}(support may ask you for it)."),
                );
            }
            wrapped.join("\n")
        }
        Audience::Technician => super::summary_tech::technician(report, saved_at, width),
    }
}

fn product(r: &Report) -> String {
    one_line(r.device.product.as_deref().unwrap_or("device"))
}

fn customer(r: &Report, saved_at: Option<&Path>) -> String {
    let p = product(r);
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
        OutcomeKind::Replace => {
            format!("Your {p} needs to be replaced, and we will take care of it.")
        }
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
        "Your reference code: {}\n",
        one_line(&r.outcome.code)
    ));
    let next = match r.outcome.kind {
        // Promises only what the playbooks support: Operations within 30
        // minutes, the customer hears back within 24 hours.
        OutcomeKind::Safety => format!(
            "Take the device off your pet and keep it away from them, and see a vet if your pet is hurt. Our safety team gets your case within 30 minutes, and we will contact you within 24 hours. You can also call {PHONE} (open 24/7) and quote your reference code."
        ),
        _ if r.outcome.pet_health => format!(
            "Contact your vet today and tell them the readings above. If you need us, call {PHONE} and quote your reference code."
        ),
        OutcomeKind::Escalate if r.outcome.tier == Tier::Management => format!(
            "A PawCore support manager will contact you within 24 hours. If you have not heard from us by {}, call {PHONE} and quote your reference code.",
            r.sla.due.format("%A %-d %B")
        ),
        OutcomeKind::Resolved | OutcomeKind::NoFaultFound => {
            "Nothing more to do. If it happens again, contact PawCore support and quote your reference code.".to_string()
        }
        OutcomeKind::CustomerAction => {
            let first = r
                .escalation
                .next_steps
                .first()
                .map(|s| one_line(s))
                .unwrap_or_else(|| "Follow the steps shown above.".into());
            format!("{first} If that does not help, contact PawCore support and quote your reference code.")
        }
        OutcomeKind::Escalate => format!(
            "A PawCore specialist will take it from here; we aim to have it sorted by {}. If you have not heard from us, call {PHONE} and quote your reference code.",
            r.sla.due.format("%A %-d %B")
        ),
        OutcomeKind::Replace => format!(
            "We will arrange a replacement; we aim to have it sorted by {}. If you have not heard from us, call {PHONE} and quote your reference code.",
            r.sla.due.format("%A %-d %B")
        ),
        OutcomeKind::Incomplete => {
            "You can run the check again, or contact PawCore support and quote your reference code.".to_string()
        }
    };
    out.push_str(&format!("What happens next: {next}\n"));
    if let Some(path) = saved_at {
        out.push_str(&format!(
            "Your report is saved at {} (support may ask you for it).\n",
            one_line(&path.display().to_string())
        ));
    }
    out
}
