//! The findings in a report: built from the session's (redacted like
//! everything else, by [`super::redact`]), and what they add to the playbook's escalation
//! documentation: the issue description, the urgency (possible harm to a
//! pet) and the recommended next steps; and their Markdown and HTML sections.

use super::escape::{html as h, md};
use super::model::{
    Evidence, Finding, Outcome, OutcomeKind, Report, Severity, Urgency, UrgencyLevel,
};
use super::{when, with_unit};
use crate::flow::finding as engine;
use std::fmt::Write as _;

/// The report's findings, most serious first (as the session has them).
pub(crate) fn build(found: &[engine::Finding]) -> Vec<Finding> {
    found
        .iter()
        .map(|f| Finding {
            id: f.id.clone(),
            severity: f.severity,
            source: serde_json::to_value(f.source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            code: f.code.clone(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            tier: f.tier,
            criterion: f.criterion.clone(),
            next_steps: f.next_steps.clone(),
            evidence: f
                .evidence
                .iter()
                .map(|e| Evidence {
                    name: e.name.clone(),
                    value: e.value.clone(),
                    unit: e.unit.clone(),
                    from: e.from.clone(),
                    at: e.at,
                })
                .collect(),
            addressed_by: f.addressed_by.clone(),
        })
        .collect()
}

/// Findings that bear on the verdict (above `info`).
pub(crate) fn serious(found: &[Finding]) -> impl Iterator<Item = &Finding> {
    found.iter().filter(|f| f.severity != Severity::Info)
}

/// A pet-health outcome or finding is possible harm to a pet: critical, and
/// audited with timestamps (retailer playbook).
pub(crate) fn assess_pets(mut u: Urgency, found: &[Finding]) -> Urgency {
    let pet = found.iter().find(|f| f.severity == Severity::PetHealth);
    if let Some(f) = pet
        && !u.pet_harm_possible
    {
        u.level = UrgencyLevel::Critical;
        u.pet_harm_possible = true;
        u.impact = format!(
            "Possible harm to a pet: {} This is the pet's health, not a device fault: the owner should contact their vet promptly. Every reading is recorded with its time for the audit of cases involving possible harm to pets. {}",
            f.title.trim_end_matches('.').to_string() + ".",
            u.impact
        );
    }
    u
}

/// Whether a finding adds to what the outcome says: not the outcome
/// itself, and not a fault the walked flow already dealt with at the same
/// severity or below.
fn adds_to(f: &Finding, outcome: &Outcome) -> bool {
    if f.code == outcome.code || f.summary == outcome.summary {
        return false;
    }
    !(f.addressed_by.is_some() && Some(f.severity) <= outcome_severity(outcome))
}

fn outcome_severity(o: &Outcome) -> Option<Severity> {
    if o.safety {
        return Some(Severity::Safety);
    }
    if o.pet_health {
        return Some(Severity::PetHealth);
    }
    match o.kind {
        OutcomeKind::Replace => Some(Severity::Replace),
        OutcomeKind::Escalate => Some(Severity::Escalate),
        OutcomeKind::CustomerAction => Some(Severity::CustomerAction),
        OutcomeKind::Safety => Some(Severity::Safety),
        _ => None,
    }
}

/// The other findings' next steps, after the outcome's own, most serious
/// first (each once).
pub(crate) fn add_next_steps(steps: &mut Vec<String>, found: &[Finding], outcome: &Outcome) {
    for f in serious(found).filter(|f| adds_to(f, outcome)) {
        for s in &f.next_steps {
            let s = format!("{s} ({})", f.code);
            if !steps.iter().any(|x| x == &s || s.starts_with(x.as_str())) {
                steps.push(s);
            }
        }
    }
}

/// Adds the findings and the flow's own ending to the issue description.
pub(crate) fn describe(issue: &mut String, found: &[Finding], outcome: &Outcome) {
    if let Some(f) = &outcome.flow_outcome {
        issue.push_str(&format!(
            " A finding decided the outcome; the flow itself ended {} {}: {}",
            f.kind.as_str(),
            f.code,
            f.summary
        ));
    }
    let list: Vec<String> = serious(found)
        .map(|f| format!("{} {} ({})", f.severity.label(), f.code, f.title))
        .collect();
    if !list.is_empty() {
        issue.push_str(&format!(
            " Findings, most serious first: {}.",
            list.join("; ").trim_end_matches('.')
        ));
    }
}

/// Customer words for the findings beyond what the outcome already says,
/// most serious first. A safety ending gives one clear set of instructions
/// and nothing else; a pet-health ending adds only the pet's other readings.
pub(crate) fn also_found<'a>(found: &'a [Finding], outcome: &Outcome) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    if outcome.safety {
        return out;
    }
    for f in serious(found).filter(|f| adds_to(f, outcome)) {
        if outcome.pet_health && f.severity != Severity::PetHealth {
            continue;
        }
        if !out.contains(&f.summary.as_str()) {
            out.push(&f.summary);
        }
    }
    out
}

