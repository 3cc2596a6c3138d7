//! The fake BlueZ's D-Bus side: a hand-written dispatcher over a raw zbus
//! connection (no object server), so every reply, error and signal can be
//! shaped exactly as BlueZ (built on libdbus) shapes it, including the
//! `UnknownMethod` answer for objects that have gone away.

use super::gatt::{self, CCCD, Chrc, DisStrings, Service, Source, sig_uuid};
use super::{BluezOptions, DeviceKind, FakeDevice};
use crate::interface::model::{BLE_COMPANY_ID, NUS_SERVICE};
use crate::sim::{Firmware, Output as FwOutput};
use futures_util::StreamExt;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;
use tokio::sync::Notify;
use tokio::task::JoinHandle;
use zbus::message::{Header, Type as MsgType};
use zbus::{Connection, Message, ObjectPath, OwnedVariant, Variant};

mod connect;

use connect::connect;

const ADAPTER_PATH: &str = "/org/bluez/hci0";
const ADAPTER_ADDRESS: &str = "00:1A:7D:DA:71:13";
const PROPS: &str = "org.freedesktop.DBus.Properties";
const INTROSPECTABLE: &str = "org.freedesktop.DBus.Introspectable";
const OBJECT_MANAGER: &str = "org.freedesktop.DBus.ObjectManager";
const ADAPTER1: &str = "org.bluez.Adapter1";
const DEVICE1: &str = "org.bluez.Device1";
const SERVICE1: &str = "org.bluez.GattService1";
const CHRC1: &str = "org.bluez.GattCharacteristic1";
const DESC1: &str = "org.bluez.GattDescriptor1";
/// Longest value a write with response may carry (ATT attribute maximum).
const MAX_ATTR_LEN: usize = 512;

type Props = Vec<(&'static str, Variant<'static>)>;

