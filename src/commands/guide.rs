//! `pawdiag guide`: a pet owner at home, one step at a time. Finds the
//! device by itself, asks "What's going on?" with each flow's symptom in
//! everyday words, then walks that flow with plain, warm prompts (dialoguer
//! on the terminal), showing live progress while the device works. Ends
//! with the outcome in one sentence, the reference code, what happens next
//! and where the report is.
//!
//! Nothing is lost to Ctrl-C, SIGTERM or a closed laptop (SIGHUP): every
//! answer is written to a journal in pawdiag's data directory as soon as it
//! is given (atomically, one file, never with fewer answers than it had),
//! the session so far is reported, and the exit code says which signal it
//! was. The next `guide` offers to continue (`--resume` does so without
//! asking). Continuing replays the recorded answers: the device is checked
//! again (it may have changed), the person is not asked again, except for
//! steps whose result fades with time (taking the tracker outdoors) when
//! the break was long.

use super::{Exit, Failure, config, stop, ui};
use crate::cli::GuideArgs;
use chrono::Utc;
use pawdiag::address::Address;
use pawdiag::cancel::Cancel;
use pawdiag::config::Overrides;
use pawdiag::connect::{self, ConnectOptions};
use pawdiag::diagnose::{Diagnosis, Identified};
use pawdiag::failure;
use pawdiag::flow::engine::RunOptions;
use pawdiag::flow::format::Flow;
use pawdiag::flow::load::FlowSet;
use pawdiag::flow::session::{RunMode, StopKind};
use pawdiag::handoff::journal::{Journal, Replay, journal_path, new_journal, read_journal};
use pawdiag::link::LinkError;
use pawdiag::report::{self, BuildOptions, CustomerInfo, Format, Inputs};
use std::io::IsTerminal;
use std::path::Path;

use super::guide_asker::{GuideAsker, choose, say};

fn customer_failure(exit: Exit, message: &str, hint: &str) -> anyhow::Error {
    Failure::new(exit, message, Some(hint.into())).into()
}

/// Someone pawdiag could check: how to reach it and how to name it.
struct Found {
    address: String,
    label: String,
}

/// PawCore devices nearby over Bluetooth (first: a customer at home rarely
/// has the cable at hand), then those attached over USB, and why Bluetooth
/// could not be searched when it could not (switched off, not allowed).
async fn nearby() -> (Vec<Found>, Option<LinkError>) {
    let wait = ui::spinner("Looking for your device nearby…");
    let (found, no_bluetooth) = connect::candidates_everywhere(connect::AUTO_BLE_SCAN).await;
    wait.finish_and_clear();
    let found = found
        .into_iter()
        .map(|c| Found {
            label: format!(
                "{} {} ({})",
                c.model.product_name(),
                ui::clean(c.serial_label()),
                if c.via == "ble" {
                    "Bluetooth"
                } else {
                    "USB cable"
                }
            ),
            address: c.address,
        })
        .collect();
    (found, no_bluetooth)
}

/// Why Bluetooth could not be searched, as a customer would say it.
fn bluetooth_in_plain_words(e: &LinkError) -> &'static str {
    use pawdiag::link::BluetoothProblem as P;
    match e {
        LinkError::BluetoothUnavailable { problem, .. } => match problem {
            P::AdapterOff | P::Blocked => "Bluetooth is switched off on this computer",
            P::NotAllowed => "this computer hasn't allowed pawdiag to use Bluetooth",
            P::NoAdapter => "this computer has no Bluetooth",
            P::NoSystemBus | P::ServiceNotRunning => "Bluetooth isn't running on this computer",
        },
        _ => "Bluetooth isn't working on this computer right now",
    }
}

