//! The technician's end-of-session summary: the verdict and reference code,
//! the level (tier) and the playbook criterion, the SLA, who ran it, then
//! each step with what it read in words and where it went, self-test
//! failures and the next steps. Raw keys and expressions stay in the report
//! and the `-vv` transcript; everything here fits `width` columns. Pure.

use super::escape::one_line;
use super::model::*;
use super::{due_text, markdown};
use crate::readings::{component_name, fact_label, fact_text, keys_in_words};
use crate::table::{fit, wrap_words};
use std::path::Path;
use tabled::builder::Builder;
use tabled::settings::Style;

/// The first line of a product-safety summary (the caller may colour it).
pub const SAFETY_BANNER: &str = "!! PRODUCT SAFETY: FLAGGED RED !!";

/// The first line when the readings point to the pet's health.
pub const PET_BANNER: &str = "!! POSSIBLE HARM TO A PET !!";

/// The technician's summary at `width` columns.
pub fn technician(r: &Report, saved_at: Option<&Path>, width: usize) -> String {
    let wrap = |text: &str| wrap_words(text, width, "  ");
    let mut out = String::new();
    let mut line = |text: String| {
        out.push_str(&wrap(&text));
        out.push('\n');
    };
    if r.outcome.safety {
        line(SAFETY_BANNER.to_string());
        line(format!(
            "Escalate to Operations by {}.",
            due_text(&r.sla.due)
        ));
    }
    // Below a safety banner (safety comes first), above everything else.
    let pet_findings = r
        .findings
        .as_deref()
        .is_some_and(|f| f.iter().any(|f| f.severity == Severity::PetHealth));
    if r.outcome.pet_health || pet_findings {
        line(PET_BANNER.to_string());
        line(
            "The readings point to the pet's health, not the device: the owner should contact their vet promptly."
                .into(),
        );
    }
    line(format!(
        "Verdict: {} · {}",
        r.outcome.label(),
        one_line(&r.outcome.code)
    ));
    let mut level = format!("Level: {}", r.outcome.tier);
    if let Some(c) = &r.outcome.criterion {
        level.push_str(&format!(" · criterion: {}", one_line(c)));
    }
    line(level);
    line(format!(
        "SLA: {}, due {}{}",
        one_line(&r.sla.target),
        due_text(&r.sla.due),
        if r.sla.state == SlaState::Met {
            " (met)"
        } else {
            ""
        }
    ));
    // The flow's words for technicians, when it has them; the customer's
    // sentence otherwise.
    match &r.outcome.tech {
        Some(t) => line(format!("Detail: {}", keys_in_words(&one_line(t)))),
        None => line(one_line(&r.outcome.summary)),
    }
    line(format!(
        "Device: {} {}, firmware {} ({})",
        one_line(r.device.product.as_deref().unwrap_or(&r.device.model)),
        one_line(&r.device.serial),
        one_line(r.device.fw_version.as_deref().unwrap_or("?")),
        markdown::fw_words(r.device.fw_status)
    ));
    if let Some(who) = markdown::operator_text(r) {
        line(format!("Run by: {}", one_line(&who)));
    }
    if let Some(f) = &r.outcome.flow_outcome {
        line(format!(
            "The flow itself ended: {} {}",
            f.kind.label(),
            one_line(&f.code)
        ));
    }
    if let Some(st) = &r.stopped {
        line(format!(
            "Stopped early at {}: {} ({})",
            one_line(&st.at_node),
            st.kind.label(),
            keys_in_words(&one_line(&st.detail))
        ));
    }
    // A walk that stopped for want of an answer: what to answer, by node
    // id, as an answers file takes it.
    for n in &r.needs_answers {
        line(format!(
            "Needs an answer: {} `{}` ({}): {}",
            one_line(&n.kind),
            one_line(&n.node),
            one_line(&n.accepts.join(", ")),
            one_line(&n.text)
        ));
    }
    if let Some(found) = &r.findings {
        out.push_str(&findings_list(found, width));
    }
    if let Some(t) = steps_table(r, width) {
        out.push_str(&t);
        out.push('\n');
    }
    let mut line = |text: String| {
        out.push_str(&wrap(&text));
        out.push('\n');
    };
    let failed: Vec<String> = r
        .device
        .selftest
        .iter()
        .flatten()
        .filter(|t| t.status == crate::interface::methods::TestStatus::Fail)
        .map(|t| {
            format!(
                "{} {}",
                component_name(&one_line(&t.component)),
                one_line(t.code.as_deref().unwrap_or(""))
            )
            .trim_end()
            .to_string()
        })
        .collect();
    if !failed.is_empty() {
        line(format!("Self-test failures: {}", failed.join(", ")));
    }
    if !r.escalation.next_steps.is_empty() {
        line("Next steps:".into());
    }
    for (n, s) in r.escalation.next_steps.iter().enumerate() {
        out.push_str(&wrap_words(
            &format!("  {}. {}", n + 1, keys_in_words(&one_line(s))),
            width,
            "     ",
        ));
        out.push('\n');
    }
    if let Some(path) = saved_at {
        out.push_str(&path_lines("Report:", path, width));
    }
    out
}