/// A running fake BlueZ. Dropping it stops serving (tasks are aborted).
pub struct FakeBluez {
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

struct Shared {
    conn: Connection,
    opts: BluezOptions,
    state: Mutex<State>,
    wake: Notify,
}

struct State {
    adapter: Option<AdapterState>,
    devices: Vec<Dev>,
    next_advert: Instant,
    /// ATT MTU of every connection.
    mtu: u16,
    /// `Device1.Connect` calls so far (the once-only knobs act on the first).
    connect_calls: u32,
}

struct AdapterState {
    powered: bool,
    blocked: bool,
    /// Discovery sessions: client unique name → its filter's service UUIDs.
    sessions: BTreeMap<String, Vec<String>>,
    /// Filters set before a client's `StartDiscovery`.
    filters: HashMap<String, Vec<String>>,
}

enum Kind {
    Paw(Box<Firmware>),
    Strap { name: String, battery_pct: u8 },
}

struct Dev {
    address: String,
    path: String,
    rssi_base: i16,
    kind: Kind,
    /// Has an object (was heard while discovering).
    known: bool,
    connected: bool,
    connecting: bool,
    /// Bumped when a pending connect is cancelled, so its task gives up.
    connect_epoch: u64,
    /// `Device1.Connect` calls made to it.
    connect_calls: u32,
    /// RSSI of the last advertisement heard in this discovery.
    rssi: Option<i16>,
    /// Not advertising until then (rebooting).
    away_until: Option<Instant>,
    /// Gone for good.
    gone: bool,
    services: Vec<Service>,
    values: HashMap<u16, Vec<u8>>,
    /// Notify sessions: characteristic handle → clients.
    notify: HashMap<u16, BTreeSet<String>>,
    pending: Vec<FwOutput>,
    ticks: u32,
}

/// What a call answers.
enum Reply {
    /// A method return with a body built by the closure.
    Ok(Box<dyn FnOnce(zbus::message::Builder<'_>) -> zbus::Result<Message> + Send>),
    /// A D-Bus error: name and message.
    Err(String, String),
    /// Answered later (by a spawned task).
    Later,
}

fn ok_empty() -> Reply {
    Reply::Ok(Box::new(|b| b.build(&())))
}

fn ok_body<B>(body: B) -> Reply
where
    B: serde::Serialize + zbus::DynamicType + Send + 'static,
{
    Reply::Ok(Box::new(move |b| b.build(&body)))
}

fn bluez_err(name: &str, msg: &str) -> Reply {
    Reply::Err(format!("org.bluez.Error.{name}"), msg.to_string())
}

/// What libdbus answers for a call no object handles.
fn unknown_method(h: &Header<'_>) -> Reply {
    no_such_method(
        h.member().map(|m| m.as_str()).unwrap_or(""),
        &h.signature().to_string(),
        h.interface().map(|i| i.as_str()).unwrap_or(""),
    )
}

/// libdbus's `UnknownMethod` text. zbus shows a multi-argument body as one
/// structure, `(aya{sv})`; libdbus writes the bare `aya{sv}`.
fn no_such_method(member: &str, signature: &str, iface: &str) -> Reply {
    let sig = signature
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(signature);
    Reply::Err(
        "org.freedesktop.DBus.Error.UnknownMethod".into(),
        format!(
            "Method \"{member}\" with signature \"{sig}\" on interface \"{iface}\" doesn't exist\n"
        ),
    )
}

/// The objects the fake serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Obj {
    /// `/`, `/org`, `/org/bluez`: only introspection and the object manager.
    Root(u8),
    Adapter,
    Device(usize),
    Service(usize, usize),
    Chrc(usize, usize, usize),
    Desc(usize, usize, usize),
}

fn dev_path(address: &str) -> String {
    format!("{ADAPTER_PATH}/dev_{}", address.replace(':', "_"))
}

fn path(s: &str) -> ObjectPath<'static> {
    // Every path here is built from fixed parts and hex digits.
    ObjectPath::try_from(s.to_string())
        .unwrap_or_else(|_| ObjectPath::from_static_str_unchecked("/"))
}

impl Dev {
    fn new(d: FakeDevice) -> Self {
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

    fn advertising(&self, now: Instant) -> bool {
        !self.connected && !self.gone && self.away_until.is_none_or(|t| now >= t)
    }

    fn name(&self) -> String {
        match &self.kind {
            Kind::Paw(fw) => fw.advert().local_name,
            Kind::Strap { name, .. } => name.clone(),
        }
    }

    fn battery(&self) -> u8 {
        match &self.kind {
            Kind::Paw(fw) => fw.advert().battery_pct.min(100),
            Kind::Strap { battery_pct, .. } => *battery_pct,
        }
    }

    fn dis(&self) -> DisStrings {
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
    fn advertised_uuids(&self) -> Vec<String> {
        match &self.kind {
            Kind::Paw(_) => vec![sig_uuid(0x180A), sig_uuid(0x180F), NUS_SERVICE.to_string()],
            Kind::Strap { .. } => vec![sig_uuid(0x180D)],
        }
    }

    /// `UUIDs`: advertised ones, plus the GATT services once resolved.
    fn uuids(&self) -> Vec<String> {
        let mut set: BTreeSet<String> = self.advertised_uuids().into_iter().collect();
        set.extend(self.services.iter().map(|s| s.uuid.clone()));
        set.into_iter().collect()
    }

    fn manufacturer_data(&self) -> Option<HashMap<u16, Variant<'static>>> {
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

    fn props(&self) -> Props {
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

    fn chrc_value(&self, c: &Chrc) -> Vec<u8> {
        match &c.source {
            Source::Fixed(v) => v.clone(),
            Source::Battery => vec![self.battery()],
            _ => self.values.get(&c.handle).cloned().unwrap_or_default(),
        }
    }

    fn notifying(&self, handle: u16) -> bool {
        self.notify.get(&handle).is_some_and(|s| !s.is_empty())
    }

    fn service_path(&self, s: usize) -> String {
        format!("{}/service{:04x}", self.path, self.services[s].handle)
    }

    fn chrc_path(&self, s: usize, c: usize) -> String {
        format!(
            "{}/char{:04x}",
            self.service_path(s),
            self.services[s].chrcs[c].handle
        )
    }

    fn desc_path(&self, s: usize, c: usize) -> String {
        format!(
            "{}/desc{:04x}",
            self.chrc_path(s, c),
            self.services[s].chrcs[c].cccd_handle()
        )
    }

    fn find_chrc(&self, source: &Source) -> Option<(usize, usize)> {
        self.services.iter().enumerate().find_map(|(si, s)| {
            s.chrcs
                .iter()
                .position(|c| &c.source == source)
                .map(|ci| (si, ci))
        })
    }
}

fn props_changed(p: &str, iface: &str, changed: Props, invalidated: &[&str]) -> Option<Message> {
    let changed: HashMap<&str, Variant<'static>> = changed.into_iter().collect();
    Message::signal(path(p), PROPS, "PropertiesChanged")
        .build(&(iface, changed, invalidated.to_vec()))
        .ok()
}

fn interfaces_added(p: &str, ifaces: Vec<(&'static str, Props)>) -> Option<Message> {
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

fn interfaces_removed(p: &str, iface: &str) -> Option<Message> {
    Message::signal(path("/"), OBJECT_MANAGER, "InterfacesRemoved")
        .build(&(path(p), vec![iface, INTROSPECTABLE, PROPS]))
        .ok()
}

impl State {
    fn adapter_props(&self) -> Option<Props> {
        let a = self.adapter.as_ref()?;
        let power_state = if a.powered {
            "on"
        } else if a.blocked {
            "off-blocked"
        } else {
            "off"
        };
        Some(vec![
            ("Address", Variant::from(ADAPTER_ADDRESS)),
            ("AddressType", Variant::from("public")),
            ("Name", Variant::from("pawdiag-fake")),
            ("Alias", Variant::from("pawdiag-fake")),
            ("Class", Variant::from(0x000c_0104_u32)),
            ("Powered", Variant::from(a.powered)),
            ("PowerState", Variant::from(power_state)),
            ("Discoverable", Variant::from(false)),
            ("DiscoverableTimeout", Variant::from(180u32)),
            ("Pairable", Variant::from(true)),
            ("PairableTimeout", Variant::from(0u32)),
            ("Discovering", Variant::from(!a.sessions.is_empty())),
            ("UUIDs", Variant::from(Vec::<String>::new())),
            ("Modalias", Variant::from("usb:v1D6Bp0246d0548")),
            (
                "Roles",
                Variant::from(vec!["central".to_string(), "peripheral".to_string()]),
            ),
        ])
    }

    fn resolve(&self, p: &str) -> Option<Obj> {
        match p {
            "/" => return Some(Obj::Root(0)),
            "/org" => return Some(Obj::Root(1)),
            "/org/bluez" => return Some(Obj::Root(2)),
            ADAPTER_PATH => return self.adapter.as_ref().map(|_| Obj::Adapter),
            _ => {}
        }
        self.adapter.as_ref()?;
        let (d, dev) =
            self.devices.iter().enumerate().find(|(_, d)| {
                d.known && (p == d.path || p.starts_with(&format!("{}/", d.path)))
            })?;
        if p == dev.path {
            return Some(Obj::Device(d));
        }
        if !dev.connected {
            return None;
        }
        for (s, _) in dev.services.iter().enumerate() {
            let sp = dev.service_path(s);
            if p == sp {
                return Some(Obj::Service(d, s));
            }
            for (c, chrc) in dev.services[s].chrcs.iter().enumerate() {
                let cp = dev.chrc_path(s, c);
                if p == cp {
                    return Some(Obj::Chrc(d, s, c));
                }
                if chrc.notifies() && p == dev.desc_path(s, c) {
                    return Some(Obj::Desc(d, s, c));
                }
            }
        }
        None
    }

    /// The interfaces of an object with their properties.
    fn interfaces(&self, obj: Obj) -> Vec<(&'static str, Props)> {
        match obj {
            Obj::Root(_) => vec![],
            Obj::Adapter => self
                .adapter_props()
                .map(|p| vec![(ADAPTER1, p)])
                .unwrap_or_default(),
            Obj::Device(d) => vec![(DEVICE1, self.devices[d].props())],
            Obj::Service(d, s) => {
                let dev = &self.devices[d];
                let svc = &dev.services[s];
                vec![(
                    SERVICE1,
                    vec![
                        ("UUID", Variant::from(svc.uuid.clone())),
                        ("Device", Variant::from(path(&dev.path))),
                        ("Primary", Variant::from(true)),
                        ("Includes", Variant::from(Vec::<ObjectPath<'static>>::new())),
                        ("Handle", Variant::from(svc.handle)),
                    ],
                )]
            }
            Obj::Chrc(d, s, c) => {
                let dev = &self.devices[d];
                let chrc = &dev.services[s].chrcs[c];
                let mut p: Props = vec![
                    ("UUID", Variant::from(chrc.uuid.clone())),
                    ("Service", Variant::from(path(&dev.service_path(s)))),
                    (
                        "Value",
                        Variant::from(dev.values.get(&chrc.handle).cloned().unwrap_or_default()),
                    ),
                    (
                        "Flags",
                        Variant::from(chrc.flags.iter().map(|f| f.to_string()).collect::<Vec<_>>()),
                    ),
                    ("MTU", Variant::from(self.mtu())),
                    ("Handle", Variant::from(chrc.handle + 1)),
                ];
                if chrc.notifies() {
                    p.push(("Notifying", Variant::from(dev.notifying(chrc.handle))));
                    p.push(("NotifyAcquired", Variant::from(false)));
                }
                if chrc.has("write-without-response") {
                    p.push(("WriteAcquired", Variant::from(false)));
                }
                vec![(CHRC1, p)]
            }
            Obj::Desc(d, s, c) => {
                let dev = &self.devices[d];
                let chrc = &dev.services[s].chrcs[c];
                vec![(
                    DESC1,
                    vec![
                        ("UUID", Variant::from(sig_uuid(CCCD))),
                        ("Characteristic", Variant::from(path(&dev.chrc_path(s, c)))),
                        (
                            "Value",
                            Variant::from(cccd_value(dev.notifying(chrc.handle))),
                        ),
                        ("Handle", Variant::from(chrc.cccd_handle())),
                    ],
                )]
            }
        }
    }

    fn mtu(&self) -> u16 {
        self.mtu
    }

    fn discovering(&self) -> bool {
        self.adapter
            .as_ref()
            .is_some_and(|a| !a.sessions.is_empty())
    }

    /// Whether any discovery filter lets this device through.
    fn passes_filter(&self, dev: &Dev) -> bool {
        let Some(a) = &self.adapter else { return false };
        let ad = dev.advertised_uuids();
        a.sessions
            .values()
            .any(|f| f.is_empty() || f.iter().any(|u| ad.contains(u)))
    }

    /// Host- or device-initiated disconnection, as BlueZ reports it.
    fn disconnect(&mut self, d: usize, out: &mut Vec<Message>) {
        let dev = &mut self.devices[d];
        if !dev.connected {
            return;
        }
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![("ServicesResolved", Variant::from(false))],
            &[],
        ));
        // GATT objects of an unpaired device go with the connection.
        for s in (0..dev.services.len()).rev() {
            for c in (0..dev.services[s].chrcs.len()).rev() {
                if dev.services[s].chrcs[c].notifies() {
                    out.extend(interfaces_removed(&dev.desc_path(s, c), DESC1));
                }
                out.extend(interfaces_removed(&dev.chrc_path(s, c), CHRC1));
            }
            out.extend(interfaces_removed(&dev.service_path(s), SERVICE1));
        }
        dev.services.clear();
        dev.values.clear();
        dev.notify.clear();
        dev.connected = false;
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![("Connected", Variant::from(false))],
            &[],
        ));
    }

    /// Connection established: GATT objects appear, then ServicesResolved.
    fn connected(&mut self, d: usize, out: &mut Vec<Message>) {
        let dis = self.devices[d].dis();
        let dev = &mut self.devices[d];
        dev.connected = true;
        if let Kind::Paw(fw) = &mut dev.kind {
            // A new connection starts with an empty receive buffer.
            fw.reset_input();
        }
        dev.services = match dev.kind {
            Kind::Paw(_) => gatt::pawcore(&dis),
            Kind::Strap { .. } => gatt::heart_rate_strap(&dis),
        };
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![("Connected", Variant::from(true))],
            &[],
        ));
        let mut objs = Vec::new();
        for (s, svc) in self.devices[d].services.iter().enumerate() {
            objs.push(Obj::Service(d, s));
            for (c, chrc) in svc.chrcs.iter().enumerate() {
                objs.push(Obj::Chrc(d, s, c));
                if chrc.notifies() {
                    objs.push(Obj::Desc(d, s, c));
                }
            }
        }
        for o in objs {
            let p = self.object_path(o);
            out.extend(interfaces_added(&p, self.interfaces(o)));
        }
        let dev = &self.devices[d];
        out.extend(props_changed(
            &dev.path,
            DEVICE1,
            vec![
                ("UUIDs", Variant::from(dev.uuids())),
                ("ServicesResolved", Variant::from(true)),
            ],
            &[],
        ));
    }

    fn object_path(&self, o: Obj) -> String {
        match o {
            Obj::Root(0) => "/".into(),
            Obj::Root(1) => "/org".into(),
            Obj::Root(_) => "/org/bluez".into(),
            Obj::Adapter => ADAPTER_PATH.into(),
            Obj::Device(d) => self.devices[d].path.clone(),
            Obj::Service(d, s) => self.devices[d].service_path(s),
            Obj::Chrc(d, s, c) => self.devices[d].chrc_path(s, c),
            Obj::Desc(d, s, c) => self.devices[d].desc_path(s, c),
        }
    }

    /// Ends the discovery session of `client`.
    fn stop_discovery(&mut self, client: &str, out: &mut Vec<Message>) -> bool {
        let Some(a) = self.adapter.as_mut() else {
            return false;
        };
        if a.sessions.remove(client).is_none() {
            return false;
        }
        if a.sessions.is_empty() {
            out.extend(props_changed(
                ADAPTER_PATH,
                ADAPTER1,
                vec![("Discovering", Variant::from(false))],
                &[],
            ));
            // BlueZ forgets RSSI (and TxPower) when discovery stops.
            for dev in self.devices.iter_mut().filter(|d| d.rssi.is_some()) {
                dev.rssi = None;
                out.extend(props_changed(
                    &dev.path,
                    DEVICE1,
                    vec![],
                    &["RSSI", "TxPower"],
                ));
            }
        }
        true
    }

    /// A client left the bus: its notify and discovery sessions end (its
    /// connections do not).
    fn client_gone(&mut self, client: &str, out: &mut Vec<Message>) {
        self.stop_discovery(client, out);
        if let Some(a) = self.adapter.as_mut() {
            a.filters.remove(client);
        }
        for d in 0..self.devices.len() {
            let handles: Vec<u16> = self.devices[d].notify.keys().copied().collect();
            for h in handles {
                self.end_notify(d, h, client, out);
            }
        }
    }

    fn end_notify(&mut self, d: usize, handle: u16, client: &str, out: &mut Vec<Message>) -> bool {
        let dev = &mut self.devices[d];
        let Some(set) = dev.notify.get_mut(&handle) else {
            return false;
        };
        if !set.remove(client) {
            return false;
        }
        if set.is_empty()
            && let Some((s, c)) = dev.services.iter().enumerate().find_map(|(s, svc)| {
                svc.chrcs
                    .iter()
                    .position(|c| c.handle == handle)
                    .map(|c| (s, c))
            })
        {
            out.extend(props_changed(
                &dev.chrc_path(s, c),
                CHRC1,
                vec![("Notifying", Variant::from(false))],
                &[],
            ));
        }
        true
    }

    /// Advertisements heard while discovering, firmware work, due outputs.
    /// Returns when to run again.
    fn tick(
        &mut self,
        now: Instant,
        opts: &BluezOptions,
        out: &mut Vec<Message>,
    ) -> Option<Instant> {
        let mut next: Option<Instant> = None;
        let mut at = |t: Instant| next = Some(next.map_or(t, |n: Instant| n.min(t)));
        if self.discovering() && self.adapter.as_ref().is_some_and(|a| a.powered) {
            if now >= self.next_advert {
                self.next_advert = now + opts.advert_interval;
                for d in 0..self.devices.len() {
                    if !self.devices[d].advertising(now) || !self.passes_filter(&self.devices[d]) {
                        continue;
                    }
                    let dev = &mut self.devices[d];
                    dev.ticks = dev.ticks.wrapping_add(1);
                    // A little fading, as radio signals do.
                    let jitter = [0i16, -2, 1, -1, 2, -3][dev.ticks as usize % 6];
                    dev.rssi = Some(dev.rssi_base + jitter);
                    if !dev.known {
                        dev.known = true;
                        out.extend(interfaces_added(&dev.path, vec![(DEVICE1, dev.props())]));
                    } else {
                        let mut changed: Props =
                            vec![("RSSI", Variant::from(dev.rssi_base + jitter))];
                        if let Some(m) = dev.manufacturer_data() {
                            // DuplicateData: every advertisement reports its data.
                            changed.push(("ManufacturerData", Variant::from(m)));
                        }
                        out.extend(props_changed(&dev.path, DEVICE1, changed, &[]));
                    }
                }
            }
            at(self.next_advert);
        }
        let mtu = self.mtu();
        for d in 0..self.devices.len() {
            let dev = &mut self.devices[d];
            if let Kind::Paw(fw) = &mut dev.kind {
                if fw.next_deadline().is_some_and(|t| t <= now) {
                    let more = fw.poll(now);
                    dev.pending.extend(more);
                }
                if let Some(t) = fw.next_deadline() {
                    at(t);
                }
            }
            dev.pending.sort_by_key(out_time);
            while dev_due(&self.devices[d], now) {
                let o = self.devices[d].pending.remove(0);
                self.output(d, o, mtu, out);
            }
            let dev = &self.devices[d];
            if let Some(o) = dev.pending.first() {
                at(out_time(o));
            }
            if let Some(t) = dev.away_until.filter(|t| *t > now) {
                at(t);
            }
        }
        next
    }

    fn output(&mut self, d: usize, o: FwOutput, mtu: u16, out: &mut Vec<Message>) {
        match o {
            FwOutput::Line { bytes, .. } => {
                let dev = &mut self.devices[d];
                if !dev.connected {
                    return;
                }
                let Some((s, c)) = dev.find_chrc(&Source::NusTx) else {
                    return;
                };
                let handle = dev.services[s].chrcs[c].handle;
                // Without a notify session the CCCD is off: the device cannot send.
                if !dev.notifying(handle) {
                    return;
                }
                let p = dev.chrc_path(s, c);
                for chunk in bytes.chunks(usize::from(mtu.saturating_sub(3)).max(1)) {
                    dev.values.insert(handle, chunk.to_vec());
                    out.extend(props_changed(
                        &p,
                        CHRC1,
                        vec![("Value", Variant::from(chunk.to_vec()))],
                        &[],
                    ));
                }
            }
            FwOutput::Reboot { at, down_for } => {
                self.disconnect(d, out);
                self.devices[d].away_until = Some(at + down_for);
                self.devices[d].pending.clear();
            }
            FwOutput::Vanish { .. } => {
                self.disconnect(d, out);
                self.devices[d].gone = true;
                self.devices[d].pending.clear();
            }
        }
    }
}

fn out_time(o: &FwOutput) -> Instant {
    match o {
        FwOutput::Line { at, .. } | FwOutput::Reboot { at, .. } | FwOutput::Vanish { at } => *at,
    }
}

fn dev_due(dev: &Dev, now: Instant) -> bool {
    dev.pending.first().is_some_and(|o| out_time(o) <= now)
}

fn cccd_value(on: bool) -> Vec<u8> {
    vec![u8::from(on), 0]
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock would be a bug in the fake; keep serving.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    async fn send_all(&self, msgs: Vec<Message>) {
        for m in msgs {
            let _ = self.conn.send(&m).await;
        }
    }

    /// Sends the reply; a caller that left meanwhile is no concern of ours.
    async fn answer(&self, h: &Header<'_>, reply: Reply) {
        let _ = match reply {
            Reply::Later => return,
            Reply::Ok(build) => match build(Message::method_return(h)) {
                Ok(m) => self.conn.send(&m).await,
                Err(e) => {
                    self.conn
                        .reply_error(h, "org.freedesktop.DBus.Error.Failed", &e.to_string())
                        .await
                }
            },
            Reply::Err(name, msg) => self.conn.reply_error(h, name.as_str(), &msg).await,
        };
    }
}

impl FakeBluez {
    /// Connects to the bus at `bus_address`, takes the name `org.bluez` and
    /// serves `devices` until dropped or [`FakeBluez::stop`]ped.
    pub async fn start(
        bus_address: &str,
        devices: Vec<FakeDevice>,
        opts: BluezOptions,
    ) -> zbus::Result<FakeBluez> {
        let conn = zbus::connection::Builder::address(bus_address)
            .build()
            .await?;
        // Hear about clients leaving, to end their sessions as BlueZ does.
        conn.call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus"),
            "AddMatch",
            &("type='signal',sender='org.freedesktop.DBus',member='NameOwnerChanged'"),
        )
        .await?;
        let stream = zbus::MessageStream::from(&conn);
        conn.request_name("org.bluez").await?;
        let adapter = (!opts.no_adapter).then(|| AdapterState {
            powered: !opts.rfkill_blocked && !opts.powered_off,
            blocked: opts.rfkill_blocked,
            sessions: BTreeMap::new(),
            filters: HashMap::new(),
        });
        let mut devices: Vec<Dev> = devices.into_iter().map(Dev::new).collect();
        for d in &mut devices {
            // Known from an earlier session, gone since: an object, no adverts.
            if opts
                .cached_away
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&d.address))
            {
                d.known = true;
                d.gone = true;
            }
        }
        let shared = Arc::new(Shared {
            conn,
            state: Mutex::new(State {
                adapter,
                devices,
                next_advert: Instant::now(),
                mtu: opts.mtu.clamp(23, 517),
                connect_calls: 0,
            }),
            opts,
            wake: Notify::new(),
        });
        let driver = tokio::spawn(drive(shared.clone()));
        let serve = tokio::spawn(serve(shared.clone(), stream));
        Ok(FakeBluez {
            shared,
            tasks: vec![driver, serve],
        })
    }

    /// The bus name the fake got (for diagnostics).
    pub fn unique_name(&self) -> Option<String> {
        self.shared.conn.unique_name().map(|n| n.to_string())
    }

    /// Whether the device with this address is connected now.
    pub fn is_connected(&self, address: &str) -> bool {
        self.shared
            .lock()
            .devices
            .iter()
            .any(|d| d.address.eq_ignore_ascii_case(address) && d.connected)
    }

    /// How many times a host asked to connect to the device with this address.
    pub fn connect_calls(&self, address: &str) -> u32 {
        self.shared
            .lock()
            .devices
            .iter()
            .filter(|d| d.address.eq_ignore_ascii_case(address))
            .map(|d| d.connect_calls)
            .sum()
    }

    /// Stops serving and leaves the bus.
    pub async fn stop(mut self) {
        for t in self.tasks.drain(..) {
            t.abort();
        }
        let _ = self.shared.conn.release_name("org.bluez").await;
    }

    /// Serves until the connection to the bus closes (the bus went away).
    pub async fn run_until_bus_closes(&self) {
        self.shared.conn.closed().await;
    }
}

