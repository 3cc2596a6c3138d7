//! One file per subcommand, gluing the library together. Everything that
//! prints lives here and in `ui`.

pub mod asker;
pub mod batch;
pub mod batch_resume;
mod batch_summary;
pub mod completions;
pub mod config;
pub mod device;
pub mod diagnose;
mod diagnose_many;
pub mod doctor;
pub mod exit;
pub mod fleet;
pub mod flows;
pub mod flows_retest;
pub mod guide;
mod guide_asker;
pub mod info;
pub mod info_view;
pub mod lines;
pub mod relay;
pub mod report;
pub mod report_diff;
pub mod report_history;
pub mod report_share;
pub mod report_upload;
pub mod scan;
pub mod sent;
pub mod sim;
#[cfg(target_os = "linux")]
pub mod sim_ble;
pub mod stop;
pub mod ui;
pub mod upload;
pub mod watch;

use crate::cli::{Cli, Command};
pub use exit::{Exit, Failure};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    config::init(&cli.command)?;
    if let Some(why) = pawdiag::link::usb::sim_registry_ignored() {
        ui::warn(&why);
    }
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Scan(args) => scan::run(args).await,
            Command::Info(args) => info::run(args).await,
            Command::Diagnose(args) => diagnose::run(*args).await,
            Command::Sim(cmd) => sim::run(cmd).await,
            Command::Completions(args) => completions::run(args),
            Command::Man(args) => completions::man(args),
            Command::Flows(cmd) => flows::run(cmd).await,
            Command::Config(cmd) => config::run(cmd),
            Command::Watch(args) => watch::run(args).await,
            Command::Batch(args) => batch::run(args).await,
            Command::Guide(args) => guide::run(args).await,
            Command::Report(cmd) => report::run(cmd),
            Command::Doctor(args) => doctor::run(args).await,
        }
    });
    // A prompt cut short by a stop signal leaves its thread blocked on the
    // terminal; dropping the runtime would wait for it forever.
    runtime.shutdown_background();
    result
}

/// Prints an error as a sentence and a hint, and picks the exit code.
pub fn report_error(err: &anyhow::Error) -> std::process::ExitCode {
    let failure = exit::classify(err);
    ui::error(&failure.message, failure.hint.as_deref());
    failure.exit.into()
}
