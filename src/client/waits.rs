//! Waiting on a device without a request of ours in flight: for an event
//! (a fix's result), and for a restart after `device.reboot`. Both end at
//! once when the session is stopping ([`crate::cancel`]).

use super::{CallError, Client, DeviceEvent, Recovery};
use crate::interface::message::Incoming;
use std::time::{Duration, Instant};

impl Client {
    /// Reads the link for up to `within`, handling events and log lines,
    /// until an event named `name` arrives (returned) or the time is up.
    /// Events already queued count.
    pub async fn wait_event(
        &mut self,
        name: &str,
        within: Duration,
    ) -> Result<Option<DeviceEvent>, CallError> {
        if let Some(pos) = self.events.iter().position(|e| e.name == name) {
            return Ok(self.events.remove(pos));
        }
        let deadline = Instant::now() + within;
        let cancel = self.cancel.clone();
        loop {
            if self.transport.quiet_until_written() {
                // A replay with nothing left to say: the event never came.
                return Ok(None);
            }
            let read = cancel
                .unless_requested(tokio::time::timeout_at(
                    deadline.into(),
                    self.transport.read(),
                ))
                .await;
            let Some(read) = read else {
                return Err(CallError::Cancelled {
                    method: format!("waiting for {name}"),
                });
            };
            match read {
                Err(_) => return Ok(None),
                Ok(Ok(bytes)) => {
                    self.count_rx(bytes.len());
                    for msg in self.ingest(&bytes) {
                        if let Incoming::Response { id, .. } = msg {
                            self.stats.stale += 1;
                            self.transcript.note(&format!(
                                "answer for id {id} matches no pending request; ignored"
                            ));
                        }
                    }
                    if let Some(pos) = self.events.iter().position(|e| e.name == name) {
                        return Ok(self.events.remove(pos));
                    }
                }
                Ok(Err(e)) => match self.recover(&e).await {
                    Recovery::Back => {}
                    Recovery::Lost => {
                        return Err(CallError::LinkLost {
                            method: format!("waiting for {name}"),
                            reason: e.to_string(),
                        });
                    }
                    Recovery::Stopped => {
                        return Err(CallError::Cancelled {
                            method: format!("waiting for {name}"),
                        });
                    }
                },
            }
        }
    }

    /// Reboots the device (`soft` or `factory`) and waits until it answers
    /// again, reconnecting as the transport needs (§1.1, §1.2).
    pub async fn reboot(&mut self, mode: &str) -> Result<(), CallError> {
        self.restarted = false;
        self.call("device.reboot", Some(serde_json::json!({ "mode": mode })))
            .await?;
        self.transcript.note("waiting for the device to restart");
        self.banner_seen = false;
        // Already down and back while the request was on the wire.
        let deadline = if self.restarted {
            Instant::now()
        } else {
            Instant::now() + self.opts.reconnect_within
        };
        let cancel = self.cancel.clone();
        let stopped = || CallError::Cancelled {
            method: "device.reboot (waiting for the restart)".into(),
        };
        // Wait for a sign of the restart: the link dropping, or a new banner.
        while Instant::now() < deadline
            && !self.banner_seen
            && !self.transport.quiet_until_written()
        {
            let read = cancel
                .unless_requested(tokio::time::timeout_at(
                    deadline.into(),
                    self.transport.read(),
                ))
                .await;
            match read.ok_or_else(stopped)? {
                Err(_) => break,
                Ok(Ok(bytes)) => {
                    self.count_rx(bytes.len());
                    let _ = self.ingest(&bytes);
                }
                Ok(Err(e)) => match self.recover(&e).await {
                    Recovery::Back => break,
                    Recovery::Lost => {
                        return Err(CallError::LinkLost {
                            method: "device.reboot".into(),
                            reason: e.to_string(),
                        });
                    }
                    Recovery::Stopped => return Err(stopped()),
                },
            }
        }
        // The replay cache was cleared by the reboot; new ids anyway.
        self.call("device.info", None).await.map(|_| ())
    }
}
