//! The verdict: how a session's findings shape its outcome. The rules (also
//! in `docs/report.md`, "Findings and the verdict"):
//!
//! 1. A safety finding makes the outcome safety, whatever else happened.
//! 2. A pet-health finding makes it a pet-health ending (contact the vet)
//!    unless the outcome already is safety or pet health.
//! 3. A replace finding raises any outcome below Tier 3 (no fault, resolved,
//!    customer action, an escalation to Tier 2 or Management) to replace.
//! 4. "No fault found" (and "resolved") stand only when nothing above `info`
//!    was found; otherwise the most serious finding decides. A flow's own
//!    fault ending (customer action, escalation) is the considered result of
//!    its troubleshooting and stands against milder findings, which are
//!    listed with their next steps.
//!    A finding with the same code as the flow's ending is the matter that
//!    ending decided (with the person): it does not override it unless it
//!    is safety, pet health or replace.
//! 5. A walk that stopped before its ending (incomplete, link lost, a
//!    person's stop) keeps that ending unless a finding is safety: the
//!    findings so far are listed.
//!
//! Whenever a finding decides, the flow's own ending is kept alongside
//! (`Session::flow_outcome`) and named in the technician detail.

use super::finding::{self, Finding, Severity};
use super::session::{OutcomeKind, OutcomeRecord, Session, Tier};

/// The rank an outcome must reach to stand against a replace finding.
const TIER3: u8 = 51;

/// Which finding (index into `findings`, most serious first) decides the
/// outcome instead of `current`, if any.
fn decider(current: Option<&OutcomeRecord>, findings: &[Finding]) -> Option<usize> {
    // The flow's own ending about the very same matter (its code is the
    // finding's: alerts left off at the customer's choice) is that matter
    // decided with the person; only safety, the pet or a defect overrule it.
    let decided_by_flow = |f: &Finding| {
        current.is_some_and(|o| o.code == f.code)
            && matches!(f.severity, Severity::CustomerAction | Severity::Escalate)
    };
    let (i, top) = findings
        .iter()
        .enumerate()
        .find(|(_, f)| f.severity != Severity::Info && !decided_by_flow(f))?;
    let Some(o) = current else {
        return (top.severity == Severity::Safety).then_some(i);
    };
    if o.safety || o.kind == OutcomeKind::Safety {
        return None;
    }
    if o.kind == OutcomeKind::Incomplete {
        return (top.severity == Severity::Safety).then_some(i);
    }
    let decides = match top.severity {
        Severity::Safety => true,
        Severity::PetHealth => !o.pet_health,
        Severity::Replace => finding::outcome_rank(o) < TIER3,
        _ => matches!(o.kind, OutcomeKind::NoFaultFound | OutcomeKind::Resolved),
    };
    decides.then_some(i)
}

/// Applies the findings to a walked flow's session: records them and, where
/// the rules say so, replaces the outcome (keeping the flow's own).
pub fn apply(session: &mut Session, mut findings: Vec<Finding>, escalate_within_min: u32) {
    finding::sort(&mut findings);
    mark_addressed(session, &mut findings);
    if let Some(i) = decider(session.outcome.as_ref(), &findings) {
        let mut o = findings[i].to_outcome(escalate_within_min);
        if let Some(flow) = session.outcome.take() {
            o.tech = Some(format!(
                "{}. Finding {} decided the verdict; the \"{}\" flow itself ended {} {}",
                o.tech.as_deref().unwrap_or(&findings[i].title),
                findings[i].code,
                session.flow_title,
                flow.kind,
                flow.code
            ));
            for s in &flow.next_steps {
                if !o.next_steps.contains(s) {
                    o.next_steps.push(s.clone());
                }
            }
            session.flow_outcome = Some(flow);
        }
        // A walk that stopped early (link lost, a person's stop) keeps its
        // `stopped`, which says where it got to.
        session.outcome = Some(o);
    }
    session.findings = findings;
}

/// The bench sweep's verdict: its most serious finding, or no fault found
/// when nothing above `info` was found (a safety stop stands as it is).
pub fn apply_sweep(session: &mut Session, mut findings: Vec<Finding>, escalate_within_min: u32) {
    finding::sort(&mut findings);
    let top = findings.iter().find(|f| f.severity != Severity::Info);
    let stopped = session.stopped.is_some();
    let decided = match (&session.outcome, top) {
        // A safety stop stands; a safety finding overrides anything else.
        (Some(o), _) if o.safety => None,
        (_, Some(f)) if f.severity == Severity::Safety => Some(f.to_outcome(escalate_within_min)),
        (Some(_), _) => None,
        // A sweep that stopped early (link lost) reports what it found so
        // far but no verdict.
        (None, _) if stopped => None,
        (None, Some(f)) => Some(f.to_outcome(escalate_within_min)),
        (None, None) => Some(no_fault(session)),
    };
    if let Some(o) = decided {
        session.outcome = Some(o);
    }
    session.findings = findings;
}

fn no_fault(session: &Session) -> OutcomeRecord {
    OutcomeRecord {
        node_id: "sweep#no-fault".into(),
        kind: OutcomeKind::NoFaultFound,
        code: format!("{}-SWEEP-OK", session.model.code()),
        tier: Some(Tier::One),
        criterion: None,
        summary: "Every automatic check passed: no fault found.".into(),
        tech: Some(
            "No check of any flow found anything, and no finding rule (self-test, device log, readings) matched what the device reported".into(),
        ),
        next_steps: vec!["Return the unit to the customer or to stock".into()],
        safety: false,
        escalate_within_min: None,
        pet_health: false,
    }
}

/// Marks the findings whose readings a matched rule of the walk looked at
/// (the flow asked about them; the others it did not).
fn mark_addressed(session: &Session, findings: &mut [Finding]) {
    for step in &session.steps {
        let Some(m) = &step.matched_rule else {
            continue;
        };
        let Ok(e) = super::expr::parse(&m.when) else {
            continue;
        };
        let probes: Vec<String> = e.probes().iter().map(|(p, _)| p.to_string()).collect();
        for f in findings.iter_mut().filter(|f| f.addressed_by.is_none()) {
            if f.evidence.iter().any(|ev| probes.contains(&ev.name)) {
                f.addressed_by = Some(step.node_id.clone());
            }
        }
    }
}
