//! A local record of what was sent where, so the same report is not sent
//! twice from this machine even before the helpdesk is asked. One small
//! JSON file per report under `<data dir>/helpdesk/sent/<helpdesk>/`, where
//! `<helpdesk>` is a hash of its address (a test helpdesk and the real one
//! keep separate records). One file each, written atomically, so uploads
//! running side by side never share a file.

use super::ticket::file_stem;
use super::{HelpdeskUrl, TicketId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use std::path::{Path, PathBuf};

/// The schema of a record.
pub const RECORD_SCHEMA: &str = "pawdiag.helpdesk-sent/1";

/// How a report reached its ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum How {
    /// A new ticket was made for it.
    Created,
    /// It was added to an existing ticket as a comment.
    Commented,
    /// The helpdesk already had it (sent from elsewhere).
    Found,
}

/// One report sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Always [`RECORD_SCHEMA`].
    pub schema: String,
    /// The report's id.
    pub report_id: String,
    /// The helpdesk's address.
    pub helpdesk: String,
    /// The ticket it is on.
    pub ticket: TicketId,
    /// How it got there.
    pub how: How,
    /// When.
    pub at: DateTime<Utc>,
}

/// The records for one helpdesk.
#[derive(Debug, Clone)]
pub struct Ledger {
    dir: PathBuf,
    helpdesk: String,
}

fn short_hash(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Ledger {
    /// The records for `helpdesk`, kept under `data_dir`.
    pub fn new(data_dir: &Path, helpdesk: &HelpdeskUrl) -> Ledger {
        Ledger {
            dir: data_dir
                .join("helpdesk")
                .join("sent")
                .join(short_hash(helpdesk.as_str())),
            helpdesk: helpdesk.to_string(),
        }
    }

    fn path(&self, report_id: &str) -> PathBuf {
        // The stem is readable; the hash keeps two long ids that share
        // their first 92 characters apart.
        self.dir.join(format!(
            "{}-{}.json",
            file_stem(report_id),
            short_hash(report_id)
        ))
    }

    /// Where `report_id` was sent, if this machine sent it (or found it).
    pub fn lookup(&self, report_id: &str) -> Option<Record> {
        let bytes = std::fs::read(self.path(report_id)).ok()?;
        let r: Record = serde_json::from_slice(&bytes).ok()?;
        (r.schema == RECORD_SCHEMA && r.report_id == report_id).then_some(r)
    }

    /// Notes that `report_id` is on `ticket`.
    pub fn record(&self, report_id: &str, ticket: &TicketId, how: How) -> std::io::Result<()> {
        let r = Record {
            schema: RECORD_SCHEMA.into(),
            report_id: report_id.to_string(),
            helpdesk: self.helpdesk.clone(),
            ticket: ticket.clone(),
            how,
            at: Utc::now(),
        };
        let bytes = serde_json::to_vec_pretty(&r).map_err(std::io::Error::other)?;
        crate::report::store::write_bytes_atomic(&self.path(report_id), &bytes)
            .map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_is_found_again_for_the_same_helpdesk_only() {
        let dir = tempfile::tempdir().unwrap();
        let a = HelpdeskUrl::parse("http://127.0.0.1:1").unwrap();
        let b = HelpdeskUrl::parse("https://rt.example.com").unwrap();
        let la = Ledger::new(dir.path(), &a);
        assert_eq!(la.lookup("R-1"), None);
        let t = TicketId::parse("12").unwrap();
        la.record("R-1", &t, How::Created).unwrap();
        let r = la.lookup("R-1").unwrap();
        assert_eq!((r.ticket, r.how), (t, How::Created));
        assert_eq!(Ledger::new(dir.path(), &b).lookup("R-1"), None);
        assert_eq!(la.lookup("R-2"), None);
        // An id that only differs after the readable part is another report.
        let long = "x".repeat(100);
        la.record(
            &format!("{long}1"),
            &TicketId::parse("1").unwrap(),
            How::Found,
        )
        .unwrap();
        assert_eq!(la.lookup(&format!("{long}2")), None);
    }
}
