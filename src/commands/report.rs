//! `pawdiag report render FILE` and `pawdiag report verify FILE`, plus the
//! helpers `diagnose` uses to turn its report options into report inputs
//! and to save the report at the end of a session.

use super::{Exit, Failure, ui};
use crate::cli::ReportCommand;
use crate::cli::report::{ReportArgs, ReportFormat, ReportRenderArgs, ReportVerifyArgs};
use pawdiag::report::{self, CustomerInfo, Format, Verification, model::Report};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reports larger than this are not read (a real report is well under 10 MB:
/// the client keeps at most 20 000 transcript lines of at most 1 KiB).
const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

/// Runs `report …`.
pub fn run(cmd: ReportCommand) -> anyhow::Result<Exit> {
    match cmd {
        ReportCommand::Render(args) => render(args),
        ReportCommand::Verify(args) => verify(args),
    }
}

/// The library format for a command-line format.
pub fn format_of(f: ReportFormat) -> Format {
    match f {
        ReportFormat::Json => Format::Json,
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
    }
}

/// The customer details given on the command line.
#[allow(dead_code, reason = "called by `diagnose`")]
pub fn customer_info(args: &ReportArgs) -> CustomerInfo {
    CustomerInfo {
        name: args.customer.clone(),
        email: args.email.clone(),
        phone: args.phone.clone(),
        ticket: args.ticket.clone(),
        notes: args.notes.clone(),
    }
}

/// Saves a report as `--report` (and `--report-format`) say, or as JSON in
/// the per-user reports directory; returns where it went. For `diagnose`.
#[allow(dead_code, reason = "called by `diagnose`")]
pub fn save(report: &Report, args: &ReportArgs) -> anyhow::Result<PathBuf> {
    let (path, format) = match &args.report {
        Some(p) => {
            let format = match (args.report_format, Format::from_path(p)) {
                (Some(f), _) => format_of(f),
                (None, Some(f)) => f,
                (None, None) => Format::Json,
            };
            (p.clone(), format)
        }
        None => {
            let format = args.report_format.map(format_of).unwrap_or(Format::Json);
            let p = report::default_path(report, format).map_err(|e| write_failure(&e))?;
            (p, format)
        }
    };
    report::write_atomic(&path, report, format).map_err(|e| write_failure(&e))?;
    Ok(path)
}

fn write_failure(e: &report::WriteError) -> Failure {
    Failure::new(Exit::Internal, sentence(&e.to_string()), Some(e.hint()))
}

fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn read_report_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Failure::bad_input(
            format!("Cannot read {shown}: {e}."),
            "give the path of a report written by pawdiag",
        )
    })?;
    if meta.len() > MAX_REPORT_BYTES {
        return Err(Failure::bad_input(
            format!(
                "{shown} is {} MB, too large to be a pawdiag report.",
                meta.len() / 1_000_000
            ),
            "give the path of a report written by pawdiag",
        )
        .into());
    }
    std::fs::read(path).map_err(|e| {
        Failure::bad_input(
            format!("Cannot read {shown}: {e}."),
            "give the path of a report written by pawdiag",
        )
        .into()
    })
}

fn render(args: ReportRenderArgs) -> anyhow::Result<Exit> {
    let bytes = read_report_file(&args.file)?;
    let check = report::verify(&bytes);
    if !check.is_intact() {
        let why = match &check {
            Verification::Altered { reason, .. } | Verification::Invalid { reason } => {
                reason.clone()
            }
            Verification::Intact { .. } => String::new(),
        };
        if matches!(check, Verification::Invalid { .. }) || !args.force {
            return Err(Failure::new(
                Exit::Tampered,
                format!("{} does not verify: {why}.", args.file.display()),
                Some(if matches!(check, Verification::Invalid { .. }) {
                    "give a .json, .md or .html report written by pawdiag".into()
                } else {
                    "re-render only untouched reports; --force renders it anyway (the result will not verify)".into()
                }),
            )
            .into());
        }
        ui::warn(&format!(
            "{} does not verify ({why}); rendering it anyway because of --force.",
            args.file.display()
        ));
    }
    let report = report::load(&bytes).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            sentence(&e.to_string()) + ".",
            Some(e.hint()),
        )
    })?;
    let format = match (
        args.format,
        args.output.as_deref().and_then(Format::from_path),
    ) {
        (Some(f), _) => format_of(f),
        (None, Some(f)) => f,
        (None, None) => Format::Markdown,
    };
    match &args.output {
        Some(out) => {
            report::write_atomic(out, &report, format).map_err(|e| write_failure(&e))?;
            ui::note(&format!("Wrote {} ({}).", out.display(), format.name()));
        }
        None => {
            let text = report::render(&report, format);
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(Exit::Ok)
}

fn verify(args: ReportVerifyArgs) -> anyhow::Result<Exit> {
    let bytes = read_report_file(&args.file)?;
    let check = report::verify(&bytes);
    let file = args.file.display().to_string();
    let (exit, json, line) = match &check {
        Verification::Intact {
            format,
            digest,
            report_id,
        } => (
            Exit::Ok,
            serde_json::json!({"file": file, "status": "intact", "format": format.extension(),
                "report_id": report_id, "sha256": digest}),
            format!(
                "intact: {file} ({} report {report_id}, sha256 {digest})",
                format.name()
            ),
        ),
        Verification::Altered { format, reason } => (
            Exit::Tampered,
            serde_json::json!({"file": file, "status": "altered", "format": format.extension(),
                "reason": reason}),
            format!("ALTERED: {file}: {reason}"),
        ),
        Verification::Invalid { reason } => (
            Exit::Tampered,
            serde_json::json!({"file": file, "status": "invalid", "reason": reason}),
            format!("INVALID: {file}: {reason}"),
        ),
    };
    let mut stdout = std::io::stdout().lock();
    if args.json {
        writeln!(stdout, "{json}")?;
    } else {
        writeln!(stdout, "{}", report::escape::one_line(&line))?;
    }
    Ok(exit)
}
