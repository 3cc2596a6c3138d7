//! `pawdiag info DEVICE`: identity, firmware against the current release,
//! battery, self-test and the model's own status, as tables or JSON.

use super::{Exit, device, info_view, ui};
use crate::cli::InfoArgs;
use pawdiag::flow::finding::{Finding, Severity};
use pawdiag::flow::load::FlowSet;
use pawdiag::snapshot::{self, Snapshot, SnapshotOptions};
use serde_json::{Value, json};
use std::path::Path;

/// Runs `info`.
pub async fn run(args: InfoArgs) -> anyhow::Result<Exit> {
    let (addr, mut client) = device::open(&args.connect).await?;
    let spinner = ui::spinner(&format!("Reading {addr}…"));
    let progress = spinner.clone();
    client.set_event_listener(move |ev| {
        if ev.name == "selftest.progress" {
            let done = ev.data.get("done").and_then(Value::as_u64).unwrap_or(0);
            let total = ev.data.get("total").and_then(Value::as_u64).unwrap_or(0);
            progress.set_message(format!("Self-test {done}/{total}…"));
        }
    });
    let opts = SnapshotOptions {
        selftest: !args.no_selftest,
        ..SnapshotOptions::default()
    };
    let result = snapshot::read(&mut client, opts).await;
    spinner.finish_and_clear();
    let stats = client.stats().clone();
    if ui::verbosity() >= 2 {
        ui::print_transcript(client.transcript().entries(), args.include_personal_data);
    }
    client.close().await;
    let mut snap = match result {
        Ok(s) => s,
        Err(e) => return Err(device::call_failure(&e, &addr.to_string()).into()),
    };
    device::remember(&addr, Some(&snap.info.serial), Some(&snap.info.model));
    if !args.include_personal_data {
        for v in snap.status.values_mut() {
            pawdiag::privacy::redact_value(v);
        }
    }
    for w in &snap.warnings {
        ui::warn(&ui::clean(w));
    }
    // The product-safety rules and the finding rules apply here too.
    let findings = match FlowSet::load(std::env::var_os("PAWDIAG_FLOWS").as_deref().map(Path::new))
    {
        Ok(flows) => snap.findings(&flows),
        Err(e) => {
            ui::warn(&format!(
                "the finding rules could not be loaded ({e}); showing the readings only"
            ));
            Vec::new()
        }
    };
    if args.output.json {
        let out = json!({
            "schema": "pawdiag.info/1",
            "address": addr.to_string(),
            "snapshot": snap,
            "findings": findings,
            "link": stats,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        let layout = info_view::Layout {
            width: ui::width(),
            color: ui::color_stdout(),
        };
        println!(
            "{}",
            info_view::render(&snap, &findings, &addr.to_string(), layout)
        );
        for e in info_view::errors(&snap) {
            ui::warn(&e);
        }
    }
    if let Some(e) = &snap.link_error {
        // What was read is shown above; the failure says why the rest is not.
        return Err(device::call_failure(e, &addr.to_string()).into());
    }
    Ok(exit_for(&snap, &findings))
}

/// 5 for a safety finding, 4 for any other finding (a failed self-test
/// among them), else 0.
fn exit_for(snap: &Snapshot, findings: &[Finding]) -> Exit {
    if findings.iter().any(|f| f.severity == Severity::Safety) {
        Exit::Safety
    } else if !snap.failed_components().is_empty()
        || findings.iter().any(|f| f.severity != Severity::Info)
    {
        Exit::Fault
    } else {
        Exit::Ok
    }
}
