//! Arguments of `pawdiag report …` and the report options that `diagnose`
//! flattens into its own arguments.

use std::path::PathBuf;

/// A report format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// The JSON report (the one that is verified).
    Json,
    /// Markdown, to paste into a ticket.
    #[value(alias = "markdown")]
    Md,
    /// One self-contained HTML file.
    #[value(alias = "htm")]
    Html,
}

/// `pawdiag report …`.
#[derive(Debug, clap::Subcommand)]
pub enum ReportCommand {
    /// Render a saved report again, as Markdown, HTML or JSON.
    Render(ReportRenderArgs),
    /// Check whether a saved report was altered (exit code 6 if it was).
    Verify(ReportVerifyArgs),
    /// Send saved reports to the helpdesk (Request Tracker): a comment on
    /// the report's ticket, or a new ticket, with the JSON and HTML reports
    /// attached. A report is sent once; when the helpdesk cannot be
    /// reached the upload waits in the outbox (exit code 3) until
    /// `--pending` sends it.
    Upload(ReportUploadArgs),
    /// What changed between two reports of one device: verdict, firmware,
    /// self-test, readings, settings, findings.
    Diff(ReportDiffArgs),
    /// The reports of one device in the reports directory, newest first.
    History(ReportHistoryArgs),
    /// Write a copy to share, with only the personal data the customer
    /// consented to let leave (shows what leaves first).
    Share(ReportShareArgs),
}

/// `pawdiag report upload`.
#[derive(Debug, clap::Args)]
pub struct ReportUploadArgs {
    /// The reports to send (.json, or .md/.html written by pawdiag).
    #[arg(value_name = "FILE", required_unless_present = "pending")]
    pub files: Vec<PathBuf>,
    /// Add the reports to this ticket as a comment [default: the report's
    /// own ticket when it is a number, else a new ticket].
    #[arg(long, value_name = "N", conflicts_with = "queue")]
    pub ticket: Option<String>,
    /// Open a new ticket in this queue, even when the report names a
    /// ticket [default: helpdesk_queue from the config file, else General].
    #[arg(long, value_name = "QUEUE")]
    pub queue: Option<String>,
    /// Send the uploads waiting in the outbox, oldest first.
    #[arg(long, conflicts_with_all = ["files", "ticket", "queue"])]
    pub pending: bool,
    /// The helpdesk's address [default: helpdesk_url from the config file,
    /// or PAWDIAG_HELPDESK_URL]. Credentials come from the environment:
    /// PAWDIAG_HELPDESK_TOKEN, or PAWDIAG_HELPDESK_USER and
    /// PAWDIAG_HELPDESK_PASSWORD.
    #[arg(long, value_name = "URL")]
    pub helpdesk: Option<String>,
    /// Print one JSON line per report on stdout.
    #[arg(long)]
    pub json: bool,
}

/// Sending each report to the helpdesk as soon as it is written
/// (flattened into `diagnose` and `batch`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct UploadArgs {
    /// Send each report to the helpdesk as soon as it is written: a comment
    /// on its ticket when the ticket is a number, else a new ticket (see
    /// `pawdiag report upload`).
    #[arg(long)]
    pub upload: bool,
    /// The helpdesk's address, with --upload [default: helpdesk_url from
    /// the config file, or PAWDIAG_HELPDESK_URL].
    #[arg(long, value_name = "URL", requires = "upload")]
    pub helpdesk: Option<String>,
    /// The queue for new tickets, with --upload [default: helpdesk_queue
    /// from the config file, else General].
    #[arg(long, value_name = "QUEUE", requires = "upload")]
    pub queue: Option<String>,
}

/// `pawdiag report render`.
#[derive(Debug, clap::Args)]
pub struct ReportRenderArgs {
    /// The saved report (.json, or a .md/.html report written by pawdiag).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Output format (default: from the extension of -o, else Markdown).
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write here (atomically) instead of to stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Render even if the report fails verification.
    #[arg(long)]
    pub force: bool,
}

/// `pawdiag report verify`.
#[derive(Debug, clap::Args)]
pub struct ReportVerifyArgs {
    /// The report to check (.json, .md or .html written by pawdiag).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Report options of a diagnostic session (flattened into `diagnose`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ReportArgs {
    /// Write the report here; the format follows the extension (.json, .md,
    /// .html). Default: a JSON file in the per-user reports directory
    /// (override with PAWDIAG_REPORT_DIR).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Report format, when the file name does not say.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub report_format: Option<ReportFormat>,
    /// The customer's name, for the report.
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// The customer's e-mail (masked in the report unless --include-personal-data).
    #[arg(long, value_name = "EMAIL")]
    pub email: Option<String>,
    /// The customer's phone (masked in the report unless --include-personal-data).
    #[arg(long, value_name = "PHONE")]
    pub phone: Option<String>,
    /// The support ticket this session belongs to.
    #[arg(long, value_name = "REF")]
    pub ticket: Option<String>,
    /// A note for the report: history, what the customer said (repeatable).
    #[arg(long = "note", value_name = "TEXT")]
    pub notes: Vec<String>,
    /// Keep GPS positions, geofence names and contact details in the report
    /// as they are (they are coarsened or masked by default).
    #[arg(long)]
    pub include_personal_data: bool,
}

/// `pawdiag report diff`.
#[derive(Debug, clap::Args)]
pub struct ReportDiffArgs {
    /// The older report (.json, .md or .html written by pawdiag).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer report.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Compare even if the reports are of different devices, or do not verify.
    #[arg(long)]
    pub force: bool,
    /// Print the changes as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `pawdiag report history`.
#[derive(Debug, clap::Args)]
pub struct ReportHistoryArgs {
    /// The device's serial number, e.g. PT-24A0-0001.
    #[arg(value_name = "SERIAL")]
    pub serial: String,
    /// The reports directory [default: the configured one, see `pawdiag config show`].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
}

/// A kind of personal data, for `report share --include`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PersonalKind {
    /// The pet's exact GPS position.
    Location,
    /// Geofence names.
    Geofences,
    /// The customer's name, e-mail addresses and phone numbers.
    Contact,
}

/// `pawdiag report share`.
#[derive(Debug, clap::Args)]
pub struct ReportShareArgs {
    /// The report to share (.json, .md or .html written by pawdiag).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Where to write the copy; its extension picks the format (.json, .md, .html).
    #[arg(long, value_name = "OUT")]
    pub out: PathBuf,
    /// Personal data the customer consented to let leave, comma-separated.
    /// Everything else is coarsened, hidden or masked in the copy.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "KINDS")]
    pub include: Vec<PersonalKind>,
    /// Only show what would leave; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the preview (and where the copy went) as JSON.
    #[arg(long)]
    pub json: bool,
}
