//! What `info` prints for a person: identity, then the device's status in
//! the words `watch` uses ([`status`]), geofence zones, the self-test and
//! the recent log, each table fitted to the width. Failing and
//! out-of-range values are marked in words and, with colour, in red
//! (yellow for worth a look). Raw keys stay in `--json` and the `-vv`
//! transcript. Pure: returns the text, the caller prints it.

use super::ui;
use pawdiag::flow::finding::{Finding, Severity};
use pawdiag::interface::methods::TestStatus;
use pawdiag::interface::model::FirmwareStatus;
use pawdiag::readings::{self as status, Mark};
use pawdiag::snapshot::Snapshot;
use tabled::Table;
use tabled::builder::Builder;
use tabled::settings::{Color, Style};

/// How the text is laid out.
#[derive(Debug, Clone, Copy)]
pub struct Layout {
    /// Columns to fit in.
    pub width: usize,
    /// Colour failing values.
    pub color: bool,
}

/// Most log entries shown (the newest).
const LOG_LINES: usize = 10;

/// The whole `info` text, sections separated by blank lines: product
/// safety and possible harm to a pet first (red when colour is on), then
/// identity, status, findings, zones, self-test and the log.
pub fn render(s: &Snapshot, findings: &[Finding], addr: &str, layout: Layout) -> String {
    let mut sections: Vec<String> = Vec::new();
    if let Some(b) = banner(findings, layout) {
        sections.push(b);
    }
    sections.push(identity(s, addr, layout));
    sections.push(titled("Status", status_table(s, layout)));
    if !findings.is_empty() {
        sections.push(titled(
            "Findings, most serious first",
            findings_table(findings, layout),
        ));
    }
    if let Some(z) = s.status.get("geofence.list").and_then(|v| zones(v, layout)) {
        sections.push(titled("Geofence zones", z));
    }
    if let Some(t) = selftest(s, layout) {
        sections.push(titled("Self-test", t));
    }
    if let Some(log) = s.log.as_ref().filter(|l| !l.entries.is_empty()) {
        let title = if log.truncated {
            "Recent log (older entries left out)"
        } else {
            "Recent log"
        };
        let mut b = Builder::default();
        b.push_record(["Uptime (s)", "Level", "Code", "Message"]);
        for e in log.entries.iter().rev().take(LOG_LINES).rev() {
            b.push_record([
                e.t.map_or_else(|| "—".into(), |t| t.to_string()),
                ui::clean(e.level.as_deref().unwrap_or("—")),
                ui::clean(e.code.as_deref().unwrap_or("—")),
                ui::clean(e.msg.as_deref().unwrap_or("—")),
            ]);
        }
        sections.push(titled(title, finish(b.build(), layout, &[])));
    }
    sections.join("\n\n")
}

/// Methods that could not be read, as sentences for warnings.
pub fn errors(s: &Snapshot) -> Vec<String> {
    s.errors
        .iter()
        .map(|(m, e)| {
            format!(
                "{} could not be read: {}",
                status::method_label(m),
                ui::clean(e)
            )
        })
        .collect()
}

