//! The in-process transport to a simulated device (`sim:` addresses): a
//! plain thread owns the [`Firmware`] and drives its timers, the host side
//! is a [`Transport`] over two channels.
//!
//! It behaves like a USB serial device: the boot banner on connect and
//! after each reboot; a reboot drops the link (`read` fails with
//! `Disconnected`) and `reconnect` succeeds once the device is back; a
//! vanished device fails `reconnect` with `NotFound`. The firmware (and so
//! its replay cache) lives as long as the transport, across reconnects.
//! Every connection has a generation number so bytes of a dropped
//! connection never leak into the next one.

use super::SimSpec;
use super::firmware::{Firmware, Output};
use crate::link::{LinkError, Transport};
use futures_util::future::BoxFuture;
use std::sync::mpsc as std_mpsc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};

/// Lines the device may have queued for a host that is not reading, like a
/// UART's buffer; beyond that the device's output is lost.
const QUEUE: usize = 1024;

enum ToDevice {
    Bytes { generation: u64, bytes: Vec<u8> },
    Connect(oneshot::Sender<Result<u64, LinkError>>),
    Close,
}

enum FromDevice {
    Bytes { generation: u64, bytes: Vec<u8> },
    Down { generation: u64 },
    Gone,
}

/// A simulated device in this process, as a [`Transport`].
pub struct SimTransport {
    describe: String,
    to_device: std_mpsc::Sender<ToDevice>,
    from_device: mpsc::Receiver<FromDevice>,
    generation: u64,
    up: bool,
    gone: bool,
    thread: Option<JoinHandle<()>>,
}

impl SimTransport {
    /// Starts a simulated device and connects to it.
    pub fn start(spec: &SimSpec) -> Self {
        let (to_device, device_rx) = std_mpsc::channel();
        let (device_tx, from_device) = mpsc::channel(QUEUE);
        let fw = Firmware::new(spec);
        let thread = std::thread::Builder::new()
            .name(format!("sim {}", spec.model.id()))
            .spawn(move || Device::new(fw, device_tx).run(device_rx))
            .ok();
        Self {
            describe: spec.to_string(),
            to_device,
            from_device,
            generation: 1,
            up: thread.is_some(),
            gone: thread.is_none(),
            thread,
        }
    }
}

/// The device side: the firmware and its current connection.
struct Device {
    fw: Firmware,
    tx: mpsc::Sender<FromDevice>,
    generation: u64,
    connected: bool,
    waiting: Vec<oneshot::Sender<Result<u64, LinkError>>>,
}

impl Device {
    fn new(fw: Firmware, tx: mpsc::Sender<FromDevice>) -> Self {
        Self {
            fw,
            tx,
            generation: 1,
            connected: true,
            waiting: Vec::new(),
        }
    }

    fn run(mut self, rx: std_mpsc::Receiver<ToDevice>) {
        self.banner();
        loop {
            let now = Instant::now();
            let outs = self.fw.poll(now);
            self.deliver(outs);
            self.answer_waiting(now);
            let msg = match self.fw.next_deadline() {
                Some(at) => rx.recv_timeout(at.saturating_duration_since(now)),
                None => rx
                    .recv()
                    .map_err(|_| std_mpsc::RecvTimeoutError::Disconnected),
            };
            match msg {
                Ok(ToDevice::Bytes { generation, bytes }) => {
                    if generation == self.generation && self.connected {
                        let outs = self.fw.on_bytes(&bytes, Instant::now());
                        self.deliver(outs);
                    }
                }
                Ok(ToDevice::Connect(reply)) => {
                    self.waiting.push(reply);
                    self.answer_waiting(Instant::now());
                }
                Ok(ToDevice::Close) | Err(std_mpsc::RecvTimeoutError::Disconnected) => return,
                Err(std_mpsc::RecvTimeoutError::Timeout) => {}
            }
        }
    }

