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
