//! Exit codes (documented in README.md) and the error type commands return
//! when a person must be told something specific.

use pawdiag::address::AddressError;
use pawdiag::link::LinkError;
use pawdiag::sim::SimSpecError;

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
pub fn for_report(rep: &pawdiag::report::model::Report) -> Exit {
    use pawdiag::report::model::{OutcomeKind as K, StopKind as S};
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
pub fn for_session(session: &pawdiag::flow::session::Session) -> Exit {
    use pawdiag::flow::session::{OutcomeKind as K, StopKind as S};
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
    match signal.and_then(pawdiag::cancel::StopSignal::parse) {
        Some(s) => super::stop::exit_for(s),
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

/// An error for a person: one sentence, a hint, an exit code.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Failure {
    /// What went wrong, one sentence.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// The exit code.
    pub exit: Exit,
}

impl Failure {
    /// A failure with a hint.
    pub fn new(exit: Exit, message: impl Into<String>, hint: Option<String>) -> Self {
        Self {
            message: message.into(),
            hint,
            exit,
        }
    }
}

/// Turns any error into a sentence, a hint and an exit code.
pub fn classify(err: &anyhow::Error) -> Failure {
    if let Some(f) = err.downcast_ref::<Failure>() {
        return Failure::new(f.exit, f.message.clone(), f.hint.clone());
    }
    if let Some(e) = err.downcast_ref::<LinkError>() {
        return super::device::failure(pawdiag::failure::of_link(e, "the device"));
    }
    if let Some(c) = err.downcast_ref::<pawdiag::failure::Classified>() {
        return super::device::failure(c.clone());
    }
    if let Some(e) = err.downcast_ref::<AddressError>() {
        return Failure::new(Exit::BadInput, sentence(e), Some(e.hint()));
    }
    if let Some(e) = err.downcast_ref::<SimSpecError>() {
        return Failure::new(Exit::BadInput, sentence(e), Some(e.hint()));
    }
    if let Some(e) = err.downcast_ref::<pawdiag::report::WriteError>() {
        return Failure::new(Exit::ReportLost, sentence(e), Some(e.hint()));
    }
    if let Some(e) = err.downcast_ref::<pawdiag::client::CallError>() {
        return super::device::call_failure(e, "the device");
    }
    // Anything else is unexpected: show the chain, not a Debug dump.
    let chain: Vec<String> = err.chain().map(|c| c.to_string()).collect();
    Failure::new(
        Exit::Internal,
        chain.join(": "),
        Some("this looks like a bug in pawdiag; please report it with the command you ran".into()),
    )
}

/// An error's text as a sentence for a person: first letter upper-case.
pub fn sentence(e: &dyn std::fmt::Display) -> String {
    let s = e.to_string();
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().collect::<String>() + c.as_str(),
        None => s,
    }
}
