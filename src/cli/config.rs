//! Arguments of `pawdiag config …`, and the flags every command shares to
//! override the config file (`--audience`, `--technician`, `--station`).

use std::path::PathBuf;

/// `pawdiag config …`.
#[derive(Debug, clap::Subcommand)]
pub enum ConfigCommand {
    /// Show the settings in force and where each one came from (built-in
    /// default, config file, environment variable or flag).
    Show(ConfigShowArgs),
    /// Print where the config file is (it need not exist yet).
    Path,
}

/// `pawdiag config show`.
#[derive(Debug, clap::Args)]
pub struct ConfigShowArgs {
    /// Print JSON on stdout instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Flags to try: show what a command given them would use.
    #[command(flatten)]
    pub overrides: SettingsArgs,
    /// Devices at once, as `batch --jobs` (1–256).
    #[arg(long, value_name = "N", value_parser = super::common::jobs())]
    pub jobs: Option<usize>,
    /// Answer-time slack in milliseconds, as `--timeout-ms` (0–60000).
    #[arg(long, value_name = "MS", value_parser = super::common::timeout_ms())]
    pub timeout_ms: Option<u64>,
    /// Report directory, as `--report-dir`.
    #[arg(long, value_name = "DIR")]
    pub report_dir: Option<PathBuf>,
}

/// Who the output is for and who ran it; each overrides the config file.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SettingsArgs {
    /// Who reads the output: technician (verdict, codes, readings, findings)
    /// or customer (plain words to read aloud) [default: from the config
    /// file, else technician].
    #[arg(long, value_name = "WHO", value_parser = ["technician", "customer"])]
    pub audience: Option<String>,
    /// Technician name written into reports [default: from the config file].
    #[arg(long, value_name = "NAME")]
    pub technician: Option<String>,
    /// Station id written into reports [default: from the config file].
    #[arg(long, value_name = "ID")]
    pub station: Option<String>,
}
