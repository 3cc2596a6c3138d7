//! The playbook's "Escalation Documentation" composed from what is known:
//! the detailed issue description, the urgency and impact assessment and
//! the recommended next steps.

use super::model::*;
use crate::flow::session::Session;
use crate::interface::model::FirmwareStatus;

fn product(device: &Device) -> String {
    device
        .product
        .clone()
        .unwrap_or_else(|| format!("device ({})", device.model))
}

/// The playbook's "detailed issue description", composed from what is known.
pub(crate) fn describe(
    session: &SessionInfo,
    device: &Device,
    outcome: &Outcome,
    stopped: Option<&Stopped>,
    steps: usize,
) -> String {
    let mut parts = Vec::new();
    let symptom = session.symptom.as_deref().unwrap_or(&session.flow_title);
    parts.push(format!(
        "{} {}: {}.",
        product(device),
        device.serial,
        symptom.trim_end_matches('.')
    ));
    parts.push(format!(
        "The \"{}\" check ({}) ran {} from {} to {} UTC, {} step{}, and ended: {}",
        session.flow_title,
        session.flow_id,
        if session.mode.is_empty() {
            "".to_string()
        } else {
            format!("in {} mode", session.mode)
        },
        session.started_at.format("%Y-%m-%d %H:%M:%S"),
        session.ended_at.format("%H:%M:%S"),
        steps,
        if steps == 1 { "" } else { "s" },
        outcome.summary
    ));
    if let Some(t) = &outcome.tech {
        parts.push(format!("Technician detail: {}.", t.trim_end_matches('.')));
    }
    if let Some(tests) = &device.selftest {
        let failed: Vec<String> = tests
            .iter()
            .filter(|t| t.status == crate::interface::methods::TestStatus::Fail)
            .map(|t| {
                let mut s = format!(
                    "{} {}",
                    t.component,
                    t.code.as_deref().unwrap_or("(no code)")
                );
                if let Some(d) = &t.detail {
                    s.push_str(&format!(" ({d})"));
                }
                s
            })
            .collect();
        if !failed.is_empty() {
            parts.push(format!("Failing self-tests: {}.", failed.join(", ")));
        }
    }
    if device.fw_status == FirmwareStatus::Outdated {
        parts.push(format!(
            "Firmware {} is older than the current release {}.",
            device.fw_version.as_deref().unwrap_or("?"),
            device.fw_current.as_deref().unwrap_or("?")
        ));
    }
    if device
        .interface
        .is_some_and(|v| v > crate::interface::model::INTERFACE_VERSION)
    {
        parts.push(format!(
            "The device speaks interface version {}, newer than this pawdiag knows (1): only version 1 methods were used.",
            device.interface.unwrap_or_default()
        ));
    }
    if let Some(st) = stopped {
        parts.push(format!(
            "The session stopped early at step \"{}\": {} ({}).",
            st.at_node,
            st.kind.label(),
            st.detail.trim_end_matches('.')
        ));
    }
    parts.join(" ").replace("  ", " ")
}

/// The playbook's "urgency and impact assessment".
pub(crate) fn assess(outcome: &Outcome, device: &Device, stopped: Option<&Stopped>) -> Urgency {
    let p = product(device);
    let (level, impact) = match outcome.kind {
        OutcomeKind::Safety => (
            UrgencyLevel::Critical,
            format!(
                "Possible harm to a pet: the {p} must not be used until Operations has assessed it. \
                 Flagged red: escalate to Operations within 30 minutes (24/7 on-call); every action \
                 on this case is audited with timestamps; regulatory notification within 72 hours where required."
            ),
        ),
        OutcomeKind::Replace => (
            UrgencyLevel::High,
            format!("The {p} has a hardware fault and cannot do its job until it is replaced."),
        ),
        OutcomeKind::Escalate if outcome.tier == Tier::Management => (
            UrgencyLevel::Normal,
            format!(
                "A decision only a PawCore support manager can make is needed for the {p} (playbook: Management Escalation); the escalation response target is 24 hours."
            ),
        ),
        OutcomeKind::Escalate => (
            if outcome.tier == Tier::Three {
                UrgencyLevel::High
            } else {
                UrgencyLevel::Normal
            },
            format!(
                "The fault remains after troubleshooting; the {p} may not work as expected until {} resolves it.",
                outcome.tier
            ),
        ),
        OutcomeKind::CustomerAction => (
            UrgencyLevel::Normal,
            format!("The customer can restore the {p} themselves by following the next steps."),
        ),
        OutcomeKind::Resolved => (
            UrgencyLevel::Low,
            format!("The {p} works again; nothing is outstanding."),
        ),
        OutcomeKind::NoFaultFound => (
            UrgencyLevel::Low,
            format!("No fault was found in the {p}; the reported symptom was not reproduced."),
        ),
        OutcomeKind::Incomplete => (
            UrgencyLevel::Normal,
            match stopped.map(|s| s.kind) {
                Some(StopKind::LinkLost) => format!(
                    "The diagnosis is unfinished: the {p} stopped responding during the check, which may itself be a symptom."
                ),
                _ => "The diagnosis is unfinished; the cause is not known yet.".to_string(),
            },
        ),
    };
    Urgency {
        level,
        impact,
        pet_harm_possible: outcome.kind == OutcomeKind::Safety,
    }
}

/// The playbook's "recommended next steps": the flow's own, then what the
/// report itself knows (safety deadline, outdated firmware, an unfinished run).
pub(crate) fn next_steps(
    s: &Session,
    outcome: &Outcome,
    sla: &Sla,
    device: &Device,
    stopped: Option<&Stopped>,
) -> Vec<String> {
    let mut steps = Vec::new();
    if outcome.kind == OutcomeKind::Safety {
        steps.push(format!(
            "Escalate to Operations now (flagged red), by {} UTC at the latest.",
            sla.due.format("%Y-%m-%d %H:%M")
        ));
        steps.push(
            "Tell the customer to stop using the device and keep it away from the pet.".into(),
        );
    }
    if let Some(o) = &s.outcome {
        steps.extend(o.next_steps.iter().cloned());
    }
    match stopped.map(|st| st.kind) {
        Some(StopKind::LinkLost) if outcome.kind == OutcomeKind::Incomplete => {
            steps.push("Reconnect the device (check the cable, or bring it closer for Bluetooth) and run the check again.".into());
            steps.push(
                "If it keeps dropping the connection, escalate to Tier 2 with this report.".into(),
            );
        }
        Some(StopKind::Interrupted | StopKind::Error)
            if outcome.kind == OutcomeKind::Incomplete =>
        {
            steps.push("Run the check again to reach a result.".into());
        }
        _ => {}
    }
    if device.fw_status == FirmwareStatus::Outdated
        && !matches!(outcome.kind, OutcomeKind::Safety | OutcomeKind::Replace)
    {
        steps.push(format!(
            "Update the firmware from {} to {} (playbook: check for firmware updates).",
            device.fw_version.as_deref().unwrap_or("?"),
            device.fw_current.as_deref().unwrap_or("?")
        ));
    }
    if steps.is_empty() {
        steps.push(match outcome.kind {
            OutcomeKind::Resolved | OutcomeKind::NoFaultFound => {
                "Close the ticket; ask the customer to get in touch quoting the reference code if it happens again.".into()
            }
            _ if outcome.tier == Tier::Management => {
                "A PawCore support manager to pick up the case with this report and contact the customer within 24 hours.".into()
            }
            _ => format!("{} to pick up the case with this report.", outcome.tier),
        });
    }
    let mut seen = std::collections::HashSet::new();
    steps.retain(|x| seen.insert(x.clone()));
    steps
}
