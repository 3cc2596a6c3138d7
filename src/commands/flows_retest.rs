//! `pawdiag flows test --recordings DIR`: real sessions (recordings and
//! reports) replayed against the flows, one line each, the changed
//! verdicts called out. Exit 4 when a verdict changed, 2 when a file could
//! not be replayed, else 0.

use super::flows::{bad_input, emit};
use super::{Exit, ui};
use pawdiag::flow::load::FlowSet;
use pawdiag::handoff::retest::{self, Retest, Status};
use serde_json::json;
use std::path::Path;
use tabled::settings::Style;

fn verdict(v: Option<&pawdiag::handoff::source::Verdict>) -> String {
    v.map_or_else(|| "-".into(), |v| ui::clean(&v.to_string()))
}

fn name(r: &Retest) -> String {
    ui::clean(
        &Path::new(&r.file)
            .file_name()
            .map_or_else(|| r.file.clone(), |n| n.to_string_lossy().into_owned()),
    )
}

/// Runs the replays and prints them.
pub async fn run(dir: &Path, set: &FlowSet, jobs: usize, json_out: bool) -> anyhow::Result<Exit> {
    if !dir.is_dir() {
        return Err(bad_input(
            format!("{} is not a directory", dir.display()),
            "give a directory of recordings (`diagnose --record FILE`) and reports",
        )
        .into());
    }
    let results = retest::retest_dir(dir, set, jobs.clamp(1, 32), |r| {
        if !json_out && r.status == Status::Changed {
            ui::note(&format!(
                "CHANGED {}: {} → {}",
                name(r),
                verdict(r.before.as_ref()),
                verdict(r.after.as_ref())
            ));
        }
    })
    .await
    .map_err(|e| {
        bad_input(
            format!("Cannot read {}: {e}", dir.display()),
            "check the path",
        )
    })?;
    let count = |s: Status| results.iter().filter(|r| r.status == s).count();
    let (same, changed, errors, skipped) = (
        count(Status::Same),
        count(Status::Changed),
        count(Status::Error),
        count(Status::Skipped),
    );
    if same + changed + errors == 0 {
        return Err(bad_input(
            format!("There are no recordings or reports in {}", dir.display()),
            "record sessions with `pawdiag diagnose --record FILE`, or copy reports there",
        )
        .into());
    }
    if json_out {
        let v = json!({
            "schema": "pawdiag.flows-retest/1",
            "same": same, "changed": changed, "errors": errors, "skipped": skipped,
            "results": results,
        });
        emit(&format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        let mut b = tabled::builder::Builder::default();
        b.push_record(["FILE", "FLOW", "RECORDED", "NOW", "RESULT"]);
        for r in results.iter().filter(|r| r.status != Status::Skipped) {
            let mut result = match r.status {
                Status::Same => "same".to_string(),
                Status::Changed => "CHANGED".to_string(),
                Status::Error | Status::Skipped => "not replayed".to_string(),
            };
            if let Some(p) = &r.problem {
                result.push_str(&format!(": {}", ui::clean(p)));
            }
            if !r.not_in_recording.is_empty() {
                result.push_str(&format!(
                    " (not in the recording: {})",
                    ui::clean(&r.not_in_recording.join(", "))
                ));
            }
            b.push_record([
                name(r),
                ui::clean(r.flow.as_deref().unwrap_or("-")),
                verdict(r.before.as_ref()),
                verdict(r.after.as_ref()),
                result,
            ]);
        }
        emit(&format!("{}\n", b.build().with(Style::blank())))?;
        ui::note(&format!(
            "{} replayed: {same} same, {changed} changed, {errors} could not be replayed{}.",
            same + changed + errors,
            if skipped > 0 {
                format!("; {skipped} other files skipped")
            } else {
                String::new()
            }
        ));
    }
    Ok(if changed > 0 {
        Exit::Fault
    } else if errors > 0 {
        Exit::BadInput
    } else {
        Exit::Ok
    })
}
