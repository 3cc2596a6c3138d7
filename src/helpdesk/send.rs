//! Sending one report: once only, and never lost.
//!
//! [`deliver`] looks in the local record first, then asks the helpdesk
//! whether a ticket already carries the report, and only then creates a
//! ticket or comments; a report reaches the helpdesk once, wherever it was
//! sent from. [`upload`] does the same, and when the helpdesk cannot be
//! reached (or has a problem of its own) puts the upload in the outbox.

use super::ledger::{How, Ledger};
use super::outbox::{ENTRY_SCHEMA, Entry, Outbox};
use super::{Helpdesk, HelpdeskError, NewTicket, TicketId};
use crate::report::model::Report;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Where a report goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    /// A comment on this ticket.
    Ticket(TicketId),
    /// A new ticket in this queue.
    Queue(String),
}

impl Target {
    /// `ticket #12` or `queue 'General'`, for messages.
    pub fn describe(&self) -> String {
        match self {
            Target::Ticket(t) => format!("ticket {t}"),
            Target::Queue(q) => format!("a new ticket in the queue '{q}'"),
        }
    }
}

/// Where a report ended up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// A new ticket.
    Created(TicketId),
    /// A comment on an existing ticket.
    Commented(TicketId),
    /// It was already there (sent earlier, from here or elsewhere): nothing
    /// was sent. `local` tells whether this machine's record said so.
    AlreadySent {
        /// The ticket it is on.
        ticket: TicketId,
        /// Known from the local record (no call to the helpdesk was made).
        local: bool,
    },
}

impl Delivery {
    /// The ticket the report is on.
    pub fn ticket(&self) -> &TicketId {
        match self {
            Delivery::Created(t) | Delivery::Commented(t) => t,
            Delivery::AlreadySent { ticket, .. } => ticket,
        }
    }
}

/// A report to send: the model, and its JSON text as read (or rendered).
#[derive(Debug, Clone)]
pub struct Item {
    /// The report.
    pub report: Report,
    /// Its JSON text, attached as it is.
    pub json: Vec<u8>,
    /// The file it came from, for messages and the outbox.
    pub source: Option<PathBuf>,
}

/// What became of an upload.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It is on its ticket.
    Delivered(Delivery),
    /// The helpdesk could not take it now; it waits in the outbox.
    Queued {
        /// The outbox file.
        entry: PathBuf,
        /// Why it could not be sent.
        reason: HelpdeskError,
    },
    /// It could not be sent, and the outbox could not be written either.
    NotQueued {
        /// Why it could not be sent.
        reason: HelpdeskError,
        /// Why the outbox could not take it.
        outbox: String,
    },
}

/// Sends `ticket` to `target` unless the report is already on a ticket.
/// The local record is written after the helpdesk said yes; a failure to
/// write it is not an error (the helpdesk's own look-up still stops a
/// second ticket).
pub fn deliver(
    desk: &dyn Helpdesk,
    ledger: &Ledger,
    ticket: &NewTicket,
    target: &Target,
) -> Result<Delivery, HelpdeskError> {
    let id = &ticket.report_id;
    if let Some(r) = ledger.lookup(id) {
        return Ok(Delivery::AlreadySent {
            ticket: r.ticket,
            local: true,
        });
    }
    if let Some(t) = desk.find(id)? {
        let _ = ledger.record(id, &t, How::Found);
        return Ok(Delivery::AlreadySent {
            ticket: t,
            local: false,
        });
    }
    let (delivery, how) = match target {
        Target::Ticket(t) => {
            desk.comment(t, ticket)?;
            (Delivery::Commented(t.clone()), How::Commented)
        }
        Target::Queue(q) => (Delivery::Created(desk.create(q, ticket)?), How::Created),
    };
    let _ = ledger.record(id, delivery.ticket(), how);
    Ok(delivery)
}

/// [`deliver`], and when the helpdesk cannot take it now, the outbox.
/// Errors that waiting would not cure (credentials, permissions, no such
/// queue or ticket) come back as they are, and nothing is queued.
pub fn upload(
    desk: &dyn Helpdesk,
    ledger: &Ledger,
    outbox: &Outbox,
    item: &Item,
    target: &Target,
) -> Result<Outcome, HelpdeskError> {
    let ticket = NewTicket::for_report(&item.report, Some(item.json.clone()));
    match deliver(desk, ledger, &ticket, target) {
        Ok(d) => Ok(Outcome::Delivered(d)),
        Err(reason) if reason.is_transient() => {
            let entry = Entry {
                schema: ENTRY_SCHEMA.into(),
                queued_at: chrono::Utc::now(),
                report_id: item.report.report_id.clone(),
                target: target.clone(),
                source: item.source.clone(),
                reason: reason.to_string(),
                report_json: String::from_utf8_lossy(&item.json).into_owned(),
            };
            Ok(match outbox.put(&entry) {
                Ok(path) => Outcome::Queued {
                    entry: path,
                    reason,
                },
                Err(e) => Outcome::NotQueued {
                    reason,
                    outbox: e.to_string(),
                },
            })
        }
        Err(e) => Err(e),
    }
}

