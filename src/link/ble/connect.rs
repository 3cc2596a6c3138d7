//! Connecting: tries with backoff inside a budget, then the GATT setup
//! (NUS characteristics, notifications, Device Information), and teardown.

use super::discovery::{BleDevice, DeviceInformation, nus, read_information};
use super::error::{BleFailure, adapter_error, classify, link_error};
use super::{
    BleTransport, CONNECT_BACKOFF, CONNECT_BUDGET, CONNECT_MIN_TRY, CONNECT_TRIES,
    CONNECT_TRY_TIMEOUT, Link, MAX_WRITE_WITH_RESPONSE, OP_TIMEOUT,
};
use crate::interface::model::{NUS_RX, NUS_TX};
use crate::link::{LinkError, Progress};
use btleplug::api::{Central, CentralEvent, CharPropFlags, Peripheral as _, WriteType};
use btleplug::platform::{Adapter, Peripheral};
use futures_util::StreamExt;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

impl BleTransport {
    pub(super) fn new(
        target: &str,
        adapter: Adapter,
        peripheral: Peripheral,
        dev: BleDevice,
        progress: Progress,
    ) -> Self {
        BleTransport {
            target: target.to_string(),
            adapter,
            peripheral,
            address: dev.address,
            name: dev.name,
            info: DeviceInformation::default(),
            link: None,
            progress,
            notes: Vec::new(),
        }
    }