impl Drop for FakeBluez {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

async fn drive(shared: Arc<Shared>) {
    loop {
        let mut out = Vec::new();
        let next = {
            let mut st = shared.lock();
            st.tick(Instant::now(), &shared.opts, &mut out)
        };
        shared.send_all(out).await;
        let notified = shared.wake.notified();
        match next {
            Some(t) => {
                tokio::select! {
                    _ = tokio::time::sleep_until(t.into()) => {}
                    _ = notified => {}
                }
            }
            None => notified.await,
        }
    }
}

async fn serve(shared: Arc<Shared>, mut stream: zbus::MessageStream) {
    while let Some(msg) = stream.next().await {
        let Ok(msg) = msg else { continue };
        match msg.message_type() {
            MsgType::MethodCall => {
                // BlueZ emits a call's property changes before answering it.
                let (signals, reply) = handle(&shared, &msg);
                shared.send_all(signals).await;
                shared.answer(&msg.header(), reply).await;
                shared.wake.notify_one();
            }
            MsgType::Signal => {
                let h = msg.header();
                if h.member().is_some_and(|m| m.as_str() == "NameOwnerChanged")
                    && let Ok((name, _old, new)) =
                        msg.body().deserialize::<(String, String, String)>()
                    && name.starts_with(':')
                    && new.is_empty()
                {
                    let mut out = Vec::new();
                    shared.lock().client_gone(&name, &mut out);
                    shared.send_all(out).await;
                }
            }
            _ => {}
        }
    }
}

/// Handles one method call. Anything that has to wait (connecting) is
/// spawned and answered later.
fn handle(shared: &Arc<Shared>, msg: &Message) -> (Vec<Message>, Reply) {
    let h = msg.header();
    let p = h.path().map(|p| p.as_str().to_string()).unwrap_or_default();
    let iface = h
        .interface()
        .map(|i| i.as_str().to_string())
        .unwrap_or_default();
    let member = h
        .member()
        .map(|m| m.as_str().to_string())
        .unwrap_or_default();
    let sender = h.sender().map(|s| s.to_string()).unwrap_or_default();
    let body = msg.body();

    let mut out = Vec::new();
    let reply = {
        let mut st = shared.lock();
        let Some(obj) = st.resolve(&p) else {
            return (out, unknown_method(&h));
        };
        match (iface.as_str(), member.as_str()) {
            (INTROSPECTABLE, "Introspect") => ok_body(introspect(&st, obj)),
            ("org.freedesktop.DBus.Peer", "Ping") => ok_empty(),
            (OBJECT_MANAGER, "GetManagedObjects") if obj == Obj::Root(0) => {
                ok_body(managed_objects(&st))
            }
            (PROPS, "GetAll") => match body.deserialize::<String>() {
                Ok(want) => {
                    let props: HashMap<&str, Variant<'static>> = st
                        .interfaces(obj)
                        .into_iter()
                        .filter(|(i, _)| *i == want)
                        .flat_map(|(_, p)| p)
                        .collect();
                    ok_body(props)
                }
                Err(_) => invalid_args(),
            },
            (PROPS, "Get") => match body.deserialize::<(String, String)>() {
                Ok((want, name)) => {
                    let found = st
                        .interfaces(obj)
                        .into_iter()
                        .filter(|(i, _)| *i == want)
                        .flat_map(|(_, p)| p)
                        .find(|(n, _)| *n == name);
                    match found {
                        Some((_, v)) => ok_body(v),
                        None => Reply::Err(
                            "org.freedesktop.DBus.Error.InvalidArgs".into(),
                            "No such property".into(),
                        ),
                    }
                }
                Err(_) => invalid_args(),
            },
            (PROPS, "Set") => match body.deserialize::<(String, String, OwnedVariant)>() {
                Ok((i, name, value)) => set_property(&mut st, obj, &i, &name, value, &mut out),
                Err(_) => invalid_args(),
            },
            (ADAPTER1, m) if obj == Obj::Adapter => {
                adapter_call(&mut st, m, &sender, &body, &mut out)
            }
            (DEVICE1, "Connect") => match obj {
                Obj::Device(d) => connect(shared, &mut st, d, msg),
                _ => unknown_method(&h),
            },
            (DEVICE1, "Disconnect") => match obj {
                Obj::Device(d) => {
                    // Also cancels a connect in progress (BlueZ answers it
                    // `Failed: Cancelled`; its task sees the epoch move).
                    let dev = &mut st.devices[d];
                    if dev.connecting {
                        dev.connecting = false;
                        dev.connect_epoch += 1;
                    }
                    st.disconnect(d, &mut out);
                    ok_empty()
                }
                _ => unknown_method(&h),
            },
            (CHRC1, m) => match obj {
                Obj::Chrc(d, s, c) => chrc_call(&mut st, (d, s, c), m, &sender, &body, &mut out),
                _ => unknown_method(&h),
            },
            (DESC1, "ReadValue") => match obj {
                Obj::Desc(d, s, c) => {
                    let dev = &st.devices[d];
                    ok_body(cccd_value(dev.notifying(dev.services[s].chrcs[c].handle)))
                }
                _ => unknown_method(&h),
            },
            (DESC1, "WriteValue") => match obj {
                Obj::Desc(..) => bluez_err("NotPermitted", "Write not permitted"),
                _ => unknown_method(&h),
            },
            _ => unknown_method(&h),
        }
    };
    (out, reply)
}

fn invalid_args() -> Reply {
    Reply::Err(
        "org.freedesktop.DBus.Error.InvalidArgs".into(),
        "Invalid arguments in method call".into(),
    )
}

/// `GetManagedObjects`: every object with its interfaces and properties.
fn managed_objects(
    st: &State,
) -> HashMap<ObjectPath<'static>, HashMap<&'static str, HashMap<&'static str, Variant<'static>>>> {
    let mut objs = Vec::new();
    if st.adapter.is_some() {
        objs.push(Obj::Adapter);
        for (d, dev) in st.devices.iter().enumerate().filter(|(_, d)| d.known) {
            objs.push(Obj::Device(d));
            for (s, svc) in dev.services.iter().enumerate() {
                objs.push(Obj::Service(d, s));
                for (c, chrc) in svc.chrcs.iter().enumerate() {
                    objs.push(Obj::Chrc(d, s, c));
                    if chrc.notifies() {
                        objs.push(Obj::Desc(d, s, c));
                    }
                }
            }
        }
    }
    objs.into_iter()
        .map(|o| {
            let mut ifaces: HashMap<&'static str, HashMap<&'static str, Variant<'static>>> = st
                .interfaces(o)
                .into_iter()
                .map(|(i, p)| (i, p.into_iter().collect()))
                .collect();
            ifaces.insert(INTROSPECTABLE, HashMap::new());
            ifaces.insert(PROPS, HashMap::new());
            (path(&st.object_path(o)), ifaces)
        })
        .collect()
}

fn set_property(
    st: &mut State,
    obj: Obj,
    iface: &str,
    name: &str,
    value: OwnedVariant,
    out: &mut Vec<Message>,
) -> Reply {
    match (obj, iface, name) {
        (Obj::Adapter, ADAPTER1, "Powered") => {
            let Ok(on) = bool::try_from(value) else {
                return invalid_args();
            };
            let Some(a) = st.adapter.as_mut() else {
                return invalid_args();
            };
            if on && a.blocked {
                return bluez_err("Blocked", "Blocked through rfkill");
            }
            if a.powered != on {
                a.powered = on;
                out.extend(props_changed(
                    ADAPTER_PATH,
                    ADAPTER1,
                    vec![
                        ("Powered", Variant::from(on)),
                        ("PowerState", Variant::from(if on { "on" } else { "off" })),
                    ],
                    &[],
                ));
            }
            ok_empty()
        }
        _ => Reply::Err(
            "org.freedesktop.DBus.Error.PropertyReadOnly".into(),
            format!("Property '{name}' is not writable"),
        ),
    }
}

fn adapter_call(
    st: &mut State,
    member: &str,
    sender: &str,
    body: &zbus::message::Body,
    out: &mut Vec<Message>,
) -> Reply {
    let Some(a) = st.adapter.as_mut() else {
        return invalid_args();
    };
    match member {
        "SetDiscoveryFilter" => {
            let Ok(filter) = body.deserialize::<HashMap<String, OwnedVariant>>() else {
                return invalid_args();
            };
            let uuids: Vec<String> = filter
                .get("UUIDs")
                .and_then(|v| v.try_clone().ok())
                .and_then(|v| Vec::<String>::try_from(v).ok())
                .unwrap_or_default()
                .into_iter()
                .map(|u| u.to_ascii_lowercase())
                .collect();
            a.filters.insert(sender.to_string(), uuids.clone());
            if let Some(session) = a.sessions.get_mut(sender) {
                *session = uuids;
            }
            ok_empty()
        }
        "StartDiscovery" => {
            if !a.powered {
                return bluez_err("NotReady", "Resource Not Ready");
            }
            if a.sessions.contains_key(sender) {
                return bluez_err("InProgress", "Operation already in progress");
            }
            let filter = a.filters.get(sender).cloned().unwrap_or_default();
            let first = a.sessions.is_empty();
            a.sessions.insert(sender.to_string(), filter);
            if first {
                st.next_advert = Instant::now();
                out.extend(props_changed(
                    ADAPTER_PATH,
                    ADAPTER1,
                    vec![("Discovering", Variant::from(true))],
                    &[],
                ));
            }
            ok_empty()
        }
        "StopDiscovery" => {
            if !a.powered {
                return bluez_err("NotReady", "Resource Not Ready");
            }
            if st.stop_discovery(sender, out) {
                if let Some(a) = st.adapter.as_mut() {
                    a.filters.remove(sender);
                }
                ok_empty()
            } else {
                bluez_err("Failed", "No discovery started")
            }
        }
        "RemoveDevice" => {
            let Ok(p) = body.deserialize::<ObjectPath<'_>>() else {
                return invalid_args();
            };
            let Some(d) = st
                .devices
                .iter()
                .position(|d| d.known && d.path == p.as_str())
            else {
                return bluez_err("DoesNotExist", "Does Not Exist");
            };
            st.disconnect(d, out);
            let dev = &mut st.devices[d];
            dev.known = false;
            dev.rssi = None;
            out.extend(interfaces_removed(&dev.path, DEVICE1));
            ok_empty()
        }
        "GetDiscoveryFilters" => ok_body(
            [
                "UUIDs",
                "RSSI",
                "Pathloss",
                "Transport",
                "DuplicateData",
                "Discoverable",
                "Pattern",
            ]
            .map(String::from)
            .to_vec(),
        ),
        _ => no_such_method(member, &body.signature().to_string(), ADAPTER1),
    }
}

