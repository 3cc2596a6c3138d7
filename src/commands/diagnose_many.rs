//! `diagnose` of several devices side by side: each its own session and
//! report, a table (or a JSON array) at the end, the worst exit code.

use super::asker::Narrated;
use super::diagnose::save_report;
use super::upload::{self, Uploader};
use super::{Exit, Failure, device, stop, ui};
use crate::cli::DiagnoseArgs;
use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::diagnose;
use pawdiag::flow::answers::{AnswersAsker, BatchAsker};
use pawdiag::flow::engine::{Asker, RunOptions};
use pawdiag::flow::load::FlowSet;
use std::sync::Arc;

/// One device's result when several are diagnosed side by side (a JSON
/// array element with `--json`, a table row otherwise).
#[derive(Debug, serde::Serialize)]
struct Row {
    device: String,
    serial: String,
    outcome: String,
    code: String,
    /// The report's path, or why there is none.
    detail: String,
    #[serde(skip)]
    saved: bool,
    /// What became of the upload, when one was asked for.
    #[serde(skip)]
    upload: Option<String>,
    #[serde(skip)]
    exit: Exit,
}

/// The side-by-side table: device, serial, result in words, code. Report
/// paths are long, so the directory is named once below the table.
fn many_table(rows: &[Row]) -> String {
    let mut b = tabled::builder::Builder::default();
    b.push_record(["Device", "Serial", "Result", "Code"]);
    for r in rows {
        let result = match (r.outcome.as_str(), r.saved) {
            ("not run" | "failed", _) => format!("not run: {}", r.detail),
            (o, true) => match &r.upload {
                Some(u) => format!("{}\n{}", ui::kind_words(o), ui::clean(u)),
                None => ui::kind_words(o),
            },
            (o, false) => format!("{}; {}", ui::kind_words(o), r.detail),
        };
        b.push_record([
            ui::clean(&r.device),
            r.serial.clone(),
            result,
            r.code.clone(),
        ]);
    }
    let mut t = b.build();
    t.with(tabled::settings::Style::rounded());
    ui::fitted(t)
}

/// Several devices side by side: nothing is asked, one report each, a
/// table (or a JSON array) at the end, and the worst exit code.
pub(super) async fn run_many(
    args: DiagnoseArgs,
    flows: FlowSet,
    answers: Option<AnswersAsker>,
    technician: bool,
    uploader: Option<Arc<Uploader>>,
    cancel: Cancel,
) -> anyhow::Result<Exit> {
    if args.report.report.is_some() {
        return Err(Failure::new(
            Exit::BadInput,
            "--report names one file, but several devices were given",
            Some("leave --report out (each device's report goes to the reports directory), or use `pawdiag batch --out DIR`".into()),
        )
        .into());
    }
    let mut addrs = Vec::new();
    for text in std::iter::once(&args.connect.device).chain(&args.more) {
        let addr: pawdiag::address::Address = text.parse()?;
        if addr == pawdiag::address::Address::Auto {
            return Err(Failure::new(
                Exit::BadInput,
                "`auto` cannot be one of several devices",
                Some("name each device (`pawdiag scan` lists them), or use a batch manifest with `auto-all`".into()),
            )
            .into());
        }
        addrs.push(addr);
    }
    let jobs = args.jobs.unwrap_or(super::config::get().jobs.value).max(1);
    let shared = Arc::new((flows, answers, args, uploader, cancel.clone()));
    let fleet = super::fleet::Fleet::new(addrs.len());
    let items: Vec<(String, pawdiag::address::Address)> =
        addrs.into_iter().map(|a| (a.to_string(), a)).collect();
    let work_shared = shared.clone();
    let results = super::fleet::run(
        &fleet,
        items,
        jobs,
        move |addr, lane| {
            let shared = work_shared.clone();
            async move { one_of_many(addr, lane, shared).await }
        },
        |_, _| {},
    )
    .await;
    fleet.finish();
    let rows: Vec<Row> = results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| Row {
                device: String::new(),
                serial: String::new(),
                outcome: "failed".into(),
                code: String::new(),
                detail: e,
                saved: false,
                upload: None,
                exit: Exit::Internal,
            })
        })
        .collect();
    let exit = super::exit::worst(rows.iter().map(|r| r.exit));
    let args = &shared.2;
    if args.output.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        println!("{}", many_table(&rows));
        ui::note(&format!(
            "Reports are in {} (named by time, serial and code)",
            super::config::get().report_dir.value.display()
        ));
        if technician {
            ui::note(
                "Run `pawdiag report render REPORT --format md` for a device's full findings.",
            );
        }
    }
    Ok(stop::overrule(exit, &cancel))
}

