//! Discovery over BLE: the devices heard while scanning (PawCore devices
//! recognised by name or by the Nordic UART Service with our manufacturer
//! data), read only from this discovery (BlueZ replays devices it knew),
//! and Device Information and Battery Level read by connecting briefly.

use super::{MAX_DIS_TEXT, OP_TIMEOUT, adapter, adapter_error};
use crate::interface::adv::{PawAdvert, model_from_name};
use crate::interface::model::{Model, NUS_SERVICE};
use crate::link::{BluetoothProblem, LinkError};
use btleplug::api::bleuuid::uuid_from_u16;
use btleplug::api::{
    BDAddr, Central, CentralEvent, CharPropFlags, Peripheral as _, PeripheralProperties, ScanFilter,
};
use btleplug::platform::{Adapter, Peripheral, PeripheralId};
use futures_util::StreamExt;
use serde::Serialize;
use std::collections::HashMap;
use std::time::Duration;
use uuid::Uuid;

/// A device heard while scanning.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BleDevice {
    /// Local name, when it advertises one.
    pub name: Option<String>,
    /// MAC address, `AA:BB:CC:DD:EE:FF` (on macOS, which hides MAC
    /// addresses, CoreBluetooth's UUID for the device).
    pub address: String,
    /// Signal strength in dBm, as last heard.
    pub rssi: Option<i16>,
    /// Whether it is a PawCore device.
    pub pawcore: bool,
    /// Its model, from the advertisement or the name.
    pub model: Option<Model>,
    /// The PawCore manufacturer data, parsed.
    pub advert: Option<PawAdvert>,
    /// What the name tells of the serial number (`PT-…-0001`).
    pub serial_hint: Option<String>,
    /// Device Information and Battery Level (`scan --all` connects briefly to read them).
    pub info: Option<DeviceInformation>,
}

impl BleDevice {
    /// The address to reach it with (`ble:AA:BB:…`).
    pub fn address_string(&self) -> String {
        format!("ble:{}", self.address)
    }
}

/// What the standard Device Information (0x180A) and Battery (0x180F)
/// services say, where the device offers them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DeviceInformation {
    /// Manufacturer Name (0x2A29).
    pub manufacturer: Option<String>,
    /// Model Number (0x2A24).
    pub model: Option<String>,
    /// Serial Number (0x2A25).
    pub serial: Option<String>,
    /// Firmware Revision (0x2A26).
    pub firmware: Option<String>,
    /// Hardware Revision (0x2A27).
    pub hardware: Option<String>,
    /// Battery Level (0x2A19), percent.
    pub battery_pct: Option<u8>,
}

pub(super) fn nus(s: &str) -> Uuid {
    // The constants are valid UUIDs; `nil` would simply match nothing.
    Uuid::parse_str(s).unwrap_or_default()
}

/// Whether what a device advertises makes it a PawCore device: our name
/// prefix, or the Nordic UART Service together with our manufacturer data.
fn is_pawcore(name: Option<&str>, services: &[Uuid], advert: Option<&PawAdvert>) -> bool {
    name.is_some_and(|n| model_from_name(n).is_some())
        || (services.contains(&nus(NUS_SERVICE)) && advert.is_some_and(|a| a.model.is_some()))
}

/// The address a device is reached by: its MAC address, or where the stack
/// hides it (CoreBluetooth gives every device 00:00:00:00:00:00) the
/// stack's own identifier for it, a UUID that stays the same on that Mac.
fn address_text(mac: BDAddr, id: impl FnOnce() -> String) -> String {
    if mac == BDAddr::default() {
        id().to_ascii_uppercase()
    } else {
        mac.to_string().to_ascii_uppercase()
    }
}

fn device_from(props: &PeripheralProperties, id: impl FnOnce() -> String) -> BleDevice {
    let name = props.local_name.as_deref().map(clean_text);
    let advert = PawAdvert::from_manufacturer_data(&props.manufacturer_data);
    let pawcore = is_pawcore(name.as_deref(), &props.services, advert.as_ref());
    let model = advert
        .and_then(|a| a.model)
        .or_else(|| name.as_deref().and_then(model_from_name))
        .filter(|_| pawcore);
    BleDevice {
        address: address_text(props.address, id),
        rssi: props.rssi,
        pawcore,
        model,
        advert: advert.filter(|_| pawcore),
        serial_hint: name
            .as_deref()
            .filter(|_| pawcore)
            .and_then(crate::interface::serial::partial_from_name),
        name,
        info: None,
    }
}