/// Finds the device: the one named, the one in the journal, or the one
/// nearby (a friendly picker when there are several).
async fn find_device(
    args: &GuideArgs,
    journal: Option<&Journal>,
    stop: &Cancel,
) -> anyhow::Result<Address> {
    let named = args
        .device
        .clone()
        .or_else(|| journal.map(|j| j.device.clone()))
        .filter(|d| !d.trim().eq_ignore_ascii_case("auto"));
    if let Some(d) = named {
        return Ok(d.parse()?);
    }
    let (found, no_bluetooth) = nearby().await;
    match found.len() {
        // Nothing found because Bluetooth could not be searched: that, and
        // this computer's way to fix it, is what the customer needs to hear.
        0 if let Some(e) = no_bluetooth => {
            let why = failure::of_link(&e, "Bluetooth");
            Err(customer_failure(
                Exit::Unreachable,
                &format!(
                    "I can't look for your PawCore device over Bluetooth, because {}",
                    bluetooth_in_plain_words(&e)
                ),
                &format!(
                    "{}; or plug the device in with its USB cable and run `pawdiag guide` again",
                    why.hint
                ),
            ))
        }
        0 => Err(customer_failure(
            Exit::Unreachable,
            "I can't find your PawCore device",
            "press its button (or put it on its charger) so it wakes up, and keep it close to this computer, or plug it in with its USB cable; then run `pawdiag guide` again",
        )),
        1 => Ok(found[0].address.parse()?),
        _ => {
            let items: Vec<String> = found.iter().map(|f| f.label.clone()).collect();
            match choose(
                "I can see more than one device. Which one would you like to check?",
                &items,
                0,
                stop,
            )
            .await
            {
                Ok(Some(i)) => Ok(found[i].address.parse()?),
                _ => Err(customer_failure(
                    Exit::BadInput,
                    "No device chosen",
                    "run `pawdiag guide` again when you're ready",
                )),
            }
        }
    }
}

/// Runs `guide`.
pub async fn run(args: GuideArgs) -> anyhow::Result<Exit> {
    if !std::io::stdin().is_terminal() || !ui::interactive_stderr() {
        return Err(customer_failure(
            Exit::BadInput,
            "pawdiag guide talks with a person and needs a terminal",
            "for scripts use `pawdiag diagnose --non-interactive` or `pawdiag batch`",
        ));
    }
    let settings = config::with_flags(
        &crate::cli::SettingsArgs::default(),
        Overrides {
            report_dir: args.report_dir.clone(),
            ..Overrides::default()
        },
    )?;
    let flows = FlowSet::load(args.flows.as_deref()).map_err(|e| {
        let hint = e.hint();
        Failure::new(Exit::BadInput, e.to_string(), Some(hint))
    })?;
    let stop = stop::install(GUIDE)?;
    let path = journal_path();
    let mut journal = if args.fresh {
        None
    } else {
        read_journal(&path)
    };
    if let Some(j) = &journal {
        if !args.resume {
            let product =
                pawdiag::interface::Model::parse(&j.model).map_or("device", |m| m.product_name());
            let items = vec![
                "Yes, pick up where we left off".to_string(),
                "No, start a new check".to_string(),
            ];
            let q = format!(
                "Last time we didn't finish checking your {product} (\"{}\"). Shall we carry on?",
                ui::clean(&j.symptom)
            );
            match choose(&q, &items, 0, &stop).await {
                Ok(Some(0)) => {}
                Ok(Some(_)) => journal = None,
                _ => return Ok(stop::overrule(paused(), &stop)),
            }
        }
    } else if args.resume {
        ui::note("There's no unfinished check to continue, so let's start a new one.");
    }

    say("Hello! Let's find out what's going on with your PawCore device.");
    let addr = match stop
        .unless_requested(find_device(&args, journal.as_ref(), &stop))
        .await
    {
        Some(found) => found?,
        None => return Ok(stopped_before_the_device(&stop)),
    };
    let wait = ui::spinner("Saying hello to your device…");
    let opts = ConnectOptions {
        baud: pawdiag::link::serial::BAUD,
        progress: super::device::progress(),
        ..ConnectOptions::default()
    };
    let client = match stop.unless_requested(connect::connect(&addr, &opts)).await {
        None => {
            wait.finish_and_clear();
            return Ok(stopped_before_the_device(&stop));
        }
        Some(Ok(mut c)) => {
            c.set_cancel(stop.clone());
            c
        }
        Some(Err(e)) => {
            wait.finish_and_clear();
            return Err(super::device::link_failure(&e, &addr).into());
        }
    };
    let started = Utc::now();
    let device = match Identified::new(client).await {
        Ok(d) => d,
        Err(unknown) => {
            wait.finish_and_clear();
            // Support gets what was tried, in a report, all the same.
            let opts = RunOptions {
                cancel: stop.clone(),
                ..RunOptions::default()
            };
            let d = unknown
                .diagnosis(None, RunMode::Interactive, started, &opts)
                .await;
            return finish(d, &settings, &path, &stop, &addr).await;
        }
    };
    wait.finish_and_clear();
    let model = device.model();
    let serial = device.serial();
    super::device::remember(&addr, serial.as_deref(), Some(model.id()));
    say(&format!("I found your {}.", model.product_name()));

    // A journal for another device is not this device's story.
    if let Some(j) = &journal
        && !j.belongs_to(serial.as_deref(), model)
    {
        ui::note("That unfinished check was for a different device, so let's start a new one.");
        journal = None;
    }
    let sweep_id = sweep_id(model);
    let choice = match journal.as_ref() {
        Some(j) if j.flow_id == sweep_id => Picked::Everything,
        Some(j) => match flows.get(&j.flow_id) {
            Some(f) => Picked::Flow(f),
            None => pick_flow_or_sweep(&flows, model, &stop).await?,
        },
        None => pick_flow_or_sweep(&flows, model, &stop).await?,
    };
    let (flow, journal) = match choice {
        Picked::Nothing => {
            device.close().await;
            return Ok(stop::overrule(paused(), &stop));
        }
        Picked::Everything => (
            None,
            journal
                .filter(|j| j.flow_id == sweep_id)
                .unwrap_or_else(|| {
                    new_journal(
                        &addr,
                        serial.clone(),
                        model,
                        sweep_id.clone(),
                        "Check everything".into(),
                    )
                }),
        ),
        Picked::Flow(f) => match journal.filter(|j| j.flow_id == f.id) {
            Some(j) => (Some(f), j),
            None => (
                Some(f),
                new_journal(
                    &addr,
                    serial.clone(),
                    model,
                    f.id.clone(),
                    f.symptom.clone(),
                ),
            ),
        },
    };
    let replay = Replay::new(&journal.answers);
    if !replay.is_empty() {
        say("Welcome back. I'll quickly re-check the device and skip what you've already told me.");
    }
    let mut asker = GuideAsker {
        journal,
        path: path.clone(),
        replay,
        stop: stop.clone(),
        spinner: None,
        // Checking everything asks only the safety question, then works.
        after_answer: flow
            .is_none()
            .then(|| "Checking everything on your device…".to_string()),
    };
    // Saved at once: a stop before the first answer still remembers the symptom.
    asker.step_done();
    let opts = RunOptions {
        ask_hazard: Some(true),
        cancel: stop.clone(),
        ..RunOptions::default()
    };
    let diagnosis = device
        .run(&flows, flow.map(|f| f.id.as_str()), &mut asker, &opts)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    asker.quiet_spinner();
    finish(diagnosis, &settings, &path, &stop, &addr).await
}

