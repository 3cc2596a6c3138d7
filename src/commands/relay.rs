//! What passes between sessions in `diagnose`: recording the link
//! (`--record FILE`) and replaying a recording or a report (`replay:FILE`).

use super::{Exit, Failure, device, ui};
use crate::cli::ConnectArgs;
use pawdiag::client::Client;
use pawdiag::connect;
use pawdiag::handoff::source::{self, Origin, Source};
use pawdiag::link::record::{Recorder, RecordingTransport};
use pawdiag::link::{Address, BoxTransport};
use std::path::Path;
use std::sync::Arc;

/// The replay source when `addr` is `replay:FILE` (read and checked once,
/// before anything else, so a bad file is bad input).
pub fn replay_source(addr: &Address) -> anyhow::Result<Option<Source>> {
    let Address::Replay(path) = addr else {
        return Ok(None);
    };
    let src = source::load(Path::new(path)).map_err(|e| {
        Failure::new(
            Exit::BadInput,
            super::exit::sentence(&e.to_string()),
            Some(e.hint()),
        )
    })?;
    let what = match &src.origin {
        Origin::Recording => "a recording".to_string(),
        Origin::Report {
            report_id,
            redacted,
            ..
        } => format!(
            "report {}{}",
            ui::clean(report_id),
            if *redacted {
                " (its personal data is redacted and is replayed as redacted)"
            } else {
                ""
            }
        ),
    };
    ui::note(&format!(
        "Replaying {what}: the device answers as recorded, nothing else."
    ));
    if src.dropped > 0 {
        ui::warn(&format!(
            "the recorded session left out {} transcript lines; requests beyond them are not in the recording",
            src.dropped
        ));
    }
    Ok(Some(src))
}

/// Opens the device, recording every line to `record` when asked.
pub async fn open_client(
    addr: &Address,
    args: &ConnectArgs,
    record: Option<&Path>,
) -> anyhow::Result<(Client, Option<Arc<Recorder>>)> {
    let opts = device::options(args);
    let transport = connect::open_transport(addr, &opts).await?;
    let (transport, recorder): (BoxTransport, _) = match record {
        Some(path) => {
            let rec = Recorder::create(path, &addr.to_string()).map_err(|e| {
                Failure::new(
                    Exit::BadInput,
                    format!("Cannot write the recording {}: {e}.", path.display()),
                    Some("choose a writable path for --record".into()),
                )
            })?;
            (
                Box::new(RecordingTransport::new(transport, rec.clone())),
                Some(rec),
            )
        }
        None => (transport, None),
    };
    Ok((Client::new(transport, opts.client), recorder))
}

/// Ends a recording with the session's summary and says where it is.
pub fn finish_recording(rec: &Recorder, summary: serde_json::Value) {
    rec.finish(summary);
    match rec.error() {
        Some(e) => ui::warn(&format!(
            "the recording {} is incomplete: {e}",
            rec.path().display()
        )),
        None => ui::note(&format!(
            "Recording saved: {} (not redacted: keep it private; replay it with `pawdiag diagnose replay:{}`).",
            rec.path().display(),
            rec.path().display()
        )),
    }
}
