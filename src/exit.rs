//! Exit codes, the contract scripts rely on (README.md's table is its
//! documentation): what a finished report or session stands for, and how
//! several devices' codes rank into one.

use crate::cancel::StopSignal;

/// How a command ended, as an exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// Ran; no fault found, or the fault was resolved.
    Ok = 0,
    /// A bug in pawdiag.
    Internal = 1,
    /// Bad input: usage, a malformed address, flow, answers or manifest file.
    BadInput = 2,
    /// The device could not be reached or understood.
    Unreachable = 3,
    /// A fault was found (customer action, escalation, replacement).
    Fault = 4,
    /// A product-safety outcome.
    Safety = 5,
    /// `report verify`: the report was altered.
    Tampered = 6,
    /// The walk stopped for want of an answer or a person (outcome
    /// `incomplete`); every finding so far is in the report.
    Incomplete = 7,
    /// The report could not be saved anywhere.
    ReportLost = 8,
    /// Stopped by SIGHUP (the terminal went away; work so far kept).
    HungUp = 129,
    /// Stopped by SIGINT, Ctrl-C (work so far kept).
    Interrupted = 130,
    /// Stopped by SIGTERM (work so far kept).
    Terminated = 143,
}

impl From<Exit> for std::process::ExitCode {
    fn from(e: Exit) -> Self {
        std::process::ExitCode::from(e as u8)
    }
}

/// The exit code a finished report stands for (every command that writes a
/// report uses this one mapping).
pub fn for_report(rep: &crate::report::model::Report) -> Exit {
    use crate::report::model::{OutcomeKind as K, StopKind as S};
    if rep.outcome.safety {
        return Exit::Safety;
    }
    match rep.outcome.kind {
        K::Safety => Exit::Safety,
        K::CustomerAction | K::Escalate | K::Replace => Exit::Fault,
        K::Resolved | K::NoFaultFound => Exit::Ok,
        K::Incomplete => match rep.stopped.as_ref().map(|s| s.kind) {
            Some(S::Unanswered) => Exit::Incomplete,
            Some(S::Interrupted) => {
                signal_exit(rep.stopped.as_ref().and_then(|s| s.signal.as_deref()))
            }
            Some(S::Error) => Exit::BadInput,
            Some(S::Safety) => Exit::Safety,
            Some(S::LinkLost | S::Unreachable) | None => Exit::Unreachable,
        },
    }
}

/// The exit code of a session (before or without its report); agrees
/// with [`for_report`].
pub fn for_session(session: &crate::flow::session::Session) -> Exit {
    use crate::flow::session::{OutcomeKind as K, StopKind as S};
    if session.is_safety() {
        return Exit::Safety;
    }
    match (&session.outcome, &session.stopped) {
        (Some(o), _) if o.kind == K::Safety => Exit::Safety,
        (Some(o), _) if o.kind.is_fault() => Exit::Fault,
        (Some(o), _) if o.kind != K::Incomplete => Exit::Ok,
        (_, Some(s)) => match s.kind {
            S::Unanswered => Exit::Incomplete,
            S::Interrupted => signal_exit(s.signal.as_deref()),
            S::Error => Exit::BadInput,
            S::Safety => Exit::Safety,
            S::LinkLost | S::Unreachable => Exit::Unreachable,
        },
        (_, None) => Exit::Unreachable,
    }
}

/// The exit code of an interruption by `signal` (a name as in reports);
/// Ctrl-C at a prompt, which is no signal, counts as SIGINT.
fn signal_exit(signal: Option<&str>) -> Exit {
    match signal.and_then(crate::cancel::StopSignal::parse) {
        Some(s) => of_signal(s),
        None => Exit::Interrupted,
    }
}

/// The exit code of several devices: 5 (safety) > 8 (a report lost) > 3
/// (could not be run) > 7 (incomplete) > 4 (fault) > 0. An internal error,
/// bad input or a stop on one device counts as "could not be run" (a stop
/// signal then sets the command's own code, see `stop::overrule`).
pub fn worst(exits: impl IntoIterator<Item = Exit>) -> Exit {
    let all: Vec<Exit> = exits.into_iter().collect();
    let has = |e: Exit| all.contains(&e);
    if has(Exit::Safety) {
        Exit::Safety
    } else if has(Exit::ReportLost) {
        Exit::ReportLost
    } else if [
        Exit::Unreachable,
        Exit::Internal,
        Exit::BadInput,
        Exit::Interrupted,
        Exit::Terminated,
        Exit::HungUp,
    ]
    .iter()
    .any(|e| has(*e))
    {
        Exit::Unreachable
    } else if has(Exit::Incomplete) {
        Exit::Incomplete
    } else if has(Exit::Fault) {
        Exit::Fault
    } else {
        Exit::Ok
    }
}

/// The exit code of a stop by `signal`: 130, 143 or 129.
pub fn of_signal(signal: StopSignal) -> Exit {
    match signal {
        StopSignal::Interrupt => Exit::Interrupted,
        StopSignal::Terminate => Exit::Terminated,
        StopSignal::Hangup => Exit::HungUp,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_devices_rank_safety_then_lost_report_then_unreachable_then_incomplete_then_fault() {
        use Exit::*;
        assert_eq!(worst([]), Ok);
        assert_eq!(worst([Ok, Fault]), Fault);
        assert_eq!(worst([Fault, Incomplete]), Incomplete);
        assert_eq!(worst([Incomplete, Unreachable]), Unreachable);
        assert_eq!(worst([Interrupted, Fault]), Unreachable);
        assert_eq!(worst([Unreachable, ReportLost]), ReportLost);
        assert_eq!(worst([ReportLost, Safety, Fault]), Safety);
    }

    #[test]
    fn signals_have_their_shell_codes() {
        assert_eq!(of_signal(StopSignal::Interrupt) as u8, 130);
        assert_eq!(of_signal(StopSignal::Terminate) as u8, 143);
        assert_eq!(of_signal(StopSignal::Hangup) as u8, 129);
    }
}
