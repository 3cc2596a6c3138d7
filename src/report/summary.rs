//! The few lines shown on the terminal at the end of a session: for a
//! customer, the outcome in one friendly sentence, the reference code, what
//! happens next and where the report is; for a technician, the outcome line
//! and a table of findings. Pure: returns a string, the caller prints it.
//! Every device or person string is passed through [`escape::one_line`] so
//! terminal escape sequences in device data are shown, not obeyed.

use super::escape::one_line;
use super::model::*;
use super::{due_text, readings_text};
use std::path::Path;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::width::Width;
use tabled::settings::{Modify, Style};

/// Who the summary is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// A pet owner at home: plain words, no jargon.
    Customer,
    /// A support technician: codes, values, a findings table.
    Technician,
}

/// The end-of-session summary. `saved_at` is where the report was written.
pub fn summary(report: &Report, audience: Audience, saved_at: Option<&Path>) -> String {
    match audience {
        Audience::Customer => customer(report, saved_at),
        Audience::Technician => technician(report, saved_at),
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
        OutcomeKind::Resolved => format!("Good news: your {p} is working again."),
        OutcomeKind::NoFaultFound => {
            format!("We checked your {p} and found nothing wrong with it.")
        }
        OutcomeKind::CustomerAction => format!("Your {p} needs a little help from you."),
        OutcomeKind::Escalate => format!("Your {p} needs a closer look from our specialists."),
        OutcomeKind::Replace => {
            format!("Your {p} needs to be replaced, and we will take care of it.")
        }
        OutcomeKind::Incomplete => "The check did not finish.".to_string(),
    };
    out.push_str(&headline);
    out.push(' ');
    out.push_str(&one_line(&r.outcome.summary));
    out.push_str("\n\n");
    out.push_str(&format!(
        "Your reference code: {}\n",
        one_line(&r.outcome.code)
    ));
    let next = match r.outcome.kind {
        OutcomeKind::Safety => "Keep the device away from your pet. Our safety team has been alerted as a priority and will act within 30 minutes; please keep your phone nearby.".to_string(),
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
            "A PawCore specialist will pick this up; we aim to have it sorted by {}.",
            r.sla.due.format("%A %-d %B")
        ),
        OutcomeKind::Replace => format!(
            "We will arrange a replacement; we aim to have it sorted by {}.",
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

fn technician(r: &Report, saved_at: Option<&Path>) -> String {
    let mut out = String::new();
    if r.outcome.safety {
        out.push_str(&format!(
            "!! PRODUCT SAFETY: FLAGGED RED. Escalate to Operations by {} !!\n",
            due_text(&r.sla.due)
        ));
    }
    out.push_str(&format!(
        "{}: {} [{}] {}, SLA due {}{}\n",
        r.outcome.kind.label(),
        one_line(&r.outcome.code),
        r.outcome.tier,
        one_line(&r.outcome.summary),
        due_text(&r.sla.due),
        if r.sla.state == SlaState::Met {
            " (met)"
        } else {
            ""
        }
    ));
    out.push_str(&format!(
        "Device: {} {} fw {} ({})\n",
        one_line(&r.device.model),
        one_line(&r.device.serial),
        one_line(r.device.fw_version.as_deref().unwrap_or("?")),
        super::markdown::fw_words(r.device.fw_status)
    ));
    if let Some(st) = &r.stopped {
        out.push_str(&format!(
            "Stopped early at {}: {} ({})\n",
            one_line(&st.at_node),
            st.kind.label(),
            one_line(&st.detail)
        ));
    }
    if !r.escalation.steps.is_empty() {
        let mut b = Builder::default();
        b.push_record(["#", "Step", "Values", "Answer / fix", "Result"]);
        for s in &r.escalation.steps {
            let answer = match (&s.answer, &s.fix) {
                (Some(a), Some(f)) => format!("{a}; {f}"),
                (Some(a), None) => a.clone(),
                (None, Some(f)) => f.clone(),
                (None, None) => String::new(),
            };
            b.push_record([
                s.n.to_string(),
                one_line(&s.action),
                one_line(&readings_text(&s.values)),
                one_line(&answer),
                one_line(&s.result),
            ]);
        }
        let mut t = b.build();
        t.with(Style::sharp());
        t.with(Modify::new(Columns::new(1..)).with(Width::wrap(34)));
        out.push_str(&t.to_string());
        out.push('\n');
    }
    if let Some(tests) = &r.device.selftest {
        let failed: Vec<String> = tests
            .iter()
            .filter(|t| t.status == crate::interface::methods::TestStatus::Fail)
            .map(|t| {
                format!(
                    "{} {}",
                    one_line(&t.component),
                    one_line(t.code.as_deref().unwrap_or(""))
                )
            })
            .collect();
        if !failed.is_empty() {
            out.push_str(&format!("Self-test failures: {}\n", failed.join(", ")));
        }
    }
    if let Some(n) = r.escalation.next_steps.first() {
        out.push_str(&format!("Next: {}\n", one_line(n)));
    }
    if let Some(path) = saved_at {
        out.push_str(&format!(
            "Report: {}\n",
            one_line(&path.display().to_string())
        ));
    }
    out
}
