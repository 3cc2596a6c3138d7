//! Arguments of `pawdiag watch`.

use super::{ConnectArgs, OutputArgs};

/// `pawdiag watch DEVICE`.
#[derive(Debug, clap::Args)]
pub struct WatchArgs {
    /// How to reach the device.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// One JSON object per refresh on stdout (JSON Lines), also the default
    /// when stdout is not a terminal.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Stop after this many refreshes (default: until Ctrl-C).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Time between refreshes, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000,
          value_parser = clap::value_parser!(u64).range(100..=3_600_000))]
    pub interval_ms: u64,
    /// Show the pet's location as the device reports it (by default
    /// coordinates are rounded to about 1 km).
    #[arg(long)]
    pub include_personal_data: bool,
}
