//! `pawdiag batch MANIFEST`: a returns centre's run over many devices. Each
//! manifest row (or, for `auto-all`, each attached device) becomes one job;
//! jobs run side by side ([`super::fleet`]), each its own session; each
//! writes one report into `--out`; each prints one JSON line on stdout as
//! it finishes; a table sums up on stderr. One device's failure never stops
//! the others, and the exit code still tells: 5 if any safety outcome, else
//! 3 if any device failed to run, else 4 if any had a fault, else 0.
//!
//! `--resume` skips devices whose finished report is already in `--out`,
//! keyed by device serial and flow (not by port: [`pawdiag::batch::resume`]),
//! so an interrupted run can be started again with the same command.
//!
//! The per-device work is [`device_job`]. Today it reads a snapshot
//! (identity, battery, self-test, log, status) and writes it as the report;
//! the flow engine's sweep and the report module plug in there.

use super::batch_summary::{summary_sentence, summary_table};
use super::exit::sentence;
use super::fleet::{self, Fleet, Lane};
use super::upload::{self, Sent, Uploader};
use super::{Exit, Failure, config, lines, stop, ui};
use crate::cli::BatchArgs;
use pawdiag::batch::jobs::{self, Job};
use pawdiag::cancel::{Cancel, StopSignal};
use pawdiag::client::ClientOptions;
use pawdiag::config::Overrides;
use pawdiag::connect::{self, ConnectOptions};
use pawdiag::diagnose;
use pawdiag::failure::{self, Classified};
use pawdiag::flow::answers::{AnswersAsker, BatchAsker};
use pawdiag::flow::engine::Asker;
use pawdiag::flow::engine::RunOptions;
use pawdiag::flow::load::FlowSet;
use pawdiag::manifest::{Manifest, ManifestError};
use pawdiag::report::model::{OutcomeKind as ReportKind, Report};
use pawdiag::report::{self, BuildOptions, CustomerInfo, Format, Inputs};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The schema of a JSON line.
pub const LINE_SCHEMA: &str = "pawdiag.batch/1";

/// One device's result: a JSON line on stdout, a row of the summary table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceResult {
    /// Always [`LINE_SCHEMA`].
    pub schema: String,
    /// Manifest line the device came from.
    pub line: usize,
    /// The address used.
    pub device: String,
    /// Ticket reference from the manifest.
    pub ticket: Option<String>,
    /// Serial number (as the device reported it, or from USB before connecting).
    pub serial: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Flow run; `null` for the full sweep.
    pub flow: Option<String>,
    /// Outcome kind (`resolved`, `customer-action`, `escalate`, `replace`,
    /// `safety`, `no-fault-found`, `incomplete`); `null` when the device
    /// could not be run.
    pub outcome: Option<String>,
    /// Reference code (outcome code, or the failing self-test codes).
    pub code: Option<String>,
    /// This device's exit code (0, 3, 4, 5 or 7).
    pub exit: u8,
    /// The report written.
    pub report: Option<String>,
    /// Why the device could not be run, in one sentence.
    pub error: Option<String>,
    /// The failure's class when the device could not be reached or
    /// understood (`silent`, `port-busy`…; README lists them), else null.
    #[serde(default)]
    pub failure: Option<String>,
    /// True when the report was already there and the device was skipped (`--resume`).
    pub resumed: bool,
    /// Time spent on this device, in milliseconds.
    pub duration_ms: u64,
    /// What became of the report's upload (`--upload`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<Sent>,
}

impl DeviceResult {
    fn new(job: &Job) -> Self {
        Self {
            line: job.line,
            device: job.address.to_string(),
            ticket: job.ticket.clone(),
            serial: job.known_serial.clone(),
            flow: job.flow.clone(),
            ..super::batch_resume::blank_line()
        }
    }

    fn failed(mut self, message: String) -> Self {
        self.exit = Exit::Unreachable as u8;
        self.error = Some(message);
        self
    }

    /// The device could not be reached or understood: the classifier's
    /// sentence, class and exit code, as every command reports them.
    fn unreachable(mut self, c: Classified) -> Self {
        self.exit = c.exit_code();
        self.failure = Some(c.class.id().to_string());
        self.error = Some(c.message);
        self
    }
}

