//! Arguments of `pawdiag diagnose`.

use super::{ConnectArgs, OutputArgs};
use std::path::PathBuf;

/// `pawdiag diagnose`.
#[derive(Debug, clap::Args)]
pub struct DiagnoseArgs {
    /// How to reach the device.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// The troubleshooting flow to walk, e.g. pettracker/gps-not-working
    /// (`pawdiag flows list`). Without it: every automatic check of every
    /// flow of the device's model (the bench sweep).
    #[arg(long, value_name = "ID")]
    pub flow: Option<String>,
    /// Answers for the flow's questions, consents and actions (TOML or JSON:
    /// node id = value). Unanswered questions take the flow's "unknown" branch.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Use the flows in this directory instead of (or on top of) the built-in ones.
    #[arg(long, value_name = "DIR", env = "PAWDIAG_FLOWS")]
    pub flows: Option<PathBuf>,
    /// Show technician detail: node ids, raw values, findings table.
    #[arg(long)]
    pub technician: bool,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Write the report here; the format follows the extension (.json, .md,
    /// .html) unless --format says otherwise. Without it the report is still
    /// saved in pawdiag's data directory and its path printed.
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Report format: json, md or html.
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,
    /// Customer name for the report.
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// Customer e-mail (masked in the report unless --include-personal-data).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// Customer phone (masked in the report unless --include-personal-data).
    #[arg(long, value_name = "PHONE")]
    pub phone: Option<String>,
    /// Support ticket number.
    #[arg(long, value_name = "TICKET")]
    pub ticket: Option<String>,
    /// A note for the report (repeatable): history, what the customer said.
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Vec<String>,
    /// Keep the pet's location and the customer's contact details unmasked
    /// in the report.
    #[arg(long)]
    pub include_personal_data: bool,
}
