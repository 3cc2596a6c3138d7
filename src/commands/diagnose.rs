//! `pawdiag diagnose DEVICE [--flow ID]`: walk one troubleshooting flow (or
//! sweep them all for the bench), print the outcome for its audience, and
//! always write a report, even when the session ended early.

use super::asker::{Interrupt, TerminalAsker};
use super::{Exit, Failure, device, ui};
use crate::cli::DiagnoseArgs;
use pawdiag::diagnose::{self, DiagnoseError, Diagnosis};
use pawdiag::flow::answers::{AnswersAsker, BatchAsker};
use pawdiag::flow::engine::{Asker, RunOptions};
use pawdiag::flow::load::{FlowSet, LoadError};
use pawdiag::flow::session::{OutcomeKind, Session, StopKind};
use pawdiag::report::{self, Audience, BuildOptions, Inputs};
use std::path::{Path, PathBuf};

/// Runs `diagnose`.
pub async fn run(args: DiagnoseArgs) -> anyhow::Result<Exit> {
    let flows = load_flows(args.flows.as_deref())?;
    if let Some(id) = args.flow.as_ref().filter(|id| flows.get(id).is_none()) {
        {
            return Err(Failure::new(
                Exit::BadInput,
                format!("There is no flow `{}`", ui::clean(id)),
                Some("`pawdiag flows list` shows the flows".into()),
            )
            .into());
        }
    }
    let interactive =
        args.answers.is_none() && !args.connect.non_interactive && ui::interactive_stderr();
    let interrupt = Interrupt::install();
    let mut asker: Box<dyn Asker> = match &args.answers {
        Some(path) => Box::new(
            AnswersAsker::from_file(path)
                .map_err(|e| Failure::new(Exit::BadInput, e.to_string(), Some(e.hint())))?,
        ),
        None if interactive => Box::new(TerminalAsker::new(args.technician, interrupt.clone())),
        None => Box::new(BatchAsker),
    };

    let (addr, client) = device::open(&args.connect).await?;
    // A spinner would fight with the prompts; people at a prompt get a line.
    let spinner = if interactive {
        ui::note(&format!("Connected to {addr}."));
        indicatif::ProgressBar::hidden()
    } else {
        ui::spinner(&format!("Checking {addr}…"))
    };
    let result = diagnose::diagnose(
        client,
        &flows,
        args.flow.as_deref(),
        asker.as_mut(),
        &RunOptions::default(),
    )
    .await;
    spinner.finish_and_clear();
    let diagnosis = match result {
        Ok(d) => d,
        Err(DiagnoseError::Unreachable(e)) => {
            let hint = if e.is_link_lost() {
                "check the cable or move closer, make sure the device is on, then try again"
            } else {
                "check that this is a PawCore device: unplug it and plug it back in, then try again"
            };
            return Err(Failure::new(
                Exit::Unreachable,
                format!("Could not read the device at {addr}: {e}"),
                Some(hint.into()),
            )
            .into());
        }
        Err(e @ DiagnoseError::WrongModel { .. }) | Err(e @ DiagnoseError::NoSuchFlow(_)) => {
            return Err(Failure::new(
                Exit::BadInput,
                sentence(&e.to_string()),
                Some("`pawdiag flows list --model MODEL` shows the flows for each product".into()),
            )
            .into());
        }
    };

    let saved = save_report(&diagnosis, &args);

    if args.output.json {
        let out = serde_json::json!({
            "schema": "pawdiag.diagnose/1",
            "address": addr.to_string(),
            "outcome": diagnose::outcome_value(&diagnosis.session),
            "report": saved.as_ref().ok().map(|(p, _)| p.display().to_string()),
            "diagnosis": diagnosis,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if let Ok((path, rep)) = &saved {
        let audience = if args.technician {
            Audience::Technician
        } else {
            Audience::Customer
        };
        println!("{}", report::summary(rep, audience, Some(path)));
    }
    match &saved {
        Ok((path, _)) if args.output.json => ui::note(&format!("Report saved: {}", path.display())),
        Ok(_) => {}
        Err(e) => ui::warn(&format!("the report could not be saved: {e}")),
    }
    if ui::verbosity() >= 2 {
        for e in &diagnosis.transcript {
            eprintln!(
                "{:>9.1} ms {:?} {:?} {}",
                e.t_ms,
                e.dir,
                e.kind,
                ui::clean(&e.text)
            );
        }
    }
    Ok(exit_for(&diagnosis.session))
}

/// The exit code a session ends with.
pub fn exit_for(session: &Session) -> Exit {
    if session.is_safety() {
        return Exit::Safety;
    }
    match (&session.outcome, &session.stopped) {
        (Some(o), _) if o.kind.is_fault() => Exit::Fault,
        (Some(o), _) if o.kind == OutcomeKind::Safety => Exit::Safety,
        (Some(_), _) => Exit::Ok,
        (None, Some(s)) if s.kind == StopKind::Interrupted => Exit::Interrupted,
        (None, Some(s)) if s.kind == StopKind::Error => Exit::BadInput,
        (None, _) => Exit::Unreachable,
    }
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

fn save_report(
    d: &Diagnosis,
    args: &DiagnoseArgs,
) -> anyhow::Result<(PathBuf, report::model::Report)> {
    let rep = report::build(Inputs {
        session: &d.session,
        device: &d.device,
        transcript: &d.transcript,
        transcript_dropped: d.transcript_dropped,
        customer: &super::report::customer_info(&args.report),
        options: BuildOptions {
            include_personal_data: args.report.include_personal_data,
            now: d.session.ended_at.unwrap_or(d.session.started_at),
        },
    })?;
    let path = super::report::save(&rep, &args.report)?;
    Ok((path, rep))
}

fn sentence(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