/// Safety first, then possible harm to a pet, one wrapped paragraph each.
fn banner(findings: &[Finding], layout: Layout) -> Option<String> {
    let lines: Vec<String> = findings
        .iter()
        .filter_map(|f| {
            let text = match f.severity {
                Severity::Safety => format!(
                    "!! PRODUCT SAFETY ({}): {} Flag the ticket red and escalate to Operations within 30 minutes.",
                    ui::clean(&f.code),
                    ui::clean(&f.summary)
                ),
                Severity::PetHealth => format!(
                    "!! POSSIBLE HARM TO A PET ({}): {}",
                    ui::clean(&f.code),
                    status::keys_in_words(&ui::clean(&f.title))
                ),
                _ => return None,
            };
            let text = pawdiag::table::wrap_words(&text, layout.width, "   ");
            Some(if layout.color {
                console::style(text)
                    .red()
                    .bold()
                    .force_styling(true)
                    .to_string()
            } else {
                text
            })
        })
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Severity, code and the technician's line of each finding, its
/// severity coloured.
fn findings_table(findings: &[Finding], layout: Layout) -> String {
    let mut b = Builder::default();
    b.push_record(["Severity", "Code", "Finding"]);
    let mut marks = Vec::new();
    for (n, f) in findings.iter().enumerate() {
        let mark = match f.severity {
            Severity::Safety | Severity::PetHealth | Severity::Replace => Mark::Bad,
            Severity::Escalate | Severity::CustomerAction => Mark::Warn,
            Severity::Info => Mark::Plain,
        };
        marks.push((n + 1, 0, mark));
        b.push_record([
            f.severity.label().to_string(),
            ui::clean(&f.code),
            status::keys_in_words(&ui::clean(&f.title)),
        ]);
    }
    finish(b.build(), layout, &marks)
}

fn titled(title: &str, table: String) -> String {
    format!("{title}\n{table}")
}

/// Rounded style, fitted, and the given (row, column, mark) cells coloured.
/// Tables whose first row is a header get a line under it.
fn finish(mut t: Table, layout: Layout, marks: &[(usize, usize, Mark)]) -> String {
    t.with(Style::rounded());
    pawdiag::table::fit(&mut t, layout.width);
    paint(t, layout, marks)
}

/// As [`finish`], for label–value tables (no header line).
fn finish_pairs(mut t: Table, layout: Layout, marks: &[(usize, usize, Mark)]) -> String {
    t.with(Style::rounded().remove_horizontals());
    pawdiag::table::fit(&mut t, layout.width);
    paint(t, layout, marks)
}

fn paint(mut t: Table, layout: Layout, marks: &[(usize, usize, Mark)]) -> String {
    if layout.color {
        for &(row, col, mark) in marks {
            match mark {
                Mark::Bad => {
                    t.modify((row, col), Color::FG_RED);
                }
                Mark::Warn => {
                    t.modify((row, col), Color::FG_YELLOW);
                }
                Mark::Good | Mark::Plain => {}
            }
        }
    }
    t.to_string()
}

fn identity(s: &Snapshot, addr: &str, layout: Layout) -> String {
    let i = &s.info;
    let product = s
        .model
        .map_or_else(|| ui::clean(&i.model), |m| m.product_name().to_string());
    let current = s.firmware.current.as_deref().unwrap_or("—");
    let (fw, fw_mark) = match s.firmware.status {
        FirmwareStatus::Current => ("current".to_string(), Mark::Good),
        FirmwareStatus::Outdated => (
            format!("OUTDATED: the current release is {current}"),
            Mark::Warn,
        ),
        FirmwareStatus::Newer => (
            format!("newer than the known release {current}"),
            Mark::Plain,
        ),
        FirmwareStatus::Unknown => ("cannot compare".to_string(), Mark::Plain),
    };
    let mut up = Vec::new();
    if let Some(u) = i.uptime_s {
        up.push(format!("up {}", status::duration(u)));
    }
    if let Some(b) = i.boot_count {
        up.push(format!("{b} boots"));
    }
    if let Some(r) = &i.last_reset {
        let why = status::words(r);
        // A reset the owner did not ask for is worth a look.
        up.push(format!("last reset: {why}"));
    }
    let watchdog = matches!(i.last_reset.as_deref(), Some("watchdog" | "brownout"));
    let rows = vec![
        ["Serial".to_string(), ui::clean(&i.serial)],
        [
            "Hardware".into(),
            i.hw_rev
                .as_deref()
                .map_or_else(|| "—".into(), |h| format!("revision {}", ui::clean(h))),
        ],
        [
            "Firmware".into(),
            format!("{} ({fw})", ui::clean(&i.fw_version)),
        ],
        ["Interface".into(), format!("version {}", i.interface)],
        ["Running".into(), up.join(", ")],
    ];
    let mut marks = vec![(2, 1, fw_mark)];
    if watchdog {
        marks.push((4, 1, Mark::Warn));
    }
    let t = Builder::from_iter(rows).build();
    format!(
        "{product} {} at {}\n{}",
        ui::clean(&i.serial),
        ui::clean(addr),
        finish_pairs(t, layout, &marks)
    )
}

fn status_table(s: &Snapshot, layout: Layout) -> String {
    let mut lines = Vec::new();
    if let Some(b) = &s.battery
        && let Ok(v) = serde_json::to_value(b)
    {
        lines.extend(status::lines("battery.status", &v));
    }
    let mut methods: Vec<(&String, &serde_json::Value)> = s.status.iter().collect();
    methods.sort_by_key(|(m, _)| status::order(m));
    for (m, v) in methods {
        lines.extend(status::lines(m, v));
    }
    let mut b = Builder::default();
    let mut marks = Vec::new();
    for (n, l) in lines.iter().enumerate() {
        marks.push((n, 1, l.worst()));
        b.push_record([l.label.clone(), l.text(", ")]);
    }
    finish_pairs(b.build(), layout, &marks)
}

fn zones(v: &serde_json::Value, layout: Layout) -> Option<String> {
    let zones = status::zones(v);
    if zones.is_empty() {
        return None;
    }
    let mut b = Builder::default();
    b.push_record(["Id", "Name", "Centre", "Radius", "On"]);
    let mut marks = Vec::new();
    for (n, z) in zones.iter().enumerate() {
        if z.small {
            marks.push((n + 1, 3, Mark::Warn));
        }
        b.push_record([
            z.id.clone(),
            z.name.clone(),
            z.centre.clone(),
            if z.small {
                format!("{} (small)", z.radius)
            } else {
                z.radius.clone()
            },
            match z.enabled {
                Some(true) => "yes".into(),
                Some(false) => "no".into(),
                None => "—".into(),
            },
        ]);
    }
    Some(finish(b.build(), layout, &marks))
}

fn selftest(s: &Snapshot, layout: Layout) -> Option<String> {
    let st = s.selftest.as_ref()?;
    let mut b = Builder::default();
    b.push_record(["Component", "Result", "Code", "Detail"]);
    let mut marks = Vec::new();
    for (n, r) in st.results.iter().enumerate() {
        let (status, mark) = match r.status {
            TestStatus::Pass => ("pass", Mark::Good),
            TestStatus::Fail => ("FAIL", Mark::Bad),
            TestStatus::Skipped => ("skipped", Mark::Plain),
            TestStatus::Other => ("?", Mark::Warn),
        };
        marks.push((n + 1, 1, mark));
        b.push_record([
            status::component_name(&r.component),
            status.into(),
            ui::clean(r.code.as_deref().unwrap_or("—")),
            ui::clean(r.detail.as_deref().unwrap_or("—")),
        ]);
    }
    Some(finish(b.build(), layout, &marks))
}
