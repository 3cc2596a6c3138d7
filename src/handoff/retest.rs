//! `pawdiag flows test --recordings DIR`: every recording or report in a
//! directory replayed against the flows (built-in, or an edited tree), with
//! the verdict each reached before and now. Support managers run it before
//! shipping an edited tree: a changed verdict is either the point of the
//! edit or a mistake.

use super::prior::{Prior, ReuseAsker};
use super::source::{self, Origin, Source, SourceError, Verdict};
use crate::client::{Client, ClientOptions};
use crate::diagnose::{self, DiagnoseError};
use crate::flow::clock::ScaledClock;
use crate::flow::engine::RunOptions;
use crate::flow::load::FlowSet;
use crate::flow::session::Session;
use crate::link::replay::ReplayTransport;
use crate::report::{BuildOptions, CustomerInfo, model::Replay};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// One file's replay.
#[derive(Debug, Clone, Serialize)]
pub struct Retest {
    /// The file.
    pub file: String,
    /// The flow replayed.
    pub flow: Option<String>,
    /// The device's serial number.
    pub serial: Option<String>,
    /// The verdict recorded.
    pub before: Option<Verdict>,
    /// The verdict now.
    pub after: Option<Verdict>,
    /// `same`, `changed`, `error` or `skipped`.
    pub status: Status,
    /// Requests the flows made that the recording has no answer to.
    pub not_in_recording: Vec<String>,
    /// Why it could not be compared.
    pub problem: Option<String>,
}

/// How a file's replay compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The same verdict.
    Same,
    /// A different verdict.
    Changed,
    /// It could not be replayed or compared.
    Error,
    /// Not a recording or a report.
    Skipped,
}

/// A clock that does not wait: a replay answers at once, so verification
/// polls need no pause.
pub fn replay_clock() -> Arc<ScaledClock> {
    Arc::new(ScaledClock {
        scale: 0.0,
        person_pause: Duration::ZERO,
    })
}

/// The requests a replayed session needed and the recording had no
/// answer to: the facts it could not check and the fixes it could not run.
/// (Requests only made to read ahead, and never needed, are not listed.)
pub fn not_in_recording(session: &Session) -> Vec<String> {
    const SUFFIX: &str = " is not in the recording";
    let facts = session
        .facts
        .iter()
        .chain(session.steps.iter().flat_map(|s| s.facts.iter()))
        .filter_map(|f| f.error.as_deref());
    let fixes = session
        .steps
        .iter()
        .filter_map(|s| s.fix.as_ref().and_then(|f| f.error.as_deref()));
    let mut out: Vec<String> = Vec::new();
    for e in facts.chain(fixes) {
        let e = e.trim_start_matches("could not check: ");
        if let Some(what) = e.split(SUFFIX).next().filter(|_| e.contains(SUFFIX))
            && !out.iter().any(|x| x == what)
        {
            out.push(what.to_string());
        }
    }
    out
}

/// What a replayed session's report says about its source.
pub fn replay_record(src: &Source, session: &Session) -> Replay {
    let (source, report_id, redacted) = match &src.origin {
        Origin::Recording => ("recording", None, false),
        Origin::Report {
            report_id,
            redacted,
            ..
        } => ("report", Some(report_id.clone()), *redacted),
    };
    Replay {
        source: source.into(),
        report_id,
        redacted,
        not_in_recording: not_in_recording(session),
    }
}

