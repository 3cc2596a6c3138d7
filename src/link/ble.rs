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

use super::{LinkError, Progress};
use crate::interface::model::NUS_SERVICE;
use btleplug::api::{Central, Characteristic, ScanFilter, WriteType};
use btleplug::platform::{Adapter, Peripheral};
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

mod connect;
mod discovery;
mod error;
pub mod stacks;
mod transport;

pub use discovery::{BleDevice, DeviceInformation, scan};
use discovery::{discover, nus};
pub use error::BleFailure;
use error::{adapter, adapter_error};

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
