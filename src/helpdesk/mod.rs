//! Sending reports to a helpdesk: a new ticket, or a comment on the
//! customer's ticket, carrying the JSON and HTML reports.
//!
//! [`Helpdesk`] is the seam: four calls (is it there, create, comment, find
//! a report already sent) that any ticket system can answer. Request
//! Tracker's REST 2.0 API ([`rt::Rt`]) is the first implementation; Zammad
//! or Zendesk would be another file beside it, and the commands would not
//! change. What a ticket carries is built from the report in [`ticket`];
//! [`send`] sends it once only (a local record in [`ledger`], then a look-up
//! on the helpdesk), and puts it in the [`outbox`] when the helpdesk cannot
//! be reached.
//!
//! Credentials come from the environment only ([`auth`]) and never appear
//! in errors, traces or `Debug` output. Nothing here prints.

pub mod auth;
pub mod http;
pub mod ledger;
pub mod outbox;
pub mod rt;
pub mod send;
pub mod ticket;
pub mod url;

pub use auth::{AuthPresence, Credentials};
pub use send::{Delivery, Outcome, Target, deliver, upload};
pub use ticket::{Attachment, NewTicket};
pub use url::HelpdeskUrl;

use std::fmt;

/// A ticket number as the helpdesk gives it (digits only for RT).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct TicketId(String);

impl TicketId {
    /// A ticket number typed by a person or found in a report: digits,
    /// optionally after `#`, `RT-` or `RT#` (`#1234`, `RT-1234`). `None`
    /// for anything else (`T-1001` is a reference of another system).
    pub fn parse(s: &str) -> Option<TicketId> {
        let t = s.trim();
        let lower = t.to_ascii_lowercase();
        let digits = ["rt-", "rt#", "rt ", "#"]
            .iter()
            .find_map(|p| lower.strip_prefix(p).map(|_| &t[p.len()..]))
            .unwrap_or(t)
            .trim();
        let ok = !digits.is_empty()
            && digits.len() <= 18
            && digits.bytes().all(|b| b.is_ascii_digit())
            && !digits.trim_start_matches('0').is_empty();
        ok.then(|| TicketId(digits.trim_start_matches('0').to_string()))
    }

    /// The number as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TicketId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// What the helpdesk said about itself when asked whether it is there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpdeskInfo {
    /// The product, e.g. `Request Tracker`.
    pub product: String,
    /// Its version, as it reports it.
    pub version: String,
}

/// A ticket system that reports can be sent to.
///
/// Implementations answer each call with one of [`HelpdeskError`]'s kinds,
/// so the commands can tell a person what went wrong and whether the
/// upload can wait in the outbox ([`HelpdeskError::is_transient`]).
pub trait Helpdesk: Send + Sync {
    /// Checks that the helpdesk answers and accepts the credentials.
    fn ping(&self) -> Result<HelpdeskInfo, HelpdeskError>;

    /// Creates a ticket in `queue` with the ticket's attachments; returns
    /// its number.
    fn create(&self, queue: &str, ticket: &NewTicket) -> Result<TicketId, HelpdeskError>;

    /// Adds a comment with the ticket's attachments to an existing ticket
    /// (raising its priority if the new one is higher).
    fn comment(&self, id: &TicketId, ticket: &NewTicket) -> Result<(), HelpdeskError>;

    /// The ticket that already carries the report `report_id` (created or
    /// commented by an earlier upload), if any.
    fn find(&self, report_id: &str) -> Result<Option<TicketId>, HelpdeskError>;

    /// Where a person can see a ticket in a browser.
    fn ticket_url(&self, id: &TicketId) -> String;
}

/// Why a helpdesk call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HelpdeskError {
    /// No answer: refused, no route, name not found, timed out.
    #[error("the helpdesk at {url} could not be reached ({detail})")]
    Unreachable {
        /// The helpdesk's address (never with credentials).
        url: String,
        /// What the network said.
        detail: String,
    },
    /// The helpdesk answered with a server error (5xx) or "too many requests".
    #[error("the helpdesk had a problem of its own (HTTP {status}: {message})")]
    Server {
        /// The HTTP status.
        status: u16,
        /// Its message, cleaned and shortened.
        message: String,
    },
    /// 401: the user name and password or the token were refused.
    #[error("the helpdesk refused the credentials")]
    BadCredentials,
    /// 403: the credentials are fine but may not do this.
    #[error("the helpdesk user may not {action}")]
    Forbidden {
        /// What was refused, e.g. `create tickets in the queue 'Returns'`.
        action: String,
    },
    /// 404 on a queue.
    #[error("the helpdesk has no queue named '{0}' (or this user cannot see it)")]
    NoSuchQueue(String),
    /// 404 on a ticket.
    #[error("the helpdesk has no ticket {0} (or this user cannot see it)")]
    NoSuchTicket(TicketId),
    /// A 3xx: the address is not the helpdesk's API (often http→https).
    #[error("the helpdesk address redirects elsewhere (HTTP {status} to {location})")]
    Redirected {
        /// The HTTP status.
        status: u16,
        /// Where it points.
        location: String,
    },
    /// Another 4xx: the request was refused as it was.
    #[error("the helpdesk refused the request (HTTP {status}: {message})")]
    Rejected {
        /// The HTTP status.
        status: u16,
        /// Its message, cleaned and shortened.
        message: String,
    },
    /// The answer was not what the API documents.
    #[error("the helpdesk's answer was not understood: {0}")]
    Protocol(String),
}