fn chrc_call(
    st: &mut State,
    (d, s, c): (usize, usize, usize),
    member: &str,
    sender: &str,
    body: &zbus::message::Body,
    out: &mut Vec<Message>,
) -> Reply {
    let mtu = st.mtu();
    let dev = &mut st.devices[d];
    let chrc = dev.services[s].chrcs[c].clone();
    let p = dev.chrc_path(s, c);
    match member {
        "ReadValue" => {
            if !chrc.has("read") {
                return bluez_err("NotPermitted", "Read not permitted");
            }
            let v = dev.chrc_value(&chrc);
            dev.values.insert(chrc.handle, v.clone());
            // BlueZ updates the cached Value, which emits a change.
            out.extend(props_changed(
                &p,
                CHRC1,
                vec![("Value", Variant::from(v.clone()))],
                &[],
            ));
            ok_body(v)
        }
        "WriteValue" => {
            let Ok((value, opts)) = body.deserialize::<(Vec<u8>, HashMap<String, OwnedVariant>)>()
            else {
                return invalid_args();
            };
            let kind = opts
                .get("type")
                .and_then(|v| v.try_clone().ok())
                .and_then(|v| String::try_from(v).ok());
            let command = match kind.as_deref() {
                Some("command") => true,
                Some("request") | Some("reliable") => false,
                Some(_) => return invalid_args(),
                None => !chrc.has("write"),
            };
            if command {
                if !chrc.has("write-without-response") {
                    return bluez_err("NotSupported", "Operation is not supported");
                }
                if value.len() > usize::from(mtu) - 3 {
                    return bluez_err("Failed", "Failed to initiate write");
                }
            } else {
                if !chrc.has("write") {
                    return bluez_err("NotPermitted", "Write not permitted");
                }
                if value.len() > MAX_ATTR_LEN {
                    return bluez_err("InvalidValueLength", "Invalid Length");
                }
            }
            if chrc.source == Source::NusRx
                && let Kind::Paw(fw) = &mut dev.kind
            {
                let outputs = fw.on_bytes(&value, Instant::now());
                dev.pending.extend(outputs);
            }
            ok_empty()
        }
        "StartNotify" => {
            if !chrc.notifies() {
                return bluez_err("NotSupported", "Operation is not supported");
            }
            let set = dev.notify.entry(chrc.handle).or_default();
            if !set.insert(sender.to_string()) {
                return bluez_err("InProgress", "In Progress");
            }
            if set.len() == 1 {
                out.extend(props_changed(
                    &p,
                    CHRC1,
                    vec![("Notifying", Variant::from(true))],
                    &[],
                ));
            }
            ok_empty()
        }
        "StopNotify" => {
            if st.end_notify(d, chrc.handle, sender, out) {
                ok_empty()
            } else {
                bluez_err("Failed", "No notify session started")
            }
        }
        "AcquireWrite" | "AcquireNotify" => bluez_err("NotSupported", "Operation is not supported"),
        _ => no_such_method(member, &body.signature().to_string(), CHRC1),
    }
}