/// Printable text from untrusted bytes: lossy UTF-8, no control characters,
/// bounded length.
fn clean_text(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(MAX_DIS_TEXT)
        .collect::<String>()
        .trim()
        .to_string()
}

/// Listens for advertisements for up to `within`; `done` may end it early.
/// Only devices heard in this discovery (with an RSSI) are reported.
pub(super) async fn discover(
    adapter: &Adapter,
    filter: ScanFilter,
    within: Duration,
    mut done: impl FnMut(&HashMap<PeripheralId, BleDevice>) -> bool,
) -> Result<HashMap<PeripheralId, BleDevice>, LinkError> {
    let mut events = adapter.events().await.map_err(adapter_error)?;
    adapter.start_scan(filter).await.map_err(adapter_error)?;
    let deadline = tokio::time::Instant::now() + within;
    let mut seen: HashMap<PeripheralId, BleDevice> = HashMap::new();
    loop {
        let ev = match tokio::time::timeout_at(deadline, events.next()).await {
            Ok(Some(ev)) => ev,
            Ok(None) | Err(_) => break,
        };
        // Updates of a device already heard need no round trip to BlueZ.
        let id = match ev {
            CentralEvent::RssiUpdate { id, rssi } => {
                if let Some(d) = seen.get_mut(&id) {
                    d.rssi = Some(rssi);
                    continue;
                }
                id
            }
            CentralEvent::ManufacturerDataAdvertisement {
                id,
                manufacturer_data,
            } => {
                if let Some(d) = seen.get_mut(&id) {
                    if d.pawcore {
                        d.advert =
                            PawAdvert::from_manufacturer_data(&manufacturer_data).or(d.advert);
                    }
                    continue;
                }
                id
            }
            CentralEvent::DeviceDiscovered(id)
            | CentralEvent::DeviceUpdated(id)
            | CentralEvent::ServicesAdvertisement { id, .. } => id,
            CentralEvent::StateUpdate(btleplug::api::CentralState::PoweredOff) => {
                let _ = adapter.stop_scan().await;
                return Err(LinkError::bluetooth(BluetoothProblem::AdapterOff));
            }
            _ => continue,
        };
        let Ok(p) = adapter.peripheral(&id).await else {
            continue;
        };
        let Ok(Some(props)) = p.properties().await else {
            continue;
        };
        // BlueZ replays devices it knew before; only what is heard now counts.
        if props.rssi.is_none() {
            continue;
        }
        let dev = device_from(&props, || id.to_string());
        seen.insert(id, dev);
        if done(&seen) {
            break;
        }
    }
    let _ = adapter.stop_scan().await;
    Ok(seen)
}

fn sort_by_signal(list: &mut [BleDevice]) {
    list.sort_by(|a, b| {
        b.rssi
            .unwrap_or(i16::MIN)
            .cmp(&a.rssi.unwrap_or(i16::MIN))
            .then_with(|| a.address.cmp(&b.address))
    });
}

/// Lists BLE devices heard within `timeout`, strongest signal first:
/// PawCore devices only, or with `all` every device, each with its Device
/// Information and Battery Level where it offers them (read by connecting
/// briefly).
pub async fn scan(timeout: Duration, all: bool) -> Result<Vec<BleDevice>, LinkError> {
    let adapter = adapter().await?;
    let filter = if all {
        ScanFilter::default()
    } else {
        ScanFilter {
            services: vec![nus(NUS_SERVICE)],
        }
    };
    let seen = discover(&adapter, filter, timeout, |_| false).await?;
    let mut out = Vec::new();
    for (id, mut dev) in seen {
        if !all && !dev.pawcore {
            continue;
        }
        if all && let Ok(p) = adapter.peripheral(&id).await {
            dev.info = read_briefly(&p).await;
        }
        out.push(dev);
    }
    sort_by_signal(&mut out);
    Ok(out)
}

