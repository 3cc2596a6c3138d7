//! `pawdiag guide`: a pet owner at home, one step at a time. Finds the
//! device by itself, asks "What's going on?" with each flow's symptom in
//! everyday words, then walks that flow with plain, warm prompts (dialoguer
//! on the terminal), showing live progress while the device works. Ends
//! with the outcome in one sentence, the reference code, what happens next
//! and where the report is.
//!
//! Nothing is lost to Ctrl-C or a closed laptop: every answer is written to
//! a journal in pawdiag's data directory as soon as it is given (atomically,
//! one file), and the next `guide` offers to continue (`--resume` does so
//! without asking). Continuing replays the recorded answers: the device is
//! checked again (it may have changed), the person is not asked again.

use super::{Exit, Failure, config, ui};
use crate::cli::GuideArgs;
use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use indicatif::{ProgressBar, ProgressStyle};
use pawdiag::config::Overrides;
use pawdiag::connect::{self, ConnectOptions};
use pawdiag::diagnose::{DiagnoseError, Diagnosis, Identified};
use pawdiag::flow::engine::{
    ActionReply, Answer, AskError, Asker, PollControl, Prompt, RunOptions,
};
use pawdiag::flow::format::Flow;
use pawdiag::flow::load::FlowSet;
use pawdiag::flow::session::{RunMode, Session, StepKind, StopKind};
use pawdiag::link::Address;
use pawdiag::report::{self, BuildOptions, CustomerInfo, Format, Inputs};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The journal's schema.
pub const JOURNAL_SCHEMA: &str = "pawdiag.guide-journal/1";

/// One answer the person gave.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Given {
    /// The node (`safety.hazard` for the hazard question).
    pub node_id: String,
    /// `question`, `consent` or `action`.
    pub kind: String,
    /// The value given (`yes`, `done`…).
    pub value: String,
    /// What the person saw and picked.
    pub label: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A guide in progress, as saved after every step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    /// Always [`JOURNAL_SCHEMA`].
    pub schema: String,
    /// When the guide began.
    pub started_at: DateTime<Utc>,
    /// When this journal was last written.
    pub updated_at: DateTime<Utc>,
    /// The address that reached the device.
    pub device: String,
    /// Its serial number.
    pub serial: Option<String>,
    /// Its model.
    pub model: String,
    /// The flow being walked.
    pub flow_id: String,
    /// The symptom the person picked, in their words.
    pub symptom: String,
    /// Answers so far, in order.
    pub answers: Vec<Given>,
    /// Steps finished so far (checks and answers).
    pub steps_done: usize,
}

/// Where the journal lives.
pub fn journal_path() -> PathBuf {
    pawdiag::config::data_dir()
        .join("guide")
        .join("journal.json")
}

fn read_journal(path: &Path) -> Option<Journal> {
    let bytes = std::fs::read(path).ok()?;
    let j: Journal = serde_json::from_slice(&bytes).ok()?;
    (j.schema == JOURNAL_SCHEMA).then_some(j)
}

fn write_journal(path: &Path, j: &Journal) -> std::io::Result<()> {
    let bytes = serde_json::to_vec_pretty(j).map_err(std::io::Error::other)?;
    report::store::write_bytes_atomic(path, &bytes).map_err(std::io::Error::other)
}

fn say(text: &str) {
    eprintln!("{text}");
}

