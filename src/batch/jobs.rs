//! A batch's jobs: manifest rows expanded into devices (`auto-all` into
//! every attached device no other row names), each with a report name that
//! is the same on the next run of the same manifest.

use crate::address::Address;
use crate::connect::Candidate;
use crate::manifest::{Manifest, Target};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Why an `auto-all` row found nothing to run.
pub const NOTHING_ATTACHED: &str =
    "auto-all found no attached PawCore device that is not already on another row";

/// One device to run.
#[derive(Debug, Clone)]
pub struct Job {
    /// Manifest line.
    pub line: usize,
    /// The device.
    pub address: Address,
    /// Serial number known before connecting (USB), for the report name.
    pub known_serial: Option<String>,
    /// Flow id; `None` for the full sweep.
    pub flow: Option<String>,
    /// Ticket.
    pub ticket: Option<String>,
    /// Answers from the manifest, by question id.
    pub answers: BTreeMap<String, String>,
    /// Where its report goes.
    pub report: PathBuf,
}

/// Turns manifest rows into jobs: `auto-all` becomes every attached device
/// not named on another row. Rows that cannot run (auto-all with nothing
/// attached: [`NOTHING_ATTACHED`]) come back second. Report names are fixed here, from
/// the row, so `--resume` finds them again.
pub fn expand(
    m: &Manifest,
    out: &Path,
    candidates: impl Fn() -> Vec<Candidate>,
) -> (Vec<Job>, Vec<Job>) {
    let named: HashSet<String> = m
        .rows
        .iter()
        .filter_map(|r| match &r.target {
            Target::Address(a) => Some(a.to_string()),
            Target::AutoAll => None,
        })
        .collect();
    let attached = if m.rows.iter().any(|r| r.target == Target::AutoAll) {
        candidates()
    } else {
        Vec::new()
    };
    let usb_serial = |addr: &Address| -> Option<String> {
        let a = addr.to_string();
        attached
            .iter()
            .find(|c| c.address == a)
            .and_then(|c| c.serial.clone())
    };
    let mut jobs = Vec::new();
    let mut unrun = Vec::new();
    let mut taken: HashSet<String> = HashSet::new();
    for row in &m.rows {
        let targets: Vec<(Address, Option<String>)> = match &row.target {
            Target::Address(a) => {
                let known = match a {
                    Address::SerialNumber(sn) => Some(sn.clone()),
                    Address::Sim(spec) => spec.serial.clone(),
                    _ => usb_serial(a),
                };
                vec![(a.clone(), known)]
            }
            Target::AutoAll => attached
                .iter()
                .filter(|c| !named.contains(&c.address) && !taken.contains(&c.address))
                .filter_map(|c| Some((c.address.parse().ok()?, c.serial.clone())))
                .collect(),
        };
        if targets.is_empty() && row.target == Target::AutoAll {
            unrun.push(Job {
                line: row.line,
                address: Address::Auto,
                known_serial: None,
                flow: row.flow.clone(),
                ticket: row.ticket.clone(),
                answers: row.answers.clone(),
                report: PathBuf::new(),
            });
            continue;
        }
        for (address, known_serial) in targets {
            taken.insert(address.to_string());
            jobs.push(Job {
                line: row.line,
                address,
                known_serial,
                flow: row.flow.clone(),
                ticket: row.ticket.clone(),
                answers: row.answers.clone(),
                report: PathBuf::new(),
            });
        }
    }
    name_reports(&mut jobs, out);
    (jobs, unrun)
}

/// Gives every job a report path, unique within the run and the same on
/// the next run of the same manifest: ticket, device (its USB serial number
/// when known, since a port path can change), flow; the manifest line is
/// added only when two rows would collide.
pub fn name_reports(jobs: &mut [Job], out: &Path) {
    let stem = |j: &Job| {
        let device = match (&j.known_serial, &j.address) {
            (Some(s), _) => s.clone(),
            (None, Address::Serial(p)) => p.clone(),
            (None, a) => a.to_string(),
        };
        report_stem(j.ticket.as_deref(), &device, j.flow.as_deref())
    };
    let mut count: HashMap<String, usize> = HashMap::new();
    for j in jobs.iter() {
        *count.entry(stem(j)).or_default() += 1;
    }
    for j in jobs.iter_mut() {
        let s = stem(j);
        let name = if count[&s] > 1 {
            format!("{s}_L{}.json", j.line)
        } else {
            format!("{s}.json")
        };
        j.report = out.join(name);
    }
}

/// A piece of a file name: letters, digits, `.`, `-`, `_`; anything else
/// (slashes, spaces, `..`) becomes `-`, so no name leaves the directory.
pub fn file_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            c
        } else {
            '-'
        };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    let trimmed = out.trim_matches('-');
    let mut t: String = trimmed.chars().take(60).collect();
    if t.is_empty() {
        t.push('x');
    }
    t
}

/// The name of a report without its extension: `[TICKET_]DEVICE_FLOW`, each
/// part a [`file_part`], the flow `sweep` for the full sweep.
pub fn report_stem(ticket: Option<&str>, device: &str, flow: Option<&str>) -> String {
    let mut parts = Vec::new();
    if let Some(t) = ticket {
        parts.push(file_part(t));
    }
    parts.push(file_part(device));
    parts.push(flow.map_or_else(|| "sweep".to_string(), file_part));
    parts.join("_")
}
