//! The `pawdiag` binary: parse arguments, run one command, turn its result
//! into an exit code. Errors are printed as one sentence and a hint.

use clap::Parser;
use std::process::ExitCode;

mod cli;
mod commands;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    commands::ui::init(&cli);
    match commands::run(cli) {
        Ok(code) => code.into(),
        Err(err) => commands::report_error(&err),
    }
}
