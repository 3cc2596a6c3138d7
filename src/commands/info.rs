//! `pawdiag info DEVICE`: identity, firmware against the current release,
//! battery, self-test and the model's own status, as tables or JSON.

use super::{Exit, device, info_view, ui};
use crate::cli::InfoArgs;
use pawdiag::client::CallError;
use pawdiag::snapshot::{self, SnapshotOptions};
use serde_json::{Value, json};

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
        ui::print_transcript(client.transcript().entries());
    }
    client.close().await;
    let mut snap = match result {
        Ok(s) => s,
        Err(e) => return Err(unreachable_error(e, &addr.to_string()).into()),
    };
    if !args.include_personal_data {
        for v in snap.status.values_mut() {
            pawdiag::privacy::redact_value(v);
        }
    }
    for w in &snap.warnings {
        ui::warn(&ui::clean(w));
    }
    if args.output.json {
        let out = json!({
            "schema": "pawdiag.info/1",
            "address": addr.to_string(),
            "snapshot": snap,
            "link": stats,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        let layout = info_view::Layout {
            width: ui::width(),
            color: ui::color_stdout(),
        };
        println!("{}", info_view::render(&snap, &addr.to_string(), layout));
        for e in info_view::errors(&snap) {
            ui::warn(&e);
        }
    }
    if let Some(lost) = &snap.link_lost {
        return Err(super::Failure::new(
            Exit::Unreachable,
            format!("The device at {addr} stopped answering part-way ({}); what was read is shown above", ui::clean(lost)),
            Some("check the cable or move closer, make sure the device is on, then run the command again".into()),
        )
        .into());
    }
    Ok(if snap.failed_components().is_empty() {
        Exit::Ok
    } else {
        Exit::Fault
    })
}

/// A first call that fails means the device is not reachable as a PawCore
/// device: say which way, in one sentence.
pub fn unreachable_error(e: CallError, addr: &str) -> super::Failure {
    let message = match &e {
        CallError::Timeout {
            heard_anything: false,
            ..
        } => {
            format!("The device at {addr} is silent: it did not answer")
        }
        _ if e.not_pawcore() => {
            format!("The device at {addr} is not a PawCore device (it answers in another protocol)")
        }
        CallError::LinkLost { reason, .. } => {
            format!("The connection to {addr} was lost ({reason})")
        }
        other => format!("{addr}: {other}"),
    };
    super::Failure::new(Exit::Unreachable, message, e.hint())
}
