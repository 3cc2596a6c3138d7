//! `pawdiag diagnose DEVICE [--flow ID]`: walk one troubleshooting flow (or
//! sweep them all for the bench), print the outcome for its audience, and
//! always write a report, even when the session ended early.

use super::asker::{Narrated, TerminalAsker};
use super::diagnose_many::run_many;
use super::exit::sentence;
use super::upload::{self, Uploader};
use super::{Exit, Failure, device, relay, stop, ui};
use crate::cli::DiagnoseArgs;
use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::config::Overrides;
use pawdiag::diagnose::{self, DiagnoseError, Diagnosis};
use pawdiag::flow::answers::{AnswersAsker, BatchAsker};
use pawdiag::flow::engine::{Asker, RunOptions};
use pawdiag::flow::load::{FlowSet, LoadError};
use pawdiag::flow::session::{StopKind, StopReason};
use pawdiag::handoff::prior::ReuseAsker;
use pawdiag::handoff::source::Summary;
use pawdiag::report::{self, Audience, BuildOptions};
use std::path::{Path, PathBuf};

/// Runs `diagnose`.
pub async fn run(mut args: DiagnoseArgs) -> anyhow::Result<Exit> {
    let flows = load_flows(args.flows.as_deref())?;
    // An id without its model (`gps-not-working`) is resolved once the
    // device has said what it is.
    if let Some(id) = args
        .flow
        .as_ref()
        .filter(|id| flows.get(id).is_none() && !flows.has_name(id))
    {
        return Err(Failure::new(
            Exit::BadInput,
            format!("There is no flow `{}`", ui::clean(id)),
            Some(flows.hint_for(id, None)),
        )
        .into());
    }
    // A report that could not be written is refused before any device is touched.
    super::report::report_target(&args.report)?;
    let answers = match &args.answers {
        Some(path) => Some(load_answers(path, &flows, args.flow.as_deref())?),
        None => None,
    };
    // Checked here, once: a bad --technician or --audience is bad input
    // before any device is touched.
    let settings = super::config::with_flags(&args.settings, Overrides::default())?;
    let technician = settings.audience.value == Audience::Technician;
    let uploader = Uploader::for_flags(&args.upload)?;
    if !args.more.is_empty() && (args.record.is_some() || args.continue_from.is_some()) {
        return Err(Failure::new(
            Exit::BadInput,
            "--record and --continue are about one device, but several devices were given",
            Some("record or continue one device at a time".into()),
        )
        .into());
    }
    let continuing = args
        .continue_from
        .as_deref()
        .map(relay::continue_source)
        .transpose()?;
    let cancel = stop::install(stop::BENCH)?;
    if !args.more.is_empty() {
        return run_many(args, flows, answers, technician, uploader, cancel).await;
    }
    let interactive =
        args.answers.is_none() && !args.connect.non_interactive && ui::interactive_stderr();
    let addr = match cancel
        .unless_requested(device::resolve(&args.connect))
        .await
    {
        Some(addr) => addr?,
        None => return Err(stopped_early(&cancel).into()),
    };
    let replaying = relay::replay_source(&addr)?;
    // A replay walks the recorded flow with the recorded replies, unless
    // told otherwise; what was not recorded is asked, or left unanswered
    // as the recorded session left it.
    let recorded = replaying.as_ref().and_then(|r| r.summary.as_ref());
    let mut inner: Box<dyn Asker> = match answers {
        Some(a) => Box::new(a),
        None if interactive => Box::new(TerminalAsker::new(technician, cancel.clone())),
        None => recorded.map_or_else(|| Box::new(BatchAsker) as Box<dyn Asker>, |s| s.stand_in()),
    };
    if !interactive && ui::verbosity() >= 1 {
        inner = Box::new(Narrated(inner, String::new()));
    }
    let flow_id = relay::flow_to_walk(
        args.flow.as_deref(),
        continuing.as_ref().map(|(_, s)| s),
        recorded,
    )?;
    let mut opts = RunOptions {
        cancel: cancel.clone(),
        ..RunOptions::default()
    };
    if replaying.is_some() {
        opts.clock = pawdiag::handoff::retest::replay_clock();
    }
    let prior = relay::earlier_replies(
        continuing.as_ref(),
        recorded,
        args.answers.is_some(),
        &mut opts,
    );
    let mut reuse = ReuseAsker::new(prior, inner.as_mut());
    // The session's own time, from opening the device to the diagnosis
    // (what a replay saves), for `--json`.
    let started = std::time::Instant::now();
    let opened = cancel
        .unless_requested(relay::open_client(
            &addr,
            replaying.as_ref(),
            &args.connect,
            args.record.as_deref(),
        ))
        .await;
    let (mut client, recorder) = match opened {
        Some(opened) => opened?,
        None => return Err(stopped_early(&cancel).into()),
    };
    if let Some((old, _)) = &continuing {
        relay::check_same_device(&mut client, old).await?;
    }
    // A spinner would fight with the prompts; people at a prompt get a line.
    let spinner = if interactive {
        ui::note(&format!("Connected to {addr}."));
        indicatif::ProgressBar::hidden()
    } else {
        ui::spinner(&format!("Checking {addr}…"))
    };
    let result = diagnose::diagnose(client, &flows, flow_id.as_deref(), &mut reuse, &opts).await;
    let reused = reuse.reused().to_vec();
    let session_ms = started.elapsed().as_secs_f64() * 1000.0;
    spinner.finish_and_clear();
    let diagnosis = match result {
        Ok(d) => d,
        Err(e) => {
            let hint = match &e {
                DiagnoseError::WrongModel { device_model, .. }
                | DiagnoseError::NoFlowForModel {
                    model: device_model,
                    ..
                } => flows.hint_for(args.flow.as_deref().unwrap_or(""), Some(*device_model)),
                _ => flows.hint_for(args.flow.as_deref().unwrap_or(""), None),
            };
            return Err(Failure::new(
                Exit::BadInput,
                sentence(&ui::clean(&e.to_string())),
                Some(hint),
            )
            .into());
        }
    };

    if let Some(info) = &diagnosis.device.info {
        device::remember(&addr, Some(&info.serial), Some(&info.model));
    }
    if interactive && technician && !cancel.is_requested() {
        ask_ticket_details(&mut args.report).await;
    }
    let replay = replaying
        .as_ref()
        .map(|src| pawdiag::handoff::retest::replay_record(src, &diagnosis.session));
    let saved = save_report(&diagnosis, &args, |rep| {
        rep.session.replay = replay.clone();
        if let Some((old, _)) = &continuing {
            rep.continues = Some(relay::continues(old, rep, reused));
        }
    });
    if let Some(rec) = &recorder {
        let summary = saved
            .as_ref()
            .ok()
            .and_then(|(_, rep)| {
                serde_json::to_value(Summary::of_session(&diagnosis.session, rep)).ok()
            })
            .unwrap_or_default();
        relay::finish_recording(rec, summary);
    }
    let sent = match (&uploader, &saved) {
        (Some(up), Ok((path, _))) => Some(up.send_saved(path).await),
        _ => None,
    };

    if args.output.json {
        let mut out = serde_json::json!({
            "schema": "pawdiag.diagnose/1",
            "address": addr.to_string(),
            "outcome": diagnose::outcome_value(&diagnosis.session),
            "report": saved.as_ref().ok().map(|(p, _)| p.display().to_string()),
            "session_ms": (session_ms * 10.0).round() / 10.0,
            "diagnosis": diagnosis,
        });
        if let Some(s) = &sent {
            out["upload"] = serde_json::to_value(s)?;
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if let Ok((path, rep)) = &saved {
        let audience = if technician {
            Audience::Technician
        } else {
            Audience::Customer
        };
        let text = report::summary_fit(rep, audience, Some(path), ui::width());
        // Safety is red where colour is on.
        let text = if ui::color_stdout() {
            text.replacen(
                report::SAFETY_BANNER,
                &console::style(report::SAFETY_BANNER)
                    .red()
                    .bold()
                    .force_styling(true)
                    .to_string(),
                1,
            )
        } else {
            text
        };
        println!("{text}");
    }
    if let Some(s) = &diagnosis.session.stopped {
        tell_stop(s, &addr.to_string());
    }
    let mut exit = super::exit::for_session(&diagnosis.session);
    match &saved {
        Ok((path, _)) if args.output.json => ui::note(&format!("Report saved: {}", path.display())),
        Ok(_) => {}
        Err(f) => {
            ui::error(&f.message, f.hint.as_deref());
            if exit != Exit::Safety {
                exit = Exit::ReportLost;
            }
        }
    }
    if let Some(s) = &sent {
        s.tell();
    }
    if ui::verbosity() >= 2 {
        ui::print_transcript(&diagnosis.transcript, args.report.include_personal_data);
    }
    if cancel.is_requested() {
        stop::restore_terminal();
    }
    let exit = sent.map_or(exit, |s| upload::with_upload(exit, s.exit));
    Ok(stop::overrule(exit, &cancel))
}

/// A stop signal came before a device was reached: nothing was tried, so
/// there is nothing to report.
fn stopped_early(cancel: &Cancel) -> Failure {
    let signal = cancel.signal().unwrap_or(StopSignal::Interrupt);
    stop::restore_terminal();
    Failure::new(
        stop::exit_for(signal),
        format!("Stopped by {signal} before the device was reached; there is nothing to report"),
        None,
    )
}

/// Says on stderr why a session ended early, with what to do, when it
/// was not the person's own doing: the failure classifier's sentence and
/// hint, as every command says them.
fn tell_stop(s: &StopReason, addr: &str) {
    use pawdiag::failure::FailureClass;
    let class = match s.kind {
        StopKind::Unreachable => {
            let class = s.failure.as_deref().and_then(FailureClass::from_id);
            let hint = class.map_or(
                "check that this is a PawCore device: unplug it and plug it back in, then try again",
                FailureClass::hint,
            );
            ui::error(&ui::clean(&s.reason), Some(hint));
            return;
        }
        StopKind::LinkLost => FailureClass::LinkLost,
        _ => return,
    };
    let c = class.with(addr, &s.reason);
    ui::error(&ui::clean(&c.message), Some(&c.hint));
}

/// Reads an answers file and checks it against the flows (`flow` is the
/// one about to run), so a typo is refused before a device is touched.
pub fn load_answers(
    path: &Path,
    flows: &FlowSet,
    flow: Option<&str>,
) -> Result<AnswersAsker, Failure> {
    let bad = |e: pawdiag::flow::answers::AnswersError| {
        Failure::new(Exit::BadInput, ui::clean(&e.to_string()), Some(e.hint()))
    };
    let answers = AnswersAsker::from_file(path).map_err(bad)?;
    answers.check(flows, flow).map_err(bad)?;
    Ok(answers)
}

/// Loads the flows, turning lint errors into `file:line:col` lines.
pub fn load_flows(dir: Option<&Path>) -> anyhow::Result<FlowSet> {
    FlowSet::load(dir).map_err(|e| {
        if let LoadError::Invalid(diags) = &e {
            for d in diags {
                eprintln!("{d}");
            }
        }
        Failure::new(Exit::BadInput, sentence(&e.to_string()), Some(e.hint())).into()
    })
}

/// The report's customer details, and who ran the session (flags over the
/// config file).
fn customer(args: &DiagnoseArgs) -> report::CustomerInfo {
    let mut c = super::report::customer_info(&args.report);
    if let Ok(s) = super::config::with_flags(&args.settings, Overrides::default()) {
        c.technician = s.technician.value;
        c.station = s.station.value;
    }
    c
}

/// Builds the report, lets `amend` add what the session knows beyond the
/// engine (a replay's source, the report it continues), seals it and
/// saves it as the options say. A report that cannot be built or saved
/// is exit 8.
pub(super) fn save_report(
    d: &Diagnosis,
    args: &DiagnoseArgs,
    amend: impl FnOnce(&mut report::model::Report),
) -> Result<(PathBuf, report::model::Report), Failure> {
    let not_built = |e: &dyn std::fmt::Display| {
        Failure::new(
            Exit::ReportLost,
            format!("The report could not be built: {e}."),
            None,
        )
    };
    let mut rep = d
        .report(
            &customer(args),
            BuildOptions {
                include_personal_data: args.report.include_personal_data,
                now: d.session.ended_at.unwrap_or(d.session.started_at),
            },
        )
        .map_err(|e| not_built(&e))?;
    amend(&mut rep);
    report::digest::seal(&mut rep).map_err(|e| not_built(&e))?;
    let dir = &super::config::get().report_dir.value;
    let path = super::report::save_in(&rep, &args.report, dir)?;
    Ok((path, rep))
}

/// At the bench, asks for the ticket and customer name the report should
/// carry when the command line gave none (Enter skips).
async fn ask_ticket_details(report: &mut crate::cli::report::ReportArgs) {
    async fn input(prompt: &'static str) -> Option<String> {
        tokio::task::spawn_blocking(move || {
            dialoguer::Input::<String>::new()
                .with_prompt(prompt)
                .allow_empty(true)
                .interact_text()
                .ok()
        })
        .await
        .ok()
        .flatten()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
    }
    if report.ticket.is_none() {
        report.ticket = input("Ticket number for the report (Enter to skip)").await;
    }
    if report.customer.is_none() {
        report.customer = input("Customer name (Enter to skip)").await;
    }
}