/// The batch's exit code: 5 if any safety outcome, else 8 if a report
/// could not be saved, else 3 if any device failed to run, else 7 if any
/// walk stopped for want of an answer, else 4 if any had a fault, else 0.
/// (A stop signal then overrides all but 5 and 8: `stop::overrule`.)
pub fn batch_exit(results: &[DeviceResult]) -> Exit {
    pawdiag::batch::rank(results.iter().map(|r| r.exit))
}

/// What every job shares (read-only).
pub struct Context {
    /// How to open links.
    pub connect: ConnectOptions,
    /// Skip devices whose finished report exists (by serial and flow).
    pub resume: bool,
    /// The finished reports found in `--out` (empty without `--resume`).
    pub finished: pawdiag::batch::resume::Finished,
    /// Report names handed out in this run.
    pub names: pawdiag::batch::resume::Names,
    /// The output directory.
    pub out: PathBuf,
    /// Keep personal data in reports.
    pub include_personal_data: bool,
    /// Written into reports.
    pub technician: Option<String>,
    /// Written into reports.
    pub station: Option<String>,
    /// The flows, safety rules and playbook.
    pub flows: Arc<FlowSet>,
    /// Stop signals: running devices stop (and are reported), the others
    /// are not started.
    pub cancel: Cancel,
}

fn manifest_failure(e: ManifestError) -> Failure {
    Failure::new(Exit::BadInput, format!("Bad manifest {e}"), Some(e.hint))
}

/// Runs `batch`.
pub async fn run(args: BatchArgs) -> anyhow::Result<Exit> {
    let settings = config::with_flags(
        &args.settings(),
        Overrides {
            jobs: args.jobs,
            timeout_ms: args.timeout_ms,
            report_dir: args.out.clone(),
            ..Overrides::default()
        },
    )?;
    let mut manifest = Manifest::load(&args.manifest).map_err(manifest_failure)?;
    let flows = FlowSet::load(args.flows.as_deref()).map_err(|e| {
        let hint = e.hint();
        Failure::new(Exit::BadInput, sentence(&e.to_string()), Some(hint))
    })?;
    check_manifest(&manifest)?;
    prepare(&mut manifest, &flows)?;
    let uploader = Uploader::for_flags(&args.upload)?;
    let out = settings.report_dir.value.clone();
    std::fs::create_dir_all(&out).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            format!("Cannot create the report directory {}: {e}", out.display()),
            Some("choose another directory with --out DIR".into()),
        )
    })?;

    let (jobs, mut unrun) = expand(&manifest, &out, connect::candidates);
    let cancel = stop::install(stop::BENCH)?;
    let finished = if args.resume {
        // A report counts as finished work unless its device could not be run.
        pawdiag::batch::resume::Finished::scan(&out, |rep| {
            // ...nor stopped by a signal: those are run again.
            !matches!(super::batch_resume::exit_of(rep), 3 | 129 | 130 | 143)
        })
    } else {
        pawdiag::batch::resume::Finished::default()
    };
    let names = pawdiag::batch::resume::Names::default();
    for j in &jobs {
        names.reserve(&j.report);
    }
    let ctx = Arc::new(Context {
        connect: ConnectOptions {
            baud: args.baud,
            client: ClientOptions {
                margin: Duration::from_millis(settings.timeout_ms.value),
                ..ClientOptions::default()
            },
            progress: pawdiag::link::Progress::default(),
        },
        resume: args.resume,
        finished,
        names,
        out: out.clone(),
        include_personal_data: args.include_personal_data,
        technician: settings.technician.value.clone(),
        station: settings.station.value.clone(),
        flows: Arc::new(flows),
        cancel: cancel.clone(),
    });
    ui::note(&format!(
        "Running {} device{} ({} at once); reports go to {}",
        jobs.len(),
        if jobs.len() == 1 { "" } else { "s" },
        settings.jobs.value.min(jobs.len().max(1)),
        out.display()
    ));

    let mut stdout_open = true;
    let mut emit = |fleet: &Fleet, r: &DeviceResult| {
        if stdout_open && let Err(lines::LineError::Closed) = fleet.suspend(|| lines::json(r)) {
            // The reader went away; the run goes on and the reports are written.
            stdout_open = false;
        }
    };
    let fleet = Fleet::new(jobs.len());
    for r in &unrun {
        emit(&fleet, r);
    }
    let items: Vec<(String, Job)> = jobs.into_iter().map(|j| (label(&j), j)).collect();
    let fallback: Vec<DeviceResult> = items.iter().map(|(_, j)| DeviceResult::new(j)).collect();
    let results = fleet::run(
        &fleet,
        items,
        settings.jobs.value,
        move |job, lane| {
            let (ctx, uploader) = (ctx.clone(), uploader.clone());
            async move {
                let r = device_job(job, lane.clone(), ctx).await;
                upload::after_job(uploader.as_ref(), r, &lane).await
            }
        },
        |i, r| {
            let line = match r {
                Ok(d) => d.clone(),
                Err(msg) => {
                    let mut d = fallback[i].clone().failed(msg.clone());
                    d.exit = Exit::Internal as u8;
                    d
                }
            };
            emit(&fleet, &line);
        },
    )
    .await;
    fleet.finish();
    let mut all: Vec<DeviceResult> = Vec::with_capacity(results.len() + unrun.len());
    all.append(&mut unrun);
    for (r, fb) in results.into_iter().zip(fallback) {
        all.push(r.unwrap_or_else(|msg| {
            let mut d = fb.failed(msg);
            d.exit = Exit::Internal as u8;
            d
        }));
    }
    all.sort_by_key(|r| r.line);
    if !ui::quiet() {
        eprintln!("{}", summary_table(&all));
        eprintln!("{}", summary_sentence(&all, &out));
        if args.upload.upload {
            eprintln!(
                "{}",
                upload::batch_sentence(all.iter().filter_map(|r| r.upload.as_ref()))
            );
        }
    }
    let uploads = all.iter().filter_map(|r| r.upload.as_ref().map(|u| u.exit));
    let exit = uploads.fold(batch_exit(&all), upload::with_upload);
    Ok(stop::overrule(exit, &cancel))
}

