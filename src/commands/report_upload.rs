//! `pawdiag report upload FILE…` and `pawdiag report upload --pending`.
//!
//! Each report gets one line on stdout (or one JSON line with `--json`):
//! the ticket it is on, or why it is not there. The exit code is the worst
//! of all files: 1 (unexpected), 6 (a report that does not verify), 2 (a
//! person must fix something), 3 (queued: the helpdesk could not be
//! reached), else 0.

use super::upload::{Sent, Uploader, read_item, settings};
use super::{Exit, Failure, ui};
use crate::cli::report::ReportUploadArgs;
use pawdiag::config::Overrides;
use pawdiag::helpdesk::send::Item;
use pawdiag::helpdesk::{HelpdeskError, TicketId};
use std::io::Write;
use std::path::Path;

/// The schema of a `--json` line.
pub const LINE_SCHEMA: &str = "pawdiag.upload/1";

/// Runs `report upload`.
pub fn run(args: ReportUploadArgs) -> anyhow::Result<Exit> {
    let s = settings(
        args.helpdesk.as_deref(),
        args.queue.as_deref(),
        Overrides::default(),
    )?;
    let up = Uploader::open(&s)?;
    if args.pending {
        return pending(&up, args.json);
    }
    let ticket = match &args.ticket {
        Some(t) => Some(TicketId::parse(t).ok_or_else(|| {
            Failure::new(
                Exit::BadInput,
                format!("--ticket: `{}` is not a ticket number.", ui::clean(t)),
                Some("give the helpdesk's ticket number, e.g. --ticket 1234".into()),
            )
        })?),
        None => None,
    };
    let mut worst = Exit::Ok;
    for file in &args.files {
        let (id, sent) = match read_item(file) {
            Ok(item) => {
                let target = up.target(&item.report, ticket.as_ref());
                (Some(item.report.report_id.clone()), up.send(&item, &target))
            }
            Err(f) => (None, Sent::refused(f)),
        };
        worst = worse(worst, sent.exit);
        say(file, id.as_deref(), &sent, args.json)?;
    }
    Ok(worst)
}

/// 1, then 6, then 2, then 3, then 0.
fn worse(a: Exit, b: Exit) -> Exit {
    let rank = |e: Exit| match e {
        Exit::Internal => 0,
        Exit::Tampered => 1,
        Exit::BadInput => 2,
        Exit::Unreachable => 3,
        _ => 4,
    };
    if rank(b) < rank(a) { b } else { a }
}

/// One result: a line on stdout (sent) or stderr (not sent), or a JSON line.
fn say(file: &Path, report_id: Option<&str>, sent: &Sent, json: bool) -> anyhow::Result<()> {
    if json {
        let mut v = serde_json::to_value(sent)?;
        v["schema"] = LINE_SCHEMA.into();
        v["file"] = file.display().to_string().into();
        v["report_id"] = report_id.into();
        let mut out = std::io::stdout().lock();
        writeln!(out, "{v}")?;
        return Ok(());
    }
    let line = format!("{}: {}", file.display(), sent.sentence());
    if sent.is_on_ticket() {
        println!("{}", ui::clean(&line));
    } else if sent.status == "queued" {
        ui::warn(&line);
    } else {
        ui::error(&line, sent.hint.as_deref());
    }
    Ok(())
}

/// Sends the outbox, oldest first. Stops at the first upload the helpdesk
/// still cannot take (the rest would wait as well) and at refused
/// credentials; an upload refused for its own reasons (no such ticket…)
/// stays in the outbox and the next is tried.
fn pending(up: &Uploader, json: bool) -> anyhow::Result<Exit> {
    let waiting = up.outbox().pending();
    if waiting.is_empty() {
        if !json {
            ui::note(&format!(
                "Nothing is waiting in the outbox ({}).",
                up.outbox().dir().display()
            ));
        }
        return Ok(Exit::Ok);
    }
    let total = waiting.len();
    let mut worst = Exit::Ok;
    let mut sent_count = 0;
    for (n, (path, entry)) in waiting.into_iter().enumerate() {
        let entry = match entry {
            Ok(e) => e,
            Err(why) => {
                let s = Sent::refused(Failure::new(
                    Exit::BadInput,
                    format!(
                        "{} cannot be read ({why}); it was left in the outbox.",
                        path.display()
                    ),
                    Some("move it out of the outbox if it is not an upload".into()),
                ));
                worst = worse(worst, s.exit);
                say(&path, None, &s, json)?;
                continue;
            }
        };
        let source = entry.source.clone().unwrap_or_else(|| path.clone());
        let bytes = entry.report_json.into_bytes();
        let check = pawdiag::report::verify(&bytes);
        let loaded = pawdiag::report::load(&bytes);
        let (true, Ok(report)) = (check.is_intact(), loaded) else {
            let s = Sent::refused(Failure::new(
                Exit::Tampered,
                format!("The queued report in {} does not verify, so it was not sent.", path.display()),
                Some("delete that outbox file and send the report again with `pawdiag report upload FILE`".into()),
            ));
            worst = worse(worst, s.exit);
            say(&source, Some(&entry.report_id), &s, json)?;
            continue;
        };
        let item = Item {
            report,
            json: bytes,
            source: entry.source.clone(),
        };
        match up.resend(&item, &entry.target) {
            Ok(s) => {
                up.outbox().remove(&path).map_err(|e| {
                    Failure::new(
                        Exit::Internal,
                        format!("The upload was sent, but {} could not be removed from the outbox: {e}.", path.display()),
                        Some("delete it by hand; sending it again would not make a second ticket".into()),
                    )
                })?;
                sent_count += 1;
                say(&source, Some(&entry.report_id), &s, json)?;
            }
            Err(e) => {
                let mut s = Sent::failed(&e);
                if !e.is_transient() && e != HelpdeskError::BadCredentials {
                    s.hint = Some(format!(
                        "{}; or delete {} to give up on this upload",
                        e.hint(),
                        path.display()
                    ));
                }
                worst = worse(worst, s.exit);
                say(&source, Some(&entry.report_id), &s, json)?;
                if e.is_transient() || e == HelpdeskError::BadCredentials {
                    let left = total - n;
                    if !json {
                        ui::warn(&format!(
                            "{left} upload{} still waiting in the outbox.",
                            if left == 1 { " is" } else { "s are" }
                        ));
                    }
                    return Ok(worst);
                }
            }
        }
    }
    if !json {
        ui::note(&format!(
            "{sent_count} of {total} waiting upload{} sent.",
            if total == 1 { "" } else { "s" }
        ));
    }
    Ok(worst)
}
