//! `pawdiag report history SERIAL`: the reports of one device in the
//! reports directory, newest first, with their verdicts.

use super::{Exit, Failure, ui};
use crate::cli::report::ReportHistoryArgs;
use pawdiag::report::history;
use serde_json::json;
use std::io::Write;

/// Runs `report history`.
pub fn run(args: ReportHistoryArgs) -> anyhow::Result<Exit> {
    let dir = args
        .dir
        .clone()
        .unwrap_or_else(|| super::config::get().report_dir.value.clone());
    if args.serial.trim().is_empty() {
        return Err(Failure::new(
            Exit::BadInput,
            "No serial number given.",
            Some("give one, e.g. `pawdiag report history PT-24A0-0001`".into()),
        )
        .into());
    }
    let list = match history::of_serial(&dir, &args.serial) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            return Err(Failure::new(
                Exit::BadInput,
                format!("Cannot read the reports directory {}: {e}.", dir.display()),
                Some("name another one with --dir".into()),
            )
            .into());
        }
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = json!({
            "schema": "pawdiag.report-history/1",
            "serial": args.serial,
            "dir": dir.display().to_string(),
            "reports": list,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
        return Ok(Exit::Ok);
    }
    if list.is_empty() {
        ui::note(&format!(
            "No reports of {} in {}.",
            ui::clean(&args.serial),
            dir.display()
        ));
        return Ok(Exit::Ok);
    }
    let mut b = tabled::builder::Builder::default();
    b.push_record([
        "ENDED (UTC)",
        "CASE",
        "OUTCOME",
        "CODE",
        "FLOW",
        "NOTE",
        "FILE",
    ]);
    for e in &list {
        let mut notes = e.notes.clone();
        if !e.intact {
            notes.insert(0, "ALTERED".into());
        }
        b.push_record([
            e.ended_at.format("%Y-%m-%d %H:%M").to_string(),
            ui::clean(&e.case_ref),
            e.kind.clone(),
            ui::clean(&e.code),
            ui::clean(&e.flow_id),
            ui::clean(&notes.join(", ")),
            e.path.display().to_string(),
        ]);
    }
    writeln!(out, "{}", b.build().with(tabled::settings::Style::blank()))?;
    ui::note(&format!(
        "{} report{} of {}; `pawdiag report diff OLD NEW` compares two.",
        list.len(),
        if list.len() == 1 { "" } else { "s" },
        ui::clean(&args.serial)
    ));
    Ok(Exit::Ok)
}
