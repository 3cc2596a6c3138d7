//! Bluetooth LE transport over btleplug (BlueZ on Linux, WinRT on Windows,
//! CoreBluetooth on macOS), device interface
//! §1.2 and §9.10–9.13: find a device by address or local name, connect,
//! run the protocol over the Nordic UART Service, read Device Information
//! and Battery Level, and scan for devices.
//!
//! Facts this module is built around (see shared/ble-testing-notes.md):
//! a dropped link does not end btleplug's notification stream, so the
//! central's events are watched for `DeviceDisconnected`; BlueZ forgets RSSI
//! when discovery stops, so it is read while scanning; a scan filter does not
//! hide devices BlueZ already knows, so results are filtered here too; and a
//! connection outlives the process, so `close` disconnects explicitly.
//! Scanning and Device Information are in `discovery`; what the stack's
//! errors mean (which connect errors to retry) is asked of the platform's
//! module (`link::bluez` on Linux, `stacks` for Windows and macOS).

use super::{BluetoothProblem, LinkError, Progress, Transport};
use crate::interface::model::{NUS_RX, NUS_SERVICE, NUS_TX};
use crate::platform::Os;
use btleplug::api::{
    Central, CentralEvent, CentralState, CharPropFlags, Characteristic, Manager as _,
    Peripheral as _, ScanFilter, WriteType,
};
use btleplug::platform::{Adapter, Manager, Peripheral};
use futures_util::StreamExt;
use futures_util::future::BoxFuture;
use std::collections::HashSet;
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// How long `open` listens for the device by default.
pub const DEFAULT_FIND_TIMEOUT: Duration = Duration::from_secs(6);
/// Longest value of one write with response (ATT maximum attribute length).
const MAX_WRITE_WITH_RESPONSE: usize = 512;
/// Longest text kept from a Device Information string (device data is untrusted).
const MAX_DIS_TEXT: usize = 64;
/// Time allowed for one GATT operation or for connecting.
const OP_TIMEOUT: Duration = Duration::from_secs(10);

mod discovery;
pub mod stacks;

pub use discovery::{BleDevice, DeviceInformation, scan};
use discovery::{discover, nus, read_information};

// ---------------------------------------------------------------------------
// What the Bluetooth stack's errors mean.

/// What an error of the Bluetooth stack means for pawdiag. The platform's
/// module decides (on Linux `link::bluez`, from BlueZ's D-Bus error names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BleFailure {
    /// Worth another try (another connect in progress, a connection
    /// attempt that raced the controller, a timeout).
    Transient(String),
    /// Bluetooth cannot be used on this computer.
    Unavailable(BluetoothProblem),
    /// Anything else, with what the stack said.
    Other(String),
}

/// Classifies a btleplug error: btleplug's own kinds first, then what the
/// platform's Bluetooth stack said.
fn classify(e: &btleplug::Error) -> BleFailure {
    match e {
        btleplug::Error::NoAdapterAvailable => BleFailure::Unavailable(BluetoothProblem::NoAdapter),
        btleplug::Error::PermissionDenied => BleFailure::Unavailable(BluetoothProblem::NotAllowed),
        btleplug::Error::TimedOut(d) => {
            BleFailure::Transient(format!("timed out after {:.1} s", d.as_secs_f64()))
        }
        _ => platform_classify(e),
    }
}

/// The platform's own reading: BlueZ's D-Bus names on Linux, WinRT's
/// HRESULTs on Windows, CoreBluetooth's messages on macOS.
fn platform_classify(e: &btleplug::Error) -> BleFailure {
    #[cfg(target_os = "linux")]
    return super::bluez::classify(e);
    #[cfg(windows)]
    return stacks::winrt(e);
    #[cfg(target_os = "macos")]
    return stacks::corebluetooth(e);
    #[cfg(not(any(target_os = "linux", windows, target_os = "macos")))]
    BleFailure::Other(
        e.to_string()
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_string(),
    )
}

