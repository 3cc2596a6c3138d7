//! The `pawdiag` binary: parse arguments, run one command, turn its result
//! into an exit code. Errors are printed as one sentence and a hint.

use clap::Parser;
use std::process::ExitCode;

mod cli;
mod commands;

fn main() -> ExitCode {
    restore_sigpipe();
    let cli = cli::Cli::parse();
    commands::ui::init(&cli);
    match commands::run(cli) {
        Ok(code) => code.into(),
        Err(err) => commands::report_error(&err),
    }
}

/// Rust ignores SIGPIPE, so `println!` into a closed pipe (`pawdiag … | head`)
/// would panic. Like every Unix filter, end quietly instead.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any other thread exists;
    // SIG_DFL is a valid disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