    /// Completes pending connects once the device is back (or never will be).
    fn answer_waiting(&mut self, now: Instant) {
        if self.waiting.is_empty() {
            return;
        }
        if self.fw.vanished() {
            for reply in self.waiting.drain(..) {
                let _ = reply.send(Err(LinkError::NotFound(
                    "the simulated device disappeared".into(),
                )));
            }
            return;
        }
        if !self.fw.is_up(now) {
            return;
        }
        // Finish the boot first so the banner shows it.
        let outs = self.fw.poll(now);
        self.generation += 1;
        self.connected = true;
        self.fw.reset_input();
        for reply in self.waiting.drain(..) {
            let _ = reply.send(Ok(self.generation));
        }
        self.banner();
        self.deliver(outs);
    }

    fn banner(&mut self) {
        for line in self.fw.banner_lines() {
            self.send(format!("{line}\n").into_bytes());
        }
    }

    fn send(&mut self, bytes: Vec<u8>) {
        if self.connected {
            // A full queue means nobody reads: the bytes are lost, as on a UART.
            let _ = self.tx.try_send(FromDevice::Bytes {
                generation: self.generation,
                bytes,
            });
        }
    }

    fn deliver(&mut self, outs: Vec<Output>) {
        for out in outs {
            match out {
                Output::Line { bytes, .. } => self.send(bytes),
                Output::Reboot { .. } => {
                    if self.connected {
                        self.connected = false;
                        let _ = self.tx.try_send(FromDevice::Down {
                            generation: self.generation,
                        });
                    }
                }
                Output::Vanish { .. } => {
                    self.connected = false;
                    let _ = self.tx.try_send(FromDevice::Gone);
                }
            }
        }
    }
}

impl Transport for SimTransport {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>> {
        Box::pin(async move {
            if self.gone {
                return Err(LinkError::Disconnected(
                    "the simulated device disappeared".into(),
                ));
            }
            if !self.up {
                return Err(LinkError::Disconnected(
                    "the simulated device is restarting".into(),
                ));
            }
            self.to_device
                .send(ToDevice::Bytes {
                    generation: self.generation,
                    bytes: bytes.to_vec(),
                })
                .map_err(|_| LinkError::Disconnected("the simulator stopped".into()))
        })
    }

    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>> {
        Box::pin(async move {
            loop {
                if self.gone {
                    return Err(LinkError::Disconnected(
                        "the simulated device disappeared".into(),
                    ));
                }
                if !self.up {
                    return Err(LinkError::Disconnected(
                        "the simulated device restarted".into(),
                    ));
                }
                match self.from_device.recv().await {
                    Some(FromDevice::Bytes { generation, bytes }) => {
                        if generation == self.generation {
                            return Ok(bytes);
                        }
                    }
                    Some(FromDevice::Down { generation }) => {
                        if generation == self.generation {
                            self.up = false;
                        }
                    }
                    Some(FromDevice::Gone) => self.gone = true,
                    None => {
                        self.gone = true;
                    }
                }
            }
        })
    }

    fn reconnect(&mut self, within: Duration) -> BoxFuture<'_, Result<(), LinkError>> {
        Box::pin(async move {
            if self.gone {
                return Err(LinkError::NotFound(
                    "the simulated device disappeared".into(),
                ));
            }
            self.up = false;
            let (reply, answer) = oneshot::channel();
            if self.to_device.send(ToDevice::Connect(reply)).is_err() {
                self.gone = true;
                return Err(LinkError::NotFound("the simulator stopped".into()));
            }
            match tokio::time::timeout(within, answer).await {
                Ok(Ok(Ok(generation))) => {
                    self.generation = generation;
                    self.up = true;
                    Ok(())
                }
                Ok(Ok(Err(e))) => {
                    self.gone = true;
                    Err(e)
                }
                Ok(Err(_)) => {
                    self.gone = true;
                    Err(LinkError::NotFound("the simulator stopped".into()))
                }
                Err(_) => Err(LinkError::NotFound(
                    "the simulated device did not come back in time".into(),
                )),
            }
        })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let _ = self.to_device.send(ToDevice::Close);
            self.gone = true;
        })
    }

    fn expects_banner(&self) -> bool {
        true
    }
}

impl Drop for SimTransport {
    fn drop(&mut self) {
        let _ = self.to_device.send(ToDevice::Close);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
