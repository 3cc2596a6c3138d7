//! `pawdiag report share FILE --out OUT [--include KINDS]`: shows each
//! kind of personal data in the report and whether it leaves, then writes
//! the shared copy in OUT's format, with the consent in its privacy
//! section and its own digest.

use super::report::write_failure;
use super::report_diff::read_checked;
use super::{Exit, Failure, ui};
use crate::cli::report::{PersonalKind, ReportShareArgs};
use pawdiag::privacy::Kind;
use pawdiag::report::{self, Format, share};
use serde_json::json;
use std::io::Write;

fn kind(k: PersonalKind) -> Kind {
    match k {
        PersonalKind::Location => Kind::Location,
        PersonalKind::Geofences => Kind::Geofences,
        PersonalKind::Contact => Kind::Contact,
    }
}

/// Runs `report share`.
pub fn run(args: ReportShareArgs) -> anyhow::Result<Exit> {
    let Some(format) = Format::from_path(&args.out) else {
        return Err(Failure::new(
            Exit::BadInput,
            format!("{} does not say which format to write.", args.out.display()),
            Some("end --out with .json, .md or .html".into()),
        )
        .into());
    };
    // Sharing an altered report would give it a fresh, valid digest.
    let original = read_checked(&args.file, false)?;
    let same_file = std::fs::canonicalize(&args.out)
        .ok()
        .zip(std::fs::canonicalize(&args.file).ok())
        .is_some_and(|(a, b)| a == b);
    if same_file {
        return Err(Failure::new(
            Exit::BadInput,
            "--out names the report itself.",
            Some("write the shared copy to another file".into()),
        )
        .into());
    }
    let include: Vec<Kind> = args.include.iter().copied().map(kind).collect();
    let preview = share::preview(&original, &include);
    let mut out = std::io::stdout().lock();
    if !args.json {
        let mut b = tabled::builder::Builder::default();
        b.push_record(["PERSONAL DATA", "IN THIS REPORT", "LEAVES WITH THE COPY"]);
        for p in &preview {
            b.push_record([
                format!("{} ({})", p.kind, p.about),
                if p.in_clear.is_empty() {
                    if p.already_private {
                        "already private".to_string()
                    } else {
                        "none".to_string()
                    }
                } else {
                    ui::clean(&p.in_clear)
                },
                ui::clean(&p.leaves),
            ]);
        }
        let mut t = b.build();
        t.with(tabled::settings::Style::sharp());
        writeln!(out, "{t}")?;
    }
    let written = if args.dry_run {
        None
    } else {
        let copy = share::share(&original, &include, chrono::Utc::now())
            .map_err(|e| anyhow::anyhow!("the shared copy could not be sealed: {e}"))?;
        report::write_atomic(&args.out, &copy, format).map_err(|e| write_failure(&e))?;
        Some(copy)
    };
    if args.json {
        let v = json!({
            "schema": "pawdiag.report-share/1",
            "file": args.file.display().to_string(),
            "report_id": original.report_id,
            "preview": preview,
            "out": written.as_ref().map(|_| args.out.display().to_string()),
            "sha256": written.as_ref().map(|c| c.digest.value.clone()),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    }
    match &written {
        Some(copy) => ui::note(&format!(
            "Wrote the shared copy {} ({}), sha256 {}; the consent is recorded in its privacy section.",
            args.out.display(),
            format.name(),
            copy.digest.value
        )),
        None => ui::note("Nothing written (--dry-run)."),
    }
    Ok(Exit::Ok)
}