const INTROSPECT_HEAD: &str = "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"\n\"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n";

/// Interface descriptions, as far as a client needs them.
fn iface_xml(name: &str) -> &'static str {
    match name {
        ADAPTER1 => {
            r#"<interface name="org.bluez.Adapter1"><method name="StartDiscovery"/><method name="SetDiscoveryFilter"><arg name="properties" type="a{sv}" direction="in"/></method><method name="StopDiscovery"/><method name="RemoveDevice"><arg name="device" type="o" direction="in"/></method><method name="GetDiscoveryFilters"><arg name="filters" type="as" direction="out"/></method><property name="Address" type="s" access="read"/><property name="AddressType" type="s" access="read"/><property name="Name" type="s" access="read"/><property name="Alias" type="s" access="readwrite"/><property name="Class" type="u" access="read"/><property name="Powered" type="b" access="readwrite"/><property name="PowerState" type="s" access="read"/><property name="Discoverable" type="b" access="readwrite"/><property name="DiscoverableTimeout" type="u" access="readwrite"/><property name="Pairable" type="b" access="readwrite"/><property name="PairableTimeout" type="u" access="readwrite"/><property name="Discovering" type="b" access="read"/><property name="UUIDs" type="as" access="read"/><property name="Modalias" type="s" access="read"/><property name="Roles" type="as" access="read"/></interface>"#
        }
        DEVICE1 => {
            r#"<interface name="org.bluez.Device1"><method name="Disconnect"/><method name="Connect"/><property name="Address" type="s" access="read"/><property name="AddressType" type="s" access="read"/><property name="Name" type="s" access="read"/><property name="Alias" type="s" access="readwrite"/><property name="Paired" type="b" access="read"/><property name="Bonded" type="b" access="read"/><property name="Trusted" type="b" access="readwrite"/><property name="Blocked" type="b" access="readwrite"/><property name="LegacyPairing" type="b" access="read"/><property name="RSSI" type="n" access="read"/><property name="Connected" type="b" access="read"/><property name="UUIDs" type="as" access="read"/><property name="Adapter" type="o" access="read"/><property name="ManufacturerData" type="a{qv}" access="read"/><property name="TxPower" type="n" access="read"/><property name="ServicesResolved" type="b" access="read"/></interface>"#
        }
        SERVICE1 => {
            r#"<interface name="org.bluez.GattService1"><property name="UUID" type="s" access="read"/><property name="Device" type="o" access="read"/><property name="Primary" type="b" access="read"/><property name="Includes" type="ao" access="read"/><property name="Handle" type="q" access="read"/></interface>"#
        }
        CHRC1 => {
            r#"<interface name="org.bluez.GattCharacteristic1"><method name="ReadValue"><arg name="options" type="a{sv}" direction="in"/><arg name="value" type="ay" direction="out"/></method><method name="WriteValue"><arg name="value" type="ay" direction="in"/><arg name="options" type="a{sv}" direction="in"/></method><method name="StartNotify"/><method name="StopNotify"/><property name="UUID" type="s" access="read"/><property name="Service" type="o" access="read"/><property name="Value" type="ay" access="read"/><property name="Notifying" type="b" access="read"/><property name="Flags" type="as" access="read"/><property name="MTU" type="q" access="read"/><property name="Handle" type="q" access="read"/></interface>"#
        }
        DESC1 => {
            r#"<interface name="org.bluez.GattDescriptor1"><method name="ReadValue"><arg name="options" type="a{sv}" direction="in"/><arg name="value" type="ay" direction="out"/></method><method name="WriteValue"><arg name="value" type="ay" direction="in"/><arg name="options" type="a{sv}" direction="in"/></method><property name="UUID" type="s" access="read"/><property name="Characteristic" type="o" access="read"/><property name="Value" type="ay" access="read"/><property name="Handle" type="q" access="read"/></interface>"#
        }
        _ => "",
    }
}