impl HelpdeskError {
    /// True when trying again later may work: the upload waits in the outbox.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            HelpdeskError::Unreachable { .. } | HelpdeskError::Server { .. }
        )
    }

    /// What a person can do about it.
    pub fn hint(&self) -> String {
        match self {
            HelpdeskError::Unreachable { .. } => "check the address and the network; `pawdiag report upload --pending` sends the queued uploads later".into(),
            HelpdeskError::Server { .. } => "the helpdesk's administrators can see why in its log; `pawdiag report upload --pending` sends the queued uploads later".into(),
            HelpdeskError::BadCredentials => format!(
                "check {} (an RT auth token), or {} and {}",
                auth::ENV_TOKEN,
                auth::ENV_USER,
                auth::ENV_PASSWORD
            ),
            HelpdeskError::Forbidden { .. } => "ask the helpdesk's administrators for the right, or choose another queue with --queue".into(),
            HelpdeskError::NoSuchQueue(_) => "check the queue's name (it is case-sensitive), or choose another with --queue".into(),
            HelpdeskError::NoSuchTicket(_) => "check the ticket number, or leave --ticket out to open a new ticket".into(),
            HelpdeskError::Redirected { .. } => "use the address it redirects to as the helpdesk URL".into(),
            HelpdeskError::Rejected { .. } | HelpdeskError::Protocol(_) => {
                "check that the address is a Request Tracker 5 (its REST 2.0 API); if it is, please report this with the command you ran".into()
            }
        }
    }
}

/// Text from the helpdesk, made safe to show: one line, no control
/// characters, at most 200 characters.
pub(crate) fn shown(text: &str) -> String {
    let one = crate::report::escape::one_line(text.trim());
    let mut out: String = one.chars().take(200).collect();
    if one.chars().count() > 200 {
        out.push('…');
    }
    out
}

/// A small finished report for unit tests.
#[cfg(test)]
pub(crate) fn sample_report() -> crate::report::model::Report {
    use crate::flow::session::{RunMode, Session};
    use crate::report::{BuildOptions, CustomerInfo, DeviceData, Inputs};
    use chrono::TimeZone;
    let t = chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, 10, 0, 0)
        .single()
        .expect("a valid time");
    let mut session = Session::new(
        "pettracker/gps-not-working",
        "GPS not working",
        crate::interface::Model::PetTracker,
        RunMode::Batch,
        t,
    );
    session.ended_at = Some(t);
    crate::report::build(Inputs {
        session: &session,
        device: &DeviceData::default(),
        transcript: &[],
        transcript_dropped: 0,
        customer: &CustomerInfo::default(),
        options: BuildOptions {
            include_personal_data: false,
            now: t,
        },
    })
    .expect("a report")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticket_numbers_are_digits_with_an_optional_prefix() {
        let p = |s| TicketId::parse(s).map(|t| t.as_str().to_string());
        assert_eq!(p("1234").as_deref(), Some("1234"));
        assert_eq!(p(" #42 ").as_deref(), Some("42"));
        assert_eq!(p("RT-7").as_deref(), Some("7"));
        assert_eq!(p("rt#0012").as_deref(), Some("12"));
        for bad in ["", "T-1001", "12a", "0", "#", "-3", "1 2", &"9".repeat(19)] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
        assert_eq!(TicketId::parse("5").unwrap().to_string(), "#5");
    }

    #[test]
    fn only_unreachable_and_server_errors_are_retried() {
        let unreachable = HelpdeskError::Unreachable {
            url: "http://x".into(),
            detail: "refused".into(),
        };
        assert!(unreachable.is_transient());
        assert!(
            HelpdeskError::Server {
                status: 503,
                message: String::new()
            }
            .is_transient()
        );
        assert!(!HelpdeskError::BadCredentials.is_transient());
        assert!(!HelpdeskError::NoSuchQueue("Q".into()).is_transient());
        assert!(!HelpdeskError::NoSuchTicket(TicketId("9".into())).is_transient());
    }

    #[test]
    fn helpdesk_text_is_one_bounded_line() {
        assert_eq!(shown(" a\nb\x1b[2J "), "a b\\u{001b}[2J");
        assert_eq!(shown(&"x".repeat(500)).chars().count(), 201);
    }
}