/// Replays one source against `flows` with its recorded replies.
pub async fn retest(src: &Source, flows: &FlowSet) -> Retest {
    let mut out = Retest {
        file: src.path.display().to_string(),
        flow: None,
        serial: None,
        before: None,
        after: None,
        status: Status::Error,
        not_in_recording: Vec::new(),
        problem: None,
    };
    let Some(summary) = &src.summary else {
        out.problem = Some(
            "the recording has no summary (the session was cut short): it can be replayed, but there is no verdict to compare".into(),
        );
        return out;
    };
    out.flow = Some(summary.flow_id.clone());
    out.serial = summary.serial.clone();
    out.before = Some(summary.verdict.clone());
    let flow_id = (!summary.is_sweep()).then_some(summary.flow_id.as_str());
    let transport = ReplayTransport::new(&src.recording, &format!("replay:{}", out.file));
    let client = Client::new(Box::new(transport), ClientOptions::default());
    let mut stand_in = summary.stand_in();
    let mut asker = ReuseAsker::new(Prior::new(&summary.answers, true), stand_in.as_mut());
    let opts = RunOptions {
        clock: replay_clock(),
        ask_hazard: Some(summary.asked_hazard),
        ..RunOptions::default()
    };
    let d = match diagnose::diagnose(client, flows, flow_id, &mut asker, &opts).await {
        Ok(d) => d,
        Err(DiagnoseError::NoSuchFlow(id)) => {
            out.status = Status::Changed;
            out.problem = Some(format!("the flow `{id}` is no longer in the tree"));
            return out;
        }
        Err(e) => {
            out.problem = Some(e.to_string());
            return out;
        }
    };
    out.not_in_recording = not_in_recording(&d.session);
    // A report keeps positions rounded for privacy: a walk that decided on
    // where the tracker was (inside a safe zone or not) cannot be replayed
    // faithfully from it.
    let redacted = matches!(src.origin, Origin::Report { redacted: true, .. });
    // The conditions that decided a branch: a verification's `until` and a
    // check's matched rule.
    let decided_on_position = d.session.steps.iter().any(|s| {
        s.verify
            .iter()
            .map(|v| v.until.as_str())
            .chain(s.matched_rule.iter().map(|r| r.when.as_str()))
            .any(crate::probe::catalogue::mentions_location)
    });
    if redacted && decided_on_position {
        out.problem = Some(
            "the verdict rests on the tracker's position, which this report keeps rounded for privacy: replay its `--record` recording to recheck it".into(),
        );
        return out;
    }
    let built = d.report(
        &CustomerInfo::default(),
        BuildOptions {
            include_personal_data: false,
            now: d.session.ended_at.unwrap_or(d.session.started_at),
        },
    );
    match built {
        Ok(r) => {
            let after = Verdict::of(&r);
            out.status = if Some(&after) == out.before.as_ref() {
                Status::Same
            } else {
                Status::Changed
            };
            out.after = Some(after);
        }
        Err(e) => out.problem = Some(e.to_string()),
    }
    out
}

/// The files of a directory to replay, in name order; a report saved in
/// several formats (the guide writes HTML and JSON) counts once.
pub fn sources(dir: &Path) -> std::io::Result<Vec<Result<Source, (PathBuf, SourceError)>>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| !n.starts_with('.'))
        })
        .collect();
    // JSON first, so a report's .json is the copy kept.
    paths.sort_by_key(|p| {
        let json = p.extension().is_some_and(|e| e == "json");
        (p.with_extension(""), !json)
    });
    let mut seen_reports: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for p in paths {
        match source::load(&p) {
            Ok(src) => {
                if let Origin::Report { digest, .. } = &src.origin {
                    if seen_reports.contains(digest) {
                        continue;
                    }
                    seen_reports.push(digest.clone());
                }
                out.push(Ok(src));
            }
            Err(e) => out.push(Err((p, e))),
        }
    }
    Ok(out)
}

/// Replays every source of `dir`, `jobs` at a time, calling `each` as each
/// finishes; results in name order.
pub async fn retest_dir(
    dir: &Path,
    flows: &FlowSet,
    jobs: usize,
    mut each: impl FnMut(&Retest),
) -> std::io::Result<Vec<Retest>> {
    use futures_util::stream::{self, StreamExt};
    let list = sources(dir)?;
    let mut results: Vec<Retest> = stream::iter(list)
        .map(|item| async move {
            match item {
                Ok(src) => retest(&src, flows).await,
                Err((path, e)) => Retest {
                    file: path.display().to_string(),
                    flow: None,
                    serial: None,
                    before: None,
                    after: None,
                    status: match e {
                        SourceError::Unrecognised { .. } => Status::Skipped,
                        _ => Status::Error,
                    },
                    not_in_recording: Vec::new(),
                    problem: Some(e.to_string()),
                },
            }
        })
        .buffered(jobs.max(1))
        .inspect(|r| each(r))
        .collect()
        .await;
    results.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(results)
}
