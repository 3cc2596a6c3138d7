//! From an [`Address`] to an open [`Client`]: picks the transport, finds a
//! device by serial number, lists candidates for `auto`, and opens the
//! link. Never prompts: when a choice is needed it returns the candidates
//! and the caller decides.

use crate::address::Address;
use crate::client::{Client, ClientOptions};
use crate::interface::Model;
use crate::interface::serial;
use crate::link::serial::SerialTransport;
use crate::link::{BoxTransport, LinkError, Progress, usb};
use serde::Serialize;
use std::time::Duration;

/// How to open a link.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Serial baud rate.
    pub baud: u32,
    /// Client tuning.
    pub client: ClientOptions,
    /// Where connection steps go (tries, candidates looked at), for `-v`.
    pub progress: Progress,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            baud: crate::link::serial::BAUD,
            client: ClientOptions::default(),
            progress: Progress::default(),
        }
    }
}

/// A device found by `auto`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The address that reaches it.
    pub address: String,
    /// Its model.
    pub model: Model,
    /// Its serial number, when known before connecting (USB).
    pub serial: Option<String>,
    /// What its advertised name tells of the serial (`PT-…-0001`), for
    /// Bluetooth devices.
    pub serial_hint: Option<String>,
    /// How it is attached: `usb` or `ble`.
    pub via: &'static str,
}

impl Candidate {
    /// The serial as far as it is known: the full one, else the hint.
    pub fn serial_label(&self) -> &str {
        self.serial
            .as_deref()
            .or(self.serial_hint.as_deref())
            .unwrap_or("?")
    }

    /// One entry naming it: `SERIAL (Model, ADDRESS)`.
    pub fn describe(&self) -> String {
        format!(
            "{} ({}, {})",
            self.serial_label(),
            self.model.product_name(),
            self.address
        )
    }
}

/// Every PawCore device `auto` can see without connecting (USB serial).
pub fn candidates() -> Vec<Candidate> {
    usb::list()
        .into_iter()
        .map(|d| Candidate {
            address: format!("serial:{}", d.port),
            model: d.model,
            serial: d.serial,
            serial_hint: None,
            via: "usb",
        })
        .collect()
}

/// How long `auto` listens for Bluetooth devices.
pub const AUTO_BLE_SCAN: Duration = Duration::from_secs(3);

/// Every PawCore device `auto` can see: Bluetooth LE first (how customers'
/// devices are mostly reached), then USB serial. Bluetooth being unavailable
/// (no adapter, BlueZ not running, powered off) is returned beside the list,
/// not as a failure, so USB still works on a machine without Bluetooth.
pub async fn candidates_everywhere(ble_timeout: Duration) -> (Vec<Candidate>, Option<LinkError>) {
    let mut found = Vec::new();
    let mut ble_error = None;
    match crate::link::ble::scan(ble_timeout, false).await {
        Ok(devices) => found.extend(devices.into_iter().filter_map(|d| {
            Some(Candidate {
                address: d.address_string(),
                model: d.model?,
                serial: None,
                serial_hint: d.serial_hint.clone(),
                via: "ble",
            })
        })),
        Err(e) => ble_error = Some(e),
    }
    found.extend(candidates());
    (found, ble_error)
}

/// Opens the transport for a concrete address. `auto` must have been
/// resolved to one candidate first; a serial number is found by
/// [`connect`], which can confirm it.
pub async fn open_transport(
    addr: &Address,
    opts: &ConnectOptions,
) -> Result<BoxTransport, LinkError> {
    match addr {
        Address::Serial(path) => open_serial(path, opts).await,
        Address::Sim(spec) => Ok(Box::new(crate::sim::inproc::SimTransport::start(spec))),
        Address::Ble(target) => crate::link::ble::open(
            target,
            crate::link::ble::DEFAULT_FIND_TIMEOUT,
            opts.progress.clone(),
        )
        .await
        .map(|t| Box::new(t) as BoxTransport),
        Address::Replay(path) => {
            let src = crate::handoff::source::load(std::path::Path::new(path))
                .map_err(|e| LinkError::Unsupported(format!("{e}; {}", e.hint())))?;
            Ok(Box::new(crate::link::replay::ReplayTransport::new(
                &src.recording,
                &addr.to_string(),
            )))
        }
        Address::SerialNumber(_) | Address::Auto => Err(LinkError::NotFound(format!(
            "`{addr}` must be resolved before opening"
        ))),
    }
}