/// What every device of a side-by-side run shares (read-only).
type Shared = Arc<(
    FlowSet,
    Option<AnswersAsker>,
    DiagnoseArgs,
    Option<Arc<Uploader>>,
    Cancel,
)>;

async fn one_of_many(
    addr: pawdiag::address::Address,
    lane: super::fleet::Lane,
    shared: Shared,
) -> Row {
    let (flows, answers, args, uploader, cancel) = &*shared;
    let device = addr.to_string();
    let fail = |exit: Exit, detail: String| Row {
        device: device.clone(),
        serial: String::new(),
        outcome: "not run".into(),
        code: String::new(),
        detail,
        saved: false,
        upload: None,
        exit,
    };
    // A device not yet reached when a stop came is left alone (no report).
    let stopped_before = |cancel: &Cancel| {
        let signal = cancel.signal().unwrap_or(StopSignal::Interrupt);
        fail(
            stop::exit_for(signal),
            format!("stopped by {signal} before this device was reached"),
        )
    };
    if cancel.is_requested() {
        return stopped_before(cancel);
    }
    lane.say("connecting…");
    let options = device::options(&args.connect);
    let client = match cancel
        .unless_requested(pawdiag::connect::connect(&addr, &options))
        .await
    {
        Some(Ok(c)) => c,
        Some(Err(e)) => {
            let f = device::link_failure(&e, &addr);
            return fail(f.exit, ui::clean(&f.message));
        }
        None => return stopped_before(cancel),
    };
    lane.say("checking…");
    let mut asker: Box<dyn Asker> = match answers {
        Some(a) => Box::new(a.clone()),
        None => Box::new(BatchAsker),
    };
    // Narration would tear the progress lines; they are only on a terminal.
    if ui::verbosity() >= 1 && !ui::interactive_stderr() {
        asker = Box::new(Narrated(asker, device.clone()));
    }
    let opts = RunOptions {
        cancel: cancel.clone(),
        ..RunOptions::default()
    };
    let d = match diagnose::diagnose(client, flows, args.flow.as_deref(), asker.as_mut(), &opts)
        .await
    {
        Ok(d) => d,
        Err(e) => return fail(Exit::BadInput, ui::clean(&e.to_string())),
    };
    lane.say("writing the report…");
    let saved = save_report(&d, args, |_| {});
    let sent = match (uploader, &saved) {
        (Some(up), Ok((path, _))) => {
            lane.say("sending the report…");
            Some(up.send_saved(path).await)
        }
        _ => None,
    };
    let exit = super::exit::for_session(&d.session);
    let o = d.session.outcome.as_ref();
    Row {
        device,
        serial: d
            .session
            .device
            .as_ref()
            .map(|i| i.serial.clone())
            .or_else(|| d.device.info.as_ref().map(|i| i.serial.clone()))
            .map(|s| ui::clean(&s))
            .unwrap_or_default(),
        outcome: o
            .map(|o| o.kind.to_string())
            .or_else(|| {
                d.session
                    .stopped
                    .as_ref()
                    .map(|s| format!("stopped: {}", s.kind))
            })
            .unwrap_or_default(),
        code: o.map(|o| ui::clean(&o.code)).unwrap_or_default(),
        exit: match &saved {
            Err(_) if d.session.is_safety() => Exit::Safety,
            Err(_) => Exit::ReportLost,
            Ok(_) => sent
                .as_ref()
                .map_or(exit, |s| upload::with_upload(exit, s.exit)),
        },
        saved: saved.is_ok(),
        upload: sent.as_ref().map(|s| s.sentence()),
        detail: match (saved, &sent) {
            (Ok((p, _)), None) => p.display().to_string(),
            (Ok((p, _)), Some(s)) => format!("{} · {}", p.display(), s.sentence()),
            (Err(e), _) => format!("report not saved: {}", e.message),
        },
    }
}