/// What the guide says when a stop signal arrives.
const GUIDE: stop::Messages = stop::Messages {
    first: "\nStopping: I'm saving everything so far. Run `pawdiag guide` again to pick up where we left off.",
    again: "Stopping now.",
};

/// A stop came before the device was reached: nothing to save.
fn stopped_before_the_device(stop: &Cancel) -> Exit {
    stop::restore_terminal();
    ui::note("Stopped. Run `pawdiag guide` again whenever you're ready.");
    stop::overrule(Exit::Ok, stop)
}

/// What the person chose at "What's going on?".
enum Picked<'f> {
    /// One symptom's flow.
    Flow(&'f Flow),
    /// "I'm not sure, please check everything": the bench sweep.
    Everything,
    /// They closed the menu.
    Nothing,
}

/// The end of a guide: pauses and dropped links say what to do; a finished
/// check writes the report (HTML and JSON), forgets the journal and shows
/// the customer summary.
async fn finish(
    diagnosis: Diagnosis,
    settings: &pawdiag::config::Settings,
    journal: &Path,
    stop: &Cancel,
    addr: &Address,
) -> anyhow::Result<Exit> {
    let rep = report::build(Inputs {
        session: &diagnosis.session,
        device: &diagnosis.device,
        transcript: &diagnosis.transcript,
        transcript_dropped: diagnosis.transcript_dropped,
        customer: &CustomerInfo::default(),
        options: BuildOptions {
            include_personal_data: false,
            now: Utc::now(),
        },
    })
    .map_err(|e| anyhow::anyhow!("the report could not be built: {e}"))?;
    let dir = settings.report_dir.value.clone();
    let html = report::store::free_path_in(&dir, &rep, Format::Html);
    let json = html.with_extension("json");
    let saved = report::write_atomic(&html, &rep, Format::Html)
        .and_then(|()| report::write_atomic(&json, &rep, Format::Json));
    if let Err(e) = &saved {
        ui::warn(&format!("I couldn't save the report: {e}"));
    }
    // A pause (Ctrl-C, Esc, a signal) keeps the journal for next time; the
    // report of the session so far is saved all the same.
    let stopped = diagnosis.session.stopped.as_ref().map(|s| s.kind);
    match stopped {
        Some(StopKind::Interrupted) => {
            stop::restore_terminal();
            let exit = if saved.is_err() {
                Exit::ReportLost
            } else {
                paused()
            };
            return Ok(stop::overrule(exit, stop));
        }
        Some(StopKind::LinkLost) => {
            say(
                "When the device is back, run `pawdiag guide` again: we'll pick up where we left off.",
            );
            let detail = diagnosis
                .session
                .stopped
                .as_ref()
                .map(|s| s.reason.clone())
                .unwrap_or_default();
            let f = pawdiag::failure::FailureClass::LinkLost.with(&addr.to_string(), &detail);
            let mut f = super::device::failure(f);
            if saved.is_err() {
                f.exit = Exit::ReportLost;
            }
            return Err(f.into());
        }
        Some(StopKind::Unreachable) => {
            let _ = std::fs::remove_file(journal);
            // Said as every command says it: the classifier's sentence and hint.
            let stopped = diagnosis.session.stopped.as_ref();
            let hint = stopped
                .and_then(|s| s.failure.as_deref())
                .and_then(pawdiag::failure::FailureClass::from_id)
                .map_or(
                    "unplug it, plug it back in (or press its button to wake it), and run `pawdiag guide` again",
                    pawdiag::failure::FailureClass::hint,
                );
            let message = stopped.map_or_else(
                || "Your device isn't answering me".to_string(),
                |s| ui::clean(&s.reason),
            );
            let exit = if saved.is_err() {
                Exit::ReportLost
            } else {
                Exit::Unreachable
            };
            return Err(Failure::new(exit, message, Some(hint.into())).into());
        }
        _ => {}
    }
    // Finished: the journal can go.
    let _ = std::fs::remove_file(journal);
    say("");
    println!("{}", report::ending::customer_outcome(&rep));
    // Asked once the person has read what the report says.
    let can_send = settings.helpdesk_url.value.is_some()
        && matches!(
            settings.helpdesk_credentials.value,
            pawdiag::helpdesk::AuthPresence::Token | pawdiag::helpdesk::AuthPresence::UserPassword
        );
    let sent = match &saved {
        Ok(()) if can_send && offer_to_send(stop).await => {
            let wait = ui::spinner("Sending your report to PawCore support…");
            let sent = super::upload::send_for_guide(settings, &json).await;
            wait.finish_and_clear();
            println!("{}", super::upload::for_customer(&sent));
            Some(sent)
        }
        _ => None,
    };
    // What to do next depends on whether support has the report now.
    let handover = report::Handover {
        saved: match &saved {
            Ok(()) => vec![html.clone(), json.clone()],
            Err(_) => Vec::new(),
        },
        sent: sent
            .as_ref()
            .and_then(|s| s.ticket.as_ref())
            .map(|t| format!("ticket #{t}")),
    };
    println!("{}", report::ending::customer_next(&rep, &handover));
    let exit = match saved {
        Err(_) if !rep.outcome.safety => Exit::ReportLost,
        _ => super::exit::for_report(&rep),
    };
    let exit = sent.map_or(exit, |s| super::upload::with_upload(exit, s.exit));
    Ok(stop::overrule(exit, stop))
}

