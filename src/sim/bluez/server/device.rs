//! A fake device on the bus: its `Device1` properties, GATT object paths
//! and values, and the signals its changes send.

use super::gatt::{Chrc, DisStrings, Source, sig_uuid};
use super::{
    ADAPTER_PATH, Dev, INTROSPECTABLE, Kind, OBJECT_MANAGER, PROPS, Props, dev_path, path,
};
use crate::interface::model::{BLE_COMPANY_ID, NUS_SERVICE};
use crate::sim::bluez::{DeviceKind, FakeDevice};
use std::collections::{BTreeSet, HashMap};
use std::time::Instant;
use zbus::{Message, Variant};

impl Dev {
    pub(super) fn new(d: FakeDevice) -> Self {
        let kind = match d.kind {
            DeviceKind::PawCore(fw) => Kind::Paw(fw),
            DeviceKind::HeartRateStrap { name, battery_pct } => Kind::Strap { name, battery_pct },
        };
        Dev {
            path: dev_path(&d.address),
            address: d.address,
            rssi_base: d.rssi,
            kind,
            known: false,
            connected: false,
            connecting: false,
            connect_epoch: 0,
            connect_calls: 0,
            rssi: None,
            away_until: None,
            gone: false,
            services: Vec::new(),
            values: HashMap::new(),
            notify: HashMap::new(),
            pending: Vec::new(),
            ticks: 0,
        }
    }

    pub(super) fn advertising(&self, now: Instant) -> bool {
        !self.connected && !self.gone && self.away_until.is_none_or(|t| now >= t)
    }

    pub(super) fn name(&self) -> String {
        match &self.kind {
            Kind::Paw(fw) => fw.advert().local_name,
            Kind::Strap { name, .. } => name.clone(),
        }
    }

    pub(super) fn battery(&self) -> u8 {
        match &self.kind {
            Kind::Paw(fw) => fw.advert().battery_pct.min(100),
            Kind::Strap { battery_pct, .. } => *battery_pct,
        }
    }

    pub(super) fn dis(&self) -> DisStrings {
        match &self.kind {
            Kind::Paw(fw) => {
                let a = fw.advert();
                DisStrings {
                    manufacturer: a.manufacturer,
                    model: a.model_id,
                    serial: a.serial,
                    firmware: a.fw_version,
                    hardware: a.hw_rev,
                }
            }
            Kind::Strap { .. } => DisStrings {
                manufacturer: "Acme Sports".into(),
                model: "HR-10".into(),
                serial: "A1B2C3".into(),
                firmware: "1.0.7".into(),
                hardware: "2".into(),
            },
        }
    }

    /// Service UUIDs in the advertisement (§9.10 for PawCore).
    pub(super) fn advertised_uuids(&self) -> Vec<String> {
        match &self.kind {
            Kind::Paw(_) => vec![sig_uuid(0x180A), sig_uuid(0x180F), NUS_SERVICE.to_string()],
            Kind::Strap { .. } => vec![sig_uuid(0x180D)],
        }
    }

    /// `UUIDs`: advertised ones, plus the GATT services once resolved.
    pub(super) fn uuids(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self.advertised_uuids().into_iter().collect();
        set.extend(self.services.iter().map(|s| s.uuid.clone()));
        set.into_iter().collect()
    }

    pub(super) fn manufacturer_data(&self) -> Option<HashMap<u16, Variant<'static>>> {
        match &self.kind {
            Kind::Paw(fw) => {
                let mut m = HashMap::new();
                m.insert(
                    BLE_COMPANY_ID,
                    Variant::from(fw.advert().manufacturer_data().to_vec()),
                );
                Some(m)
            }
            Kind::Strap { .. } => None,
        }
    }

    pub(super) fn props(&self) -> Props {
        let name = self.name();
        let mut p: Props = vec![
            ("Address", Variant::from(self.address.clone())),
            ("AddressType", Variant::from("random")),
            ("Name", Variant::from(name.clone())),
            ("Alias", Variant::from(name)),
            ("Paired", Variant::from(false)),
            ("Bonded", Variant::from(false)),
            ("Trusted", Variant::from(false)),
            ("Blocked", Variant::from(false)),
            ("LegacyPairing", Variant::from(false)),
            ("Connected", Variant::from(self.connected)),
            ("UUIDs", Variant::from(self.uuids())),
            ("Adapter", Variant::from(path(ADAPTER_PATH))),
            ("ServicesResolved", Variant::from(self.connected)),
        ];
        if let Some(rssi) = self.rssi {
            p.push(("RSSI", Variant::from(rssi)));
            p.push(("TxPower", Variant::from(0i16)));
        }
        if let Some(m) = self.manufacturer_data() {
            p.push(("ManufacturerData", Variant::from(m)));
        }
        p
    }

    pub(super) fn chrc_value(&self, c: &Chrc) -> Vec<u8> {
        match &c.source {
            Source::Fixed(v) => v.clone(),
            Source::Battery => vec![self.battery()],
            _ => self.values.get(&c.handle).cloned().unwrap_or_default(),
        }
    }

    pub(super) fn notifying(&self, handle: u16) -> bool {
        self.notify.get(&handle).is_some_and(|s| !s.is_empty())
    }

    pub(super) fn service_path(&self, s: usize) -> String {
        format!("{}/service{:04x}", self.path, self.services[s].handle)
    }

    pub(super) fn chrc_path(&self, s: usize, c: usize) -> String {
        format!(
            "{}/char{:04x}",
            self.service_path(s),
            self.services[s].chrcs[c].handle
        )
    }

    pub(super) fn desc_path(&self, s: usize, c: usize) -> String {
        format!(
            "{}/desc{:04x}",
            self.chrc_path(s, c),
            self.services[s].chrcs[c].cccd_handle()
        )
    }

    pub(super) fn find_chrc(&self, source: &Source) -> Option<(usize, usize)> {
        self.services.iter().enumerate().find_map(|(si, s)| {
            s.chrcs
                .iter()
                .position(|c| &c.source == source)
                .map(|ci| (si, ci))
        })
    }
}

pub(super) fn props_changed(
    p: &str,
    iface: &str,
    changed: Props,
    invalidated: &[&str],
) -> Option<Message> {
    let changed: HashMap<&str, Variant<'static>> = changed.into_iter().collect();
    Message::signal(path(p), PROPS, "PropertiesChanged")
        .build(&(iface, changed, invalidated.to_vec()))
        .ok()
}

pub(super) fn interfaces_added(p: &str, ifaces: Vec<(&'static str, Props)>) -> Option<Message> {
    let mut all: HashMap<&str, HashMap<&str, Variant<'static>>> = ifaces
        .into_iter()
        .map(|(i, props)| (i, props.into_iter().collect()))
        .collect();
    all.insert(INTROSPECTABLE, HashMap::new());
    all.insert(PROPS, HashMap::new());
    Message::signal(path("/"), OBJECT_MANAGER, "InterfacesAdded")
        .build(&(path(p), all))
        .ok()
}

pub(super) fn interfaces_removed(p: &str, iface: &str) -> Option<Message> {
    Message::signal(path("/"), OBJECT_MANAGER, "InterfacesRemoved")
        .build(&(path(p), vec![iface, INTROSPECTABLE, PROPS]))
        .ok()
}
