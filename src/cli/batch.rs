//! Arguments of `pawdiag batch`.

use super::SettingsArgs;
use std::path::PathBuf;

/// `pawdiag batch MANIFEST`.
#[derive(Debug, clap::Args)]
pub struct BatchArgs {
    /// The manifest: CSV with a header row (columns device, flow, ticket,
    /// answers, answer:<question-id>), or TOML when it ends in .toml.
    /// A device of `auto-all` stands for every attached device.
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// Devices run at once [default: from the config file, else 8].
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Directory for the reports, one per device [default: the config
    /// file's report_dir].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Skip devices whose finished report is already in --out (after an
    /// interrupted run), known by serial number and flow, not by port.
    #[arg(long)]
    pub resume: bool,
    /// Extra time allowed per answer, in milliseconds [default: from the
    /// config file, else 250].
    #[arg(long, value_name = "MS")]
    pub timeout_ms: Option<u64>,
    /// Serial baud rate.
    #[arg(long, default_value_t = 115_200)]
    pub baud: u32,
    /// Keep the pet's location and geofence names in the reports (by default
    /// coordinates are rounded to about 1 km and names hidden).
    #[arg(long)]
    pub include_personal_data: bool,
    /// Flow files overriding the built-in ones (a directory like `flows/`).
    #[arg(long, value_name = "DIR")]
    pub flows: Option<PathBuf>,
    /// Technician name written into reports [default: from the config file].
    #[arg(long, value_name = "NAME")]
    pub technician: Option<String>,
    /// Station id written into reports [default: from the config file].
    #[arg(long, value_name = "ID")]
    pub station: Option<String>,
    /// Sending each report to the helpdesk.
    #[command(flatten)]
    pub upload: super::report::UploadArgs,
}

impl BatchArgs {
    /// The settings flags this command has.
    pub fn settings(&self) -> SettingsArgs {
        SettingsArgs {
            audience: None,
            technician: self.technician.clone(),
            station: self.station.clone(),
        }
    }
}
