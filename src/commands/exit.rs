//! Exit codes (documented in README.md) and the error type commands return
//! when a person must be told something specific.

use pawdiag::address::AddressError;
use pawdiag::link::LinkError;
use pawdiag::sim::SimSpecError;

pub use pawdiag::exit::{Exit, for_report, for_session, worst};

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
