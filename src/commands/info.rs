//! `pawdiag info DEVICE`: identity, firmware against the current release,
//! battery, self-test and the model's own status, as tables or JSON.

use super::{Exit, device, ui};
use crate::cli::InfoArgs;
use pawdiag::flow::finding::{Finding, Severity};
use pawdiag::flow::load::FlowSet;
use pawdiag::interface::methods::TestStatus;
use pawdiag::interface::model::FirmwareStatus;
use pawdiag::snapshot::{self, Snapshot, SnapshotOptions};
use serde_json::{Value, json};
use std::path::Path;
use tabled::settings::Style;

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
        ui::warn(w);
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
        print_banner(&findings);
        print_tables(&snap, &addr.to_string());
        print_findings(&findings);
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

/// Safety first, in red, before anything else; then possible harm to a pet.
fn print_banner(findings: &[Finding]) {
    for f in findings {
        let text = match f.severity {
            Severity::Safety => format!(
                "⚠ PRODUCT SAFETY ({}): {} Flag the ticket red and escalate to Operations within 30 minutes.",
                ui::clean(&f.code),
                ui::clean(&f.summary)
            ),
            Severity::PetHealth => format!(
                "POSSIBLE HARM TO A PET ({}): {}",
                ui::clean(&f.code),
                ui::clean(&f.title)
            ),
            _ => continue,
        };
        println!("{}", console::style(text).red().bold());
    }
}

/// One line per finding, most serious first.
fn print_findings(findings: &[Finding]) {
    if findings.is_empty() {
        return;
    }
    println!("Findings (most serious first):");
    for f in findings {
        println!(
            "  {} {}: {}",
            f.severity.label(),
            ui::clean(&f.code),
            ui::clean(&f.title)
        );
    }
}

fn table(rows: Vec<[String; 2]>) -> String {
    let mut t = tabled::builder::Builder::from_iter(rows).build();
    t.with(Style::rounded());
    t.to_string()
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "—".to_string(), ToString::to_string)
}

fn print_tables(s: &Snapshot, addr: &str) {
    let i = &s.info;
    let product = s
        .model
        .map_or_else(|| ui::clean(&i.model), |m| m.product_name().to_string());
    println!("{product} {} at {addr}", ui::clean(&i.serial));
    let fw = match s.firmware.status {
        FirmwareStatus::Current => format!("{} (current)", ui::clean(&i.fw_version)),
        FirmwareStatus::Outdated => format!(
            "{} (outdated: current release is {})",
            ui::clean(&i.fw_version),
            opt(&s.firmware.current)
        ),
        FirmwareStatus::Newer => format!(
            "{} (newer than the known release {})",
            ui::clean(&i.fw_version),
            opt(&s.firmware.current)
        ),
        FirmwareStatus::Unknown => format!("{} (cannot compare)", ui::clean(&i.fw_version)),
    };
    println!(
        "{}",
        table(vec![
            ["Model".into(), ui::clean(&i.model)],
            ["Serial".into(), ui::clean(&i.serial)],
            ["Hardware".into(), ui::clean(&opt(&i.hw_rev))],
            ["Firmware".into(), fw],
            ["Interface".into(), i.interface.to_string()],
            [
                "Uptime".into(),
                i.uptime_s.map_or("—".into(), |u| format!("{u} s"))
            ],
            ["Boots".into(), opt(&i.boot_count)],
            ["Last reset".into(), ui::clean(&opt(&i.last_reset))],
        ])
    );
    if let Some(b) = &s.battery {
        println!("\nBattery");
        println!(
            "{}",
            table(vec![
                [
                    "Level".into(),
                    b.level_pct.map_or("—".into(), |v| format!("{v}%"))
                ],
                [
                    "Voltage".into(),
                    b.voltage_mv.map_or("—".into(), |v| format!("{v} mV"))
                ],
                [
                    "Charging".into(),
                    format!(
                        "{} ({:?})",
                        if b.charging { "yes" } else { "no" },
                        b.charger
                    )
                    .to_lowercase()
                ],
                [
                    "Health".into(),
                    b.health_pct.map_or("—".into(), |v| format!("{v}%"))
                ],
                ["Cycles".into(), opt(&b.cycle_count)],
                [
                    "Temperature".into(),
                    b.temp_c.map_or("—".into(), |v| format!("{v:.1} °C"))
                ],
            ])
        );
    }
    if let Some(st) = &s.selftest {
        println!("\nSelf-test");
        let mut rows = vec![[
            "Component".to_string(),
            "Result".into(),
            "Code".into(),
            "Detail".into(),
        ]];
        for r in &st.results {
            let status = match r.status {
                TestStatus::Pass => "pass",
                TestStatus::Fail => "FAIL",
                TestStatus::Skipped => "skipped",
                TestStatus::Other => "?",
            };
            rows.push([
                ui::clean(&r.component),
                status.into(),
                ui::clean(&opt(&r.code)),
                ui::clean(&opt(&r.detail)),
            ]);
        }
        let mut t = tabled::builder::Builder::from_iter(rows).build();
        t.with(Style::rounded());
        println!("{t}");
    }
    for (method, value) in &s.status {
        println!("\n{method}");
        let mut rows = Vec::new();
        flatten("", value, &mut rows);
        println!("{}", table(rows));
    }
    if let Some(log) = s.log.as_ref().filter(|l| !l.entries.is_empty()) {
        {
            println!(
                "\nRecent log{}",
                if log.truncated {
                    " (older entries left out)"
                } else {
                    ""
                }
            );
            let mut rows = vec![[
                "t (s)".to_string(),
                "Level".into(),
                "Code".into(),
                "Message".into(),
            ]];
            for e in log.entries.iter().rev().take(10).rev() {
                rows.push([
                    opt(&e.t),
                    ui::clean(&opt(&e.level)),
                    ui::clean(&opt(&e.code)),
                    ui::clean(&opt(&e.msg)),
                ]);
            }
            let mut t = tabled::builder::Builder::from_iter(rows).build();
            t.with(Style::rounded());
            println!("{t}");
        }
    }
    for (method, err) in &s.errors {
        ui::warn(&format!("{method}: {}", ui::clean(err)));
    }
}

/// Flattens JSON into `key.path = value` rows for a table.
fn flatten(prefix: &str, v: &Value, rows: &mut Vec<[String; 2]>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let key = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&key, v, rows);
            }
        }
        Value::Array(items) if items.iter().any(|i| i.is_object() || i.is_array()) => {
            for (n, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{n}]"), item, rows);
            }
        }
        Value::Null => rows.push([ui::clean(prefix), "—".into()]),
        Value::String(s) => rows.push([ui::clean(prefix), ui::clean(s)]),
        other => rows.push([ui::clean(prefix), ui::clean(&other.to_string())]),
    }
}
