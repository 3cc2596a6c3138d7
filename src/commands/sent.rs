//! What became of one upload ([`Sent`]): the JSON object that `report
//! upload --json`, `diagnose --json` and batch lines carry, the sentence a
//! technician or a pet owner reads, and the exit code it adds to a command.

use super::exit::sentence;
use super::{Exit, ui};
use pawdiag::helpdesk::{Delivery, HelpdeskError};
use serde::{Deserialize, Serialize};

/// What became of one report: a JSON object in `--json` output and batch
/// lines, a sentence on the terminal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sent {
    /// `created`, `commented`, `already-sent`, `queued` or `not-sent`.
    pub status: String,
    /// The ticket number it is on.
    pub ticket: Option<String>,
    /// The ticket in a browser.
    pub url: Option<String>,
    /// The outbox file, when queued.
    pub queued: Option<String>,
    /// Why it was not sent (now), in one sentence.
    pub error: Option<String>,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The exit code this upload alone would give.
    #[serde(skip, default = "ok")]
    pub exit: Exit,
}

fn ok() -> Exit {
    Exit::Ok
}

impl Sent {
    /// On its ticket (`url` shows it in a browser).
    pub fn delivered(d: &Delivery, url: String) -> Sent {
        let status = match d {
            Delivery::Created(_) => "created",
            Delivery::Commented(_) => "commented",
            Delivery::AlreadySent { .. } => "already-sent",
        };
        Sent {
            status: status.into(),
            ticket: Some(d.ticket().as_str().to_string()),
            url: Some(url),
            queued: None,
            error: None,
            hint: None,
            exit: Exit::Ok,
        }
    }

    /// Not sent: `e` says why.
    pub fn failed(e: &HelpdeskError) -> Sent {
        Sent {
            status: "not-sent".into(),
            ticket: None,
            url: None,
            queued: None,
            error: Some(sentence(e) + "."),
            hint: Some(e.hint()),
            exit: exit_of(e),
        }
    }

    /// Not sent, for a reason that is not the helpdesk's (the report could
    /// not be read, no helpdesk is configured…).
    pub fn refused(f: super::Failure) -> Sent {
        Sent {
            status: "not-sent".into(),
            ticket: None,
            url: None,
            queued: None,
            error: Some(f.message),
            hint: f.hint,
            exit: f.exit,
        }
    }

    /// True when the report is on a ticket (sent now or before).
    pub fn is_on_ticket(&self) -> bool {
        self.ticket.is_some()
    }

    /// Tells the person at the terminal (stderr): a note when it is on its
    /// ticket, a warning when queued, an error with its hint otherwise.
    pub fn tell(&self) {
        if self.is_on_ticket() {
            ui::note(&self.sentence());
        } else if self.status == "queued" {
            ui::warn(&self.sentence());
        } else {
            ui::error(&self.sentence(), self.hint.as_deref());
        }
    }

    /// One sentence for people.
    pub fn sentence(&self) -> String {
        let t = self.ticket.as_deref().unwrap_or("?");
        let at = self
            .url
            .as_deref()
            .map(|u| format!(" ({u})"))
            .unwrap_or_default();
        match self.status.as_str() {
            "created" => format!("Sent to the helpdesk as ticket #{t}{at}."),
            "commented" => format!("Sent to the helpdesk: added to ticket #{t} as a comment{at}."),
            "already-sent" => {
                format!("Already on the helpdesk in ticket #{t}{at}, so it was not sent again.")
            }
            _ => self.error.clone().unwrap_or_default(),
        }
    }
}

/// The exit code of an upload that failed: 3 when the helpdesk could not
/// be reached, 2 for what a person must fix (credentials, permission, queue,
/// ticket, address), 1 for an answer pawdiag did not expect.
fn exit_of(e: &HelpdeskError) -> Exit {
    match e {
        HelpdeskError::Unreachable { .. } | HelpdeskError::Server { .. } => Exit::Unreachable,
        HelpdeskError::BadCredentials
        | HelpdeskError::Forbidden { .. }
        | HelpdeskError::NoSuchQueue(_)
        | HelpdeskError::NoSuchTicket(_)
        | HelpdeskError::Redirected { .. } => Exit::BadInput,
        HelpdeskError::Rejected { .. } | HelpdeskError::Protocol(_) => Exit::Internal,
    }
}

