//! A dropped link: reconnect to the same device (by serial), or say why not.

use crate::interface::frame::encode_line;
use crate::interface::message::{Incoming, Request};
use crate::link::LinkError;
use crate::transcript::{Direction, EntryKind};
use serde_json::Value;
use std::time::Instant;

use super::pipeline::finish;
use super::{CallError, Client, Recovery, Slot};

impl Client {
    /// Tries to get a dropped link back, giving up at once when the
    /// session is stopping.
    pub(super) async fn recover(&mut self, err: &LinkError) -> Recovery {
        if !err.is_disconnect() {
            return Recovery::Lost;
        }
        self.transcript
            .note(&format!("link lost ({err}); reconnecting"));
        let cancel = self.cancel.clone();
        let within = self.opts.reconnect_within;
        match cancel
            .unless_requested(self.transport.reconnect(within))
            .await
        {
            Some(Ok(())) => {
                for n in self.transport.take_notes() {
                    self.transcript.note(&n);
                }
                self.lines.clear();
                if let Some(expected) = self.identity.clone()
                    && !self.same_device(&expected).await
                {
                    self.transcript.note(&format!(
                        "the device now reached there is not {expected}; giving up"
                    ));
                    return Recovery::Lost;
                }
                self.stats.reconnects += 1;
                self.transcript.note("link re-established");
                Recovery::Back
            }
            Some(Err(e)) => {
                self.transcript.note(&format!("could not reconnect: {e}"));
                Recovery::Lost
            }
            None => {
                self.transcript
                    .note("stopped reconnecting: the session is stopping");
                Recovery::Stopped
            }
        }
    }

    /// Ends a call whose link did not come back: what is unfinished failed
    /// (the link is lost) or was abandoned (the session is stopping).
    pub(super) fn without_link(
        &self,
        how: Recovery,
        err: &LinkError,
        slots: &[Slot],
        mut results: Vec<Option<Result<Value, CallError>>>,
    ) -> Vec<Result<Value, CallError>> {
        if matches!(how, Recovery::Stopped) {
            for (i, r) in results.iter_mut().enumerate() {
                if r.is_none() {
                    *r = Some(Err(CallError::Cancelled {
                        method: slots[i].method.clone(),
                    }));
                }
            }
        } else {
            self.fail_all(slots, &mut results, err);
        }
        finish(results)
    }

    pub(super) fn learn_identity(&mut self, method: &str, v: &Value) {
        if method == "device.info" && self.identity.is_none() {
            self.identity = v
                .get("serial")
                .and_then(Value::as_str)
                .map(|s| s.chars().take(64).collect());
        }
    }

    /// Asks `device.info` once more (two tries) after a reconnect: true when
    /// the device there has the serial number `expected`.
    pub(super) async fn same_device(&mut self, expected: &str) -> bool {
        for _ in 0..2 {
            let id = self.fresh_id();
            let req = Request {
                id,
                method: "device.info".into(),
                params: None,
            };
            let Ok(line) = encode_line(&req.to_json()) else {
                return false;
            };
            self.transcript
                .push(Direction::Tx, EntryKind::Request, &line[..line.len() - 1]);
            self.stats.bytes_tx += line.len() as u64;
            if self.transport.write(&line).await.is_err() {
                return false;
            }
            let deadline = Instant::now() + self.timeout_for("device.info", line.len());
            loop {
                let read = tokio::time::timeout_at(deadline.into(), self.transport.read()).await;
                let bytes = match read {
                    Err(_) => break,
                    Ok(Err(_)) => return false,
                    Ok(Ok(b)) => b,
                };
                self.count_rx(bytes.len());
                for msg in self.ingest(&bytes) {
                    if let Incoming::Response { id: got, outcome } = msg
                        && got == id
                    {
                        return outcome.ok().is_some_and(|v| {
                            v.get("serial")
                                .and_then(Value::as_str)
                                .is_some_and(|s| crate::interface::serial::same(s, expected))
                        });
                    }
                }
            }
        }
        false
    }
}