    /// How the device is named in sentences: its name, else its address.
    pub(super) fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.address.clone())
    }

    /// Says a connection step at `-v` and keeps it for the transcript.
    pub(super) fn step(&mut self, text: String) {
        self.progress.say(&text);
        if self.notes.len() < 32 {
            self.notes.push(text);
        }
    }

    /// `Device1.Connect` with retries: what BlueZ means as transient
    /// (another connect in progress, an LE connection aborted by the
    /// controller or the kernel, a connect that timed out) is tried again
    /// after a short wait, at most [`CONNECT_TRIES`] times within
    /// [`CONNECT_BUDGET`]. A try that times out is cancelled with
    /// `Device1.Disconnect` (BlueZ answers the pending connect `Cancelled`),
    /// so the next one is not refused as "in progress".
    pub(super) async fn connect_with_retries(&mut self) -> Result<(), LinkError> {
        let started = Instant::now();
        let label = self.label();
        let mut last = String::new();
        let mut tries = 0;
        for n in 1..=CONNECT_TRIES {
            let left = CONNECT_BUDGET.saturating_sub(started.elapsed());
            if n > 1 && left < CONNECT_MIN_TRY {
                break;
            }
            tries = n;
            let try_for = CONNECT_TRY_TIMEOUT.min(left);
            self.step(format!(
                "connecting to {label} over Bluetooth (try {n} of {CONNECT_TRIES})"
            ));
            let p = self.peripheral.clone();
            match tokio::time::timeout(try_for, p.connect()).await {
                Ok(Ok(())) => {
                    if n > 1 {
                        self.step(format!(
                            "connected on try {n}, {:.1} s after the first",
                            started.elapsed().as_secs_f64()
                        ));
                    }
                    return Ok(());
                }
                Ok(Err(e)) => match classify(&e) {
                    BleFailure::Unavailable(problem) => return Err(LinkError::bluetooth(problem)),
                    BleFailure::Transient(detail) => last = detail,
                    BleFailure::Other(detail) => {
                        self.step(format!("try {n} failed: {detail}; not retried"));
                        return Err(LinkError::ConnectFailed {
                            target: label,
                            detail,
                            tries: n,
                        });
                    }
                },
                Err(_) => {
                    last = format!("no connection within {:.1} s", try_for.as_secs_f64());
                    // BlueZ keeps connecting after we stop waiting; cancel it.
                    let _ = tokio::time::timeout(Duration::from_secs(3), p.disconnect()).await;
                }
            }
            let wait = CONNECT_BACKOFF
                .get(n as usize - 1)
                .copied()
                .unwrap_or_default()
                .min(CONNECT_BUDGET.saturating_sub(started.elapsed()));
            if n < CONNECT_TRIES {
                self.step(format!(
                    "try {n} failed: {last}; trying again in {} ms",
                    wait.as_millis()
                ));
                tokio::time::sleep(wait).await;
            } else {
                self.step(format!("try {n} failed: {last}"));
            }
        }
        Err(LinkError::ConnectFailed {
            target: label,
            detail: last,
            tries,
        })
    }

    /// Connects, finds the Nordic UART Service, reads Device Information and
    /// Battery, and starts forwarding notifications and disconnections.
    pub(super) async fn setup(&mut self) -> Result<(), LinkError> {
        self.connect_with_retries().await?;
        let p = self.peripheral.clone();
        match tokio::time::timeout(OP_TIMEOUT, p.discover_services()).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(link_error("reading the device's services failed", e)),
            Err(_) => {
                return Err(LinkError::Disconnected(
                    "the device did not list its services".into(),
                ));
            }
        }
        let chars = p.characteristics();
        let find = |u: &str| chars.iter().find(|c| c.uuid == nus(u)).cloned();
        let (Some(rx), Some(tx)) = (find(NUS_RX), find(NUS_TX)) else {
            let _ = p.disconnect().await;
            return Err(LinkError::NotPawcore(format!(
                "{} is not a PawCore device (it has no Nordic UART service)",
                self.target
            )));
        };
        // Writes without response must fit in MTU − 3 (§9.12); with response up to 512.
        let mtu = usize::from(p.mtu()).max(23);
        let (write_type, chunk) = if rx
            .properties
            .contains(CharPropFlags::WRITE_WITHOUT_RESPONSE)
        {
            (WriteType::WithoutResponse, mtu - 3)
        } else if rx.properties.contains(CharPropFlags::WRITE) {
            (WriteType::WithResponse, MAX_WRITE_WITH_RESPONSE)
        } else {
            let _ = p.disconnect().await;
            return Err(LinkError::NotPawcore(format!(
                "{} does not accept writes on its UART service",
                self.target
            )));
        };
        self.info = read_information(&p).await;

        let (sender, incoming) = mpsc::channel(256);
        // Subscribe to the stream before notifications are switched on, so
        // nothing sent right away is lost.
        let notes = p
            .notifications()
            .await
            .map_err(|e| link_error("listening to the device failed", e))?;
        let events = self.adapter.events().await.map_err(adapter_error)?;
        let tx_uuid = tx.uuid;
        let fwd = sender.clone();
        let notify_task = tokio::spawn(async move {
            let mut notes = notes;
            while let Some(n) = notes.next().await {
                // Other characteristics' values (e.g. Battery Level after a read) are not protocol.
                if n.uuid == tx_uuid && !n.value.is_empty() && fwd.send(Ok(n.value)).await.is_err()
                {
                    return;
                }
            }
            let _ = fwd
                .send(Err(LinkError::Disconnected(
                    "the notification stream ended".into(),
                )))
                .await;
        });
        let id = p.id();
        let watch_task = tokio::spawn(async move {
            let mut events = events;
            while let Some(ev) = events.next().await {
                if matches!(&ev, CentralEvent::DeviceDisconnected(d) if *d == id) {
                    // BlueZ sends the last notifications before the
                    // disconnection, but they reach us through another
                    // task: let them through first, or an answer sent just
                    // before a reboot (`device.reboot`) looks lost and
                    // would be sent again to the freshly booted device.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    let _ = sender
                        .send(Err(LinkError::Disconnected(
                            "the device disconnected".into(),
                        )))
                        .await;
                    return;
                }
            }
        });
        self.link = Some(Link {
            rx,
            tx: tx.clone(),
            write_type,
            chunk,
            incoming,
            tasks: vec![notify_task, watch_task],
        });
        if let Err(e) = tokio::time::timeout(OP_TIMEOUT, p.subscribe(&tx)).await {
            self.teardown().await;
            return Err(LinkError::Disconnected(format!(
                "the device did not switch on notifications ({e})"
            )));
        }
        // It may have dropped before the watcher was listening.
        if !p.is_connected().await.unwrap_or(false) {
            self.teardown().await;
            return Err(LinkError::Disconnected("the device disconnected".into()));
        }
        Ok(())
    }

    /// Stops forwarding and disconnects (a BlueZ connection outlives us otherwise).
    pub(super) async fn teardown(&mut self) {
        if let Some(mut link) = self.link.take() {
            link.stop();
            let _ = tokio::time::timeout(
                Duration::from_secs(2),
                self.peripheral.unsubscribe(&link.tx),
            )
            .await;
        }
        let _ = tokio::time::timeout(Duration::from_secs(3), self.peripheral.disconnect()).await;
    }
}
