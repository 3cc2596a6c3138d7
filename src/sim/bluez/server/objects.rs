//! The object tree the fake BlueZ exports: resolving paths, each object's
//! interfaces and properties, `GetManagedObjects`, `Set` and introspection.

use super::calls::invalid_args;
use super::device::props_changed;
use super::gatt::{CCCD, sig_uuid};
use super::links::cccd_value;
use super::{
    ADAPTER_ADDRESS, ADAPTER_PATH, ADAPTER1, CHRC1, DESC1, DEVICE1, Dev, INTROSPECTABLE, Obj,
    PROPS, Props, Reply, SERVICE1, State, bluez_err, ok_empty, path,
};
use std::collections::HashMap;
use zbus::{Message, ObjectPath, OwnedVariant, Variant};

impl State {
    pub(super) fn adapter_props(&self) -> Option<Props> {
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

    pub(super) fn resolve(&self, p: &str) -> Option<Obj> {
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
    pub(super) fn interfaces(&self, obj: Obj) -> Vec<(&'static str, Props)> {
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

    pub(super) fn mtu(&self) -> u16 {
        self.mtu
    }

    pub(super) fn discovering(&self) -> bool {
        self.adapter
            .as_ref()
            .is_some_and(|a| !a.sessions.is_empty())
    }

    /// Whether any discovery filter lets this device through.
    pub(super) fn passes_filter(&self, dev: &Dev) -> bool {
        let Some(a) = &self.adapter else { return false };
        let ad = dev.advertised_uuids();
        a.sessions
            .values()
            .any(|f| f.is_empty() || f.iter().any(|u| ad.contains(u)))
    }
}

impl State {
    pub(super) fn object_path(&self, o: Obj) -> String {
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
}

/// `GetManagedObjects`: every object with its interfaces and properties.
pub(super) fn managed_objects(
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

pub(super) fn set_property(
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

pub(super) const INTROSPECT_HEAD: &str = "<!DOCTYPE node PUBLIC \"-//freedesktop//DTD D-BUS Object Introspection 1.0//EN\"\n\"http://www.freedesktop.org/standards/dbus/1.0/introspect.dtd\">\n";

/// Interface descriptions, as far as a client needs them.
pub(super) fn iface_xml(name: &str) -> &'static str {
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
pub(super) fn introspect(st: &State, obj: Obj) -> String {
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