/// The report's own ticket reference, when it is a ticket number.
pub fn report_ticket(report: &Report) -> Option<TicketId> {
    report
        .escalation
        .customer
        .ticket
        .as_deref()
        .and_then(TicketId::parse)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::helpdesk::{HelpdeskInfo, HelpdeskUrl};
    use std::sync::Mutex;

    /// A helpdesk that keeps tickets in memory, or is down. Exercises the
    /// once-only and outbox rules; RT itself is tested against a real RT
    /// in tests/helpdesk.rs.
    #[derive(Default)]
    struct Memory {
        down: bool,
        tickets: Mutex<Vec<(TicketId, Vec<String>)>>,
    }

    impl Helpdesk for Memory {
        fn ping(&self) -> Result<HelpdeskInfo, HelpdeskError> {
            unreachable!()
        }
        fn create(&self, _: &str, t: &NewTicket) -> Result<TicketId, HelpdeskError> {
            let mut all = self.tickets.lock().unwrap();
            let id = TicketId::parse(&(all.len() + 1).to_string()).unwrap();
            all.push((id.clone(), vec![t.report_id.clone()]));
            Ok(id)
        }
        fn comment(&self, id: &TicketId, t: &NewTicket) -> Result<(), HelpdeskError> {
            let mut all = self.tickets.lock().unwrap();
            let e = all.iter_mut().find(|(i, _)| i == id);
            let (_, reports) = e.ok_or_else(|| HelpdeskError::NoSuchTicket(id.clone()))?;
            reports.push(t.report_id.clone());
            Ok(())
        }
        fn find(&self, report_id: &str) -> Result<Option<TicketId>, HelpdeskError> {
            if self.down {
                return Err(HelpdeskError::Unreachable {
                    url: "http://x".into(),
                    detail: "connection refused".into(),
                });
            }
            let all = self.tickets.lock().unwrap();
            let hit = all.iter().find(|(_, r)| r.iter().any(|x| x == report_id));
            Ok(hit.map(|(i, _)| i.clone()))
        }
        fn ticket_url(&self, id: &TicketId) -> String {
            id.to_string()
        }
    }

    fn item() -> Item {
        let report = crate::helpdesk::sample_report();
        let json = crate::report::render(&report, crate::report::Format::Json).into_bytes();
        Item {
            report,
            json,
            source: None,
        }
    }

    #[test]
    fn a_report_is_sent_once_whatever_the_record_says() {
        let dir = tempfile::tempdir().unwrap();
        let url = HelpdeskUrl::parse("http://127.0.0.1:1").unwrap();
        let ledger = Ledger::new(dir.path(), &url);
        let outbox = Outbox::new(dir.path());
        let desk = Memory::default();
        let q = Target::Queue("General".into());
        let first = upload(&desk, &ledger, &outbox, &item(), &q).unwrap();
        let one = TicketId::parse("1").unwrap();
        assert_eq!(first, Outcome::Delivered(Delivery::Created(one.clone())));
        let again = upload(&desk, &ledger, &outbox, &item(), &q).unwrap();
        assert_eq!(
            again,
            Outcome::Delivered(Delivery::AlreadySent {
                ticket: one.clone(),
                local: true
            })
        );
        // Another machine (no local record) asks the helpdesk.
        let other = Ledger::new(&dir.path().join("elsewhere"), &url);
        let t = Target::Ticket(one.clone());
        let there = upload(&desk, &other, &outbox, &item(), &t).unwrap();
        assert_eq!(
            there,
            Outcome::Delivered(Delivery::AlreadySent {
                ticket: one,
                local: false
            })
        );
        assert_eq!(desk.tickets.lock().unwrap().len(), 1);
        assert_eq!(desk.tickets.lock().unwrap()[0].1.len(), 1);
        assert!(outbox.pending().is_empty());
    }

    #[test]
    fn a_helpdesk_that_is_down_gets_the_upload_queued_and_a_missing_ticket_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let url = HelpdeskUrl::parse("http://127.0.0.1:1").unwrap();
        let ledger = Ledger::new(dir.path(), &url);
        let outbox = Outbox::new(dir.path());
        let down = Memory {
            down: true,
            ..Memory::default()
        };
        let q = Target::Queue("General".into());
        match upload(&down, &ledger, &outbox, &item(), &q).unwrap() {
            Outcome::Queued { entry, reason } => {
                assert!(reason.is_transient());
                let waiting = outbox.pending();
                assert_eq!(waiting.len(), 1);
                assert_eq!(waiting[0].0, entry);
                let e = waiting[0].1.as_ref().unwrap();
                assert_eq!(e.report_json.as_bytes(), item().json.as_slice());
                assert_eq!(e.target, q);
            }
            other => panic!("{other:?}"),
        }
        let up = Memory::default();
        let t = Target::Ticket(TicketId::parse("99").unwrap());
        let e = upload(&up, &ledger, &outbox, &item(), &t).unwrap_err();
        assert!(matches!(e, HelpdeskError::NoSuchTicket(_)), "{e:?}");
        assert_eq!(outbox.pending().len(), 1);
        assert_eq!(ledger.lookup(&item().report.report_id), None);
    }

    #[test]
    fn the_reports_ticket_is_used_when_it_is_a_number() {
        let mut r = crate::helpdesk::sample_report();
        r.escalation.customer.ticket = Some("#1234".into());
        assert_eq!(report_ticket(&r), TicketId::parse("1234"));
        r.escalation.customer.ticket = Some("T-1001".into());
        assert_eq!(report_ticket(&r), None);
    }
}
