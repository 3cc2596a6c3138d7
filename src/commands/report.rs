//! `pawdiag report render FILE` and `pawdiag report verify FILE`, plus the
//! helpers `diagnose` uses to turn its report options into report inputs
//! and to save the report at the end of a session.

use super::exit::sentence;
use super::{Exit, Failure, ui};
use crate::cli::ReportCommand;
use crate::cli::report::{ReportArgs, ReportFormat, ReportRenderArgs, ReportVerifyArgs};
use pawdiag::report::{self, CustomerInfo, Format, Verification, model::Report};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Reports larger than this are not read (a real report is well under 10 MB:
/// the client keeps at most 20 000 transcript lines of at most 1 KiB).
const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

const HINT_PATH: &str = "give the path of a report written by pawdiag";

/// Runs `report …`.
pub fn run(cmd: ReportCommand) -> anyhow::Result<Exit> {
    match cmd {
        ReportCommand::Render(args) => render(args),
        ReportCommand::Verify(args) => verify(args),
        ReportCommand::Diff(args) => super::report_diff::run(args),
        ReportCommand::History(args) => super::report_history::run(args),
        ReportCommand::Share(args) => super::report_share::run(args),
        ReportCommand::Upload(args) => super::report_upload::run(args),
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
pub fn customer_info(args: &ReportArgs) -> CustomerInfo {
    CustomerInfo {
        name: args.customer.clone(),
        email: args.email.clone(),
        phone: args.phone.clone(),
        ticket: args.ticket.clone(),
        notes: args.notes.clone(),
        technician: None,
        station: None,
    }
}

/// Where `--report` (with `--report-format`) says the report goes, checked
/// before a session starts so a bad path costs nothing: the format must be
/// one pawdiag writes, and an existing path must be a regular file (a
/// symbolic link is followed to the file it names). `None` without
/// `--report`.
pub fn report_target(args: &ReportArgs) -> Result<Option<(PathBuf, Format)>, Failure> {
    let Some(p) = &args.report else {
        return Ok(None);
    };
    let shown = p.display();
    let format = match (args.report_format, p.extension()) {
        (Some(f), _) => format_of(f),
        (None, None) => Format::Json,
        (None, Some(ext)) => Format::from_path(p).ok_or_else(|| {
            Failure::new(
                Exit::BadInput,
                format!(
                    "--report {shown}: pawdiag writes reports as JSON (.json), Markdown (.md) or HTML (.html), not .{}.",
                    ext.to_string_lossy()
                ),
                Some("end the file name in .json, .md or .html, or choose the format with --report-format json|md|html".into()),
            )
        })?,
    };
    let target = match report::store::resolve_target(p) {
        Ok(t) => t,
        Err(e @ (report::WriteError::NotAFile { .. } | report::WriteError::LinkLoop(_))) => {
            return Err(Failure::new(
                Exit::BadInput,
                format!("--report {shown}: {e}."),
                Some(e.hint()),
            ));
        }
        // Not writable now (say, a parent is missing): the write at the end
        // says so and falls back to the reports directory.
        Err(_) => p.clone(),
    };
    Ok(Some((target, format)))
}

/// Saves a report as `--report` (and `--report-format`) say, or in `dir`
/// (the configured reports directory); returns where it went.
///
/// A report is never lost for want of a writable `--report` path: if that
/// write fails, the JSON report goes to the reports directory instead, with
/// a warning naming both. When it cannot be saved anywhere the error's exit
/// code is [`Exit::ReportLost`].
pub fn save_in(report: &Report, args: &ReportArgs, dir: &Path) -> Result<PathBuf, Failure> {
    let to_default = |format: Format| -> Result<PathBuf, report::WriteError> {
        let p = report::free_path_in(dir, report, format);
        report::write_atomic(&p, report, format)?;
        Ok(p)
    };
    let Some((p, format)) = report_target(args)? else {
        return to_default(args.report_format.map(format_of).unwrap_or(Format::Json))
            .map_err(|e| lost(&e, None));
    };
    match report::write_atomic(&p, report, format) {
        Ok(()) => Ok(p),
        Err(e) => {
            let fallback = to_default(Format::Json).map_err(|second| lost(&second, Some(&e)))?;
            ui::warn(&format!(
                "{}; the report was saved to {} instead.",
                sentence(&e.to_string()),
                fallback.display()
            ));
            Ok(fallback)
        }
    }
}

/// The report could not be saved anywhere: exit code 8.
fn lost(e: &report::WriteError, first: Option<&report::WriteError>) -> Failure {
    let message = match first {
        Some(f) => {
            format!("The report could not be saved: {f}; nor in the reports directory: {e}.")
        }
        None => format!("The report could not be saved: {e}."),
    };
    Failure::new(Exit::ReportLost, message, Some(e.hint()))
}

/// A report (or a shared copy) that could not be written: 2 for a path
/// that is not a regular file, else 8.
pub(super) fn write_failure(e: &report::WriteError) -> Failure {
    let exit = match e {
        report::WriteError::NotAFile { .. } | report::WriteError::LinkLoop(_) => Exit::BadInput,
        _ => Exit::ReportLost,
    };
    Failure::new(exit, sentence(&e.to_string()), Some(e.hint()))
}

pub(super) fn read_report_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            format!("Cannot read {shown}: {e}."),
            Some(HINT_PATH.into()),
        )
    })?;
    if meta.len() > MAX_REPORT_BYTES {
        return Err(Failure::new(
            Exit::BadInput,
            format!(
                "{shown} is {} MB, too large to be a pawdiag report.",
                meta.len() / 1_000_000
            ),
            Some(HINT_PATH.into()),
        )
        .into());
    }
    std::fs::read(path).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            format!("Cannot read {shown}: {e}."),
            Some(HINT_PATH.into()),
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
            let invalid = matches!(check, Verification::Invalid { .. });
            return Err(Failure::new(
                if invalid { Exit::BadInput } else { Exit::Tampered },
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
            Exit::BadInput,
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use pawdiag::flow::session::{RunMode, Session};
    use pawdiag::interface::Model;
    use pawdiag::report::{BuildOptions, DeviceData, Inputs};

    fn a_report() -> Report {
        let t = chrono::Utc
            .with_ymd_and_hms(2026, 11, 20, 10, 0, 0)
            .unwrap();
        let mut session = Session::new(
            "pettracker/gps-not-working",
            "GPS not working",
            Model::PetTracker,
            RunMode::Batch,
            t,
        );
        session.ended_at = Some(t);
        report::build(Inputs {
            session: &session,
            device: &DeviceData::default(),
            transcript: &[],
            transcript_dropped: 0,
            customer: &CustomerInfo::default(),
            options: BuildOptions {
                include_personal_data: false,
                now: t,
            },
        })
        .unwrap()
    }

    #[test]
    fn save_goes_to_the_reports_directory_by_default() {
        let dir = tempfile::tempdir().unwrap();
        let r = a_report();
        let p = save_in(&r, &ReportArgs::default(), dir.path()).unwrap();
        assert_eq!(p.parent(), Some(dir.path()));
        assert_eq!(
            p.file_name().unwrap(),
            "20261120T100000Z-unknown-PT-INCOMPLETE.json"
        );
        // A second save of the same session does not overwrite the first.
        let p2 = save_in(&r, &ReportArgs::default(), dir.path()).unwrap();
        assert!(p2.to_string_lossy().ends_with("PT-INCOMPLETE-2.json"));
        assert!(report::verify(&std::fs::read(&p).unwrap()).is_intact());
    }

    #[test]
    fn save_honours_report_and_its_extension() {
        let dir = tempfile::tempdir().unwrap();
        let want = dir.path().join("ticket/r.html");
        let args = ReportArgs {
            report: Some(want.clone()),
            ..ReportArgs::default()
        };
        let p = save_in(&a_report(), &args, &dir.path().join("reports")).unwrap();
        assert_eq!(p, want);
        assert!(
            std::fs::read_to_string(&p)
                .unwrap()
                .starts_with("<!DOCTYPE html>")
        );
    }

    #[test]
    fn an_unwritable_report_path_falls_back_to_the_reports_directory() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("not-a-dir");
        std::fs::write(&blocker, b"x").unwrap();
        let args = ReportArgs {
            report: Some(blocker.join("r.md")),
            ..ReportArgs::default()
        };
        let reports = dir.path().join("reports");
        let p = save_in(&a_report(), &args, &reports).unwrap();
        assert_eq!(p.parent(), Some(reports.as_path()));
        assert!(report::verify(&std::fs::read(&p).unwrap()).is_intact());
    }
}
