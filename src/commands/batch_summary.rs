//! What `batch` says on stderr when the run is over: one row per device,
//! fitted to the terminal, and one sentence that sums up.

use super::batch::DeviceResult;
use super::{Exit, ui};
use std::path::Path;

/// The summary on stderr: one row per device, fitted to the terminal. The
/// model is in the serial and the flow's model in the device's, so the
/// flow shows by its name; the code sits under the result.
pub(super) fn summary_table(all: &[DeviceResult]) -> String {
    let mut rows = vec![[
        "Line".to_string(),
        "Device".into(),
        "Serial".into(),
        "Flow".into(),
        "Result".into(),
    ]];
    for r in all {
        let result = match (r.exit, &r.error) {
            (_, Some(e)) => format!("failed: {}", ui::clean(e)),
            (5, _) => "SAFETY".into(),
            (4, _) => r.outcome.as_deref().map_or("fault".into(), ui::kind_words),
            _ => r.outcome.as_deref().map_or("ok".into(), ui::kind_words),
        };
        let mut result = if r.resumed {
            format!("{result} (earlier run)")
        } else {
            result
        };
        result = console::truncate_str(&result, 120, "…").into_owned();
        if let Some(code) = r.code.as_deref().filter(|c| !c.is_empty()) {
            result = format!("{result}\n{}", ui::clean(code));
        }
        let flow = r
            .flow
            .as_deref()
            .map_or("sweep", |f| f.split_once('/').map_or(f, |(_, name)| name));
        rows.push([
            r.line.to_string(),
            ui::clean(&r.device),
            ui::clean(r.serial.as_deref().unwrap_or("—")),
            ui::clean(flow),
            result,
        ]);
    }
    let mut t = tabled::builder::Builder::from_iter(rows).build();
    t.with(tabled::settings::Style::rounded());
    pawdiag::table::fit(&mut t, ui::stderr_width());
    t.to_string()
}

pub(super) fn summary_sentence(all: &[DeviceResult], out: &Path) -> String {
    let n = |e: Exit| all.iter().filter(|r| r.exit == e as u8).count();
    let failed = all.iter().filter(|r| r.error.is_some()).count();
    let mut parts = vec![format!("{} fine", n(Exit::Ok))];
    if n(Exit::Fault) > 0 {
        parts.push(format!("{} with a fault", n(Exit::Fault)));
    }
    if n(Exit::Incomplete) > 0 {
        parts.push(format!(
            "{} incomplete (a step needs an answer)",
            n(Exit::Incomplete)
        ));
    }
    if n(Exit::Safety) > 0 {
        parts.push(format!("{} SAFETY (escalate now)", n(Exit::Safety)));
    }
    if failed > 0 {
        parts.push(format!("{failed} could not be run"));
    }
    format!(
        "{} device{}: {}. Reports are in {}",
        all.len(),
        if all.len() == 1 { "" } else { "s" },
        parts.join(", "),
        out.display()
    )
}