fn evidence_line(e: &Evidence) -> String {
    let mut t = format!(
        "{} = {} (from {}",
        e.name,
        with_unit(&e.value, e.unit.as_deref()),
        e.from
    );
    if let Some(at) = &e.at {
        t.push_str(&format!(", {}", when(at)));
    }
    t.push(')');
    t
}

fn heading(f: &Finding) -> String {
    let mut t = format!("{} {}", f.severity.label(), f.code);
    if let Some(tier) = f.tier.filter(|_| f.severity != Severity::Info) {
        t.push_str(&format!(" · {tier}"));
    }
    t
}

/// The Markdown "Findings" section (nothing for reports from before
/// findings existed, so they render as they always did).
pub(crate) fn markdown(o: &mut String, r: &Report) {
    let Some(found) = &r.findings else { return };
    let _ = writeln!(o, "## Findings\n");
    if found.is_empty() {
        let _ = writeln!(
            o,
            "No findings: no self-test failed, no error in the device log, no reading out of range.\n"
        );
        return;
    }
    for (i, f) in found.iter().enumerate() {
        let _ = writeln!(o, "{}. **{}**: {}", i + 1, md(&heading(f)), md(&f.title));
        let _ = writeln!(o, "   - For the customer: {}", md(&f.summary));
        for e in &f.evidence {
            let _ = writeln!(o, "   - Evidence: {}", md(&evidence_line(e)));
        }
        if let Some(c) = &f.criterion {
            let _ = writeln!(o, "   - Criterion: {}", md(c));
        }
        let _ = writeln!(
            o,
            "   - The flow {}",
            match &f.addressed_by {
                Some(n) => format!("looked at it in step {}", md(n)),
                None => "did not ask about it".into(),
            }
        );
        for n in &f.next_steps {
            let _ = writeln!(o, "   - Next: {}", md(n));
        }
    }
    o.push('\n');
}

/// A severity's colours (inline: the report's style sheet is unchanged).
fn pill_style(s: Severity) -> &'static str {
    match s {
        Severity::Safety => "background:#b3261e;color:#fff;border-color:#b3261e",
        Severity::PetHealth => "background:#6f42c1;color:#fff;border-color:#6f42c1",
        Severity::Replace => "background:#b45309;color:#fff;border-color:#b45309",
        Severity::Escalate => "background:#fff3cd;border-color:#8a5a00",
        Severity::CustomerAction => "background:#ddf4ff;border-color:#54aeff",
        Severity::Info => "",
    }
}

/// The HTML "Findings" section (nothing for older reports).
pub(crate) fn html(o: &mut String, r: &Report) {
    let Some(found) = &r.findings else { return };
    let _ = writeln!(o, "<section id=\"findings\">\n<h2>Findings</h2>");
    if found.is_empty() {
        let _ = writeln!(
            o,
            "<p>No findings: no self-test failed, no error in the device log, no reading out of range.</p>\n</section>"
        );
        return;
    }
    let _ = writeln!(
        o,
        "<table class=\"steps\"><thead><tr><th style=\"width:18%\">Severity</th><th>Finding</th><th style=\"width:38%\">Evidence</th></tr></thead><tbody>"
    );
    for f in found {
        let mut ev = String::new();
        for e in &f.evidence {
            let _ = write!(ev, "<div class=\"mono\">{}</div>", h(&evidence_line(e)));
        }
        let mut next = format!(
            "<div class=\"small muted\">The flow {}</div>",
            match &f.addressed_by {
                Some(n) => format!("looked at it in step <span class=\"mono\">{}</span>", h(n)),
                None => "did not ask about it".into(),
            }
        );
        for n in &f.next_steps {
            let _ = write!(next, "<div class=\"small\">Next: {}</div>", h(n));
        }
        let _ = writeln!(
            o,
            "<tr><td><span class=\"pill\" style=\"{}\">{}</span><div class=\"mono small\">{}</div></td><td><strong>{}</strong><div class=\"small\">For the customer: {}</div>{}</td><td>{}</td></tr>",
            pill_style(f.severity),
            h(f.severity.label()),
            h(&f.code),
            h(&f.title),
            h(&f.summary),
            next,
            ev
        );
    }
    let _ = writeln!(o, "</tbody></table>\n</section>");
}