/// Connects, reads Device Information and Battery, disconnects.
async fn read_briefly(p: &Peripheral) -> Option<DeviceInformation> {
    tokio::time::timeout(OP_TIMEOUT, p.connect())
        .await
        .ok()?
        .ok()?;
    let info = match tokio::time::timeout(OP_TIMEOUT, p.discover_services()).await {
        Ok(Ok(())) => Some(read_information(p).await),
        _ => None,
    };
    let _ = tokio::time::timeout(OP_TIMEOUT, p.disconnect()).await;
    info
}

/// Reads whatever of Device Information and Battery Level the device offers.
pub(super) async fn read_information(p: &Peripheral) -> DeviceInformation {
    let chars = p.characteristics();
    let read = |uuid: u16| {
        let c = chars
            .iter()
            .find(|c| c.uuid == uuid_from_u16(uuid) && c.properties.contains(CharPropFlags::READ))
            .cloned();
        async move {
            let c = c?;
            tokio::time::timeout(OP_TIMEOUT, p.read(&c))
                .await
                .ok()?
                .ok()
        }
    };
    let text = |v: Option<Vec<u8>>| {
        v.map(|b| clean_text(&String::from_utf8_lossy(&b[..b.len().min(512)])))
            .filter(|s| !s.is_empty())
    };
    // Independent reads: let BlueZ have them all at once.
    let (manufacturer, model, serial, firmware, hardware, battery) = tokio::join!(
        read(0x2A29),
        read(0x2A24),
        read(0x2A25),
        read(0x2A26),
        read(0x2A27),
        read(0x2A19)
    );
    DeviceInformation {
        manufacturer: text(manufacturer),
        model: text(model),
        serial: text(serial),
        firmware: text(firmware),
        hardware: text(hardware),
        battery_pct: battery.and_then(|v| v.first().copied()).map(|b| b.min(100)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pawcore_is_recognised_by_name_or_nus_and_our_data() {
        let advert = PawAdvert::parse(&[1, 1, 80, 0]);
        assert!(is_pawcore(Some("PawCore-PT-0001"), &[], None));
        assert!(is_pawcore(None, &[nus(NUS_SERVICE)], advert.as_ref()));
        // NUS alone is any Nordic board, not ours.
        assert!(!is_pawcore(Some("Nordic_UART"), &[nus(NUS_SERVICE)], None));
        assert!(!is_pawcore(
            Some("Polar H10"),
            &[uuid_from_u16(0x180D)],
            None
        ));
    }

    #[test]
    fn a_hidden_mac_address_gives_way_to_the_stack_s_identifier() {
        let uuid = "5a1d3c2e-0b7f-4e47-9f6a-2c1b0e9d8a77";
        let mut props = PeripheralProperties {
            local_name: Some("PawCore-PT-0001".into()),
            ..PeripheralProperties::default()
        };
        let mac_hidden = device_from(&props, || uuid.to_string());
        assert_eq!(mac_hidden.address, uuid.to_ascii_uppercase());
        assert_eq!(
            mac_hidden.address_string(),
            "ble:5A1D3C2E-0B7F-4E47-9F6A-2C1B0E9D8A77"
        );
        props.address = BDAddr::from([0xC0, 0xFF, 0xEE, 0, 0, 1]);
        let shown = device_from(&props, || unreachable!("the MAC address is known"));
        assert_eq!(shown.address, "C0:FF:EE:00:00:01");
    }

    #[test]
    fn untrusted_text_is_bounded_and_printable() {
        assert_eq!(clean_text("PawCore\u{1b}[2J Systems"), "PawCore[2J Systems");
        assert_eq!(clean_text(&"x".repeat(1000)).len(), MAX_DIS_TEXT);
    }

    #[test]
    fn strongest_first() {
        let d = |a: &str, r: Option<i16>| BleDevice {
            name: None,
            address: a.into(),
            rssi: r,
            pawcore: true,
            model: None,
            advert: None,
            serial_hint: None,
            info: None,
        };
        let mut v = vec![d("A", Some(-80)), d("B", None), d("C", Some(-40))];
        sort_by_signal(&mut v);
        let order: Vec<&str> = v.iter().map(|d| d.address.as_str()).collect();
        assert_eq!(order, ["C", "A", "B"]);
    }
}