/// With a helpdesk and its credentials configured: may the report go to
/// support now?
async fn offer_to_send(stop: &Cancel) -> bool {
    let items = vec!["Yes, send it".to_string(), "No, thanks".to_string()];
    matches!(
        choose(
            "Shall I send this report to PawCore support now, so they have it when you get in touch?",
            &items,
            0,
            stop,
        )
        .await,
        Ok(Some(0))
    )
}

fn paused() -> Exit {
    eprintln!();
    ui::note(
        "We've paused here, and everything so far is saved. Run `pawdiag guide` again whenever you're ready and we'll carry on.",
    );
    Exit::Ok
}

fn sweep_id(model: pawdiag::interface::Model) -> String {
    format!("{}/sweep", model.id())
}

/// "What's going on?" with the model's symptoms, and "I'm not sure,
/// please check everything" (the bench sweep, every finding reported).
async fn pick_flow_or_sweep<'f>(
    flows: &'f FlowSet,
    model: pawdiag::interface::Model,
    stop: &Cancel,
) -> anyhow::Result<Picked<'f>> {
    let list: Vec<&Flow> = flows.for_model(model).collect();
    if list.is_empty() {
        return Err(anyhow::anyhow!(
            "there are no troubleshooting steps for the {model}"
        ));
    }
    let mut items: Vec<String> = list.iter().map(|f| ui::clean(&f.symptom)).collect();
    items.push("I'm not sure, please check everything".into());
    Ok(match choose("What's going on?", &items, 0, stop).await {
        Ok(Some(i)) if i < list.len() => Picked::Flow(list[i]),
        Ok(Some(_)) => Picked::Everything,
        _ => Picked::Nothing,
    })
}
