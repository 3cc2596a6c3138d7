//! Sending reports to the helpdesk from any command: `report upload`,
//! `diagnose --upload`, `batch --upload` and `guide`. An [`Uploader`] is
//! opened once per command (address, credentials, queue, local record,
//! outbox) and sends one report at a time, saying what became of it in a
//! [`Sent`] (`sent.rs`): a sentence for people, a JSON object for scripts,
//! an exit code.

use super::exit::sentence;
use super::{Exit, Failure, ui};
use pawdiag::config::{self, Overrides, Settings};
use pawdiag::helpdesk::ledger::Ledger;
use pawdiag::helpdesk::outbox::Outbox;
use pawdiag::helpdesk::rt::Rt;
use pawdiag::helpdesk::send::{Item, report_ticket};
use pawdiag::helpdesk::{
    Credentials, Helpdesk, HelpdeskError, HelpdeskUrl, NewTicket, Outcome, Target, TicketId,
};
use pawdiag::report::{self, Format, Verification, model::Report};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use super::sent::{Sent, batch_sentence, for_customer, with_upload};
/// Uploads running at once (`batch --upload`): a helpdesk serves a few
/// requests at a time; more only queue up on its side.
const UPLOADS_AT_ONCE: usize = 4;

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

    /// The helpdesk itself (`doctor` asks it whether it answers).
    pub fn desk(&self) -> Arc<dyn Helpdesk> {
        self.desk.clone()
    }

    /// The outbox.
    pub fn outbox(&self) -> &Outbox {
        &self.outbox
    }

    /// The uploader `--upload` asks for (`None` without it), opened before
    /// any device is touched: a helpdesk that is not configured is said
    /// now, not after a ten-minute walk.
    pub fn for_flags(f: &crate::cli::report::UploadArgs) -> anyhow::Result<Option<Arc<Uploader>>> {
        if !f.upload {
            return Ok(None);
        }
        let s = settings(
            f.helpdesk.as_deref(),
            f.queue.as_deref(),
            Overrides::default(),
        )?;
        Ok(Some(Arc::new(Uploader::open(&s)?)))
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
            Ok(Err(f)) => Sent::refused(f),
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
        Err(e) => Sent::refused(super::exit::classify(&e)),
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
