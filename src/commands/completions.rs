//! `pawdiag completions SHELL`: shell completions from the clap definitions.

use super::Exit;
use crate::cli::{Cli, CompletionsArgs};
use clap::CommandFactory;

/// Prints completions for one shell on stdout.
pub fn run(args: CompletionsArgs) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "pawdiag", &mut std::io::stdout());
    Ok(Exit::Ok)
}