fn dim(text: &str) -> String {
    if ui::color() {
        format!("\x1b[2m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

fn theme() -> dialoguer::theme::ColorfulTheme {
    dialoguer::theme::ColorfulTheme::default()
}

/// Turns a dialoguer error into the engine's: Ctrl-C (and a closed
/// terminal) pause the guide.
fn prompt_err(e: dialoguer::Error) -> AskError {
    let dialoguer::Error::IO(io) = e;
    match io.kind() {
        std::io::ErrorKind::Interrupted | std::io::ErrorKind::UnexpectedEof => {
            AskError::Interrupted
        }
        _ => AskError::Invalid(format!("the terminal stopped answering: {io}")),
    }
}

/// A menu; `None` when the person pressed Esc or q.
fn choose(prompt: &str, items: &[String], default: usize) -> Result<Option<usize>, AskError> {
    // dialoguer blocks; let the runtime move other work off this thread.
    tokio::task::block_in_place(|| {
        dialoguer::Select::with_theme(&theme())
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_opt()
            .map_err(prompt_err)
    })
}

/// The engine's view of the person at the terminal, with a journal.
struct GuideAsker {
    journal: Journal,
    path: PathBuf,
    replay: VecDeque<Given>,
    stop: Arc<AtomicBool>,
    spinner: Option<ProgressBar>,
    /// Shown with a spinner once an answer is given (the sweep works
    /// silently after its one question).
    after_answer: Option<String>,
}

impl GuideAsker {
    fn check_stop(&self) -> Result<(), AskError> {
        if self.stop.load(Ordering::SeqCst) {
            Err(AskError::Interrupted)
        } else {
            Ok(())
        }
    }

    fn quiet_spinner(&mut self) {
        if let Some(s) = self.spinner.take() {
            s.finish_and_clear();
        }
    }

    fn spin(&mut self, message: &str) {
        self.quiet_spinner();
        if ui::interactive_stderr() {
            let pb = ProgressBar::new_spinner();
            pb.set_style(
                ProgressStyle::with_template("  {spinner:.cyan} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            pb.set_message(message.to_string());
            pb.enable_steady_tick(Duration::from_millis(120));
            self.spinner = Some(pb);
        }
    }

    /// A recorded answer for this node, if the guide is being resumed.
    fn replayed(&mut self, node_id: &str) -> Option<Given> {
        if self.replay.front().is_some_and(|g| g.node_id == node_id) {
            return self.replay.pop_front();
        }
        // The device changed since last time and the flow took another
        // path: from here on, ask afresh.
        self.replay.clear();
        None
    }

    fn record(&mut self, g: Given) {
        self.journal.answers.push(g);
        self.step_done();
    }

    fn step_done(&mut self) {
        self.journal.steps_done += 1;
        self.journal.updated_at = Utc::now();
        if let Err(e) = write_journal(&self.path, &self.journal) {
            ui::warn(&format!(
                "I couldn't save your progress ({e}); if we're interrupted we'll have to start again"
            ));
        }
    }

    fn heading(&mut self, prompt: &Prompt<'_>) {
        self.quiet_spinner();
        say("");
        say(&ui::clean(prompt.text));
        if let Some(h) = prompt.help {
            say(&dim(&ui::clean(h)));
        }
    }

    fn pick(
        &mut self,
        prompt: &Prompt<'_>,
        kind: &str,
        labels: Vec<(String, String)>,
    ) -> Result<Answer, AskError> {
        self.check_stop()?;
        if let Some(g) = self.replayed(prompt.node_id) {
            say(&dim(&format!(
                "✓ {} — {}",
                ui::clean(prompt.text),
                ui::clean(&g.label)
            )));
            return Ok(Answer::Value(g.value));
        }
        self.heading(prompt);
        let items: Vec<String> = labels.iter().map(|(_, l)| ui::clean(l)).collect();
        match choose("Your answer", &items, 0)? {
            Some(i) => {
                let (value, label) = labels[i].clone();
                self.record(Given {
                    node_id: prompt.node_id.to_string(),
                    kind: kind.into(),
                    value: value.clone(),
                    label,
                    at: Utc::now(),
                });
                if let Some(m) = self.after_answer.clone() {
                    self.spin(&m);
                }
                Ok(Answer::Value(value))
            }
            // Esc: the person would rather stop here; the journal has
            // everything so far.
            None => Err(AskError::Interrupted),
        }
    }
}

impl Asker for GuideAsker {
    fn mode(&self) -> RunMode {
        RunMode::Interactive
    }

    fn say<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            self.quiet_spinner();
            if prompt.kind == StepKind::Safety {
                say("");
                say(&ui::clean(prompt.text));
                return;
            }
            say(&format!("• {}", ui::clean(prompt.text)));
            self.step_done();
            self.spin("Checking…");
        })
    }

    fn ask<'a>(&'a mut self, prompt: &'a Prompt<'a>) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            let labels = prompt
                .choices
                .iter()
                .map(|c| (c.value.clone(), c.label.clone()))
                .collect();
            self.pick(prompt, "question", labels)
        })
    }

    fn consent<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
    ) -> BoxFuture<'a, Result<Answer, AskError>> {
        Box::pin(async move {
            let labels = vec![
                ("yes".to_string(), "Yes, go ahead".to_string()),
                ("no".to_string(), "No, thanks".to_string()),
            ];
            self.pick(prompt, "consent", labels)
        })
    }

    fn action<'a>(
        &'a mut self,
        prompt: &'a Prompt<'a>,
        verified: bool,
    ) -> BoxFuture<'a, Result<ActionReply, AskError>> {
        Box::pin(async move {
            let labels = if verified {
                vec![
                    ("done".to_string(), "Done, please check".to_string()),
                    (
                        "failed".to_string(),
                        "I can't do this right now".to_string(),
                    ),
                ]
            } else {
                vec![
                    ("done".to_string(), "Done, and it worked".to_string()),
                    (
                        "failed".to_string(),
                        "It didn't work, or I can't do it".to_string(),
                    ),
                ]
            };
            match self.pick(prompt, "action", labels)? {
                Answer::Value(v) if v == "done" => Ok(ActionReply::Done),
                Answer::Value(_) | Answer::NotSure => Ok(ActionReply::Failed),
                Answer::Missing => Ok(ActionReply::Missing),
            }
        })
    }

    fn progress<'a>(
        &'a mut self,
        _prompt: &'a Prompt<'a>,
        text: &'a str,
        elapsed: Duration,
        limit: Duration,
    ) -> BoxFuture<'a, Result<PollControl, AskError>> {
        Box::pin(async move {
            self.check_stop()?;
            let left = limit.saturating_sub(elapsed).as_secs();
            let msg = format!("{} (up to {left} s more)", ui::clean(text));
            match &self.spinner {
                Some(s) => s.set_message(msg),
                None => self.spin(&msg),
            }
            Ok(PollControl::Continue)
        })
    }

    fn finished<'a>(&'a mut self, _session: &'a Session) -> BoxFuture<'a, ()> {
        Box::pin(async move { self.quiet_spinner() })
    }
}

