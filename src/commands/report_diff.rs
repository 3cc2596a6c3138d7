//! `pawdiag report diff OLD NEW`: what changed between two reports of one
//! device, as a table or JSON. Reports of different devices (or that do
//! not verify) are refused unless `--force`.

use super::report::read_report_file;
use super::{Exit, Failure, ui};
use crate::cli::report::ReportDiffArgs;
use pawdiag::report::diff::{self, Diff};
use pawdiag::report::{self, Verification, model::Report};
use serde_json::json;
use std::io::Write;
use std::path::Path;

/// Reads a report for comparing: it must verify unless `force`.
pub(super) fn read_checked(path: &Path, force: bool) -> anyhow::Result<Report> {
    let bytes = read_report_file(path)?;
    match report::verify(&bytes) {
        Verification::Intact { .. } => {}
        Verification::Invalid { reason } => {
            return Err(Failure::new(
                Exit::BadInput,
                format!("{} is not a pawdiag report: {reason}.", path.display()),
                Some("give a .json, .md or .html report written by pawdiag".into()),
            )
            .into());
        }
        Verification::Altered { reason, .. } if !force => {
            return Err(Failure::new(
                Exit::Tampered,
                format!("{} does not verify: {reason}.", path.display()),
                Some("compare only untouched reports; --force compares it anyway".into()),
            )
            .into());
        }
        Verification::Altered { reason, .. } => ui::warn(&format!(
            "{} does not verify ({reason}); comparing it anyway because of --force.",
            path.display()
        )),
    }
    report::load(&bytes).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            super::exit::sentence(&e.to_string()) + ".",
            Some(e.hint()),
        )
        .into()
    })
}

fn side(path: &Path, r: &Report) -> serde_json::Value {
    json!({
        "file": path.display().to_string(),
        "report_id": r.report_id,
        "serial": r.device.serial,
        "ended_at": r.session.ended_at,
        "flow_id": r.session.flow_id,
        "outcome": {"kind": r.outcome.kind.as_str(), "code": r.outcome.code},
    })
}

/// Runs `report diff`.
pub fn run(args: ReportDiffArgs) -> anyhow::Result<Exit> {
    let old = read_checked(&args.old, args.force)?;
    let new = read_checked(&args.new, args.force)?;
    if !diff::same_device(&old, &new) {
        if !args.force {
            return Err(Failure::new(
                Exit::BadInput,
                format!(
                    "The reports are of two devices: {} and {}.",
                    ui::clean(&old.device.serial),
                    ui::clean(&new.device.serial)
                ),
                Some("compare two reports of one device (`pawdiag report history SERIAL` lists them); --force compares them anyway".into()),
            )
            .into());
        }
        ui::warn("the reports are of two devices; comparing them anyway because of --force.");
    }
    if old.session.ended_at > new.session.ended_at {
        ui::note("Note: OLD is the newer of the two; changes are shown from OLD to NEW.");
    }
    let d = diff::diff(&old, &new);
    let mut out = std::io::stdout().lock();
    if args.json {
        let v = json!({
            "schema": "pawdiag.report-diff/1",
            "old": side(&args.old, &old),
            "new": side(&args.new, &new),
            "changes": d.changes,
            "only_in_one": d.only_in_one,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&v)?)?;
    } else {
        writeln!(out, "{}", table(&old, &new, &d))?;
    }
    Ok(Exit::Ok)
}

fn table(old: &Report, new: &Report, d: &Diff) -> String {
    let mut text = format!(
        "{} {}: {} ({}) → {} ({})\n",
        ui::clean(old.device.product.as_deref().unwrap_or(&old.device.model)),
        ui::clean(&new.device.serial),
        ui::clean(&old.report_id),
        report::when_text(&old.session.ended_at),
        ui::clean(&new.report_id),
        report::when_text(&new.session.ended_at),
    );
    if d.changes.is_empty() {
        text.push_str("No changes in what both sessions read.\n");
    } else {
        let mut b = tabled::builder::Builder::default();
        b.push_record(["WHAT", "NAME", "OLD", "NEW"]);
        for c in &d.changes {
            b.push_record([
                c.category.label().to_string(),
                ui::clean(&c.name),
                ui::clean(&c.old_text()),
                ui::clean(&c.new_text()),
            ]);
        }
        let mut t = b.build();
        t.with(tabled::settings::Style::sharp());
        // About 100 columns in all.
        t.with(
            tabled::settings::Modify::new(tabled::settings::object::Columns::new(1..2))
                .with(tabled::settings::Width::wrap(26)),
        );
        t.with(
            tabled::settings::Modify::new(tabled::settings::object::Columns::new(2..4))
                .with(tabled::settings::Width::wrap(30).keep_words(true)),
        );
        text.push_str(&t.to_string());
        text.push('\n');
    }
    if d.only_in_one > 0 {
        text.push_str(&format!(
            "({} reading{} only one of the two sessions read are not compared.)\n",
            d.only_in_one,
            if d.only_in_one == 1 { "" } else { "s" }
        ));
    }
    text.trim_end().to_string()
}