/// A command's exit code with its upload's on top: a safety outcome stays
/// 5; then an upload pawdiag could not make sense of (1), one a person
/// must fix (2), one that waits in the outbox (3); otherwise the command's.
pub fn with_upload(command: Exit, upload: Exit) -> Exit {
    let rank = |e: Exit| match e {
        Exit::Safety => 0,
        Exit::Internal => 1,
        Exit::BadInput => 2,
        Exit::Unreachable => 3,
        _ => 4,
    };
    if upload == Exit::Ok || rank(command) <= rank(upload) {
        command
    } else {
        upload
    }
}

/// What a pet owner is told about the upload, at the end of the guide.
pub fn for_customer(s: &Sent) -> String {
    match (s.ticket.as_deref(), s.status.as_str()) {
        (Some(t), _) => format!(
            "I've sent your report to PawCore support, under ticket number {t}. If you get in touch, mention that number with your reference code."
        ),
        (None, "queued") => "I couldn't reach PawCore support just now, so your report is waiting on this computer: run `pawdiag report upload --pending` later to send it.".into(),
        (None, _) => format!(
            "I couldn't send your report ({}), but it is saved, so you can still give it to support.",
            s.error
                .as_deref()
                .unwrap_or("something went wrong")
                .trim_end_matches('.')
        ),
    }
}

/// The last line of `batch --upload`: how many reports reached the helpdesk.
pub fn batch_sentence<'a>(sent: impl Iterator<Item = &'a Sent>) -> String {
    let (mut on, mut queued, mut failed) = (0, 0, 0);
    for s in sent {
        match s.status.as_str() {
            _ if s.is_on_ticket() => on += 1,
            "queued" => queued += 1,
            _ => failed += 1,
        }
    }
    let mut parts = vec![format!("{on} on the helpdesk")];
    if queued > 0 {
        parts.push(format!(
            "{queued} queued (`pawdiag report upload --pending` sends them)"
        ));
    }
    if failed > 0 {
        parts.push(format!(
            "{failed} not sent (see each device's upload error)"
        ));
    }
    format!("Uploads: {}.", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pawdiag::helpdesk::TicketId;

    #[test]
    fn the_worse_of_command_and_upload_wins_but_safety_stays() {
        use Exit::*;
        assert_eq!(with_upload(Fault, Ok), Fault);
        assert_eq!(with_upload(Fault, Unreachable), Unreachable);
        assert_eq!(with_upload(Ok, BadInput), BadInput);
        assert_eq!(with_upload(Safety, BadInput), Safety);
        assert_eq!(with_upload(Safety, Unreachable), Safety);
        assert_eq!(with_upload(Unreachable, BadInput), BadInput);
        assert_eq!(with_upload(BadInput, Unreachable), BadInput);
        assert_eq!(with_upload(Interrupted, Unreachable), Unreachable);
    }

    #[test]
    fn sentences_name_the_ticket() {
        let t = TicketId::parse("12").unwrap();
        let s = Sent::delivered(&Delivery::Created(t.clone()), "http://rt/x".into());
        assert_eq!(
            s.sentence(),
            "Sent to the helpdesk as ticket #12 (http://rt/x)."
        );
        let s = Sent::delivered(
            &Delivery::AlreadySent {
                ticket: t,
                local: true,
            },
            "u".into(),
        );
        assert!(s.sentence().contains("not sent again"));
        let f = Sent::failed(&HelpdeskError::BadCredentials);
        assert_eq!((f.exit, f.status.as_str()), (Exit::BadInput, "not-sent"));
        assert_eq!(f.sentence(), "The helpdesk refused the credentials.");
    }
}