fn customer_failure(exit: Exit, message: &str, hint: &str) -> anyhow::Error {
    Failure::new(exit, message, Some(hint.into())).into()
}

/// Someone pawdiag could check: how to reach it and how to name it.
struct Found {
    address: String,
    label: String,
}

/// PawCore devices nearby over Bluetooth (first: a customer at home rarely
/// has the cable at hand), then those attached over USB. Bluetooth that is
/// missing or switched off simply finds nothing.
async fn nearby() -> Vec<Found> {
    let wait = ui::spinner("Looking for your device nearby…");
    let (found, _no_bluetooth) = connect::candidates_everywhere(connect::AUTO_BLE_SCAN).await;
    wait.finish_and_clear();
    found
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
        .collect()
}

/// Finds the device: the one named, the one in the journal, or the one
/// nearby (a friendly picker when there are several).
async fn find_device(args: &GuideArgs, journal: Option<&Journal>) -> anyhow::Result<Address> {
    let named = args
        .device
        .clone()
        .or_else(|| journal.map(|j| j.device.clone()))
        .filter(|d| !d.trim().eq_ignore_ascii_case("auto"));
    if let Some(d) = named {
        return Ok(d.parse()?);
    }
    let found = nearby().await;
    match found.len() {
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
            ) {
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
    let stop = Arc::new(AtomicBool::new(false));
    watch_ctrl_c(stop.clone())?;
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
            match choose(&q, &items, 0) {
                Ok(Some(0)) => {}
                Ok(Some(_)) => journal = None,
                _ => return Ok(paused()),
            }
        }
    } else if args.resume {
        ui::note("There's no unfinished check to continue, so let's start a new one.");
    }

    say("Hello! Let's find out what's going on with your PawCore device.");
    let addr = find_device(&args, journal.as_ref()).await?;
    let wait = ui::spinner("Saying hello to your device…");
    let opts = ConnectOptions {
        baud: pawdiag::link::serial::BAUD,
        progress: super::device::progress(),
        ..ConnectOptions::default()
    };
    // Failures read the same as in every other command (one classifier).
    let client = match connect::connect(&addr, &opts).await {
        Ok(c) => c,
        Err(e) => {
            wait.finish_and_clear();
            return Err(super::device::link_failure(&e, &addr).into());
        }
    };
    let device = match Identified::new(client).await {
        Ok(d) => d,
        Err(e) => {
            wait.finish_and_clear();
            return Err(not_identified(&e, &addr));
        }
    };
    wait.finish_and_clear();
    let model = device.model();
    let serial = device.serial();
    super::device::remember(&addr, serial.as_deref(), Some(model.id()));
    say(&format!("I found your {}.", model.product_name()));

    // A journal for another device is not this device's story.
    if let Some(j) = &journal
        && (j.serial != serial || j.model != model.id())
    {
        ui::note("That unfinished check was for a different device, so let's start a new one.");
        journal = None;
    }
    let sweep_id = sweep_id(model);
    let choice = match journal.as_ref() {
        Some(j) if j.flow_id == sweep_id => Picked::Everything,
        Some(j) => match flows.get(&j.flow_id) {
            Some(f) => Picked::Flow(f),
            None => pick_flow_or_sweep(&flows, model)?,
        },
        None => pick_flow_or_sweep(&flows, model)?,
    };
    let (flow, journal) = match choice {
        Picked::Nothing => {
            device.close().await;
            return Ok(paused());
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
    let replay: VecDeque<Given> = journal.answers.iter().cloned().collect();
    if !replay.is_empty() {
        say("Welcome back. I'll quickly re-check the device and skip what you've already told me.");
    }
    let mut asker = GuideAsker {
        journal: Journal {
            answers: Vec::new(),
            ..journal
        },
        path: path.clone(),
        replay,
        stop,
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
        ..RunOptions::default()
    };
    let diagnosis = device
        .run(&flows, flow.map(|f| f.id.as_str()), &mut asker, &opts)
        .await;
    asker.quiet_spinner();
    finish(diagnosis, &settings, &path, &addr).await
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
    diagnosis: Result<Diagnosis, DiagnoseError>,
    settings: &pawdiag::config::Settings,
    journal: &Path,
    addr: &Address,
) -> anyhow::Result<Exit> {
    let diagnosis = match diagnosis {
        Ok(d) => d,
        Err(e) => return Err(not_identified(&e, addr)),
    };
    match diagnosis.session.stopped.as_ref().map(|s| s.kind) {
        Some(StopKind::Interrupted) => return Ok(paused()),
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
            return Err(super::device::failure(f).into());
        }
        _ => {}
    }

    // Finished: the report, then the journal can go.
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
        Ok(()) if can_send && offer_to_send() => {
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
    let exit = super::exit::for_report(&rep);
    Ok(sent.map_or(exit, |s| super::upload::with_upload(exit, s.exit)))
}

/// With a helpdesk and its credentials configured: may the report go to
/// support now?
fn offer_to_send() -> bool {
    let items = vec!["Yes, send it".to_string(), "No, thanks".to_string()];
    matches!(
        choose(
            "Shall I send this report to PawCore support now, so they have it when you get in touch?",
            &items,
            0
        ),
        Ok(Some(0))
    )
}

/// Ctrl-C: inside a prompt dialoguer reports it and the guide pauses;
/// elsewhere the flag pauses it at the next step. A second Ctrl-C quits at
/// once: the journal already has every answer. The handler is installed
/// before the first prompt, so Ctrl-C never kills the guide mid-write.
fn watch_ctrl_c(stop: Arc<AtomicBool>) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut sig = signal(SignalKind::interrupt())?;
        tokio::spawn(async move {
            sig.recv().await;
            stop.store(true, Ordering::SeqCst);
            sig.recv().await;
            eprintln!("\nStopped. Run `pawdiag guide` again to pick up where we left off.");
            std::process::exit(130);
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop.store(true, Ordering::SeqCst);
        }
    });
    Ok(())
}

