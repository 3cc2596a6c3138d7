//! Command-line definitions only (clap derive), so completions and docs can
//! be generated from them. One file per subcommand's arguments.

pub mod batch;
pub mod common;
pub mod config;
pub mod diagnose;
pub mod flows;
pub mod guide;
pub mod report;
pub mod watch;

pub use batch::BatchArgs;
use clap::{Parser, Subcommand};
pub use common::{ConnectArgs, OutputArgs};
pub use config::{ConfigCommand, ConfigShowArgs, SettingsArgs};
pub use diagnose::DiagnoseArgs;
pub use guide::GuideArgs;
pub use report::ReportCommand;
pub use watch::WatchArgs;

/// Diagnose PawCore PetTrackers, HealthMonitors and SmartCollars over USB or
/// Bluetooth, walk the support playbook's troubleshooting steps, and write a
/// report to attach to a support ticket.
///
/// Try it without a device: `pawdiag diagnose sim:pettracker?fault=gps-antenna-open`.
#[derive(Debug, Parser)]
#[command(
    name = "pawdiag",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// More detail on stderr (repeat for the protocol transcript).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Only errors on stderr.
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// Never use colour (also honoured: the NO_COLOR environment variable).
    #[arg(long, global = true)]
    pub no_color: bool,
}

/// The subcommands.
// Parsed once per run: the size of the largest variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check your device step by step, in plain words (for pet owners).
    Guide(GuideArgs),
    /// Walk a troubleshooting flow with a device (or, without --flow, run
    /// every automatic check for the bench) and write a report.
    Diagnose(Box<DiagnoseArgs>),
    /// Show a device's identity, firmware, battery, self-test and status.
    Info(InfoArgs),
    /// List PawCore devices over USB and Bluetooth LE.
    Scan(ScanArgs),
    /// Show a device's live state (battery, GPS, sensors, LEDs), refreshed
    /// about once a second until Ctrl-C.
    Watch(WatchArgs),
    /// Run many devices from a manifest (a returns centre): one report per
    /// device, JSON Lines on stdout, a summary table on stderr.
    Batch(BatchArgs),
    /// Re-render or verify a saved diagnostic report.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Troubleshooting flows: list, show, graph, lint, test.
    #[command(subcommand)]
    Flows(flows::FlowsCommand),
    /// Run the simulator: list its faults or serve simulated devices.
    #[command(subcommand)]
    Sim(SimCommand),
    /// Show the settings in force and where the config file is.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Check this computer: serial ports and permissions, the Bluetooth
    /// adapter (on Linux also ModemManager, D-Bus, BlueZ and rfkill), the
    /// config file, the reports directory and the helpdesk. Exit 0 when
    /// nothing blocks pawdiag, 3 otherwise.
    Doctor(DoctorArgs),
    /// Print shell completions.
    Completions(CompletionsArgs),
    /// Write man pages (pawdiag.1 and one per subcommand) into a directory.
    Man(ManArgs),
}

/// `pawdiag scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How long to listen for Bluetooth devices, in seconds (0.5–300).
    #[arg(long, default_value_t = 5.0, value_parser = common::scan_seconds)]
    pub timeout: f64,
    /// Also list devices that are not PawCore devices (Bluetooth).
    #[arg(long)]
    pub all: bool,
    /// Skip Bluetooth; list USB serial devices only.
    #[arg(long)]
    pub no_ble: bool,
}

/// `pawdiag info`.
#[derive(Debug, clap::Args)]
pub struct InfoArgs {
    /// How to reach the device.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Skip the self-test (it takes up to 5 seconds).
    #[arg(long)]
    pub no_selftest: bool,
    /// Show the pet's location and geofence names as the device reports
    /// them (by default coordinates are rounded to about 1 km and names hidden).
    #[arg(long)]
    pub include_personal_data: bool,
}

/// `pawdiag sim …`.
#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// List the device and link faults the simulator can inject.
    Faults(SimFaultsArgs),
    /// Serve simulated devices on pseudo-terminals (or over a fake BlueZ)
    /// until stopped with Ctrl-C.
    Serve(SimServeArgs),
}

/// `pawdiag sim faults`.
#[derive(Debug, clap::Args)]
pub struct SimFaultsArgs {
    /// Only the faults of this model.
    #[arg(long)]
    pub model: Option<String>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `pawdiag sim serve`.
#[derive(Debug, clap::Args)]
pub struct SimServeArgs {
    /// pettracker, healthmonitor or smartcollar.
    #[arg(long, default_value = "pettracker")]
    pub model: String,
    /// Device faults, comma-separated (see `pawdiag sim faults`).
    #[arg(long, value_delimiter = ',')]
    pub fault: Vec<String>,
    /// Link faults, comma-separated (corrupt, drop, slow, busy, silent, …).
    #[arg(long, value_delimiter = ',')]
    pub link: Vec<String>,
    /// Pace output at this baud rate (300–4000000), as a real USB serial
    /// device would.
    #[arg(long, value_parser = common::baud())]
    pub baud: Option<u32>,
    /// How many devices to serve (1–256; serials count up).
    #[arg(long, default_value_t = 1,
          value_parser = clap::builder::RangedU64ValueParser::<u32>::new().range(1..=256))]
    pub count: u32,
    /// Serial number of the first device.
    #[arg(long)]
    pub serial: Option<String>,
    /// Firmware version to report.
    #[arg(long)]
    pub fw: Option<String>,
    /// Serve over a BlueZ-compatible D-Bus service instead of pseudo-terminals.
    #[arg(long)]
    pub ble: bool,
    /// Fake-BlueZ knobs with --ble, comma-separated: no-adapter, rfkill,
    /// powered-off, in-progress-once, abort-once, slow-connect,
    /// connect-fails, cached-away, heart-rate-strap, mtu-23.
    #[arg(long, value_delimiter = ',', requires = "ble")]
    pub bluez: Vec<String>,
}

/// `pawdiag man`.
#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Where to write them, e.g. ~/.local/share/man/man1 (created if missing).
    #[arg(value_name = "DIR")]
    pub dir: std::path::PathBuf,
}

/// `pawdiag doctor`.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// How long to listen for Bluetooth devices, in seconds.
    #[arg(long, default_value_t = 3.0)]
    pub timeout: f64,
}

/// `pawdiag completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell.
    pub shell: clap_complete::Shell,
}
