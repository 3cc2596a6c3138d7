//! `pawdiag completions SHELL` and `pawdiag man DIR`: shell completions and
//! man pages from the clap definitions (the checked-in copies under
//! `completions/` and `man/` are tested to be current).

use super::{Exit, Failure};
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use clap::CommandFactory;

/// Prints completions for one shell on stdout.
pub fn run(args: CompletionsArgs) -> anyhow::Result<Exit> {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "pawdiag", &mut std::io::stdout());
    Ok(Exit::Ok)
}

/// Writes `pawdiag.1` and one page per subcommand (`pawdiag-diagnose.1`,
/// `pawdiag-flows-list.1`…) into a directory.
pub fn man(args: ManArgs) -> anyhow::Result<Exit> {
    let failed = |e: std::io::Error| {
        Failure::new(
            Exit::BadInput,
            format!("Cannot write man pages into {}: {e}", args.dir.display()),
            Some("give a directory you can write to, e.g. ~/.local/share/man/man1".into()),
        )
    };
    std::fs::create_dir_all(&args.dir).map_err(failed)?;
    clap_mangen::generate_to(Cli::command(), &args.dir).map_err(failed)?;
    super::ui::note(&format!("Man pages written to {}", args.dir.display()));
    Ok(Exit::Ok)
}
