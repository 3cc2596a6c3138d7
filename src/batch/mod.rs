//! The rules of a batch run that scripts rely on, apart from the terminal:
//! which jobs a manifest makes and what their reports are called
//! ([`jobs`]), which finished work `--resume` skips ([`resume`]), which
//! manifests are refused before any device is touched, and how the devices'
//! exit codes rank into the run's ([`rank`]). `commands/batch.rs` runs the
//! jobs and prints.

pub mod jobs;
pub mod resume;
#[cfg(test)]
mod tests;

use crate::address::Address;
use crate::exit::{Exit, worst};
use crate::manifest::{Manifest, ManifestError, Target};
use std::collections::HashMap;

/// The run's exit code from each device's: 5 if any safety outcome, else 8
/// if a report could not be saved, else 3 if any device failed to run, else
/// 7 if any walk stopped for want of an answer, else 4 if any had a fault,
/// else 0. A code no device line has (an internal error) counts as 3.
pub fn rank(codes: impl IntoIterator<Item = u8>) -> Exit {
    worst(codes.into_iter().map(|c| match c {
        0 => Exit::Ok,
        4 => Exit::Fault,
        5 => Exit::Safety,
        7 => Exit::Incomplete,
        8 => Exit::ReportLost,
        _ => Exit::Unreachable,
    }))
}

/// Checks what can be checked before touching a device: answers files exist,
/// and no physical device is named twice (two sessions on one port fail).
pub fn check_manifest(m: &Manifest) -> Result<(), ManifestError> {
    for (row, path) in m.answers_files() {
        if !path.is_file() {
            return Err(ManifestError {
                path: m.path.clone(),
                line: Some(row.line),
                message: format!("the answers file {} does not exist", path.display()),
                hint: "answers files are found relative to the manifest's directory".into(),
            });
        }
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for row in &m.rows {
        let Target::Address(addr) = &row.target else {
            continue;
        };
        // Every sim: row is its own simulated device; real ones are not.
        if matches!(addr, Address::Sim(_)) {
            continue;
        }
        if let Some(first) = seen.insert(addr.to_string(), row.line) {
            return Err(ManifestError {
                path: m.path.clone(),
                line: Some(row.line),
                message: format!("{addr} is already on line {first}"),
                hint: "a device runs one session at a time: give it one row (leave flow empty for the full sweep)".into(),
            });
        }
    }
    Ok(())
}
