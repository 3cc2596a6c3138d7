//! The bench sweep as a session, so it reports, renders, verifies and exits
//! like any flow: one step per flow (every reading its checks took, what
//! they found as notes), and each check that found something as a
//! [`Finding`] carrying the flow's own ending. The verdict (the most
//! serious finding, or no fault found) is [`crate::flow::verdict::apply_sweep`].

use crate::flow::engine::{self, SweepReport};
use crate::flow::finding::{Evidence, Finding, Severity, Source, outcome_severity};
use crate::flow::findings_eval::{code_part, part_of};
use crate::flow::format::{Body, Fix, Flow};
use crate::flow::load::FlowSet;
use crate::flow::session::{
    FactRecord, OutcomeKind, OutcomeRecord, RunMode, Session, StepKind, StepRecord, Tier,
};

fn outcome_of(flow: &Flow, node_id: &str, escalate_within_min: u32) -> Option<OutcomeRecord> {
    let mut rec = engine::outcome_record(flow.node(node_id)?, escalate_within_min)?;
    // Sweeps cover many flows: name the flow with the node.
    rec.node_id = format!("{}#{}", flow.id, node_id);
    Some(rec)
}

/// The readings of a check that bear on its rule: the rule's probes, the
/// rest of the same answers, and of the self-test only the components the
/// rule names.
fn evidence(facts: &[FactRecord], probes: &[&str]) -> Vec<Evidence> {
    let method = |n: &str| crate::probe::catalogue::find(n).map(|p| p.method);
    let bears = |name: &str| {
        probes.contains(&name)
            || match method(name) {
                Some("selftest.run") => probes.iter().any(|p| {
                    let c = p.strip_suffix(".code").unwrap_or(p);
                    c != "selftest.failed_count" && (name == c || name == format!("{c}.code"))
                }),
                Some(m) => probes.iter().any(|p| method(p) == Some(m)),
                None => false,
            }
    };
    facts
        .iter()
        .filter(|f| bears(&f.name))
        .map(|f| Evidence {
            name: f.name.clone(),
            value: f.value.clone(),
            unit: f.unit.clone(),
            from: crate::probe::catalogue::find(&f.name)
                .map_or_else(String::new, |p| p.method.to_string()),
            at: Some(f.at),
        })
        .collect()
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// The probes a rule's condition reads.
fn rule_probes(when: &str) -> Vec<String> {
    crate::flow::expr::parse(when)
        .map(|e| e.probes().iter().map(|(p, _)| p.to_string()).collect())
        .unwrap_or_default()
}

/// Where a matched rule leads when that is for the customer to choose or
/// tell, not a fault of the device.
enum Offer<'a> {
    /// A fix that only changes a setting (with the customer's consent).
    Setting(&'a Fix),
    /// A question only the customer can answer.
    Question(&'a str),
    /// Something a person does (put the monitor on, go outdoors): what
    /// the device read without it says nothing about a fault.
    Action(&'a str),
}

impl Offer<'_> {
    fn note(&self) -> &'static str {
        match self {
            Offer::Setting(_) => "a setting to offer the customer",
            Offer::Question(_) => "a question for the customer",
            Offer::Action(_) => "something a person does first",
        }
    }
}

fn offer_of<'a>(flow: &'a Flow, goto: &str) -> Option<Offer<'a>> {
    match &flow.node(goto)?.body {
        Body::Fix(fix) if fix.method == "settings.set" => Some(Offer::Setting(fix)),
        Body::Question(q) => Some(Offer::Question(&q.ask)),
        Body::Action(a) => Some(Offer::Action(&a.do_)),
        _ => None,
    }
}

/// The `info` finding of an [`Offer`]: it never changes the verdict, and
/// carries the readings and what to offer or ask.
fn offer_finding(
    flow_id: &str,
    title: &str,
    model: crate::interface::Model,
    f: &engine::Finding,
    offer: &Offer,
) -> Finding {
    let names = rule_probes(&f.rule.when);
    let probes: Vec<&str> = names.iter().map(String::as_str).collect();
    let step = f.playbook_step.as_deref().unwrap_or(&f.node_id);
    let (what, next) = match offer {
        Offer::Setting(fix) => (
            "a setting the customer may want changed",
            format!(
                "If the customer reports this symptom, offer: {}",
                fix.consent
            ),
        ),
        Offer::Question(ask) => (
            "needs the customer's answer",
            format!("If the customer reports this symptom, ask: {ask}"),
        ),
        Offer::Action(what) => (
            "needs a person first",
            format!("If the customer reports this symptom, ask them to: {what}"),
        ),
    };
    Finding {
        id: format!("{flow_id}#{}", f.node_id),
        severity: Severity::Info,
        source: Source::FlowCheck,
        code: format!("{}-CHECK-{}", model.code(), code_part(&f.goto)),
        title: format!("{title} ({step}): {what}"),
        summary: format!("Worth a look with you if it matters to you: {step}."),
        tier: None,
        criterion: None,
        next_steps: vec![next],
        evidence: evidence(&f.facts, &probes),
        part: None,
        outcome: None,
        addressed_by: None,
    }
}

/// The follow-up a check needs when its finding can only be finished with
/// the customer's answers.
fn follow_up(model_code: &str, title: &str, symptom: &str) -> OutcomeRecord {
    OutcomeRecord {
        node_id: "sweep#follow-up".into(),
        kind: OutcomeKind::Escalate,
        code: format!("{model_code}-SWEEP-FOLLOWUP"),
        tier: Some(Tier::Two),
        criterion: Some("Complex technical issues".into()),
        summary: format!(
            "One thing needs a closer look with you: \"{symptom}\". Choose it next time you run the guide, and we'll go through it together."
        ),
        tech: Some(
            "A check found something that needs the person's answers: run `pawdiag diagnose --flow …` for this flow".into(),
        ),
        next_steps: vec![format!("Walk the \"{title}\" flow with the customer")],
        safety: false,
        escalate_within_min: None,
        pet_health: false,
    }
}