/// Maps adapter-level failures (finding, powering, scanning) to link errors.
fn adapter_error(e: btleplug::Error) -> LinkError {
    match classify(&e) {
        BleFailure::Unavailable(p) => LinkError::bluetooth(p),
        BleFailure::Transient(d) | BleFailure::Other(d) => {
            LinkError::Bluetooth(format!("the Bluetooth service refused: {d}"))
        }
    }
}

/// Maps a failure on an open link to a lost connection, keeping the first
/// line of what the stack said for the transcript.
fn link_error(what: &str, e: btleplug::Error) -> LinkError {
    let detail = e.to_string();
    let detail = detail.lines().next().unwrap_or_default().trim();
    LinkError::Disconnected(format!("{what}: {detail}"))
}

/// Installs, once, a panic hook that keeps one harmless message of
/// bluez-async 0.9 off the screen: a spawned task's `unwrap` in
/// `messagestream.rs` that fails with "No match with that id found" when a
/// signal races a dropped stream. Every other panic goes to the previous hook.
fn quiet_bluez_async_panic() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let text = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| info.payload().downcast_ref::<&str>().copied())
                .unwrap_or_default();
            let in_messagestream = info
                .location()
                .is_some_and(|l| l.file().ends_with("messagestream.rs"));
            if in_messagestream && text.contains("No match with that id found") {
                return;
            }
            previous(info);
        }));
    });
}

/// The first Bluetooth adapter, or why there is none (or why it cannot
/// be used: switched off where pawdiag cannot switch it on).
async fn adapter() -> Result<Adapter, LinkError> {
    quiet_bluez_async_panic();
    let manager = Manager::new().await.map_err(|e| {
        // On Linux the manager is a connection to the system bus: no bus at
        // all, or the bus refused the connection.
        match adapter_error(e) {
            LinkError::Bluetooth(_) if cfg!(target_os = "linux") => {
                LinkError::bluetooth(BluetoothProblem::NoSystemBus)
            }
            other => other,
        }
    })?;
    let adapters = manager.adapters().await.map_err(adapter_error)?;
    let adapter = adapters
        .into_iter()
        .next()
        .ok_or_else(|| LinkError::bluetooth(BluetoothProblem::NoAdapter))?;
    // BlueZ switches the adapter on itself when scanning: no need to ask.
    if !Os::current().switches_bluetooth_on() {
        let state = adapter
            .adapter_state()
            .await
            .unwrap_or(CentralState::Unknown);
        if let Some(problem) = stacks::adapter_state_problem(Os::current(), &state) {
            return Err(LinkError::bluetooth(problem));
        }
    }
    Ok(adapter)
}

// ---------------------------------------------------------------------------
// The transport.

/// Connection tries to one device, at most (BlueZ's transient errors).
pub const CONNECT_TRIES: u32 = 3;
/// All connection tries together stay within this.
pub const CONNECT_BUDGET: Duration = Duration::from_secs(10);
/// One try waits this long for the link and its services.
pub const CONNECT_TRY_TIMEOUT: Duration = Duration::from_secs(5);
/// Waits between tries: the first retry soon, the next after a breath.
const CONNECT_BACKOFF: [Duration; 2] = [Duration::from_millis(250), Duration::from_millis(1000)];
/// A try with less time than this left in the budget is not started.
const CONNECT_MIN_TRY: Duration = Duration::from_secs(1);

/// An open BLE connection to one PawCore device, carrying the protocol over
/// the Nordic UART Service.
pub struct BleTransport {
    target: String,
    adapter: Adapter,
    peripheral: Peripheral,
    address: String,
    name: Option<String>,
    info: DeviceInformation,
    link: Option<Link>,
    progress: Progress,
    /// How the link came up, for the transcript.
    notes: Vec<String>,
}

/// What exists only while connected.
struct Link {
    rx: Characteristic,
    tx: Characteristic,
    write_type: WriteType,
    chunk: usize,
    incoming: mpsc::Receiver<Result<Vec<u8>, LinkError>>,
    tasks: Vec<JoinHandle<()>>,
}

