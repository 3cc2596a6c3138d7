//! Arguments of `pawdiag diagnose`.

use super::{ConnectArgs, OutputArgs};
use std::path::PathBuf;

/// `pawdiag diagnose`.
#[derive(Debug, clap::Args)]
pub struct DiagnoseArgs {
    /// How to reach the device.
    #[command(flatten)]
    pub connect: ConnectArgs,
    /// More devices, diagnosed side by side (one progress line each); with
    /// several devices nothing is asked: use --answers or accept unanswered
    /// questions.
    #[arg(value_name = "MORE_DEVICES")]
    pub more: Vec<String>,
    /// Devices diagnosed at once when several are given (1–256).
    #[arg(long, value_name = "N", value_parser = super::common::jobs())]
    pub jobs: Option<usize>,
    /// The troubleshooting flow to walk, e.g. pettracker/gps-not-working,
    /// or just gps-not-working for the device's own model's (`pawdiag flows
    /// list`). Without it: every automatic check of every flow of the
    /// device's model (the bench sweep).
    #[arg(long, value_name = "ID")]
    pub flow: Option<String>,
    /// Answers for the flow's questions, consents and actions (TOML or JSON:
    /// node id = value). Unanswered questions take the flow's "unknown" branch.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,
    /// Use the flows in this directory instead of (or on top of) the built-in ones.
    #[arg(long, value_name = "DIR", env = "PAWDIAG_FLOWS")]
    pub flows: Option<PathBuf>,
    /// Who the output is for, and who ran the session (written into the
    /// report).
    #[command(flatten)]
    pub settings: super::SettingsArgs,
    /// Record every line to and from the device, with its timing, to FILE
    /// (JSON Lines). The recording is NOT redacted: it is created readable
    /// by you only and never attached to a report. Replay it with
    /// `pawdiag diagnose replay:FILE`.
    #[arg(long, value_name = "FILE")]
    pub record: Option<PathBuf>,
    /// Continue the session of an earlier report of this device (a
    /// customer's `guide` report, an incomplete bench session): its
    /// answers, consents and performed actions are reused, not asked again
    /// (the device re-checks what depends on time or place), and the new
    /// report links to it and says what changed on the device since.
    #[arg(long = "continue", value_name = "REPORT")]
    pub continue_from: Option<PathBuf>,
    /// Output format.
    #[command(flatten)]
    pub output: OutputArgs,
    /// Where and how to write the report, and who it is for.
    #[command(flatten)]
    pub report: super::report::ReportArgs,
    /// Sending the report to the helpdesk.
    #[command(flatten)]
    pub upload: super::report::UploadArgs,
}
