//! Sending reports to the helpdesk from any command: `report upload`,
//! `diagnose --upload`, `batch --upload` and `guide`. An [`Uploader`] is
//! opened once per command (address, credentials, queue, local record,
//! outbox) and sends one report at a time, saying what became of it in a
//! [`Sent`]: a sentence for people, a JSON object for scripts, an exit code.

use super::exit::sentence;
use super::{Exit, Failure, ui};
use pawdiag::config::{self, Overrides, Settings};
use pawdiag::helpdesk::ledger::Ledger;
use pawdiag::helpdesk::outbox::Outbox;
use pawdiag::helpdesk::rt::Rt;
use pawdiag::helpdesk::send::{Item, report_ticket};
use pawdiag::helpdesk::{
    Credentials, Delivery, Helpdesk, HelpdeskError, HelpdeskUrl, NewTicket, Outcome, Target,
    TicketId,
};
use pawdiag::report::{self, Format, Verification, model::Report};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Uploads running at once (`batch --upload`): a helpdesk serves a few
/// requests at a time; more only queue up on its side.
const UPLOADS_AT_ONCE: usize = 4;

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
    fn delivered(d: &Delivery, url: String) -> Sent {
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

/// The settings with `--helpdesk` and `--queue` on top, both checked.
pub fn settings(
    helpdesk: Option<&str>,
    queue: Option<&str>,
    base: Overrides,
) -> anyhow::Result<Settings> {
    let bad = |flag: &str, m: String| Failure::new(Exit::BadInput, format!("{flag}: {m}"), None);
    let mut o = base;
    if let Some(u) = helpdesk {
        o.helpdesk_url = Some(config::check_helpdesk_url(u).map_err(|m| bad("--helpdesk", m))?);
    }
    if let Some(q) = queue {
        o.helpdesk_queue = Some(config::check_queue(q).map_err(|m| bad("--queue", m))?);
    }
    super::config::with_flags(&crate::cli::SettingsArgs::default(), o)
}

/// Sends reports to one helpdesk; shared by every upload of a command.
pub struct Uploader {
    desk: Arc<dyn Helpdesk>,
    ledger: Ledger,
    outbox: Outbox,
    queue: String,
    /// `--queue` was given: new tickets even for reports that name one.
    explicit_queue: bool,
    /// Set after the credentials were refused: the rest are not tried.
    refused: Mutex<Option<HelpdeskError>>,
    gate: tokio::sync::Semaphore,
}

impl Uploader {
    /// The helpdesk the settings name, with the environment's credentials.
    pub fn open(s: &Settings) -> anyhow::Result<Uploader> {
        let Some(url) = &s.helpdesk_url.value else {
            return Err(Failure::new(
                Exit::BadInput,
                "No helpdesk is configured, so the report cannot be sent.",
                Some(format!(
                    "set helpdesk_url in the config file (`pawdiag config path` says where), or {}, or pass --helpdesk URL",
                    config::ENV_HELPDESK_URL
                )),
            )
            .into());
        };
        let url = HelpdeskUrl::parse(url).map_err(|m| {
            Failure::new(Exit::BadInput, format!("The helpdesk address {m}."), None)
        })?;
        let creds = Credentials::from_env(&|k| std::env::var(k).ok()).map_err(|e| {
            Failure::new(
                Exit::BadInput,
                format!("{} for the helpdesk at {url}.", sentence(&e)),
                Some(e.hint()),
            )
        })?;
        if url.is_cleartext_remote() {
            ui::warn(&format!(
                "{url} is plain http, so the helpdesk credentials cross the network unencrypted; use https:// if the helpdesk offers it"
            ));
        }
        let mut rt = Rt::new(url.clone(), &creds);
        if ui::verbosity() >= 2 {
            rt = rt.with_trace(Arc::new(|line: &str| eprintln!("{}", ui::clean(line))));
        }
        let data = config::data_dir();
        Ok(Uploader {
            desk: Arc::new(rt),
            ledger: Ledger::new(&data, &url),
            outbox: Outbox::new(&data),
            queue: s.helpdesk_queue.value.clone(),
            explicit_queue: s.helpdesk_queue.source == config::Source::Flag,
            refused: Mutex::new(None),
            gate: tokio::sync::Semaphore::new(UPLOADS_AT_ONCE),
        })
    }

    /// The outbox.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// Where a report goes: `ticket` if given; else a new ticket when
    /// `--queue` was given; else the report's own ticket when it is a
    /// number; else a new ticket in the configured queue.
    pub fn target(&self, r: &Report, ticket: Option<&TicketId>) -> Target {
        match ticket {
            Some(t) => Target::Ticket(t.clone()),
            None if self.explicit_queue => Target::Queue(self.queue.clone()),
            None => {
                report_ticket(r).map_or_else(|| Target::Queue(self.queue.clone()), Target::Ticket)
            }
        }
    }

    fn refused_before(&self) -> Option<HelpdeskError> {
        self.refused.lock().ok().and_then(|r| r.clone())
    }

    fn note_refusal(&self, e: &HelpdeskError) {
        if *e == HelpdeskError::BadCredentials
            && let Ok(mut r) = self.refused.lock()
        {
            *r = Some(e.clone());
        }
    }

    /// Sends one report (blocking): once only, queued when the helpdesk
    /// cannot be reached.
    pub fn send(&self, item: &Item, target: &Target) -> Sent {
        if let Some(e) = self.refused_before() {
            return Sent::failed(&e);
        }
        match pawdiag::helpdesk::upload(
            self.desk.as_ref(),
            &self.ledger,
            &self.outbox,
            item,
            target,
        ) {
            Ok(Outcome::Delivered(d)) => Sent::delivered(&d, self.desk.ticket_url(d.ticket())),
            Ok(Outcome::Queued { entry, reason }) => Sent {
                status: "queued".into(),
                ticket: None,
                url: None,
                queued: Some(entry.display().to_string()),
                error: Some(format!(
                    "{}, so the upload is queued: `pawdiag report upload --pending` sends it.",
                    sentence(&reason)
                )),
                hint: None,
                exit: Exit::Unreachable,
            },
            Ok(Outcome::NotQueued { reason, outbox }) => Sent {
                error: Some(format!(
                    "{}, and the upload could not be queued either ({outbox}); the report itself is saved.",
                    sentence(&reason)
                )),
                ..Sent::failed(&reason)
            },
            Err(e) => {
                self.note_refusal(&e);
                Sent::failed(&e)
            }
        }
    }

    /// Sends a waiting upload again (no new outbox entry when it fails).
    pub fn resend(&self, item: &Item, target: &Target) -> Result<Sent, HelpdeskError> {
        let ticket = NewTicket::for_report(&item.report, Some(item.json.clone()));
        pawdiag::helpdesk::deliver(self.desk.as_ref(), &self.ledger, &ticket, target)
            .map(|d| Sent::delivered(&d, self.desk.ticket_url(d.ticket())))
    }

    /// [`Uploader::send`] off the async runtime, a few at a time.
    pub async fn send_async(self: &Arc<Self>, item: Item, target: Target) -> Sent {
        let _turn = self.gate.acquire().await;
        let me = self.clone();
        tokio::task::spawn_blocking(move || me.send(&item, &target))
            .await
            .unwrap_or_else(|e| Sent::failed(&HelpdeskError::Protocol(e.to_string())))
    }

    /// Sends a report that was just saved at `path` (read back and verified
    /// first: what goes to the helpdesk is what is on disk).
    pub async fn send_saved(self: &Arc<Self>, path: &Path) -> Sent {
        let p = path.to_path_buf();
        let read = tokio::task::spawn_blocking(move || read_item(&p)).await;
        match read {
            Ok(Ok(item)) => {
                let target = self.target(&item.report, None);
                self.send_async(item, target).await
            }
            Ok(Err(f)) => Sent {
                error: Some(f.message.clone()),
                hint: f.hint.clone(),
                exit: f.exit,
                ..Sent::failed(&HelpdeskError::Protocol(String::new()))
            },
            Err(e) => Sent::failed(&HelpdeskError::Protocol(e.to_string())),
        }
    }
}

/// `guide`: sends the report just saved at `json` to the helpdesk the
/// settings name (the guide asked first). Problems come back as a `Sent`
/// to be told in plain words, never as an error that ends the guide.
pub async fn send_for_guide(settings: &Settings, json: &Path) -> Sent {
    match Uploader::open(settings) {
        Ok(up) => Arc::new(up).send_saved(json).await,
        Err(e) => {
            let f = super::exit::classify(&e);
            Sent {
                error: Some(f.message),
                hint: f.hint,
                exit: f.exit,
                ..Sent::failed(&HelpdeskError::Protocol(String::new()))
            }
        }
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

/// `batch --upload`: sends the report a device's job wrote, and notes what
/// became of it in the device's result.
pub async fn after_job(
    uploader: Option<&Arc<Uploader>>,
    mut r: super::batch::DeviceResult,
    lane: &super::fleet::Lane,
) -> super::batch::DeviceResult {
    if let (Some(up), Some(path)) = (uploader, r.report.clone()) {
        lane.say("sending the report…");
        let started = std::time::Instant::now();
        r.upload = Some(up.send_saved(Path::new(&path)).await);
        r.duration_ms += started.elapsed().as_millis() as u64;
    }
    r
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

/// Reads a report file to send: it must verify; the JSON attached is the
/// file itself when it is JSON, else the JSON rendered from it.
pub fn read_item(path: &Path) -> Result<Item, Failure> {
    let bytes = super::report::read_report_file(path).map_err(|e| super::exit::classify(&e))?;
    let shown = path.display();
    let format = match report::verify(&bytes) {
        Verification::Intact { format, .. } => format,
        Verification::Altered { reason, .. } | Verification::Invalid { reason } => {
            return Err(Failure::new(
                Exit::Tampered,
                format!("{shown} does not verify ({reason}), so it was not sent."),
                Some(
                    "send only reports as pawdiag wrote them (`pawdiag report verify` checks one)"
                        .into(),
                ),
            ));
        }
    };
    let report = report::load(&bytes).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            format!("{shown}: {}.", sentence(&e)),
            Some(e.hint()),
        )
    })?;
    let json = if format == Format::Json {
        bytes
    } else {
        report::render(&report, Format::Json).into_bytes()
    };
    Ok(Item {
        report,
        json,
        source: Some(PathBuf::from(path)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
