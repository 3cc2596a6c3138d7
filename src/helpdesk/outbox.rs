//! Uploads that wait for the helpdesk: one JSON file per upload in
//! `<data dir>/helpdesk/outbox/`, written atomically and readable by its
//! owner only (it holds the report). `pawdiag report upload --pending` sends
//! them oldest first and removes each one that reached its ticket.
//!
//! A file holds the report's JSON text exactly as it was read, so what is
//! sent later is byte for byte what would have been sent at once.

use super::send::Target;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The schema of an outbox file.
pub const ENTRY_SCHEMA: &str = "pawdiag.outbox/1";
/// Outbox files larger than this are not read (a report is well under it).
const MAX_ENTRY_BYTES: u64 = 128 * 1024 * 1024;

/// One upload waiting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Always [`ENTRY_SCHEMA`].
    pub schema: String,
    /// When it was queued.
    pub queued_at: DateTime<Utc>,
    /// The report's id.
    pub report_id: String,
    /// Where it goes: `{"ticket": "12"}` or `{"queue": "General"}`.
    pub target: Target,
    /// The report file it came from, for messages.
    pub source: Option<PathBuf>,
    /// Why it could not be sent at once.
    pub reason: String,
    /// The JSON report, as text.
    pub report_json: String,
}

/// The outbox directory.
#[derive(Debug, Clone)]
pub struct Outbox {
    dir: PathBuf,
}

impl Outbox {
    /// The outbox under `data_dir`.
    pub fn new(data_dir: &Path) -> Outbox {
        Outbox {
            dir: data_dir.join("helpdesk").join("outbox"),
        }
    }

    /// Where the files are.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Queues an upload; returns its file. An upload of the same report to
    /// the same place that is already waiting is not queued twice.
    pub fn put(&self, entry: &Entry) -> std::io::Result<PathBuf> {
        for (path, waiting) in self.pending() {
            if let Ok(w) = waiting
                && w.report_id == entry.report_id
                && w.target == entry.target
            {
                return Ok(path);
            }
        }
        let name = format!(
            "{}-{}.json",
            entry.queued_at.format("%Y%m%dT%H%M%S%.9fZ"),
            super::ticket::file_stem(&entry.report_id)
        );
        let path = self.dir.join(name);
        let bytes = serde_json::to_vec_pretty(entry).map_err(std::io::Error::other)?;
        crate::report::store::write_bytes_atomic(&path, &bytes).map_err(std::io::Error::other)?;
        Ok(path)
    }

    /// Every waiting upload, oldest first; a file that cannot be read comes
    /// back as the reason, and is left where it is.
    pub fn pending(&self) -> Vec<(PathBuf, Result<Entry, String>)> {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut all: Vec<(PathBuf, Result<Entry, String>)> = dir
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "json")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .map(|p| {
                let entry = read_entry(&p);
                (p, entry)
            })
            .collect();
        all.sort_by(|(pa, a), (pb, b)| {
            let when = |e: &Result<Entry, String>| e.as_ref().ok().map(|e| e.queued_at);
            when(a).cmp(&when(b)).then_with(|| pa.cmp(pb))
        });
        all
    }

    /// Takes a sent upload out of the outbox.
    pub fn remove(&self, path: &Path) -> std::io::Result<()> {
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

fn read_entry(path: &Path) -> Result<Entry, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_ENTRY_BYTES {
        return Err(format!("it is {} MB, too large", size / 1_000_000));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let e: Entry =
        serde_json::from_slice(&bytes).map_err(|e| format!("it is not an outbox file: {e}"))?;
    if e.schema != ENTRY_SCHEMA {
        return Err(format!("its schema is {}, not {ENTRY_SCHEMA}", e.schema));
    }
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpdesk::TicketId;
    use chrono::TimeZone;

    fn entry(id: &str, minute: u32, target: Target) -> Entry {
        Entry {
            schema: ENTRY_SCHEMA.into(),
            queued_at: Utc.with_ymd_and_hms(2026, 11, 20, 10, minute, 0).unwrap(),
            report_id: id.into(),
            target,
            source: None,
            reason: "down".into(),
            report_json: "{}\n".into(),
        }
    }

    #[test]
    fn pending_is_oldest_first_and_the_same_upload_waits_once() {
        let dir = tempfile::tempdir().unwrap();
        let o = Outbox::new(dir.path());
        assert!(o.pending().is_empty());
        let q = Target::Queue("General".into());
        let late = o.put(&entry("B", 30, q.clone())).unwrap();
        let early = o.put(&entry("A", 10, q.clone())).unwrap();
        assert_eq!(o.put(&entry("A", 20, q.clone())).unwrap(), early);
        let t = Target::Ticket(TicketId::parse("4").unwrap());
        let other = o.put(&entry("A", 40, t)).unwrap();
        std::fs::write(o.dir().join("zz-broken.json"), b"not json").unwrap();
        let p = o.pending();
        let ids: Vec<_> = p
            .iter()
            .map(|(path, e)| {
                e.as_ref()
                    .map(|e| e.report_id.clone())
                    .map_err(|_| path.clone())
            })
            .collect();
        // Unreadable files sort first (no time) and are reported, not dropped.
        assert!(ids[0].is_err());
        assert_eq!(&ids[1..], &[Ok("A".into()), Ok("B".into()), Ok("A".into())]);
        assert_eq!((p[1].0.clone(), p[3].0.clone()), (early.clone(), other));
        o.remove(&late).unwrap();
        o.remove(&late).unwrap();
        assert_eq!(o.pending().len(), 3);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&early).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