/// `Introspect`: the object's interfaces and its child nodes (how btleplug
/// finds GATT services, characteristics and descriptors).
fn introspect(st: &State, obj: Obj) -> String {
    let mut x = String::from(INTROSPECT_HEAD);
    x.push_str("<node>");
    x.push_str(r#"<interface name="org.freedesktop.DBus.Introspectable"><method name="Introspect"><arg name="xml" type="s" direction="out"/></method></interface>"#);
    if obj != Obj::Root(1) && obj != Obj::Root(2) {
        x.push_str(r#"<interface name="org.freedesktop.DBus.Properties"><method name="Get"><arg name="interface" type="s" direction="in"/><arg name="name" type="s" direction="in"/><arg name="value" type="v" direction="out"/></method><method name="Set"><arg name="interface" type="s" direction="in"/><arg name="name" type="s" direction="in"/><arg name="value" type="v" direction="in"/></method><method name="GetAll"><arg name="interface" type="s" direction="in"/><arg name="properties" type="a{sv}" direction="out"/></method><signal name="PropertiesChanged"><arg name="interface" type="s"/><arg name="changed_properties" type="a{sv}"/><arg name="invalidated_properties" type="as"/></signal></interface>"#);
    }
    for (i, _) in st.interfaces(obj) {
        x.push_str(iface_xml(i));
    }
    let children: Vec<String> = match obj {
        Obj::Root(0) => {
            x.push_str(r#"<interface name="org.freedesktop.DBus.ObjectManager"><method name="GetManagedObjects"><arg name="objects" type="a{oa{sa{sv}}}" direction="out"/></method><signal name="InterfacesAdded"><arg name="object" type="o"/><arg name="interfaces" type="a{sa{sv}}"/></signal><signal name="InterfacesRemoved"><arg name="object" type="o"/><arg name="interfaces" type="as"/></signal></interface>"#);
            vec!["org".into()]
        }
        Obj::Root(1) => vec!["bluez".into()],
        Obj::Root(_) => st.adapter.iter().map(|_| "hci0".to_string()).collect(),
        Obj::Adapter => st
            .devices
            .iter()
            .filter(|d| d.known)
            .map(|d| d.path.rsplit('/').next().unwrap_or_default().to_string())
            .collect(),
        Obj::Device(d) => st.devices[d]
            .services
            .iter()
            .map(|s| format!("service{:04x}", s.handle))
            .collect(),
        Obj::Service(d, s) => st.devices[d].services[s]
            .chrcs
            .iter()
            .map(|c| format!("char{:04x}", c.handle))
            .collect(),
        Obj::Chrc(d, s, c) => {
            let chrc = &st.devices[d].services[s].chrcs[c];
            if chrc.notifies() {
                vec![format!("desc{:04x}", chrc.cccd_handle())]
            } else {
                vec![]
            }
        }
        Obj::Desc(..) => vec![],
    };
    for c in children {
        x.push_str(&format!("<node name=\"{c}\"/>"));
    }
    x.push_str("</node>");
    x
}