fn paused() -> Exit {
    eprintln!();
    ui::note(
        "We've paused here, and everything so far is saved. Run `pawdiag guide` again whenever you're ready and we'll carry on.",
    );
    Exit::Ok
}

/// A fresh journal of `flow_id`: a flow, or `<model>/sweep` for "check
/// everything" (not a flow: a guide resumed from it checks everything again).
fn new_journal(
    addr: &Address,
    serial: Option<String>,
    model: pawdiag::interface::Model,
    flow_id: String,
    symptom: String,
) -> Journal {
    Journal {
        schema: JOURNAL_SCHEMA.into(),
        started_at: Utc::now(),
        updated_at: Utc::now(),
        device: addr.to_string(),
        serial,
        model: model.id().into(),
        flow_id,
        symptom,
        answers: Vec::new(),
        steps_done: 0,
    }
}

fn sweep_id(model: pawdiag::interface::Model) -> String {
    format!("{}/sweep", model.id())
}

/// "What's going on?" with the model's symptoms, and "I'm not sure,
/// please check everything" (the bench sweep, every finding reported).
fn pick_flow_or_sweep(
    flows: &FlowSet,
    model: pawdiag::interface::Model,
) -> anyhow::Result<Picked<'_>> {
    let list: Vec<&Flow> = flows.for_model(model).collect();
    if list.is_empty() {
        return Err(anyhow::anyhow!(
            "there are no troubleshooting steps for the {model}"
        ));
    }
    let mut items: Vec<String> = list.iter().map(|f| ui::clean(&f.symptom)).collect();
    items.push("I'm not sure, please check everything".into());
    Ok(match choose("What's going on?", &items, 0) {
        Ok(Some(i)) if i < list.len() => Picked::Flow(list[i]),
        Ok(Some(_)) => Picked::Everything,
        _ => Picked::Nothing,
    })
}

/// A device that could not be identified, in the words every command uses
/// (one classifier); any other error is a defect.
fn not_identified(e: &DiagnoseError, addr: &Address) -> anyhow::Error {
    match e {
        DiagnoseError::Unreachable(fe) => {
            super::device::failure(pawdiag::failure::of_fact(fe, &addr.to_string())).into()
        }
        other => anyhow::anyhow!("{other}"),
    }
}
