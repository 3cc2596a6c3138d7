//! Arguments of `pawdiag guide`.

use std::path::PathBuf;

/// `pawdiag guide [DEVICE]`.
#[derive(Debug, clap::Args)]
pub struct GuideArgs {
    /// The device; by default pawdiag finds it by itself.
    #[arg(value_name = "DEVICE", env = "PAWDIAG_DEVICE")]
    pub device: Option<String>,
    /// Continue the check that was stopped last time, without asking.
    #[arg(long, conflicts_with = "fresh")]
    pub resume: bool,
    /// Start a new check, forgetting one that was stopped.
    #[arg(long)]
    pub fresh: bool,
    /// Where to save the report [default: the config file's report_dir].
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
    /// Flow files overriding the built-in ones (for support staff).
    #[arg(long, value_name = "DIR", hide = true)]
    pub flows: Option<PathBuf>,
}
