//! From an [`Address`] to an open [`Client`]: picks the transport, resolves
//! `auto` among attached devices, and opens the link. Never prompts: when a
//! choice is needed it returns the candidates and the caller decides.

use crate::client::{Client, ClientOptions};
use crate::interface::Model;
use crate::link::serial::SerialTransport;
use crate::link::{Address, BoxTransport, LinkError, usb};
use serde::Serialize;

/// How to open a link.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Serial baud rate.
    pub baud: u32,
    /// Client tuning.
    pub client: ClientOptions,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            baud: crate::link::serial::BAUD,
            client: ClientOptions::default(),
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
    /// Its serial number, when known before connecting.
    pub serial: Option<String>,
    /// How it is attached: `usb` or `ble`.
    pub via: &'static str,
}

/// Every PawCore device `auto` can see without connecting (USB serial).
pub fn candidates() -> Vec<Candidate> {
    usb::list()
        .into_iter()
        .map(|d| Candidate {
            address: format!("serial:{}", d.port),
            model: d.model,
            serial: d.serial,
            via: "usb",
        })
        .collect()
}

/// How long `auto` listens for Bluetooth devices.
pub const AUTO_BLE_SCAN: std::time::Duration = std::time::Duration::from_secs(3);

/// Every PawCore device `auto` can see: Bluetooth LE first (how customers'
/// devices are mostly reached), then USB serial. Bluetooth being unavailable
/// (no adapter, BlueZ not running, powered off) is returned beside the list,
/// not as a failure, so USB still works on a machine without Bluetooth.
pub async fn candidates_everywhere(
    ble_timeout: std::time::Duration,
) -> (Vec<Candidate>, Option<LinkError>) {
    let mut found = Vec::new();
    let mut ble_error = None;
    #[cfg(target_os = "linux")]
    match crate::link::ble::scan(ble_timeout, false).await {
        Ok(devices) => found.extend(devices.into_iter().filter_map(|d| {
            Some(Candidate {
                address: d.address_string(),
                model: d.model?,
                serial: d.name.clone(),
                via: "ble",
            })
        })),
        Err(e) => ble_error = Some(e),
    }
    #[cfg(not(target_os = "linux"))]
    let _ = ble_timeout;
    found.extend(candidates());
    (found, ble_error)
}

/// Opens the transport for a concrete address. `auto` must have been
/// resolved to one candidate first.
pub async fn open_transport(
    addr: &Address,
    opts: &ConnectOptions,
) -> Result<BoxTransport, LinkError> {
    match addr {
        Address::Serial(path) => {
            // The USB serial number lets us find the device again after a reboot.
            let usb_serial = usb::list()
                .into_iter()
                .find(|d| &d.port == path)
                .and_then(|d| d.serial);
            let path = path.clone();
            let baud = opts.baud;
            tokio::task::spawn_blocking(move || SerialTransport::open(&path, baud, usb_serial))
                .await
                .map_err(|e| LinkError::Unsupported(e.to_string()))?
                .map(|t| Box::new(t) as BoxTransport)
        }
        Address::Sim(spec) => Ok(Box::new(crate::sim::inproc::SimTransport::start(spec))),
        Address::Ble(target) => {
            crate::link::ble::open(target, crate::link::ble::DEFAULT_FIND_TIMEOUT)
                .await
                .map(|t| Box::new(t) as BoxTransport)
        }
        Address::Replay(path) => {
            let src = crate::handoff::source::load(std::path::Path::new(path))
                .map_err(|e| LinkError::Unsupported(format!("{e}; {}", e.hint())))?;
            Ok(Box::new(crate::link::replay::ReplayTransport::new(
                &src.recording,
                &addr.to_string(),
            )))
        }
        Address::Auto => Err(LinkError::NotFound(
            "`auto` must be resolved before opening".into(),
        )),
    }
}

/// Opens a client for a concrete address.
pub async fn connect(addr: &Address, opts: &ConnectOptions) -> Result<Client, LinkError> {
    let transport = open_transport(addr, opts).await?;
    Ok(Client::new(transport, opts.client.clone()))
}
