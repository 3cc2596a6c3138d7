//! The few lines shown on the terminal at the end of a session: for a
//! customer, the ending of [`super::ending`] (outcome, case reference, what
//! to do next, where the report is and how to send it); for a technician,
//! the outcome line and a table of findings. Pure: returns a string, the caller prints it.
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

fn customer(r: &Report, saved_at: Option<&Path>) -> String {
    super::ending::customer(
        r,
        &super::ending::Handover {
            saved: saved_at.map(Path::to_path_buf).into_iter().collect(),
            sent: None,
        },
    )
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
        "{} · {} · {} · SLA due {}{}\n{}\n",
        r.outcome.label(),
        one_line(&r.outcome.code),
        r.outcome.tier,
        due_text(&r.sla.due),
        if r.sla.state == SlaState::Met {
            " (met)"
        } else {
            ""
        },
        one_line(&r.outcome.summary),
    ));
    out.push_str(&format!(
        "Device: {} {}, fw {} ({})\n",
        one_line(r.device.product.as_deref().unwrap_or(&r.device.model)),
        one_line(&r.device.serial),
        one_line(r.device.fw_version.as_deref().unwrap_or("?")),
        super::markdown::fw_words(r.device.fw_status)
    ));
    let pet_findings = r
        .findings
        .as_deref()
        .is_some_and(|f| f.iter().any(|f| f.severity == Severity::PetHealth));
    if r.outcome.pet_health || pet_findings {
        // Below a safety banner (safety comes first), above everything else.
        let at = if r.outcome.safety {
            out.find('\n').map_or(0, |i| i + 1)
        } else {
            0
        };
        out.insert_str(
            at,
            "!! POSSIBLE HARM TO A PET: the readings point to the pet's health, not the device; the owner should contact their vet promptly !!\n",
        );
    }
    if let Some(f) = &r.outcome.flow_outcome {
        out.push_str(&format!(
            "The flow itself ended: {} {}\n",
            f.kind.label(),
            one_line(&f.code)
        ));
    }
    if let Some(found) = &r.findings {
        if found.is_empty() {
            out.push_str("Findings: none\n");
        } else {
            out.push_str("Findings, most serious first:\n");
            for (i, f) in found.iter().enumerate() {
                out.push_str(&format!(
                    "  {}. {} {}: {}\n",
                    i + 1,
                    f.severity.label(),
                    one_line(&f.code),
                    one_line(&f.title)
                ));
                if !f.evidence.is_empty() {
                    out.push_str(&format!(
                        "     evidence: {}\n",
                        one_line(&super::findings::evidence_text(f))
                    ));
                }
            }
        }
    }
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
        b.push_record(["#", "Step", "Values / answer", "Result"]);
        for s in &r.escalation.steps {
            // One finding per line inside the cell.
            let mut found: Vec<String> = s
                .values
                .iter()
                .map(|v| one_line(&readings_text(std::slice::from_ref(v))))
                .collect();
            if let Some(a) = &s.answer {
                found.push(format!("answer: {}", one_line(a)));
            }
            if let Some(f) = &s.fix {
                found.push(format!("fix: {}", one_line(f)));
            }
            b.push_record([
                s.n.to_string(),
                one_line(&s.action),
                found.join("\n"),
                one_line(&s.result),
            ]);
        }
        let mut t = b.build();
        t.with(Style::sharp());
        // About 100 columns in all.
        t.with(Modify::new(Columns::new(1..2)).with(Width::wrap(26).keep_words(true)));
        t.with(Modify::new(Columns::new(2..3)).with(Width::wrap(36)));
        t.with(Modify::new(Columns::new(3..4)).with(Width::wrap(26).keep_words(true)));
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