fn label(j: &Job) -> String {
    match &j.ticket {
        Some(t) => format!("{t} {}", j.address),
        None => j.address.to_string(),
    }
}

/// Checks what can be checked before touching a device
/// ([`pawdiag::batch::check_manifest`]).
fn check_manifest(m: &Manifest) -> Result<(), Failure> {
    pawdiag::batch::check_manifest(m).map_err(manifest_failure)
}

/// Checks every row's flow exists and its answers name questions of that
/// flow, and folds each answers file into the row's answers (the row's own
/// `answer:` columns win).
fn prepare(m: &mut Manifest, flows: &FlowSet) -> Result<(), Failure> {
    let path = m.path.clone();
    let bad = |line: usize, message: String, hint: &str| {
        manifest_failure(ManifestError {
            path: path.clone(),
            line: Some(line),
            message,
            hint: hint.into(),
        })
    };
    for row in &mut m.rows {
        if let Some(file) = &row.answers_file {
            let from_file = AnswersAsker::from_file(file)
                .map_err(|e| bad(row.line, format!("bad answers file: {e}"), &e.hint()))?;
            from_file
                .check(flows, row.flow.as_deref())
                .map_err(|e| bad(row.line, format!("bad answers file: {e}"), &e.hint()))?;
            for (k, v) in from_file.answers() {
                row.answers.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        let Some(id) = &row.flow else { continue };
        let Some(flow) = flows.get(id) else {
            let hint = format!(
                "{}; leave the column empty for the full sweep",
                flows.hint_for(id, None)
            );
            return Err(bad(
                row.line,
                format!("there is no flow `{}`", ui::clean(id)),
                &hint,
            ));
        };
        for node in row.answers.keys() {
            if node.contains('#') || node == pawdiag::flow::safety::HAZARD_KEY {
                continue;
            }
            if flow.node(node).is_none() {
                return Err(bad(
                    row.line,
                    format!("the flow {id} has no question `{node}`"),
                    "answer columns are answer:<node-id> with a node id of that flow (`pawdiag flows show` lists them)",
                ));
            }
        }
        // Values too: one a step does not take is refused here, before any
        // device is touched, not half-way through a session.
        AnswersAsker::from_map("manifest", row.answers.clone())
            .check(flows, Some(id))
            .map_err(|e| bad(row.line, e.message.clone(), &e.hint))?;
    }
    Ok(())
}

/// Turns manifest rows into jobs ([`jobs::expand`]); rows that cannot
/// run come back as failed lines.
pub fn expand(
    m: &Manifest,
    out: &Path,
    candidates: impl Fn() -> Vec<connect::Candidate>,
) -> (Vec<Job>, Vec<DeviceResult>) {
    let (jobs, unrun) = jobs::expand(m, out, candidates);
    let unrun = unrun
        .iter()
        .map(|job| {
            let mut r = DeviceResult::new(job).failed(jobs::NOTHING_ATTACHED.into());
            r.device = "auto-all".into();
            r
        })
        .collect();
    (jobs, unrun)
}

/// The work for one device: connect, identify, run the row's flow (or the
/// sweep of every flow of the model), write the report. Never panics on
/// what a device sends; every failure becomes a sentence in the result.
pub async fn device_job(job: Job, lane: Lane, ctx: Arc<Context>) -> DeviceResult {
    let started = Instant::now();
    let r = DeviceResult::new(&job);
    let device = job.address.to_string();
    // A serial known before connecting (USB, a serial-number address)
    // finds finished work without touching the device.
    if ctx.resume
        && let Some(done) = job
            .known_serial
            .as_deref()
            .and_then(|sn| ctx.finished.take(sn, job.flow.as_deref()))
    {
        lane.say("finished in an earlier run: skipped");
        return super::batch_resume::resumed(r, &done);
    }
    // A device not yet reached when a stop came is not started (and has
    // no report): `--resume` runs it next time.
    let not_started = |r: DeviceResult, signal: Option<StopSignal>| {
        let signal = signal.unwrap_or(StopSignal::Interrupt);
        let mut r = r.failed(format!("Not run: stopped by {signal} first"));
        r.exit = stop::exit_for(signal) as u8;
        finish(r, started)
    };
    if ctx.cancel.is_requested() {
        return not_started(r, ctx.cancel.signal());
    }
    lane.say("connecting…");
    let opened = ctx
        .cancel
        .unless_requested(connect::connect(&job.address, &ctx.connect))
        .await;
    let mut client = match opened {
        Some(Ok(c)) => c,
        Some(Err(e)) => return finish(r.unreachable(failure::of_link(&e, &device)), started),
        None => return not_started(r, ctx.cancel.signal()),
    };
    // Otherwise the device says who it is first (the port may now hold
    // another device than last time).
    if ctx.resume
        && job.known_serial.is_none()
        && let Some(done) = ctx
            .finished
            .take_asking(&mut client, job.flow.as_deref())
            .await
    {
        client.close().await;
        lane.say("finished in an earlier run: skipped");
        return super::batch_resume::resumed(r, &done);
    }
    let mut r = r;
    let progress = lane.clone();
    client.set_event_listener(move |ev| progress_event(&progress, ev));
    lane.say(&match &job.flow {
        Some(f) => format!("running {f}…"),
        None => "checking everything…".to_string(),
    });
    // No answers at all is a pure batch run (no hazard question asked).
    let mut asker: Box<dyn Asker> = if job.answers.is_empty() {
        Box::new(BatchAsker)
    } else {
        Box::new(AnswersAsker::from_map("manifest", job.answers.clone()))
    };
    // Narration would tear the progress bars; they are only on a terminal.
    if ui::verbosity() >= 1 && !ui::interactive_stderr() {
        asker = Box::new(super::asker::Narrated(asker, label(&job)));
    }
    let opts = RunOptions {
        cancel: ctx.cancel.clone(),
        ..RunOptions::default()
    };
    let d = diagnose::diagnose(
        client,
        &ctx.flows,
        job.flow.as_deref(),
        asker.as_mut(),
        &opts,
    )
    .await;
    let d = match d {
        Ok(d) => d,
        Err(e) => return finish(r.failed(sentence(&e.to_string())), started),
    };
    let mut notes: Vec<String> = Vec::new();
    if job.flow.is_none() {
        notes.push("Full sweep of every troubleshooting flow for this model (batch).".into());
    }
    let customer = CustomerInfo {
        ticket: job.ticket.clone(),
        notes,
        technician: ctx.technician.clone(),
        station: ctx.station.clone(),
        ..CustomerInfo::default()
    };
    let built = report::build(Inputs {
        session: &d.session,
        device: &d.device,
        transcript: &d.transcript,
        transcript_dropped: d.transcript_dropped,
        customer: &customer,
        options: BuildOptions {
            include_personal_data: ctx.include_personal_data,
            now: chrono::Utc::now(),
        },
    });
    let rep = match built {
        Ok(rep) => rep,
        Err(e) => {
            return finish(
                r.failed(format!("The report could not be built: {e}")),
                started,
            );
        }
    };
    apply_outcome(&mut r, &rep);
    lane.say("writing the report…");
    // Named after the device it is about, unless the manifest already fixed
    // a name from a serial known before connecting.
    let path = if job.known_serial.is_some() || rep.device.serial.trim().is_empty() {
        job.report.clone()
    } else {
        ctx.names.claim(
            &ctx.out,
            job.ticket.as_deref(),
            &rep.device.serial,
            job.flow.as_deref(),
            job.line,
        )
    };
    // Writing syncs the file and its directory to disk: off the runtime's
    // two worker threads, or 64 devices' fsyncs would queue behind each other.
    let bytes = report::render(&rep, Format::Json);
    let report_path = path.clone();
    let written = tokio::task::spawn_blocking(move || {
        report::store::write_bytes_atomic(&path, bytes.as_bytes())
    })
    .await;
    let lost = |r: DeviceResult, e: String| {
        let safety = r.exit == Exit::Safety as u8;
        let mut r = r.failed(format!("The report could not be written: {e}"));
        if !safety {
            r.exit = Exit::ReportLost as u8;
        }
        r
    };
    match written {
        Ok(Ok(())) => r.report = Some(report_path.display().to_string()),
        Ok(Err(e)) => r = lost(r, e.to_string()),
        Err(e) => r = lost(r, e.to_string()),
    }
    finish(r, started)
}

/// Shows what the device is doing on its progress line.
fn progress_event(lane: &Lane, ev: &pawdiag::client::DeviceEvent) {
    let n = |k: &str| ev.data.get(k).and_then(Value::as_u64).unwrap_or(0);
    match ev.name.as_str() {
        "selftest.progress" => lane.say(&format!("self-test {}/{}…", n("done"), n("total"))),
        "sync.progress" => lane.say(&format!("syncing {}/{}…", n("synced_records"), n("total"))),
        "gps.fix" => lane.say("GPS fix found"),
        _ => {}
    }
}

/// Fills a result from a report: outcome, code, and this device's exit code.
pub(super) fn apply_outcome(r: &mut DeviceResult, rep: &Report) {
    r.serial = Some(rep.device.serial.clone());
    r.model = Some(rep.device.model.clone());
    r.outcome = Some(rep.outcome.kind.as_str().to_string());
    r.code = Some(rep.outcome.code.clone());
    let exit = super::exit::for_report(rep);
    if rep.outcome.kind == ReportKind::Incomplete && exit != Exit::Incomplete {
        r.error = Some(rep.stopped.as_ref().map_or_else(
            || "The session ended before an outcome".to_string(),
            |s| format!("The session stopped: {}", s.detail),
        ));
        // A link that dropped part-way is the link-lost class, said as
        // every command says it.
        if let Some(s) = rep
            .stopped
            .as_ref()
            .filter(|s| s.kind == pawdiag::report::model::StopKind::LinkLost)
        {
            let c = failure::FailureClass::LinkLost.with(&r.device, &s.detail);
            r.failure = Some(c.class.id().to_string());
            r.error = Some(c.message);
        }
        // A device that never said who it is: its report holds the
        // classifier's sentence and class, said as every command says it.
        if let Some(s) = rep
            .stopped
            .as_ref()
            .filter(|s| s.kind == pawdiag::report::model::StopKind::Unreachable)
        {
            r.failure = s.failure.clone();
            r.error = Some(s.detail.clone());
        }
    }
    // A stop signal keeps its own code (130, 143, 129); anything else that
    // stopped the run other than a missing answer means the device could
    // not be run (3).
    r.exit = match exit {
        Exit::Ok
        | Exit::Fault
        | Exit::Safety
        | Exit::Incomplete
        | Exit::Interrupted
        | Exit::Terminated
        | Exit::HungUp => exit as u8,
        _ => Exit::Unreachable as u8,
    };
}

fn finish(mut r: DeviceResult, started: Instant) -> DeviceResult {
    r.duration_ms = started.elapsed().as_millis() as u64;
    r
}

#[cfg(test)]
#[path = "batch_tests.rs"]
mod tests;