impl Link {
    fn stop(&mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
    }
}

/// Finds the device `target` (a MAC address or a local name, any case)
/// within `within`, connects and opens the Nordic UART Service.
pub async fn open(
    target: &str,
    within: Duration,
    progress: Progress,
) -> Result<BleTransport, LinkError> {
    let adapter = adapter().await?;
    let matches = |d: &BleDevice| {
        d.address.eq_ignore_ascii_case(target)
            || d.name
                .as_deref()
                .is_some_and(|n| n.eq_ignore_ascii_case(target))
    };
    let (peripheral, dev) = find(&adapter, matches, within).await?.ok_or_else(|| {
        LinkError::NotFound(format!(
            "nothing called {target} was heard over Bluetooth within {} s",
            within.as_secs_f64().round()
        ))
    })?;
    let mut t = BleTransport::new(target, adapter, peripheral, dev, progress);
    t.setup().await?;
    Ok(t)
}

/// Finds the device with serial number `serial` within `within`: only
/// devices advertising the name its serial gives (`PawCore-PT-0001` for
/// `PT-24A0-0001`) are connected to, one at a time, until one's Device
/// Information says it has that serial.
pub async fn open_by_serial(
    serial: &str,
    within: Duration,
    progress: Progress,
) -> Result<BleTransport, LinkError> {
    let not_found = || {
        LinkError::NotFound(format!(
            "no device with serial number {serial} was heard over Bluetooth within {} s",
            within.as_secs_f64().round()
        ))
    };
    let Some(name) = crate::interface::serial::ble_name(serial) else {
        return Err(not_found());
    };
    let adapter = adapter().await?;
    let deadline = Instant::now() + within;
    let mut tried: HashSet<String> = HashSet::new();
    let mut last_error = None;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let matches = |d: &BleDevice| {
            !tried.contains(&d.address)
                && d.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&name))
        };
        let Some((peripheral, dev)) = find(&adapter, matches, left).await? else {
            break;
        };
        tried.insert(dev.address.clone());
        progress.say(&format!(
            "{name} ({}) may be {serial}: connecting to read its serial number",
            dev.address
        ));
        let mut t = BleTransport::new(&name, adapter.clone(), peripheral, dev, progress.clone());
        match t.setup().await {
            Ok(()) => {}
            Err(e @ LinkError::BluetoothUnavailable { .. }) => return Err(e),
            Err(e) => {
                last_error = Some(e);
                continue;
            }
        }
        match t.info.serial.clone() {
            Some(s) if !crate::interface::serial::same(&s, serial) => {
                progress.say(&format!("{} is {s}, not {serial}", t.address));
                t.teardown().await;
            }
            // A device without a Serial Number characteristic cannot be
            // ruled out; `device.info` will tell.
            _ => return Ok(t),
        }
    }
    Err(last_error.unwrap_or_else(not_found))
}

/// Scans until a device matching `matches` advertises; `None` when none
/// did within `within`.
async fn find(
    adapter: &Adapter,
    matches: impl Fn(&BleDevice) -> bool,
    within: Duration,
) -> Result<Option<(Peripheral, BleDevice)>, LinkError> {
    let filter = ScanFilter {
        services: vec![nus(NUS_SERVICE)],
    };
    let seen = discover(adapter, filter, within, |seen| seen.values().any(&matches)).await?;
    let Some((id, dev)) = seen.into_iter().find(|(_, d)| matches(d)) else {
        return Ok(None);
    };
    let p = adapter.peripheral(&id).await.map_err(adapter_error)?;
    Ok(Some((p, dev)))
}