async fn open_serial(path: &str, opts: &ConnectOptions) -> Result<BoxTransport, LinkError> {
    // The USB serial number lets us find the device again after a reboot.
    let usb_serial = usb::list()
        .into_iter()
        .find(|d| d.port == path)
        .and_then(|d| d.serial);
    let path = path.to_string();
    let baud = opts.baud;
    tokio::task::spawn_blocking(move || SerialTransport::open(&path, baud, usb_serial))
        .await
        .map_err(|e| LinkError::Unsupported(e.to_string()))?
        .map(|t| Box::new(t) as BoxTransport)
}

/// Opens a client for a concrete address (a serial number is looked up).
pub async fn connect(addr: &Address, opts: &ConnectOptions) -> Result<Client, LinkError> {
    connect_through(addr, opts, &|t| t).await
}

/// A layer put between a transport and its client (e.g. `--record`).
pub type Wrap<'a> = &'a (dyn Fn(BoxTransport) -> BoxTransport + Sync);

/// [`connect`], with every transport it opens passed through `wrap` first,
/// so a recording sees the serial-number lookup's exchanges too.
pub async fn connect_through(
    addr: &Address,
    opts: &ConnectOptions,
    wrap: Wrap<'_>,
) -> Result<Client, LinkError> {
    let started = std::time::Instant::now();
    let mut client = if let Address::SerialNumber(sn) = addr {
        connect_serial_number(sn, opts, wrap).await?
    } else {
        Client::new(wrap(open_transport(addr, opts).await?), opts.client.clone())
    };
    client.connected_since(started);
    Ok(client)
}

/// Finds the device with serial number `sn`: over USB by the USB serial
/// string (confirmed by `device.info`), then over Bluetooth by the
/// advertised name's suffix (confirmed by Device Information), connecting
/// only to devices whose name fits.
async fn connect_serial_number(
    sn: &str,
    opts: &ConnectOptions,
    wrap: Wrap<'_>,
) -> Result<Client, LinkError> {
    let mut last: Option<LinkError> = None;
    let usb_matches = usb::list()
        .into_iter()
        .filter(|d| d.serial.as_deref().is_some_and(|s| serial::same(s, sn)));
    for dev in usb_matches {
        opts.progress
            .say(&format!("{sn} is on USB at {}: checking", dev.port));
        let transport = match open_serial(&dev.port, opts).await {
            Ok(t) => t,
            Err(e) => {
                last = Some(e);
                continue;
            }
        };
        let mut client = Client::new(wrap(transport), opts.client.clone());
        match client.call("device.info", None).await {
            Ok(info) => {
                let reported = info.get("serial").and_then(|v| v.as_str()).unwrap_or("");
                if serial::same(reported, sn) {
                    return Ok(client);
                }
                opts.progress.say(&format!(
                    "{} answers as {}, not {sn}",
                    dev.port,
                    reported.chars().take(40).collect::<String>()
                ));
                client.close().await;
            }
            // The USB string matched but the device does not answer: it is
            // the device asked for; the command's own first call will say
            // what is wrong with it.
            Err(_) => return Ok(client),
        }
    }
    if let Some(e) = last {
        return Err(e);
    }
    let ble = crate::link::ble::open_by_serial(
        sn,
        crate::link::ble::DEFAULT_FIND_TIMEOUT,
        opts.progress.clone(),
    )
    .await;
    match ble {
        Ok(t) => Ok(Client::new(wrap(Box::new(t)), opts.client.clone())),
        Err(LinkError::BluetoothUnavailable { problem, .. }) => Err(LinkError::NotFound(format!(
            "no device with serial number {sn} is attached over USB, and Bluetooth cannot be searched: {}",
            problem.describe()
        ))),
        Err(LinkError::NotFound(_)) => Err(LinkError::NotFound(format!(
            "no device with serial number {sn} is attached over USB or was heard over Bluetooth"
        ))),
        Err(e) => Err(e),
    }
}
