//! What passes between sessions in `diagnose`: recording the link
//! (`--record FILE`), replaying a recording or a report (`replay:FILE`),
//! and continuing an earlier report (`--continue REPORT`).

use super::{Exit, Failure, device, ui};
use crate::cli::ConnectArgs;
use pawdiag::address::Address;
use pawdiag::client::Client;
use pawdiag::connect;
use pawdiag::flow::engine::RunOptions;
use pawdiag::handoff::prior::Prior;
use pawdiag::handoff::source::{self, Origin, Source, Summary};
use pawdiag::link::BoxTransport;
use pawdiag::link::record::{Recorder, RecordingTransport};
use pawdiag::link::replay::ReplayTransport;
use pawdiag::report::diff::{self, Category};
use pawdiag::report::model::{Continues, Report};
use std::path::Path;
use std::sync::Arc;

/// The replay source when `addr` is `replay:FILE` (read and checked once,
/// before anything else, so a bad file is bad input).
pub fn replay_source(addr: &Address) -> anyhow::Result<Option<Source>> {
    let Address::Replay(path) = addr else {
        return Ok(None);
    };
    let src = source::load(Path::new(path)).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            super::exit::sentence(&e.to_string()),
            Some(e.hint()),
        )
    })?;
    let what = match &src.origin {
        Origin::Recording => "a recording".to_string(),
        Origin::Report {
            report_id,
            redacted,
            ..
        } => format!(
            "report {}{}",
            ui::clean(report_id),
            if *redacted {
                " (its personal data is redacted and is replayed as redacted)"
            } else {
                ""
            }
        ),
    };
    ui::note(&format!(
        "Replaying {what}: the device answers as recorded, nothing else."
    ));
    if src.dropped > 0 {
        ui::warn(&format!(
            "the recorded session left out {} transcript lines; requests beyond them are not in the recording",
            src.dropped
        ));
    }
    Ok(Some(src))
}

/// Opens the device (a replay from its source, already read), recording
/// every line to `record` when asked.
pub async fn open_client(
    addr: &Address,
    replaying: Option<&Source>,
    args: &ConnectArgs,
    record: Option<&Path>,
) -> anyhow::Result<(Client, Option<Arc<Recorder>>)> {
    let opts = device::options(args);
    let recorder = match record {
        Some(path) => Some(Recorder::create(path, &addr.to_string()).map_err(|e| {
            Failure::new(
                Exit::BadInput,
                format!("Cannot write the recording {}: {e}.", path.display()),
                Some("choose a writable path for --record".into()),
            )
        })?),
        None => None,
    };
    let wrap = |t: BoxTransport| -> BoxTransport {
        match &recorder {
            Some(rec) => Box::new(RecordingTransport::new(t, rec.clone())),
            None => t,
        }
    };
    let client = match replaying {
        Some(src) => Client::new(
            wrap(Box::new(ReplayTransport::new(
                &src.recording,
                &addr.to_string(),
            ))),
            opts.client.clone(),
        ),
        // The same path as every other command: serial numbers are looked
        // up, and a failure reads as the one classifier says.
        None => connect::connect_through(addr, &opts, &wrap)
            .await
            .map_err(|e| device::link_failure(&e, addr))?,
    };
    Ok((client, recorder))
}

/// Ends a recording with the session's summary and says where it is.
pub fn finish_recording(rec: &Recorder, summary: serde_json::Value) {
    rec.finish(summary);
    match rec.error() {
        Some(e) => ui::warn(&format!(
            "the recording {} is incomplete: {e}",
            rec.path().display()
        )),
        None => ui::note(&format!(
            "Recording saved: {} (not redacted: keep it private; replay it with `pawdiag diagnose replay:{}`).",
            rec.path().display(),
            rec.path().display()
        )),
    }
}

/// The report `--continue` names, checked (it must verify), with what its
/// session was.
pub fn continue_source(path: &Path) -> anyhow::Result<(Report, Summary)> {
    let old = super::report_diff::read_checked(path, false)?;
    let summary = Summary::of_report(&old);
    Ok((old, summary))
}

/// The replies a session reuses: the continued report's (its hazard
/// answer aside: a battery can start to swell between two sessions), else
/// the replayed session's, all of them, to replay it as it happened
/// (unless an answers file says otherwise).
pub fn earlier_replies(
    continuing: Option<&(Report, Summary)>,
    recorded: Option<&Summary>,
    answers_file: bool,
    opts: &mut RunOptions,
) -> Prior {
    if let Some((old, s)) = continuing {
        let prior = Prior::new(&s.answers, false);
        ui::note(&format!(
            "Continuing report {} ({} {}): {} earlier repl{} reused.",
            ui::clean(&old.report_id),
            old.outcome.kind.as_str(),
            ui::clean(&old.outcome.code),
            prior.len(),
            if prior.len() == 1 { "y" } else { "ies" }
        ));
        return prior;
    }
    match recorded {
        Some(s) if !answers_file => {
            opts.ask_hazard = Some(s.asked_hazard);
            Prior::new(&s.answers, true)
        }
        _ => Prior::default(),
    }
}

/// The flow a session walks: `--flow`, else the continued report's, else
/// the replayed session's (`None`: the bench sweep). A continued session
/// walks the flow of its report.
pub fn flow_to_walk(
    flag: Option<&str>,
    continued: Option<&Summary>,
    recorded: Option<&Summary>,
) -> anyhow::Result<Option<String>> {
    if let (Some(f), Some(c)) = (flag, continued)
        && !c.is_sweep()
        && f != c.flow_id
    {
        return Err(Failure::new(
            Exit::BadInput,
            format!(
                "The report to continue walked `{}`, not `{}`.",
                ui::clean(&c.flow_id),
                ui::clean(f)
            ),
            Some(
                "leave --flow out to continue it, or start a new session without --continue".into(),
            ),
        )
        .into());
    }
    let earlier = continued.or(recorded).filter(|s| !s.is_sweep());
    Ok(flag
        .map(str::to_string)
        .or_else(|| earlier.map(|s| s.flow_id.clone())))
}

/// Refuses to continue another device's report: reads `device.info` and
/// compares serial numbers.
pub async fn check_same_device(client: &mut Client, old: &Report) -> anyhow::Result<()> {
    let info = client.call("device.info", None).await?;
    let serial = info
        .get("serial")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    if serial.trim().eq_ignore_ascii_case(old.device.serial.trim()) {
        return Ok(());
    }
    Err(Failure::new(
        Exit::BadInput,
        format!(
            "This device is {}, but the report to continue is of {}.",
            ui::clean(serial),
            ui::clean(&old.device.serial)
        ),
        Some("connect the device the report is about (`pawdiag scan` lists serial numbers)".into()),
    )
    .into())
}

/// The link from a continued session's report to the earlier one, with
/// what changed on the device in between.
pub fn continues(old: &Report, new: &Report, reused: Vec<String>) -> Continues {
    let device_parts = [
        Category::Firmware,
        Category::SelfTest,
        Category::Readings,
        Category::Settings,
    ];
    Continues {
        report_id: old.report_id.clone(),
        digest: old.digest.value.clone(),
        ended_at: old.session.ended_at,
        kind: old.outcome.kind,
        code: old.outcome.code.clone(),
        reused,
        changes: diff::diff(old, new)
            .changes
            .into_iter()
            .filter(|c| device_parts.contains(&c.category))
            .collect(),
    }
}