impl BleTransport {
    fn new(
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
    fn label(&self) -> String {
        self.name.clone().unwrap_or_else(|| self.address.clone())
    }

    /// Says a connection step at `-v` and keeps it for the transcript.
    fn step(&mut self, text: String) {
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
    async fn connect_with_retries(&mut self) -> Result<(), LinkError> {
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

    /// Device Information and Battery Level as read when the link was opened.
    pub fn device_information(&self) -> &DeviceInformation {
        &self.info
    }

    /// The device's MAC address.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The device's advertised name, when known.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Connects, finds the Nordic UART Service, reads Device Information and
    /// Battery, and starts forwarding notifications and disconnections.
    async fn setup(&mut self) -> Result<(), LinkError> {
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
    async fn teardown(&mut self) {
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

impl Transport for BleTransport {
    fn describe(&self) -> String {
        match &self.name {
            Some(n) => format!("ble:{n} ({})", self.address),
            None => format!("ble:{}", self.address),
        }
    }

    fn write<'a>(&'a mut self, bytes: &'a [u8]) -> BoxFuture<'a, Result<(), LinkError>> {
        Box::pin(async move {
            let Some(link) = self.link.as_ref() else {
                return Err(LinkError::Disconnected("the link is closed".into()));
            };
            for chunk in bytes.chunks(link.chunk) {
                match tokio::time::timeout(
                    OP_TIMEOUT,
                    self.peripheral.write(&link.rx, chunk, link.write_type),
                )
                .await
                {
                    Ok(Ok(())) => {}
                    // GATT objects vanish with the link: "Method WriteValue … doesn't exist".
                    Ok(Err(e)) => {
                        if !self.peripheral.is_connected().await.unwrap_or(false) {
                            return Err(LinkError::Disconnected("the device disconnected".into()));
                        }
                        return Err(link_error("writing to the device failed", e));
                    }
                    Err(_) => {
                        return Err(LinkError::Disconnected(
                            "writing to the device timed out".into(),
                        ));
                    }
                }
            }
            Ok(())
        })
    }

    fn read(&mut self) -> BoxFuture<'_, Result<Vec<u8>, LinkError>> {
        Box::pin(async move {
            let Some(link) = self.link.as_mut() else {
                return Err(LinkError::Disconnected("the link is closed".into()));
            };
            match link.incoming.recv().await {
                Some(r) => r,
                None => Err(LinkError::Disconnected("the link is closed".into())),
            }
        })
    }

    fn reconnect(&mut self, within: Duration) -> BoxFuture<'_, Result<(), LinkError>> {
        Box::pin(async move {
            self.teardown().await;
            let deadline = Instant::now() + within;
            let mut last = LinkError::NotFound(format!(
                "{} did not come back within {} s",
                self.target,
                within.as_secs_f64().round()
            ));
            // The device advertises again at the same address once it is back (§9.13).
            while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                let address = self.address.clone();
                let same = |d: &BleDevice| d.address.eq_ignore_ascii_case(&address);
                match find(&self.adapter, same, left).await {
                    Ok(Some((p, _))) => {
                        self.peripheral = p;
                        match self.setup().await {
                            Ok(()) => return Ok(()),
                            Err(e @ LinkError::BluetoothUnavailable { .. }) => return Err(e),
                            Err(e) => last = e,
                        }
                    }
                    Ok(None) => break,
                    Err(e) => return Err(e),
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(last)
        })
    }

    fn close(&mut self) -> BoxFuture<'_, ()> {
        Box::pin(async move { self.teardown().await })
    }

    fn proves_presence(&self) -> bool {
        self.link.is_some()
    }

    fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }
}

impl Drop for BleTransport {
    fn drop(&mut self) {
        // Dropped without `close`: still end the connection if a runtime is
        // there to do it (best effort; BlueZ would keep it otherwise).
        if let Some(mut link) = self.link.take() {
            link.stop();
            let p = self.peripheral.clone();
            if let Ok(rt) = tokio::runtime::Handle::try_current() {
                rt.spawn(async move {
                    let _ = tokio::time::timeout(Duration::from_secs(3), p.disconnect()).await;
                });
            }
        }
    }
}