/// `Report: PATH` on one line when it fits, else the file name and, on the
/// next line, the directory.
pub(crate) fn path_lines(head: &str, path: &Path, width: usize) -> String {
    let full = one_line(&path.display().to_string());
    if head.chars().count() + 1 + full.chars().count() <= width {
        return format!("{head} {full}\n");
    }
    let name = path
        .file_name()
        .map_or_else(|| full.clone(), |n| one_line(&n.to_string_lossy()));
    let dir = path
        .parent()
        .map(|d| one_line(&d.display().to_string()))
        .unwrap_or_default();
    format!(
        "{}\n{}\n",
        wrap_words(&format!("{head} {name}"), width, "  "),
        wrap_words(&format!("  in {dir}"), width, "  ")
    )
}

/// Readings in words, one each, except that passing self-test components
/// are said once together and empty self-test codes and details are left
/// out: the failing ones stand out.
fn readings_in_words<'a>(
    values: impl Iterator<Item = (&'a str, &'a serde_json::Value, Option<&'a str>)>,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut passed = Vec::new();
    for (name, value, error) in values {
        if let Some(rest) = name.strip_prefix("selftest.")
            && error.is_none()
        {
            let extra = rest.contains('.') && rest != "failed_count";
            if extra && value.is_null() {
                continue;
            }
            if !rest.contains('.') && value.as_str() == Some("pass") {
                passed.push(component_name(rest));
                continue;
            }
        }
        out.push(one_line(&fact_text(name, value, error)));
    }
    if !passed.is_empty() {
        out.push(format!("self-test passed: {}", passed.join(", ")));
    }
    out
}

/// The findings, most serious first: severity, code and the technician's
/// line, then the readings behind each, in words.
fn findings_list(found: &[Finding], width: usize) -> String {
    if found.is_empty() {
        return "Findings: none\n".into();
    }
    let mut out = String::from("Findings, most serious first:\n");
    for (i, f) in found.iter().enumerate() {
        let head = format!(
            "  {}. {} {}: {}",
            i + 1,
            f.severity.label(),
            one_line(&f.code),
            keys_in_words(&one_line(&f.title))
        );
        out.push_str(&wrap_words(&head, width, "     "));
        out.push('\n');
        let read = readings_in_words(f.evidence.iter().map(|e| (e.name.as_str(), &e.value, None)));
        if !read.is_empty() {
            let text = format!("     readings: {}", read.join(", "));
            out.push_str(&wrap_words(&text, width, "       "));
            out.push('\n');
        }
    }
    out
}

/// One row per step taken (the outcome itself is the verdict above):
/// what the step was, what it read in words, where it went.
fn steps_table(r: &Report, width: usize) -> Option<String> {
    let steps: Vec<&Step> = r
        .escalation
        .steps
        .iter()
        .filter(|s| s.kind != "outcome")
        .collect();
    if steps.is_empty() {
        return None;
    }
    let mut b = Builder::default();
    b.push_record(["#", "Step", "Readings", "Result"]);
    for s in steps {
        let mut read = readings_in_words(
            s.values
                .iter()
                .map(|v| (v.name.as_str(), &v.value, v.error.as_deref())),
        );
        if let Some(a) = &s.answer {
            read.push(format!("answer: {}", one_line(a)));
        }
        if let Some(f) = &s.fix {
            read.push(format!("fix: {}", fix_words(f)));
        }
        b.push_record([
            s.n.to_string(),
            step_label(s),
            read.join("\n"),
            result_words(&s.result),
        ]);
    }
    let mut t = b.build();
    t.with(Style::sharp());
    fit(&mut t, width);
    Some(t.to_string())
}

/// The playbook's step in words, with the flow node it was.
fn step_label(s: &Step) -> String {
    let what = match (&s.playbook_step, s.kind.as_str()) {
        (Some(p), _) => one_line(p),
        (None, "question" | "hazard" | "action") => {
            one_line(s.customer_text.as_deref().unwrap_or(&s.action))
        }
        (None, _) => one_line(&s.action),
    };
    // Flow nodes by id, as `flows show` lists them; rule ids
    // (`safety:…`) name no node and the label says enough.
    if s.node.contains(':') {
        keys_in_words(&what)
    } else {
        format!("{} [{}]", keys_in_words(&what), one_line(&s.node))
    }
}

/// A step's result without the rule's expression (it names raw keys; the
/// report keeps it): `rule 2 matched → antenna-fault`.
fn result_words(result: &str) -> String {
    one_line(result)
        .split("; ")
        .map(|part| match part.split_once(" matched: ") {
            Some((rule, _)) if rule.starts_with("rule ") => format!("{rule} matched"),
            _ => keys_in_words(part),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A fix in words: `gps.cold_start (consent given): result …` →
/// `GPS cold start (consent given)`.
fn fix_words(fix: &str) -> String {
    let head = one_line(fix.split(':').next().unwrap_or(fix));
    match head.split_once(' ') {
        Some((method, rest)) => format!("{} {rest}", fact_label(method)),
        None => fact_label(&head),
    }
}
