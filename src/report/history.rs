//! The reports of one device in a reports directory, newest first
//! (`pawdiag report history SERIAL`). A report saved in several formats
//! (the guide writes HTML and JSON) is listed once; a report that does not
//! verify is listed, marked as altered.

use super::digest::{self, Verification};
use super::model::Report;
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Files larger than this are not reports (see `report render`).
const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// One report of the device.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The file.
    pub path: PathBuf,
    /// Its id.
    pub report_id: String,
    /// The customer's case reference.
    pub case_ref: String,
    /// When its session ended.
    pub ended_at: DateTime<Utc>,
    /// The flow.
    pub flow_id: String,
    /// Outcome kind.
    pub kind: String,
    /// Reference code.
    pub code: String,
    /// The digest matches.
    pub intact: bool,
    /// What else is known: `replay`, `continues <id>`, `shared copy`.
    pub notes: Vec<String>,
}

fn entry(path: &Path, r: &Report, intact: bool) -> Entry {
    let mut notes = Vec::new();
    if r.session.replay.is_some() {
        notes.push("replay".to_string());
    }
    if let Some(c) = &r.continues {
        notes.push(format!("continues {}", c.report_id));
    }
    if r.privacy.shared.is_some() {
        notes.push("shared copy".to_string());
    }
    Entry {
        path: path.to_path_buf(),
        report_id: r.report_id.clone(),
        case_ref: r
            .case_ref
            .clone()
            .unwrap_or_else(|| super::case_reference(&r.report_id)),
        ended_at: r.session.ended_at,
        flow_id: r.session.flow_id.clone(),
        kind: r.outcome.kind.as_str().into(),
        code: r.outcome.code.clone(),
        intact,
        notes,
    }
}

/// The reports in `dir` whose device serial is `serial` (ignoring case),
/// newest first.
pub fn of_serial(dir: &Path, serial: &str) -> std::io::Result<Vec<Entry>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .and_then(|e| e.to_str())
                .and_then(super::Format::parse)
                .is_some()
        })
        .collect();
    // JSON first, so the JSON copy of a report is the one listed.
    paths.sort_by_key(|p| {
        (
            p.with_extension(""),
            p.extension().is_none_or(|e| e != "json"),
        )
    });
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for p in paths {
        if std::fs::metadata(&p).map_or(true, |m| !m.is_file() || m.len() > MAX_BYTES) {
            continue;
        }
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        let Ok(r) = digest::load(&bytes) else {
            continue;
        };
        if !r.device.serial.trim().eq_ignore_ascii_case(serial.trim()) {
            continue;
        }
        if seen.contains(&r.digest.value) {
            continue;
        }
        seen.push(r.digest.value.clone());
        let intact = matches!(digest::verify(&bytes), Verification::Intact { .. });
        out.push(entry(&p, &r, intact));
    }
    out.sort_by(|a, b| {
        b.ended_at
            .cmp(&a.ended_at)
            .then(b.report_id.cmp(&a.report_id))
    });
    Ok(out)
}