/// The sweep as a session (the outcome is left to the verdict, except a
/// safety stop), and the findings of its checks.
pub fn sweep_session(sweep: &SweepReport, flows: &FlowSet) -> (Session, Vec<Finding>) {
    let model = sweep.model;
    let minutes = flows.safety.escalate_within_min;
    let mut steps = Vec::new();
    let mut found: Vec<Finding> = Vec::new();
    for fs in &sweep.flows {
        let flow = flows.get(&fs.flow_id);
        let mut notes = Vec::new();
        let mut problems = 0usize;
        let mut codes: Vec<String> = Vec::new();
        for f in &fs.findings {
            // A matched rule is only a problem when it leads towards a fault
            // (or needs the person to tell more); rules that route a healthy
            // reading onwards are not findings for the bench.
            let outcome = f
                .leads_to
                .as_ref()
                .and_then(|o| flow.and_then(|fl| outcome_of(fl, &o.node_id, minutes)));
            let outcome = match (&f.leads_to, outcome) {
                (Some(_), Some(rec)) if rec.kind.is_fault() || rec.safety => rec,
                (Some(_), _) => continue,
                (None, _) => {
                    // A rule whose next step is a setting the customer may
                    // choose (a shorter interval, alerts off, a dim light),
                    // a question only the customer can answer (no devices
                    // linked, the app unpaired) or something a person does
                    // first (put the monitor on, go outdoors) is worth
                    // knowing, not a fault: on a bench nobody wears the
                    // monitor and the tracker is indoors.
                    if let Some(offer) = flow.and_then(|fl| offer_of(fl, &f.goto)) {
                        let label = f.tech.as_deref().unwrap_or(&f.node_id);
                        notes.push(format!(
                            "{label}: `{}` matched → {}",
                            f.rule.when,
                            offer.note()
                        ));
                        let finding = offer_finding(&fs.flow_id, &fs.title, model, f, &offer);
                        if !codes.contains(&finding.code) {
                            codes.push(finding.code.clone());
                        }
                        found.push(finding);
                        continue;
                    }
                    follow_up(model.code(), &fs.title, &fs.symptom)
                }
            };
            problems += 1;
            if !codes.contains(&outcome.code) {
                codes.push(outcome.code.clone());
            }
            let label = f
                .tech
                .as_deref()
                .or(f.playbook_step.as_deref())
                .unwrap_or(&f.node_id);
            notes.push(format!(
                "{label}: `{}` matched → {} {}",
                f.rule.when, outcome.kind, outcome.code
            ));
            let names = rule_probes(&f.rule.when);
            let probes: Vec<&str> = names.iter().map(String::as_str).collect();
            // The same ending reached by two checks is one finding.
            if let Some(same) = found
                .iter_mut()
                .find(|x| x.outcome.as_ref().is_some_and(|o| o.code == outcome.code))
            {
                for e in evidence(&f.facts, &probes) {
                    if !same.evidence.iter().any(|x| x.name == e.name) {
                        same.evidence.push(e);
                    }
                }
                continue;
            }
            found.push(Finding {
                id: format!("{}#{}", fs.flow_id, f.node_id),
                severity: outcome_severity(&outcome).unwrap_or(Severity::Escalate),
                source: Source::FlowCheck,
                code: outcome.code.clone(),
                // The rule itself is in the step's notes and the evidence
                // below; the title says which check of which flow found it.
                title: format!("{} ({})", fs.title, label),
                summary: outcome.summary.clone(),
                tier: outcome.tier,
                criterion: outcome.criterion.clone(),
                next_steps: outcome.next_steps.clone(),
                evidence: evidence(&f.facts, &probes),
                part: part_of(&probes),
                outcome: Some(outcome),
                addressed_by: None,
            });
        }
        if !fs.undecided.is_empty() {
            notes.push(format!(
                "undecided by the automatic checks (a reading the device could not give, or a test that runs only with consent): {}",
                fs.undecided.join(", ")
            ));
        }
        let checks = plural(fs.checks, "check");
        let summary = if codes.is_empty() {
            format!("{checks}, nothing found")
        } else {
            format!("{checks}, found {}", codes.join(", "))
        };
        steps.push(StepRecord {
            playbook_step: Some(fs.title.clone()),
            say: Some(fs.symptom.clone()),
            tech: Some(format!(
                "{}: {} checks, {} finding{}",
                fs.title,
                fs.checks,
                problems,
                if problems == 1 { "" } else { "s" }
            )),
            ended_at: sweep.ended_at,
            // Every reading the flow's checks took is its evidence.
            facts: fs.readings.clone(),
            notes,
            summary: Some(summary),
            ..StepRecord::new(&fs.flow_id, StepKind::Check, sweep.started_at)
        });
    }
    let mut session = Session::new(
        &format!("{}/sweep", model.id()),
        &format!(
            "Bench sweep: every automatic check of every {} flow",
            model.product_name()
        ),
        model,
        RunMode::Sweep,
        sweep.started_at,
    );
    session.playbook = format!("{} Support (all symptoms)", model.product_name());
    session.device = sweep.device.clone();
    session.ended_at = Some(sweep.ended_at);
    session.steps = steps;
    session.outcome = sweep.safety.clone();
    session.stopped = sweep.stopped.clone();
    session.facts = sweep.facts.clone();
    (session, found)
}
